/** Shared fast-check generators of random plans and claims for the evaluate tests. */
import fc from 'fast-check';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { Cond, Plan, RulePlan } from '../../src/model/plan.js';
import { c, claim, deny, e, forEach, grant, listOf, plan, profileField, regex, scalar, setOf } from './plan-builder.js';

export const CLAIMS = [
  claim('g', setOf(scalar('string'))),
  claim('l', listOf(scalar('string'))),
  claim('d', scalar('string')),
  claim('k', scalar('enum', ['FTE', 'Intern'])),
  claim('n', scalar('int')),
  claim('b', scalar('bool')),
];
export const WORDS = ['a', 'ab', 'b', 'x-1', 'X-1', '__proto__', 'constructor', ''];
const plainWord = fc.constantFrom(...WORDS.filter((w) => w !== ''));
const stringClaim = fc.constantFrom('g', 'l', 'd');

/** Random conditions over the claims of CLAIMS, with literals drawn from `word`. */
export function condArb(word: fc.Arbitrary<string> = plainWord): fc.Arbitrary<Cond> {
  const leaf: fc.Arbitrary<Cond> = fc.oneof(
    fc.tuple(fc.constantFrom('g', 'l'), word).map(([k, w]) => c.contains(k, w)),
    fc.tuple(fc.constantFrom('d', 'k'), fc.array(word, { maxLength: 3 })).map(([k, ws]) => c.oneOf(k, ws)),
    fc
      .tuple(
        fc.constantFrom('eq', 'ne'),
        fc.constantFrom('d', 'k', 'n', 'b'),
        fc.oneof(word, fc.integer(), fc.boolean()),
      )
      .map(([op, k, v]) => (op === 'eq' ? c.eq(k, v) : c.ne(k, v))),
    fc.constant(c.truthy('b')),
    fc
      .tuple(fc.constantFrom('one', 'any', 'all') as fc.Arbitrary<'one' | 'any' | 'all'>, stringClaim, word)
      .chain(([q, k, w]) =>
        fc.constantFrom(c.startsWith(q, k, w.slice(0, 1)), c.endsWith(q, k, w.slice(-1)), c.matches(q, k, regex('^x'))),
      ),
  );
  return fc.letrec<{ cond: Cond }>((tie) => ({
    cond: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('cond'), { minLength: 0, maxLength: 3 }).map((as) => c.and(...as)),
      fc.array(tie('cond'), { minLength: 0, maxLength: 3 }).map((as) => c.or(...as)),
      tie('cond').map((a) => c.not(a)),
    ),
  })).cond;
}

const TARGETS = ['r1', 'r2', '__proto__', 'constructor', 'toString', 'Z'];
const ruleArb = (
  prefix: string,
  cond: fc.Arbitrary<Cond>,
): fc.Arbitrary<{ effect: 'grant' | 'deny'; target: string; when?: Cond }> =>
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

/** Random plans: roles and fixed entitlements with colliding targets, optionally a `for each` rule. */
export function planArb(word: fc.Arbitrary<string> = plainWord): fc.Arbitrary<Plan> {
  const cond = condArb(word);
  return fc
    .record({
      roles: fc.array(ruleArb('', cond), { maxLength: 8 }),
      ents: fc.array(ruleArb('e:', cond), { maxLength: 8 }),
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
}

const anyValue: fc.Arbitrary<JsonValue | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant({} as JsonValue),
  fc.integer({ min: -2, max: 3 }),
);
/** Random claims for CLAIMS (mostly well typed), string values drawn from `words`. */
export function claimsArb(words: readonly string[] = WORDS): fc.Arbitrary<Record<string, JsonValue | undefined>> {
  return fc.record({
    g: fc.oneof({ arbitrary: fc.array(fc.constantFrom(...words), { maxLength: 6 }), weight: 4 }, anyValue),
    l: fc.oneof({ arbitrary: fc.array(fc.constantFrom(...words), { maxLength: 4 }), weight: 3 }, anyValue),
    d: fc.oneof({ arbitrary: fc.constantFrom(...words), weight: 3 }, anyValue),
    k: fc.oneof({ arbitrary: fc.constantFrom('FTE', 'Intern', 'other'), weight: 3 }, anyValue),
    n: fc.oneof({ arbitrary: fc.integer({ min: -2, max: 3 }), weight: 3 }, anyValue, fc.constant(1.5)),
    b: fc.oneof({ arbitrary: fc.boolean(), weight: 3 }, anyValue),
  });
}
