/**
 * Full mode decides identical mutated logins once (src/simulate/login-key.ts, drive-store.ts): logins of one sample
 * with the same key reuse the first one's outcome. The key must never be shared by two logins whose transactions
 * could differ; the whole-result equivalence is test/simulate/simulate.full-mode.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { simulateMapping, simulateSamples } from '../../bench/fixtures/generate.js';
import { compile } from '../../src/compile/compile.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { decideLogin, type Login } from '../../src/runtime/provision/decide.js';
import { loginSettings } from '../../src/runtime/provision/login.js';
import { driveStore } from '../../src/simulate/drive-store.js';
import { jsonExact, loginKey } from '../../src/simulate/login-key.js';
import { newTally, prepare, setup } from '../../src/simulate/run.js';
import { simulate } from '../../src/simulate/simulate.js';
import type { MutationOperator, Sample } from '../../src/simulate/types.js';
import { ISSUER, NOW, oidc, plan } from './fixtures.js';

const MAPPING = plan(`mapping "login-key" version "1" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email          : email  from "email"          required normalize lower
    email_verified : bool   from "email_verified" optional
    name           : string from "name"           optional
    groups         : set<string> from "groups"    optional
    age            : int    from "age"            optional
  }
  profile {
    email        = email sync always
    display_name = name  sync always
    age          = age   sync always
  }
  roles replace {
    grant staff when "staff" in groups
    grant verified when email_verified
  }
  accounts {
    unique email
    on email_conflict reject
  }
  lifecycle { offboarding scim }
}`);

const settings = { ...loginSettings({ now: NOW }), snapshot: false };

const base = (): ClaimSet => ({
  ...oidc({ email: 'jane@example.com', email_verified: true, name: 'Jane', groups: ['staff'], age: 40 }),
  issuedAt: '2026-12-01T09:59:00Z',
});

/** `cs` with claim `name` set to `value`. */
const withValue = (cs: ClaimSet, name: string, value: JsonValue): ClaimSet => ({
  ...cs,
  claims: Object.assign(Object.create(null) as Record<string, JsonValue>, cs.claims, { [name]: value }),
});

const keyOf = (cs: ClaimSet, s = settings): string | null => loginKey(decideLogin(MAPPING, cs, s));

describe('loginKey', () => {
  it('is the same for equal logins built apart', () => {
    const k = keyOf(base());
    expect(k).not.toBeNull();
    expect(keyOf(base())).toBe(k);
    // A claim no rule or profile field reads does not reach the login.
    expect(keyOf(withValue(base(), 'unread', 'x'))).toBe(k);
  });

  // Near duplicates: one field that the transactions or the classification read differs.
  const near: [string, (cs: ClaimSet) => ClaimSet][] = [
    ['the issue instant', (cs) => ({ ...cs, issuedAt: '2026-12-01T09:59:01Z' })],
    ['an issue instant in the future', (cs) => ({ ...cs, issuedAt: '2026-12-02T10:00:00Z' })],
    ['an issue instant that is no date-time', (cs) => ({ ...cs, issuedAt: 'yesterday' })],
    ['no issue instant', ({ issuedAt: _, ...cs }) => cs],
    ['the issuer', (cs) => ({ ...cs, issuer: 'https://other.example.com' })],
    ['the subject', (cs) => ({ ...cs, subject: { id: 'other' } })],
    ['a claim value’s case', (cs) => withValue(cs, 'name', 'JANE')],
    ['a claim’s type (a list for a string)', (cs) => withValue(cs, 'name', ['Jane'])],
    ['a claim’s type (a string for an int)', (cs) => withValue(cs, 'age', '40')],
    ['a group', (cs) => withValue(cs, 'groups', ['Staff'])],
    ['the email flag (the text "true")', (cs) => withValue(cs, 'email_verified', 'true')],
    ['the claim set is not verified', (cs) => ({ ...cs, verified: false })],
  ];
  it.each(near)('differs when only %s differs', (_name, change) => {
    const k = keyOf(base());
    const other = keyOf(change(base()));
    expect(other).not.toBeNull();
    expect(other).not.toBe(k);
  });

  it('is null for a login that takes a claim snapshot', () => {
    expect(keyOf(base(), { ...settings, snapshot: true })).toBeNull();
  });

  it('is null when a profile value has no exact JSON', () => {
    const login = decideLogin(MAPPING, base(), settings);
    const age = login.decision.profile.age!;
    const withAge = (value: unknown): Login => ({
      ...login,
      decision: { ...login.decision, profile: { ...login.decision.profile, age: { ...age, value } as never } },
    });
    expect(loginKey(withAge(0))).not.toBeNull();
    expect(loginKey(withAge(-0))).toBeNull();
    expect(loginKey(withAge([1, undefined]))).toBeNull();
  });
});

describe('jsonExact', () => {
  const exact: [string, unknown][] = [
    ['a string', 'a\u{d800}"'],
    ['a number', 1.5],
    ['zero', 0],
    ['booleans and null', [true, false, null]],
    ['a plain record of lists', { a: [1, 'x'], b: { c: null } }],
  ];
  const inexact: [string, unknown][] = [
    ['-0', -0],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['undefined', undefined],
    ['undefined in a list', ['a', undefined]],
    ['a hole', Object.assign(new Array(3), { 0: 1, 2: 2 })],
    ['undefined in a record', { a: undefined }],
    ['a null-prototype record', Object.create(null)],
    ['a Date', new Date(0)],
    ['a record with toJSON', { toJSON: () => 1 }],
    ['a function', () => 1],
    ['a bigint', 1n],
    ['a symbol', Symbol('s')],
    ['-0 deep in a record', { a: [{ b: -0 }] }],
  ];
  it.each(exact)('%s serializes exactly', (_name, v) => expect(jsonExact(v, 0)).toBe(true));
  it.each(inexact)('%s does not', (_name, v) => expect(jsonExact(v, 0)).toBe(false));

  it('stops at a depth bound (a cycle is not shared)', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonExact(cycle, 0)).toBe(false);
  });
});

/** A login-scope operator that gives the mutated claim sets `make` builds from the sample's. */
const operator = (make: (cs: ClaimSet) => [string, ClaimSet][]): MutationOperator => ({
  name: 'fixed',
  description: 'fixed claim sets',
  scope: 'login',
  appliesTo: () => true,
  apply: (cs) => make(cs).map(([label, claimSet]) => ({ label, claimSet })),
});

/** Runs full mode's driver on `samples` with `operators`; the logins that reused an earlier outcome. */
async function reusedOf(
  samples: Sample[],
  operators: MutationOperator[] | undefined,
  p = MAPPING,
): Promise<{ reused: number; total: number }> {
  const run = setup(p, samples, { now: NOW, ...(operators ? { operators } : {}) });
  const prepared = samples.map((s) => prepare(run, s));
  const tally = newTally(prepared);
  const counts = new Uint32Array(3 * (p.roles.rules.length + p.entitlements.rules.length));
  return { reused: await driveStore(run, samples, prepared, counts, tally), total: tally.total };
}

describe('full mode decides identical mutated logins once', () => {
  it('reuses a duplicate and never a near duplicate', async () => {
    const dup = operator((cs) => {
      const renamed = withValue(cs, 'name', 'Janet');
      return [
        ['renamed', renamed],
        ['renamed again', withValue(base(), 'name', 'Janet')], // equal content, other objects: shared
        ['upper case', withValue(cs, 'name', 'JANET')],
        ['a list', withValue(cs, 'name', ['Janet'])],
        ['later', { ...renamed, issuedAt: '2026-12-01T09:59:30Z' }],
        ['other issuer', { ...renamed, issuer: 'https://other.example.com' }],
        ['email flag as text', withValue(renamed, 'email_verified', 'true')],
        ['renamed, third time', withValue(renamed, 'name', 'Janet')], // shared
      ];
    });
    const samples = [{ name: 'jane', claimSet: base() }];
    expect(await reusedOf(samples, [dup])).toEqual({ reused: 2, total: 8 });
    const r = await simulate(MAPPING, samples, { now: NOW, operators: [dup] });
    const [first, second, , , , , , third] = r.outcomes;
    expect(second!.findings).toEqual(first!.findings);
    expect(third!.findings).toEqual(first!.findings);
    expect(r.evaluations).toBe(1 + 8 * 3); // the report still counts every login the driver stands for
  });

  it('keeps the outcomes of each sample apart', async () => {
    const same = operator((cs) => [['renamed', withValue(cs, 'name', 'Janet')]]);
    const samples = [
      { name: 'a', claimSet: base() },
      { name: 'b', claimSet: base() },
    ];
    expect(await reusedOf(samples, [same])).toEqual({ reused: 0, total: 2 });
  });

  it('finds duplicates among the benchmark’s mutations', async () => {
    const { plan: bench } = compile(simulateMapping(), { filename: 'bench.claimmap' });
    const { reused, total } = await reusedOf(simulateSamples(2), undefined, bench!);
    expect(reused).toBeGreaterThan(0);
    expect(reused).toBeLessThan(total);
  });
});
