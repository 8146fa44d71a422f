/**
 * `absent empty` on a claim declaration: an absent set or list claim reads as the empty set instead of unknown.
 * The declaration is narrowed here (only `empty`, only on an optional set or list), and every rule whose outcome it
 * changes is reported, so the choice is explicit and reviewed.
 *
 * How a change is found: each condition is evaluated abstractly over pairs (value with the claim absent, value with
 * the claim empty), in the same Kleene logic as evaluation. A test on the claim is the one pair (unknown, its value
 * on the empty set); any other test is free, the three pairs (false, false), (unknown, unknown), (true, true);
 * `and`, `or` and `not` combine every pair of their operands. The result over-approximates the pairs the rule can
 * reach (a test repeated in a condition is taken as two independent tests), so no change is missed. The value of
 * each test on the empty set is computed by the evaluator itself (`compileCond` on a present `[]`), so the report
 * always agrees with what `evaluate()` does (`x in groups` and `any` are false on the empty set, `all` is whatever
 * the evaluator makes it).
 *
 * Since Kleene logic is monotone, reading unknown as a definite value can only loosen: a grant that was unknown
 * (not granted) may become true, a deny or a `require` that was unknown (fired, refused) may become false/true.
 * Reported: every deny (roles and entitlements; a `for each` deny over the claim removed every entitlement of its
 * shape when the claim was absent, and removes none over the empty set), every `require`, and every grant of a
 * privileged role whose outcome can change.
 */
import type { Cond, Literal } from '../../model/plan.js';
import { compileCond, F, T, U, type Tri } from '../../evaluate/conditions.js';
import type * as A from '../../syntax/ast.js';
import { isCollection, walkCond } from '../model.js';
import type { Rule } from '../rule.js';

const EMPTY_SET = [{ state: 'present' as const, value: [] }];

/** A plan condition equivalent to the test `c` on the empty set (the element test itself never runs there). */
function leafPlan(c: Extract<A.CondNode, { kind: 'contains' | 'test' }>): Cond | null {
  const claim = c.claim.name;
  if (c.kind === 'contains') return { op: 'contains', claim, value: c.value.value };
  const cmp = c.comparison;
  switch (cmp.op) {
    case 'truthy':
      return { op: 'truthy', claim };
    case 'eq':
    case 'ne':
      return cmp.value ? { op: cmp.op, claim, value: cmp.value.value } : null;
    case 'one_of':
      return { op: 'one_of', claim, values: cmp.values.map((v): Literal => v.value) };
    default:
      return { op: 'starts_with', quantifier: c.quantifier?.value ?? 'one', claim, value: '' };
  }
}

/** The truth value the evaluator gives a test on the empty set (unknown when the test is incomplete). */
export function emptySetTruth(c: Extract<A.CondNode, { kind: 'contains' | 'test' }>): Tri {
  const plan = leafPlan(c);
  return plan ? compileCond(plan, () => 0, 'absent-empty', new Set())(EMPTY_SET) : U;
}

/** A set of (absent, empty) pairs as a 9-bit mask: bit 3·absent + empty. */
type Pairs = number;
const pair = (a: Tri, e: Tri): Pairs => 1 << (a * 3 + e);
const FREE: Pairs = pair(F, F) | pair(U, U) | pair(T, T);

function eachPair(p: Pairs, f: (a: Tri, e: Tri) => void): void {
  for (let a = 0; a < 3; a++) for (let e = 0; e < 3; e++) if (p & (1 << (a * 3 + e))) f(a as Tri, e as Tri);
}

function combine(x: Pairs, y: Pairs, op: (a: Tri, b: Tri) => Tri): Pairs {
  let out = 0;
  eachPair(x, (a1, e1) =>
    eachPair(y, (a2, e2) => {
      out |= pair(op(a1, a2), op(e1, e2));
    }),
  );
  return out;
}

const and = (a: Tri, b: Tri): Tri => (a < b ? a : b);
const or = (a: Tri, b: Tri): Tri => (a > b ? a : b);

/** The (absent, empty) pairs a condition can take when `claim` is absent and every other test is free. */
export function absentEmptyPairs(c: A.CondNode | null, claim: string): Pairs {
  if (!c) return pair(T, T);
  switch (c.kind) {
    case 'and':
    case 'or':
      return c.args.reduce<Pairs>(
        (acc, x) => combine(acc, absentEmptyPairs(x, claim), c.kind === 'and' ? and : or),
        pair(c.kind === 'and' ? T : F, c.kind === 'and' ? T : F),
      );
    case 'not': {
      let out = 0;
      eachPair(absentEmptyPairs(c.arg, claim), (a, e) => {
        out |= pair((2 - a) as Tri, (2 - e) as Tri);
      });
      return out;
    }
    default:
      return c.claim.name === claim ? pair(U, emptySetTruth(c)) : FREE;
  }
}

/** Whether some pair satisfies `p`. */
function some(pairs: Pairs, p: (a: Tri, e: Tri) => boolean): boolean {
  let hit = false;
  eachPair(pairs, (a, e) => {
    hit ||= p(a, e);
  });
  return hit;
}

/** The first reference to `claim` in a rule (its for-each claim, else the first test on it). */
function firstRef(r: A.RuleNode, claim: string): A.NameNode | null {
  if (r.forEach?.claim.name === claim) return r.forEach.claim;
  let found: A.NameNode | null = null;
  walkCond(r.when, (c) => {
    if (!found && (c.kind === 'contains' || c.kind === 'test') && c.claim.name === claim) found = c.claim;
  });
  return found;
}

/** What `absent empty` changes in rule `r`, as a message, or null. */
function change(r: A.RuleNode, claim: string, privileged: ReadonlySet<string>): string | null {
  const pairs = absentEmptyPairs(r.when, claim);
  if (r.effect === 'require') {
    return some(pairs, (a, e) => a !== T && e === T)
      ? `this requirement refused a login without '${claim}'; read as empty, it can let it in`
      : null;
  }
  if (r.effect === 'deny') {
    if (r.forEach?.claim.name === claim) {
      return some(pairs, (a) => a !== F)
        ? `this deny removed every entitlement of its shape when '${claim}' was absent; read as empty, it removes none`
        : null;
    }
    return some(pairs, (a, e) => a !== F && e === F)
      ? `this deny fired when '${claim}' was absent (unknown); read as empty, it can stay silent`
      : null;
  }
  if (r.section !== 'roles' || !r.target || !privileged.has(r.target.value)) return null;
  return some(pairs, (a, e) => a !== T && e === T)
    ? `this grant of the privileged role '${r.target.value}' was not made when '${claim}' was absent (unknown); ` +
        `read as empty, it can be`
    : null;
}

export const absentEmpty: Rule = {
  name: 'absent-empty',
  codes: [
    {
      code: 'absent/unknown-value',
      severity: 'error',
      summary: 'The word after `absent` is not `empty` (the only reading of an absent claim that can be declared).',
    },
    {
      code: 'absent/not-collection',
      severity: 'error',
      summary: '`absent empty` on a claim that is not a set or list: only a multi-valued claim has an empty value.',
    },
    {
      code: 'absent/required',
      severity: 'error',
      summary:
        '`absent empty` on a required claim: a required claim that is absent refuses the login, so it never ' +
        'reads as empty.',
    },
    {
      code: 'absent/changes-outcome',
      severity: 'warning',
      summary:
        'A deny, a `require` or a grant of a privileged role whose outcome `absent empty` changes: it fired (or ' +
        'did not grant) on an absent claim, and can now go the other way.',
    },
  ],
  check(m) {
    const privileged = new Set((m.roles?.privileged ?? []).map((p) => p.value));
    for (const { decl, type } of m.claims.values()) {
      const ab = decl.absent;
      if (!ab) continue;
      if (ab.value && ab.value.name !== 'empty') {
        m.sink.error(
          'absent/unknown-value',
          `an absent claim can only be declared to read as empty, not '${ab.value.name}'`,
          ab.value.span,
          { hint: 'absent empty' },
        );
        continue;
      }
      if (!ab.value) continue;
      if (type && !isCollection(type)) {
        m.sink.error(
          'absent/not-collection',
          `'${decl.name.name}' is not a set or list: it has no empty value`,
          ab.span,
          {
            hint: 'remove absent empty; an absent scalar claim stays unknown (a deny fires, a grant does not)',
          },
        );
        continue;
      }
      if (decl.presence?.value === 'required') {
        m.sink.error(
          'absent/required',
          `'${decl.name.name}' is required: an absent value refuses the login, so absent empty never applies`,
          ab.span,
          {
            hint: 'declare it optional absent empty, or remove absent empty',
          },
        );
        continue;
      }
      if (!type) continue;
      const claim = decl.name.name;
      for (const r of m.rules) {
        const ref = firstRef(r, claim);
        if (!ref) continue;
        const what = change(r, claim, privileged);
        if (!what) continue;
        m.sink.warning('absent/changes-outcome', what, ref.span, {
          hint: `review it: with absent empty, a token without '${claim}' is read as having none`,
          related: [{ span: ab.span, message: `'${claim}' is declared absent empty here` }],
        });
      }
    }
  },
};
