import { canonicalJson } from '../../compile/digest.js';
import type { RuleNode } from '../../syntax/ast.js';
import type { Rule } from '../rule.js';

/** Where a node was written is not what it means: two rules that differ only there are duplicates. */
const POSITION_KEYS: ReadonlySet<string> = new Set(['span']);

/** Roles that are never granted, and grants that an unconditional deny makes unreachable. */
export const roleGrants: Rule = {
  name: 'role-grants',
  codes: [
    { code: 'role/never-granted', severity: 'warning', summary: 'A role is denied or marked privileged but no rule grants it.' },
    { code: 'rule/unreachable-grant', severity: 'warning', summary: 'A grant can never take effect because an unconditional deny removes the same role or entitlement.' },
    { code: 'rule/duplicate', severity: 'warning', summary: 'The same rule is written twice.' },
  ],
  check(m) {
    const grants = new Map<string, RuleNode[]>();
    const denies = new Map<string, RuleNode[]>();
    const texts = new Map<string, RuleNode>();
    for (const r of m.rules) {
      if (!r.target) continue;
      const k = `${r.section}:${r.target.value}`;
      const map = r.effect === 'grant' ? grants : denies;
      const same = map.get(k);
      if (same) same.push(r);
      else map.set(k, [r]);
      const text = canonicalJson([r.section, r.effect, r.target.value, r.when, r.forEach], POSITION_KEYS);
      const dup = texts.get(text);
      if (dup) {
        m.sink.warning('rule/duplicate', 'this rule repeats an earlier one', r.span, { related: [{ span: dup.span, message: 'the earlier rule' }] });
      } else texts.set(text, r);
    }
    const firstSeen = new Map<string, { start: number; end: number }>();
    for (const p of m.roles?.privileged ?? []) firstSeen.set(`roles:${p.value}`, p.span);
    for (const [k, ds] of denies) if (!firstSeen.has(k) && k.startsWith('roles:')) firstSeen.set(k, ds[0]!.target!.span);
    for (const [k, span] of firstSeen) {
      if (!grants.has(k)) {
        m.sink.warning('role/never-granted', `no rule grants the role '${k.slice(6)}'`, span, {
          hint: 'add a grant, or remove the role from the mapping',
        });
      }
    }
    for (const [k, ds] of denies) {
      const always = ds.find((d) => !d.when && !d.forEach);
      if (!always) continue;
      for (const g of grants.get(k) ?? []) {
        m.sink.warning('rule/unreachable-grant', `this grant never takes effect: '${g.target!.value}' is always denied`, g.span, {
          related: [{ span: always.span, message: 'the unconditional deny' }],
          hint: 'give the deny a condition, or remove the grant',
        });
      }
    }
  },
};
