/**
 * evaluationBase / evaluateFrom (the simulator's incremental path): re-evaluating only the rules that read a changed
 * claim, and reusing the baseline's results for the rest, gives exactly evaluate()'s decision and its trace's rule
 * results, for every mutation of every example login and for random plans' random variants (fast-check).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulateMapping, simulateSamples } from '../../bench/fixtures/generate.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { compile } from '../../src/compile/compile.js';
import { compiledPlan } from '../../src/evaluate/compile-closures.js';
import { evaluate, evaluateFrom, evaluationBase } from '../../src/evaluate/evaluate.js';
import { loadSamples } from '../../src/simulate/load-samples.js';
import { DEFAULT_OPERATORS } from '../../src/simulate/mutations.js';
import { ruleLiterals } from '../../src/simulate/simulate.js';
import {
  c,
  claim,
  deny,
  e,
  forEach,
  grant,
  listOf,
  loc,
  oidc,
  plan as buildPlan,
  profileField,
  regex,
  requirement,
  saml,
  scalar,
  setOf,
} from './plan-builder.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Rule truth counts as a trace gives them (role rules, then entitlement rules; 3 per rule: false, unknown, true). */
function traceCounts(plan: Plan, cs: ClaimSet): number[] {
  const ids = [...plan.roles.rules, ...plan.entitlements.rules].map((r) => r.id);
  const counts = new Array<number>(3 * ids.length).fill(0);
  for (const t of evaluate(plan, cs, { trace: true }).trace ?? []) {
    counts[3 * ids.indexOf(t.rule) + (t.result === 'false' ? 0 : t.result === 'unknown' ? 1 : 2)]!++;
  }
  return counts;
}

/** Checks one variant against the full evaluation: same decision, same truth counts. */
function expectSame(plan: Plan, base: ReturnType<typeof evaluationBase>, cs: ClaimSet): void {
  const counts = new Uint32Array(3 * (plan.roles.rules.length + plan.entitlements.rules.length));
  expect(evaluateFrom(base, cs, { truthCounts: counts })).toEqual(evaluate(plan, cs));
  expect([...counts]).toEqual(traceCounts(plan, cs));
}

/** Every mutated claim set the built-in operators make of a sample (small limits to keep the test fast). */
function mutationsOf(plan: Plan, cs: ClaimSet): ClaimSet[] {
  const out: ClaimSet[] = [];
  const base = { plan, longLength: 50, maxSetValues: 8 };
  for (const claimPlan of plan.claims) {
    const ctx = { ...base, literals: ruleLiterals(plan, claimPlan.name, new Set(plan.roles.privileged)) };
    for (const op of DEFAULT_OPERATORS) {
      if (op.scope === 'claim' && op.appliesTo(claimPlan, plan))
        for (const m of op.apply(cs, claimPlan, ctx)) out.push(m.claimSet);
    }
  }
  for (const op of DEFAULT_OPERATORS) {
    if (op.scope === 'login' && op.appliesTo(null, plan))
      for (const m of op.apply(cs, null, { ...base, literals: [] })) out.push(m.claimSet);
  }
  return out;
}

const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('evaluateFrom equals evaluate on every mutation', () => {
  it.each(EXAMPLES)('examples/%s', (name) => {
    const dir = join('examples', name);
    const mapping = readdirSync(join(ROOT, dir)).find((f) => f.endsWith('.claimmap'))!;
    const plan = compile(readFileSync(join(ROOT, dir, mapping)), { filename: mapping }).plan!;
    let checked = 0;
    for (const sample of loadSamples([dir], ROOT)) {
      const base = evaluationBase(plan, sample.claimSet);
      for (const cs of [sample.claimSet, ...mutationsOf(plan, sample.claimSet)]) {
        expectSame(plan, base, cs);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('the simulate benchmark mapping, 8 samples', () => {
    const plan = compile(simulateMapping(), { filename: 'sim.claimmap' }).plan!;
    for (const { claimSet } of simulateSamples(8)) {
      const base = evaluationBase(plan, claimSet);
      const mutations = mutationsOf(plan, claimSet);
      expect(mutations.length).toBeGreaterThan(50);
      for (const cs of [claimSet, ...mutations]) expectSame(plan, base, cs);
    }
  });

  it('a variant that changes claims most rules read runs the generated rules; the same as the closures alone', () => {
    const mapping = simulateMapping();
    const plan = compile(mapping, { filename: 'sim.claimmap' }).plan!;
    const closuresOnly = compile(mapping, { filename: 'sim.claimmap' }).plan!;
    const generated = compiledPlan(plan);
    const rules = generated.rules!;
    let calls = 0;
    generated.rules = (v, roleTruth, entTruth) => {
      calls++;
      rules(v, roleTruth, entTruth);
    };
    compiledPlan(closuresOnly).rules = null;
    const n = 3 * (plan.roles.rules.length + plan.entitlements.rules.length);
    let variants = 0;
    for (const { claimSet } of simulateSamples(4)) {
      const base = evaluationBase(plan, claimSet);
      const other = evaluationBase(closuresOnly, claimSet);
      for (const cs of mutationsOf(plan, claimSet)) {
        const [a, b] = [new Uint32Array(n), new Uint32Array(n)];
        expect(evaluateFrom(base, cs, { truthCounts: a })).toEqual(evaluateFrom(other, cs, { truthCounts: b }));
        expect([...a]).toEqual([...b]);
        variants++;
      }
    }
    // Mutations of `groups` (read by most of the mapping's rules) took the generated path; the others did not.
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(variants);
  });

  it('a variant of another claim set than the base still evaluates fully and correctly', () => {
    const plan = compile(simulateMapping(), { filename: 'sim.claimmap' }).plan!;
    const [a, b] = simulateSamples(2);
    expectSame(plan, evaluationBase(plan, a!.claimSet), b!.claimSet);
  });

  it('rejects caller mistakes with TypeError', () => {
    const plan = compile(simulateMapping(), { filename: 'sim.claimmap' }).plan!;
    const base = evaluationBase(plan, simulateSamples(1)[0]!.claimSet);
    expect(() => evaluateFrom(base, null as unknown as ClaimSet)).toThrow(TypeError);
    expect(() => evaluateFrom(base, base.claimSet, { truthCounts: new Uint32Array(2) })).toThrow(TypeError);
    expect(() => evaluateFrom({ ...base, states: [] }, base.claimSet)).toThrow(TypeError);
    expect(() => evaluateFrom({ ...base, raw: [] }, base.claimSet)).toThrow(TypeError);
    expect(() => evaluationBase(plan, undefined as unknown as ClaimSet)).toThrow(TypeError);
  });
});

// ---- random variants ----

/** Every condition kind, `for each` grants and denies (the deny over a claim that may be absent), require, key. */
const oidcPlan = buildPlan({
  key: { kind: 'claims', claims: ['tid', 'oid'], loc },
  require: [requirement('require[0]', c.or(c.ne('kind', 'Intern'), c.truthy('verified')))],
  claims: [
    claim('tid', scalar('string'), { required: true }),
    claim('oid', scalar('string')),
    claim('email', scalar('email'), { normalize: ['lower'] }),
    claim('verified', scalar('bool')),
    claim('age', scalar('int')),
    claim('kind', scalar('enum', ['FTE', 'Intern'])),
    claim('groups', setOf(scalar('string')), { normalize: ['trim', 'lower'] }),
    claim('tags', listOf(scalar('string'))),
    claim('nums', setOf(scalar('int')), { source: ['a', 'nums'] }),
  ],
  roles: [
    grant('admin', c.or(c.contains('groups', 'admins'), c.contains('tags', 'admin'))),
    deny('admin', c.not(c.truthy('verified'))),
    grant('intern', c.and(c.oneOf('kind', ['Intern']), c.ne('age', 18))),
    grant('eng', c.matches('any', 'groups', regex('^eng-'))),
    grant('all-eng', c.startsWith('all', 'groups', 'eng')),
    deny('eng', c.eq('kind', 'Intern')),
    grant('corp', c.endsWith('one', 'email', '@example.com')),
    grant('seven', c.contains('nums', 7)),
  ],
  entitlements: [
    forEach('grant', ['g:', { group: 1 }], 'groups', regex('^([a-z0-9-]+)$'), c.truthy('verified')),
    forEach('grant', ['g:', { group: 1 }], 'tags', regex('^t-(.+)$')),
    forEach('deny', ['g:', { group: 1 }], 'nums', regex('^(\\d+)$')),
    forEach('deny', ['g:', { group: 1 }], 'tags', regex('^no-(.+)$'), c.ne('kind', 'FTE')),
    grant('wiki'),
    grant('vpn', c.eq('kind', 'FTE')),
    deny('wiki', c.contains('groups', 'blocked')),
  ],
  profile: [
    profileField('name', e.concat(e.claim('oid'), e.lit('/'), e.claim('age'))),
    profileField('mail', e.coalesce(e.claim('email'), e.claim('oid'))),
    profileField('org', e.call('domain', e.claim('email'))),
    profileField('g', e.call('join', e.claim('groups'), e.lit(';'))),
  ],
});

const word = fc.constantFrom(
  'admins',
  'admin',
  'eng-web',
  'ENG-API',
  ' eng ',
  'blocked',
  'a-1',
  't-x',
  'no-a-1',
  'x',
  '7',
  '',
);
const fieldValue: fc.Arbitrary<JsonValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  word,
  fc.constantFrom('FTE', 'Intern', 'jane@example.com', 'JANE@Example.com'),
  fc.boolean(),
  fc.integer({ min: 0, max: 20 }),
  fc.array(word, { maxLength: 5 }),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 9 }), word), { maxLength: 4 }),
  fc.constant({} as JsonValue),
);
const FIELDS = ['tid', 'oid', 'email', 'verified', 'age', 'kind', 'groups', 'tags'] as const;
/** Mostly valid values for the key claims and the `require` gate's, so most logins are allowed and their rules evaluated. */
const mostly = (valid: fc.Arbitrary<JsonValue>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: fieldValue, weight: 1 });
const MOSTLY: Partial<Record<string, fc.Arbitrary<JsonValue | undefined>>> = {
  tid: mostly(fc.constantFrom('t-1', 't-2')),
  oid: mostly(fc.constantFrom('o-1', 'o-2')),
  kind: mostly(fc.constantFrom('FTE', 'Intern')),
  verified: mostly(fc.boolean()),
};
const claimsArb = fc.record(
  Object.fromEntries([
    ...FIELDS.map((f) => [f, MOSTLY[f] ?? fieldValue]),
    ['a', fc.oneof(fc.constant(undefined), fc.record({ nums: fieldValue }))],
  ]),
) as fc.Arbitrary<Record<string, JsonValue | undefined>>;

/** Drops undefined entries (absent claims). */
function defined(o: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

describe('properties: evaluateFrom equals evaluate for random variants of a random base', () => {
  it('OIDC: a variant keeps some claims (the same values), replaces others, may change issuer and subject', () => {
    let allowed = 0;
    fc.assert(
      fc.property(
        claimsArb,
        claimsArb,
        fc.array(fc.boolean(), { minLength: FIELDS.length + 1, maxLength: FIELDS.length + 1 }),
        fc.constantFrom('same', 'issuer', 'indeterminate'),
        (baseClaims, other, keep, login) => {
          const base = oidc(defined(baseClaims));
          const mixed: Record<string, JsonValue | undefined> = {};
          for (const [i, f] of [...FIELDS, 'a'].entries()) mixed[f] = keep[i] ? baseClaims[f] : other[f];
          let variant: ClaimSet = { ...base, claims: defined(mixed) };
          if (login === 'issuer') variant = { ...variant, issuer: 'https://other.example.com' };
          if (login === 'indeterminate') variant = { ...variant, indeterminate: ['groups'] };
          const b = evaluationBase(oidcPlan, base);
          expectSame(oidcPlan, b, base);
          expectSame(oidcPlan, b, variant);
          if (evaluate(oidcPlan, variant).outcome === 'allow') allowed++;
        },
      ),
      { numRuns: 400 },
    );
    expect(allowed).toBeGreaterThan(100); // the rules were evaluated, not only refusals
  });

  const samlPlan = buildPlan({
    protocol: 'saml',
    claims: [
      claim('mail', scalar('email'), { source: ['mail'], required: true, normalize: ['lower'] }),
      claim('groups', setOf(scalar('string')), { source: ['groups'], normalize: ['lower'] }),
      claim('n', scalar('int'), { source: ['n'] }),
    ],
    roles: [
      grant('a', c.contains('groups', 'x')),
      deny('a', c.eq('n', 1)),
      grant('b', c.matches('all', 'groups', regex('^x'))),
    ],
    entitlements: [forEach('grant', ['e:', { group: 1 }], 'groups', regex('^(x.*)$')), deny('e:x', c.eq('n', 2))],
    profile: [profileField('d', e.call('domain', e.claim('mail')))],
  });
  const samlValues = fc.oneof(
    fc.constant(undefined),
    fc.array(fc.constantFrom('x', 'X', 'xy', 'y', '1', '2', 'a@b.c', 'A@B.C'), { maxLength: 3 }),
  );

  it('SAML: aliases and indeterminate attributes', () => {
    fc.assert(
      fc.property(
        fc.record({ mail: samlValues, groups: samlValues, n: samlValues, memberOf: samlValues }),
        fc.record({ mail: samlValues, groups: samlValues, n: samlValues, memberOf: samlValues }),
        fc.boolean(),
        fc.boolean(),
        (a, b, alias, indet) => {
          const base = saml(defined(a) as Record<string, string[]>);
          let variant: ClaimSet = { ...base, claims: { ...base.claims, ...defined(b) } };
          if (alias) variant = { ...variant, aliases: { groups: 'memberOf' } };
          if (indet) variant = { ...variant, indeterminate: ['n'] };
          const bs = evaluationBase(samlPlan, base);
          expectSame(samlPlan, bs, variant);
        },
      ),
      { numRuns: 300 },
    );
  });
});
