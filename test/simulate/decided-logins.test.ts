/**
 * Full mode decides identical mutated logins once (src/simulate/decided-logins.ts, drive-store.ts): a login of a sample
 * equal to an earlier one (sameLogin) reuses its outcome. Two logins whose transactions could differ must never be
 * found equal; the whole-result equivalence is test/simulate/simulate.full-mode.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateMapping, simulateSamples } from '../../bench/fixtures/generate.js';
import { compile } from '../../src/compile/compile.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { decideLogin, type Login } from '../../src/runtime/provision/decide.js';
import { loginSettings, provision, provisionDecided } from '../../src/runtime/provision/login.js';
import { MemoryStore } from '../../src/runtime/stores/memory.js';
import { driveStore } from '../../src/simulate/drive-store.js';
import { DecidedLogins, sameLogin, sameValue } from '../../src/simulate/decided-logins.js';
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

const login = (cs: ClaimSet, s = settings): Login => decideLogin(MAPPING, cs, s);

/** Whether `a` finds `b`'s outcome in a DecidedLogins that holds only `b`. */
const found = (a: Login, b: Login): boolean => {
  const seen = new DecidedLogins<string>();
  seen.set(b, 'b');
  return seen.get(a) === 'b';
};

describe('DecidedLogins', () => {
  it('finds an equal login built apart', () => {
    const first = login(base());
    expect(sameLogin(login(base()), first)).toBe(true);
    expect(found(login(base()), first)).toBe(true);
    // A claim no rule or profile field reads does not reach the login.
    expect(found(login(withValue(base(), 'unread', 'x')), first)).toBe(true);
    expect(found(login(structuredClone(base())), first)).toBe(true);
    // The email's case: the mapping normalises it (lower), so the decision and the verified email are the same.
    expect(found(login(withValue(base(), 'email', 'JANE@example.com')), first)).toBe(true);
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
    ['a claim value of the same length and ends', (cs) => withValue(cs, 'name', 'Jone')],
    ['a claim’s type (a list for a string)', (cs) => withValue(cs, 'name', ['Jane'])],
    ['a claim’s type (a string for an int)', (cs) => withValue(cs, 'age', '40')],
    ['an int', (cs) => withValue(cs, 'age', 41)],
    ['a group', (cs) => withValue(cs, 'groups', ['Staff'])],
    ['the email flag (the text "true")', (cs) => withValue(cs, 'email_verified', 'true')],
    ['the email', (cs) => withValue(cs, 'email', 'jane@example.org')],
    ['the claim set is not verified', (cs) => ({ ...cs, verified: false })],
  ];
  it.each(near)('does not find a login when only %s differs', (_name, change) => {
    const a = login(change(base()));
    const b = login(base());
    expect(sameLogin(a, b)).toBe(false);
    expect(sameLogin(b, a)).toBe(false);
    expect(found(a, b)).toBe(false);
    expect(found(b, a)).toBe(false);
  });

  it('never shares a login that takes a claim snapshot', () => {
    const snap = { ...settings, snapshot: true };
    expect(found(login(base(), snap), login(base(), snap))).toBe(false);
    expect(found(login(base()), login(base(), snap))).toBe(false);
  });

  it('compares profile values exactly (0 and -0, a list and its elements)', () => {
    const l = login(base());
    const age = l.decision.profile.age!;
    const withAge = (value: unknown): Login => ({
      ...l,
      decision: { ...l.decision, profile: { ...l.decision.profile, age: { ...age, value } as never } },
    });
    expect(sameLogin(withAge(0), withAge(0))).toBe(true);
    expect(sameLogin(withAge(0), withAge(-0))).toBe(false);
    expect(sameLogin(withAge([1, 2]), withAge([1, 2]))).toBe(true);
    expect(sameLogin(withAge([1, 2]), withAge([2, 1]))).toBe(false);
    expect(sameLogin(withAge({ a: 1 }), withAge({ a: '1' }))).toBe(false);
  });

  it('compares the rule ids that granted each name', () => {
    const l = login(base());
    const other: Login = {
      ...l,
      decision: {
        ...l.decision,
        grantedBy: { ...l.decision.grantedBy, roles: { ...l.decision.grantedBy.roles, staff: ['other-rule'] } },
      },
    };
    expect(l.decision.roles).toContain('staff');
    expect(sameLogin(l, other)).toBe(false);
  });

  it('compares about one earlier login per lookup on the benchmark’s mutations (the buckets keep them apart)', () => {
    const { plan: bench } = compile(simulateMapping(), { filename: 'bench.claimmap' });
    const samples = simulateSamples(4);
    const run = setup(bench!, samples, { now: NOW });
    let lookups = 0;
    let kept = 0;
    let compared = 0;
    for (const s of samples) {
      const seen = new DecidedLogins<number>();
      for (const p of prepare(run, s)) {
        if (p.claimSet === null) continue;
        const l = decideLogin(bench!, p.claimSet, settings);
        lookups++;
        if (seen.get(l) === undefined) {
          seen.set(l, kept++);
        }
      }
      compared += seen.compared;
    }
    // Most lookups find an equal login (the reason for the index); each compares at most a few logins, not all kept.
    expect(kept).toBeLessThan(lookups / 2);
    expect(compared).toBeLessThanOrEqual(2 * lookups);
    expect(compared).toBeLessThan(kept * kept);
  });

  it('the evaluator’s profile values hold no field the comparison leaves out', async () => {
    const { plan: bench } = compile(simulateMapping(), { filename: 'bench.claimmap' });
    const run = setup(bench!, simulateSamples(3), { now: NOW });
    let n = 0;
    for (const s of simulateSamples(3)) {
      for (const p of prepare(run, s)) {
        if (p.claimSet === null) continue;
        for (const pv of Object.values(decideLogin(bench!, p.claimSet, settings).decision.profile)) {
          expect(['sync', 'clear', 'state', 'value']).toEqual(expect.arrayContaining(Object.keys(pv)));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('provision() never writes to a login (it is compared after its transactions)', async () => {
    for (const cs of [base(), withValue(base(), 'groups', []), { ...base(), issuedAt: 'yesterday' }]) {
      const seeded = new MemoryStore();
      await provision(MAPPING, base(), { store: seeded, now: NOW });
      for (const store of [seeded, new MemoryStore()]) {
        const l = login(cs);
        const { plan: _, ...rest } = l;
        deepFreeze(rest);
        const r = await provisionDecided(l, store);
        expect(['created', 'updated', 'unchanged', 'refused']).toContain(r.action);
      }
    }
  });
});

/** Freezes `v` and everything it holds (ESM code is strict: a write to a frozen object throws). */
function deepFreeze(v: unknown, seen = new Set<unknown>()): void {
  if (typeof v !== 'object' || v === null || seen.has(v)) return;
  seen.add(v);
  for (const k of Reflect.ownKeys(v)) deepFreeze((v as Record<PropertyKey, unknown>)[k], seen);
  Object.freeze(v);
}

describe('sameValue', () => {
  const hole = (): unknown[] => Object.assign(new Array(3), { 0: 1, 2: 2 });
  const date = new Date(0);
  const same: [string, unknown, unknown][] = [
    ['equal strings', 'a\u{d800}"', 'a\u{d800}"'],
    ['NaN', Number.NaN, Number.NaN],
    ['lists', [true, null, 1.5, 'x'], [true, null, 1.5, 'x']],
    ['records of lists', { a: [1, 'x'], b: { c: null } }, { a: [1, 'x'], b: { c: null } }],
    [
      'null-prototype records',
      Object.assign(Object.create(null), { a: 1 }),
      Object.assign(Object.create(null), { a: 1 }),
    ],
    ['the same Date', date, date],
    ['lists with the same holes', hole(), hole()],
  ];
  const different: [string, unknown, unknown][] = [
    ['0 and -0', 0, -0],
    ['1 and "1"', 1, '1'],
    ['null and undefined', null, undefined],
    ['a hole and undefined', hole(), [1, undefined, 2]],
    ['undefined in a record and no key', { a: undefined }, {}],
    ['keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }],
    ['a plain and a null-prototype record', { a: 1 }, Object.assign(Object.create(null), { a: 1 })],
    ['two equal Dates', new Date(0), new Date(0)],
    ['a list and a record like it', ['a'], { 0: 'a' }],
    ['lists of other lengths', [1], [1, 1]],
    ['-0 deep in a record', { a: [{ b: -0 }] }, { a: [{ b: 0 }] }],
  ];
  it.each(same)('%s are the same', (_name, a, b) => {
    expect(sameValue(a, b, 0)).toBe(true);
    expect(sameValue(b, a, 0)).toBe(true);
  });
  it.each(different)('%s are not', (_name, a, b) => {
    expect(sameValue(a, b, 0)).toBe(false);
    expect(sameValue(b, a, 0)).toBe(false);
  });

  it('stops at a depth bound (two cycles are not the same, and the walk ends)', () => {
    const cycle = (): Record<string, unknown> => {
      const c: Record<string, unknown> = {};
      c.self = c;
      return c;
    };
    expect(sameValue(cycle(), cycle(), 0)).toBe(false);
  });

  it('agrees with JSON.stringify on JSON values (differential, random values and near copies)', () => {
    // JSON round trip: no -0, no undefined, plain records; JSON.stringify is then exact and order-sensitive too.
    const json = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(json, json, fc.nat(), (a, b, pick) => {
        const copy = JSON.parse(JSON.stringify(a)) as unknown;
        const near = nearCopy(a, pick);
        for (const [x, y] of [
          [a, b],
          [a, copy],
          [a, near],
        ]) {
          expect(sameValue(x, y, 0)).toBe(JSON.stringify(x) === JSON.stringify(y));
        }
      }),
      { numRuns: 500 },
    );
  });
});

/** A copy of `v` with one leaf (chosen by `pick`) changed, or `v` copied when it has no leaf. */
function nearCopy(v: unknown, pick: number): unknown {
  const c = JSON.parse(JSON.stringify(v)) as unknown;
  const leaves: [Record<string, unknown>, string][] = [];
  const walk = (x: unknown): void => {
    if (typeof x !== 'object' || x === null) return;
    for (const k of Object.keys(x)) {
      const y = (x as Record<string, unknown>)[k];
      if (typeof y === 'object' && y !== null) walk(y);
      else leaves.push([x as Record<string, unknown>, k]);
    }
  };
  walk(c);
  if (leaves.length === 0) return c;
  const [o, k] = leaves[pick % leaves.length]!;
  const y = o[k];
  o[k] = typeof y === 'string' ? y.toUpperCase() : typeof y === 'number' ? y + 1 : y === null ? false : !y;
  return c;
}

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
