/**
 * Differential properties of the evaluation without a trace (the login hot path) against references built from the
 * trace of the same evaluation: random plans (random Kleene conditions over every claim type, roles and fixed
 * entitlements with colliding targets, `__proto__`-like names) and random claims. The trace path composes
 * entitlements through the EntitlementSet; the hot path composes fixed entitlements from a per-plan table, shares
 * frozen provenance lists and builds the decision once: both must give the same decision, and the same decision as
 * a plain reading of the language's rules applied to the trace's per-rule results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { Cond, Plan, RulePlan } from '../../src/model/plan.js';
import type { Decision, TraceEntry } from '../../src/evaluate/decision.js';
import { evaluate } from '../../src/evaluate/index.js';
import {
  c,
  claim,
  deny,
  e,
  forEach,
  grant,
  listOf,
  oidc,
  plan,
  profileField,
  regex,
  scalar,
  setOf,
} from './plan-builder.js';

const CLAIMS = [
  claim('g', setOf(scalar('string'))),
  claim('l', listOf(scalar('string'))),
  claim('d', scalar('string')),
  claim('k', scalar('enum', ['FTE', 'Intern'])),
  claim('n', scalar('int')),
  claim('b', scalar('bool')),
];
const WORDS = ['a', 'ab', 'b', 'x-1', 'X-1', '__proto__', 'constructor', ''];
const word = fc.constantFrom(...WORDS.filter((w) => w !== ''));
const stringClaim = fc.constantFrom('g', 'l', 'd');

const leaf: fc.Arbitrary<Cond> = fc.oneof(
  fc.tuple(fc.constantFrom('g', 'l'), word).map(([k, w]) => c.contains(k, w)),
  fc.tuple(fc.constantFrom('d', 'k'), fc.array(word, { maxLength: 3 })).map(([k, ws]) => c.oneOf(k, ws)),
  fc
    .tuple(fc.constantFrom('eq', 'ne'), fc.constantFrom('d', 'k', 'n', 'b'), fc.oneof(word, fc.integer(), fc.boolean()))
    .map(([op, k, v]) => (op === 'eq' ? c.eq(k, v) : c.ne(k, v))),
  fc.constant(c.truthy('b')),
  fc
    .tuple(fc.constantFrom('one', 'any', 'all') as fc.Arbitrary<'one' | 'any' | 'all'>, stringClaim, word)
    .chain(([q, k, w]) =>
      fc.constantFrom(c.startsWith(q, k, w.slice(0, 1)), c.endsWith(q, k, w.slice(-1)), c.matches(q, k, regex('^x'))),
    ),
);
const cond: fc.Arbitrary<Cond> = fc.letrec<{ cond: Cond }>((tie) => ({
  cond: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('cond'), { minLength: 0, maxLength: 3 }).map((as) => c.and(...as)),
    fc.array(tie('cond'), { minLength: 0, maxLength: 3 }).map((as) => c.or(...as)),
    tie('cond').map((a) => c.not(a)),
  ),
})).cond;

const TARGETS = ['r1', 'r2', '__proto__', 'constructor', 'toString', 'Z'];
const ruleArb = (prefix: string): fc.Arbitrary<{ effect: 'grant' | 'deny'; target: string; when?: Cond }> =>
  fc.record(
    {
      effect: fc.constantFrom('grant', 'grant', 'deny') as fc.Arbitrary<'grant' | 'deny'>,
      target: fc.constantFrom(...TARGETS.map((t) => `${prefix}${t}`)),
      when: cond,
    },
    { requiredKeys: ['effect', 'target'] },
  );

function rules(specs: { effect: 'grant' | 'deny'; target: string; when?: Cond }[], section: string): RulePlan[] {
  return specs.map((s, i) => (s.effect === 'grant' ? grant : deny)(s.target, s.when, `${section}[${i}]`));
}

const planArb: fc.Arbitrary<Plan> = fc
  .record({
    roles: fc.array(ruleArb(''), { maxLength: 8 }),
    ents: fc.array(ruleArb('e:'), { maxLength: 8 }),
    declared: fc.subarray(['r1', 'unused', '__proto__']),
    forEach: fc.boolean(),
  })
  .map((s) => {
    const entitlements = rules(s.ents, 'entitlements');
    if (s.forEach) {
      entitlements.push(forEach('grant', ['e:', { group: 1 }], 'g', regex('^(x.*)$'), undefined, 'entitlements[fe]'));
    }
    const roles = rules(s.roles, 'roles');
    return plan({
      claims: CLAIMS,
      roles,
      declared: [...new Set([...s.declared, ...roles.map((r) => r.target)])].sort(),
      entitlements,
      profile: [profileField('__proto__', e.claim('d')), profileField('kind', e.claim('k'))],
    });
  });

const anyValue: fc.Arbitrary<JsonValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant({} as JsonValue),
  fc.integer({ min: -2, max: 3 }),
);
const claimsArb = fc.record({
  g: fc.oneof({ arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }), weight: 4 }, anyValue),
  l: fc.oneof({ arbitrary: fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }), weight: 3 }, anyValue),
  d: fc.oneof({ arbitrary: fc.constantFrom(...WORDS), weight: 3 }, anyValue),
  k: fc.oneof({ arbitrary: fc.constantFrom('FTE', 'Intern', 'other'), weight: 3 }, anyValue),
  n: fc.oneof({ arbitrary: fc.integer({ min: -2, max: 3 }), weight: 3 }, anyValue, fc.constant(1.5)),
  b: fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, anyValue),
});

function present(o: Record<string, JsonValue | undefined>): Record<string, JsonValue> {
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

type Composed = Pick<Decision, 'roles' | 'entitlements' | 'grantedBy' | 'denied'>;

/**
 * The language's composition rules applied to the traced per-rule results, written plainly: a name with a deny
 * that is not false is blocked (or removed), every such deny is listed (roles by name then rule order, then
 * entitlement denies in rule order); a name is granted by its true grants (their ids in rule order).
 */
function composeFromTrace(p: Plan, trace: readonly TraceEntry[]): Composed {
  const denied: Decision['denied'] = [];
  const section = (kind: 'roles' | 'entitlements') => trace.filter((t) => t.section === kind);
  const roleEntries = section('roles');
  const roles: string[] = [];
  const byRole = Object.create(null) as Record<string, string[]>;
  for (const name of [...new Set([...p.roles.declared, ...roleEntries.map((t) => t.target)])].sort()) {
    const denies = roleEntries.filter((t) => t.target === name && t.effect === 'deny' && t.result !== 'false');
    for (const t of denies) denied.push({ kind: 'role', name, rule: t.rule, result: t.result });
    const ids = roleEntries.filter((t) => t.target === name && t.effect === 'grant' && t.result === 'true');
    if (denies.length === 0 && ids.length > 0) {
      roles.push(name);
      byRole[name] = ids.map((t) => t.rule);
    }
  }
  const entEntries = section('entitlements');
  const removed = new Set<string>();
  for (const t of entEntries) {
    if (t.effect !== 'deny') continue;
    for (const name of t.produced ?? (t.result !== 'false' ? [t.target] : [])) {
      denied.push({ kind: 'entitlement', name, rule: t.rule, result: t.result });
      removed.add(name);
    }
  }
  const byEnt = Object.create(null) as Record<string, string[]>;
  for (const t of entEntries) {
    if (t.effect !== 'grant') continue;
    for (const name of t.produced ?? (t.result === 'true' ? [t.target] : [])) {
      if (removed.has(name)) continue;
      const ids = byEnt[name] ?? [];
      if (ids[ids.length - 1] !== t.rule) ids.push(t.rule);
      byEnt[name] = ids;
    }
  }
  const entitlements = Object.keys(byEnt).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { roles, entitlements, grantedBy: { roles: byRole, entitlements: byEnt }, denied };
}

const json = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('properties: the hot path (no trace) against the trace', () => {
  it('random plans and claims: the same decision as with a trace, and as the rules applied to the trace', () => {
    let allowed = 0;
    let granted = 0;
    fc.assert(
      fc.property(planArb, claimsArb, (p, claims) => {
        const cs = oidc({ sub: 's', ...present(claims) });
        const fast = evaluate(p, cs);
        const traced = evaluate(p, cs, { trace: true });
        const { trace, ...rest } = traced;
        expect(json(fast)).toEqual(json(rest));
        expect(Object.keys(fast)).toEqual(Object.keys(rest));
        if (fast.outcome !== 'allow') return;
        allowed++;
        if (fast.roles.length + fast.entitlements.length > 0) granted++;
        const { roles, entitlements, grantedBy, denied } = fast;
        expect(json({ roles, entitlements, grantedBy, denied })).toEqual(json(composeFromTrace(p, trace ?? [])));
        // Provenance records stay null-prototype: a `__proto__` name is an own key, nothing inherited shows.
        expect(Object.getPrototypeOf(fast.grantedBy.roles)).toBeNull();
        expect(Object.getPrototypeOf(fast.grantedBy.entitlements)).toBeNull();
        expect(Object.getPrototypeOf(fast.profile)).toBeNull();
      }),
      { numRuns: 600 },
    );
    expect(allowed).toBeGreaterThan(400);
    expect(granted).toBeGreaterThan(200);
  });
});
