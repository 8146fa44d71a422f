import type { LiteralNode } from '../../syntax/ast.js';
import type { ClaimType, ScalarType } from '../../model/plan.js';
import { type ClaimTest, describeType, isCollection, isStringLike } from '../model.js';
import type { Rule } from '../rule.js';

/** Whether a literal can be compared with values of a scalar type. */
export function literalFits(lit: LiteralNode, t: ScalarType): boolean {
  if (lit.kind === 'string') return isStringLike(t);
  if (lit.kind === 'int') return t.kind === 'int';
  return t.kind === 'bool';
}

const litDesc = (l: LiteralNode): string =>
  l.kind === 'string' ? 'a string' : l.kind === 'int' ? 'a number' : 'a boolean';

/** Conditions compare claims with values of their type, with the right quantifier. */
export const conditionTypes: Rule = {
  name: 'condition-types',
  codes: [
    {
      code: 'type/mismatch',
      severity: 'error',
      summary:
        'A value is used where its type does not fit: a number compared with a string claim, `in` on a scalar, ' +
        '`+` on a list, ...',
    },
    {
      code: 'type/quantifier',
      severity: 'error',
      summary: 'A test on a set or list lacks `any`/`all`, or a scalar claim has one.',
    },
  ],
  check(m) {
    const err = (msg: string, span: { start: number; end: number }, hint?: string) =>
      m.sink.error('type/mismatch', msg, span, { hint });
    const checkTest = (c: ClaimTest['cond']): void => {
      const t: ClaimType | null = m.claims.get(c.claim.name)?.type ?? null;
      if (!t) return;
      const name = c.claim.name;
      if (c.kind === 'contains') {
        if (!isCollection(t)) {
          err(
            `'${name}' is ${describeType(t)}, not a set or list: 'in' tests membership`,
            c.claim.span,
            `write ${name} == ${c.value.kind === 'string' ? JSON.stringify(c.value.value) : String(c.value.value)}`,
          );
        } else if (!literalFits(c.value, t.element)) {
          err(`${litDesc(c.value)} can never be a member of '${name}' (${describeType(t)})`, c.value.span);
        }
        return;
      }
      const cmp = c.comparison;
      const coll = isCollection(t);
      const q = c.quantifier;
      const el: ScalarType | null = coll ? t.element : (t as ScalarType);
      switch (cmp.op) {
        case 'truthy':
          if (q)
            m.sink.error('type/quantifier', `'${q.value}' needs a test after the claim`, q.span, {
              hint: `e.g. ${q.value} ${name} matches /^...$/`,
            });
          else if (t.kind !== 'bool')
            err(
              `'${name}' is ${describeType(t)}: only a bool claim can stand alone as a condition`,
              c.claim.span,
              coll ? `test membership: "value" in ${name}` : `compare it: ${name} == "..."`,
            );
          return;
        case 'eq':
        case 'ne':
        case 'one_of': {
          if (coll) {
            err(`'${name}' is ${describeType(t)}: compare a member with "value" in ${name}`, c.claim.span);
            return;
          }
          if (q) m.sink.error('type/quantifier', `'${name}' is a single value: remove '${q.value}'`, q.span);
          const vals = cmp.op === 'one_of' ? cmp.values : cmp.value ? [cmp.value] : [];
          for (const v of vals)
            if (el && !literalFits(v, el)) err(`${litDesc(v)} can never equal '${name}' (${describeType(t)})`, v.span);
          return;
        }
        case 'matches':
        case 'starts_with':
        case 'ends_with':
          if (el && !isStringLike(el)) {
            err(`'${name}' holds ${el.kind} values: '${cmp.op}' applies to strings`, c.claim.span);
            return;
          }
          if (coll && !q)
            m.sink.error(
              'type/quantifier',
              `'${name}' is a ${t.kind}: say whether any or all of its values must match`,
              c.claim.span,
              { hint: `write any ${name} ${cmp.op} ...` },
            );
          if (!coll && q) m.sink.error('type/quantifier', `'${name}' is a single value: remove '${q.value}'`, q.span);
          return;
      }
    };
    for (const { cond } of m.tests) checkTest(cond);
    // for each: a set or list of strings
    for (const rule of m.rules) {
      if (!rule.forEach) continue;
      const t = m.claims.get(rule.forEach.claim.name)?.type ?? null;
      if (t && (!isCollection(t) || !isStringLike(t.element))) {
        err(
          `'for each' needs a set or list of strings, but '${rule.forEach.claim.name}' is ${describeType(t)}`,
          rule.forEach.claim.span,
        );
      }
    }
  },
};
