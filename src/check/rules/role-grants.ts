import type { CondNode, LiteralNode, RegexNode, RuleNode } from '../../syntax/ast.js';
import type { Rule } from '../rule.js';
import { defined, present } from '../../model/invariant.js';

const re = (r: RegexNode | null): string => (r === null ? '?' : `${JSON.stringify(r.source)}${r.flags}`);
const lit = (l: LiteralNode | null): string =>
  l === null ? '?' : l.kind === 'string' ? JSON.stringify(l.value) : String(l.value);

/** What a condition means, as text: spans left out (two rules that differ only in layout are duplicates). */
function condKey(c: CondNode | null): string {
  if (c === null) return '';
  switch (c.kind) {
    case 'and':
    case 'or':
      return `${c.kind}(${c.args.map(condKey).join(',')})`;
    case 'not':
      return `not(${condKey(c.arg)})`;
    case 'contains':
      return `${lit(c.value)} in ${c.claim.name}`;
    case 'test': {
      const q = c.quantifier?.value ?? '';
      const cmp = c.comparison;
      switch (cmp.op) {
        case 'truthy':
          return `${q} ${c.claim.name}`;
        case 'eq':
        case 'ne':
          return `${q} ${c.claim.name} ${cmp.op} ${lit(cmp.value)}`;
        case 'one_of':
          return `${q} ${c.claim.name} in [${cmp.values.map(lit).join(',')}]`;
        case 'matches':
          return `${q} ${c.claim.name} matches ${re(cmp.regex)}`;
        case 'starts_with':
        case 'ends_with':
          return `${q} ${c.claim.name} ${cmp.op} ${lit(cmp.value)}`;
      }
    }
  }
}

/** A rule's meaning as text (strings and regexes quoted, so no two rules share one): section, effect, target, `for each`, condition. */
function ruleKey(r: RuleNode): string {
  const f = r.forEach;
  const each = f ? `${f.claim.name} ${re(f.regex)}` : '';
  return `${r.section} ${r.effect} ${JSON.stringify(r.target?.value ?? null)} ${each} ${condKey(r.when)}`;
}

/**
 * A cheap, coarser stand-in for {@link ruleKey}: the `for each` regex and the value of the condition's first leaf
 * (leftmost operand), as written. Both are read off the same tree the meaning key spells out unambiguously, so rules
 * with equal meaning keys have equal bucket keys; only rules that share a bucket key need the full meaning key.
 */
function bucketKey(r: RuleNode): string {
  const re = r.forEach?.regex;
  let c = r.when;
  while (c !== null && (c.kind === 'and' || c.kind === 'or' || c.kind === 'not'))
    c = c.kind === 'not' ? c.arg : (c.args[0] ?? null);
  let leaf = '';
  if (c?.kind === 'contains') leaf = String(c.value.value);
  else if (c?.kind === 'test') {
    const cmp = c.comparison;
    if (cmp.op === 'matches') leaf = cmp.regex?.source ?? '';
    else if (cmp.op === 'one_of') leaf = String(cmp.values[0]?.value ?? '');
    else if (cmp.op !== 'truthy') leaf = String(cmp.value?.value ?? '');
    else leaf = c.claim.name;
  }
  return `${re?.source ?? ''}\u0000${leaf}`;
}

/** Rules by section, then by target. */
type Targets = Map<RuleNode['section'], Map<string, RuleNode[]>>;

/** Roles that are never granted, and grants that an unconditional deny makes unreachable. */
export const roleGrants: Rule = {
  name: 'role-grants',
  codes: [
    {
      code: 'role/never-granted',
      severity: 'warning',
      summary: 'A role is denied or marked privileged but no rule grants it.',
    },
    {
      code: 'rule/unreachable-grant',
      severity: 'warning',
      summary: 'A grant can never take effect because an unconditional deny removes the same role or entitlement.',
    },
    { code: 'rule/duplicate', severity: 'warning', summary: 'The same rule is written twice.' },
  ],
  check(m) {
    // section → target → rules (two levels: the target strings are looked up as they are, no key string built per rule).
    const grants: Targets = new Map();
    const denies: Targets = new Map();
    for (const r of m.rules) {
      if (!r.target) continue;
      const map = r.effect === 'grant' ? grants : denies;
      let bySection = map.get(r.section);
      if (bySection === undefined) {
        bySection = new Map();
        map.set(r.section, bySection);
      }
      const same = bySection.get(r.target.value);
      if (same) same.push(r);
      else bySection.set(r.target.value, [r]);
    }
    const reportDuplicates = (rules: RuleNode[]): void => {
      const seen = new Map<string, RuleNode>();
      for (const r of rules) {
        const text = ruleKey(r);
        const dup = seen.get(text);
        if (dup) {
          m.sink.warning('rule/duplicate', 'this rule repeats an earlier one', r.span, {
            related: [{ span: dup.span, message: 'the earlier rule' }],
          });
        } else seen.set(text, r);
      }
    };
    // Duplicates share section, effect and target, and a bucket key: only rules sharing all of them need a meaning key.
    for (const map of [grants, denies]) {
      for (const bySection of map.values()) {
        for (const group of bySection.values()) {
          if (group.length < 2) continue;
          const buckets = new Map<string, RuleNode[]>();
          for (const r of group) {
            const k = bucketKey(r);
            const same = buckets.get(k);
            if (same) same.push(r);
            else buckets.set(k, [r]);
          }
          for (const bucket of buckets.values()) if (bucket.length > 1) reportDuplicates(bucket);
        }
      }
    }
    const grantedRoles = grants.get('roles');
    const firstSeen = new Map<string, { start: number; end: number }>();
    for (const p of m.roles?.privileged ?? []) firstSeen.set(p.value, p.span);
    for (const [role, ds] of denies.get('roles') ?? [])
      if (!firstSeen.has(role)) firstSeen.set(role, present(defined(ds[0]).target).span);
    for (const [role, span] of firstSeen) {
      if (!grantedRoles?.has(role)) {
        m.sink.warning('role/never-granted', `no rule grants the role '${role}'`, span, {
          hint: 'add a grant, or remove the role from the mapping',
        });
      }
    }
    for (const [section, bySection] of denies) {
      for (const [target, ds] of bySection) {
        const always = ds.find((d) => !d.when && !d.forEach);
        if (!always) continue;
        for (const g of grants.get(section)?.get(target) ?? []) {
          m.sink.warning(
            'rule/unreachable-grant',
            `this grant never takes effect: '${present(g.target).value}' is always denied`,
            g.span,
            {
              related: [{ span: always.span, message: 'the unconditional deny' }],
              hint: 'give the deny a condition, or remove the grant',
            },
          );
        }
      }
    }
  },
};
