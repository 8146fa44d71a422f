/**
 * What `claimmap explain` reports, as data and as text: for each role the conditions that grant or deny it, and for
 * each privileged role every path that can grant it with each test exact or not. Pure (no I/O), so the CLI, the
 * playground and editor tooling share it.
 */
import {
  analyzeGrant,
  type ClaimFacts,
  type CondTree,
  fromAstCond,
  fromPlanCond,
  grantPaths,
  type InexactReason,
  planClaimFacts,
} from '../check/exact-path.js';
import type { CheckModel } from '../check/model.js';
import { claimFacts } from '../check/privileged-paths.js';
import type { LineCounter } from '../diagnostics/line-counter.js';
import { plural } from '../diagnostics/plural.js';
import type { Cond, Plan, RulePlan } from '../model/plan.js';
import type { CondNode, Span } from '../syntax/ast.js';
import { condClaims, formatClaim, formatCond, formatExpr } from './format-plan.js';

export interface RoleExplanation {
  role: string;
  privileged: boolean;
  grants: { rule: string; when: string | null; line: number; unsafe?: string }[];
  denies: { rule: string; when: string | null; alsoWhenUnknown: string[]; line: number }[];
  reads: string[];
}

/** For each role: the claim conditions that grant or deny it, and which claims it depends on. */
export function explainRoles(plan: Plan, only?: string): RoleExplanation[] {
  const roles = only ? [only] : plan.roles.declared;
  return roles.map((role) => {
    const rules = plan.roles.rules.filter((r) => r.target === role);
    const reads = [...new Set(rules.flatMap((r) => condClaims(r.when)))];
    const optional = (r: RulePlan) =>
      condClaims(r.when).filter((c) => !plan.claims.find((x) => x.name === c)?.required);
    return {
      role,
      privileged: plan.roles.privileged.includes(role),
      grants: rules
        .filter((r) => r.effect === 'grant')
        .map((r) => ({
          rule: r.id,
          when: r.when ? formatCond(r.when) : null,
          line: r.loc.line,
          ...(r.unsafe !== undefined ? { unsafe: r.unsafe } : {}),
        })),
      denies: rules
        .filter((r) => r.effect === 'deny')
        .map((r) => ({
          rule: r.id,
          when: r.when ? formatCond(r.when) : null,
          alsoWhenUnknown: optional(r),
          line: r.loc.line,
        })),
      reads,
    };
  });
}

/** One test on a grant path: exact, or inexact with its reason codes (`privileged/...`). */
interface PathLeafExplanation {
  test: string;
  negated: boolean;
  exact: boolean;
  /** On an exact path, an inexact test only narrows it. */
  narrows: boolean;
  reasons: string[];
}

export interface PrivilegedGrantExplanation {
  rule: string;
  line: number;
  text: string;
  /** Every path holds an exact positive test. */
  exact: boolean;
  /** The rule's `unsafe "<reason>"`, if any. */
  unsafe: string | null;
  paths: { exact: boolean; tests: PathLeafExplanation[]; reasons: string[] }[];
  /** Paths not listed (a condition with very many alternatives). */
  morePaths: number;
}

export interface PrivilegedRoleExplanation {
  role: string;
  grants: PrivilegedGrantExplanation[];
  /** Grants with an inexact path and no unsafe reason: each makes `explain --privileged` exit 1. */
  unaccepted: number;
}

const code = (r: InexactReason) => `privileged/${r}`;

/** What `explain --privileged` reads: a compiled plan, or a checked mapping whose only errors are `privileged/*`. */
export interface PrivilegedSource<L> {
  name: string;
  privileged: readonly string[];
  grants: {
    id: string;
    line: number;
    text: string;
    target: string;
    unsafe: string | undefined;
    tree: CondTree<L> | undefined;
  }[];
  claims: (name: string) => ClaimFacts | undefined;
  leafText: (leaf: L) => string;
}

export function planSource(plan: Plan): PrivilegedSource<Cond> {
  return {
    name: plan.name,
    privileged: plan.roles.privileged,
    grants: plan.roles.rules
      .filter((r) => r.effect === 'grant')
      .map((r) => ({
        id: r.id,
        line: r.loc.line,
        text: r.text,
        target: r.target,
        unsafe: r.unsafe,
        tree: r.when ? fromPlanCond(r.when) : undefined,
      })),
    claims: planClaimFacts(plan),
    leafText: formatCond,
  };
}

export function modelSource(m: CheckModel, text: string, lines: LineCounter): PrivilegedSource<CondNode> {
  const src = (span: Span) => text.slice(span.start, span.end).replace(/\s+/g, ' ').trim();
  return {
    name: m.ast.name?.value ?? '',
    privileged: [...new Set((m.roles?.privileged ?? []).map((p) => p.value))].sort(),
    grants: (m.roles?.rules ?? []).flatMap((r, i) =>
      r.effect === 'grant' && r.target
        ? [
            {
              id: `roles[${i}]`,
              line: lines.range(r.span.start, r.span.end).start.line,
              text: src(r.span),
              target: r.target.value,
              unsafe: r.unsafe?.value,
              tree: r.when ? fromAstCond(r.when) : undefined,
            },
          ]
        : [],
    ),
    claims: claimFacts(m),
    leafText: (c) => src(c.span),
  };
}

/**
 * For each privileged role: every path that can grant it, each test exact or inexact with its reason (the analysis
 * of src/check/exact-path.ts, the one the checker uses).
 */
export function explainPrivileged<L>(source: PrivilegedSource<L>, only?: string): PrivilegedRoleExplanation[] {
  const roles = only ? source.privileged.filter((r) => r === only) : source.privileged;
  return roles.map((role) => {
    const grants = source.grants
      .filter((r) => r.target === role)
      .map((r): PrivilegedGrantExplanation => {
        const a = analyzeGrant(r.tree, source.claims);
        const { paths, more } = grantPaths(r.tree, source.claims);
        return {
          rule: r.id,
          line: r.line,
          text: r.text,
          exact: a.exact,
          unsafe: r.unsafe !== undefined && r.unsafe.trim() !== '' ? r.unsafe : null,
          paths: paths.map((p) => ({
            exact: p.exact,
            reasons: p.leaves.length ? [] : ['privileged/unconditional-grant'],
            tests: p.leaves.map((l) => ({
              test: `${l.negated ? 'not ' : ''}${source.leafText(l.leaf)}`,
              negated: l.negated,
              exact: l.reasons.length === 0,
              narrows: p.exact && l.reasons.length > 0,
              reasons: l.reasons.map(code),
            })),
          })),
          morePaths: more,
        };
      });
    return { role, grants, unaccepted: grants.filter((g) => !g.exact && g.unsafe === null).length };
  });
}

export function privilegedText(name: string, roles: PrivilegedRoleExplanation[]): string {
  const out: string[] = [`${name}: privileged roles and every path that grants them`, ''];
  if (!roles.length) out.push('no privileged roles (declare them with: roles { privileged <role> })', '');
  for (const r of roles) {
    out.push(`${r.role}  (privileged)`);
    if (!r.grants.length) out.push('  never granted by this mapping');
    for (const g of r.grants) {
      const verdict = g.exact
        ? 'exact'
        : g.unsafe !== null
          ? `INEXACT, accepted: unsafe ${JSON.stringify(g.unsafe)}`
          : 'INEXACT';
      out.push(`  ${g.text}   [${g.rule}, line ${g.line}]: ${verdict}`);
      g.paths.forEach((p, i) => {
        out.push(
          `    path ${i + 1}: ` +
            `${p.exact ? 'exact' : 'inexact'}${p.reasons.length ? ` (${p.reasons.join(', ')}: no condition)` : ''}`,
        );
        for (const t of p.tests) {
          const mark = t.exact ? 'exact  ' : t.narrows ? 'narrows' : 'INEXACT';
          out.push(`      ${mark} ${t.test}${t.reasons.length ? `   ${t.reasons.join(', ')}` : ''}`);
        }
      });
      if (g.morePaths) out.push(`    ... and ${plural(g.morePaths, 'more path')}`);
    }
    out.push('');
  }
  const unaccepted = roles.reduce((n, r) => n + r.unaccepted, 0);
  out.push(
    unaccepted
      ? `${plural(unaccepted, 'grant')} of a privileged role ` +
          `${unaccepted === 1 ? 'has' : 'have'} an inexact path not marked unsafe`
      : 'every path to a privileged role is exact or marked unsafe',
  );
  return `${out.join('\n')}\n`;
}

/** The text `claimmap explain` prints: the IdP, key, gates, each role (and with `full`, the rest of the plan). */
export function explainText(plan: Plan, roles: RoleExplanation[], full: boolean): string {
  const out: string[] = [];
  out.push(
    `${plan.name}${plan.version ? ` version ${plan.version}` : ''}: ${plan.idp.protocol.toUpperCase()} from ` +
      `${plan.idp.issuer}${plan.idp.aliases.length ? ` (also accepted as ${plan.idp.aliases.join(', ')}; keys use the first)` : ''}`,
  );
  const k = plan.key;
  out.push(
    `key: (issuer, ` +
      `${k.kind === 'nameid' ? `${k.format} NameID` : k.kind === 'sub' ? 'sub' : k.claims.join(' + ')})${k.unsafe ? `  UNSAFE: ${k.unsafe}` : ''}`,
  );
  for (const g of plan.require) {
    const optional = condClaims(g.when).filter((c) => !plan.claims.find((x) => x.name === c)?.required);
    out.push(
      `require: ${formatCond(g.when)}   [${g.id}, line ${g.loc.line}]  (refused unless ` +
        `true${optional.length ? `; refused when ${optional.join(' or ')} is absent or malformed` : ''})`,
    );
  }
  out.push(
    `roles ${plan.roles.mode}: ` +
      `${plan.roles.mode === 'replace' ? 'mapping-owned roles are recomputed at every login; manual grants are kept' : 'roles are only ever added'}`,
  );
  out.push('');
  for (const r of roles) {
    out.push(`${r.role}${r.privileged ? '  (privileged)' : ''}`);
    if (!r.grants.length) out.push('  never granted by this mapping');
    for (const g of r.grants)
      out.push(
        `  granted ${g.when ? `when ${g.when}` : 'to everyone who logs in'}   [${g.rule}, line ` +
          `${g.line}]${g.unsafe !== undefined ? `  UNSAFE: ${g.unsafe}` : ''}`,
      );
    for (const d of r.denies) {
      const unk = d.alsoWhenUnknown.length
        ? ` (also when ${d.alsoWhenUnknown.join(' or ')} is absent or malformed)`
        : '';
      out.push(`  denied  ${d.when ? `when ${d.when}${unk}` : 'always'}   [${d.rule}, line ${d.line}]`);
    }
    if (r.grants.length && r.denies.length) out.push('  a deny beats any grant');
    if (r.reads.length) out.push(`  reads: ${r.reads.join(', ')}`);
    out.push('');
  }
  if (full) {
    if (plan.entitlements.rules.length) {
      out.push(`entitlements ${plan.entitlements.mode}:`);
      for (const e of plan.entitlements.rules) {
        const each = e.forEach
          ? ` for each ${e.forEach.claim} matching /${e.forEach.regex.source}/${e.forEach.regex.flags}`
          : '';
        out.push(
          `  ${e.effect} ${JSON.stringify(e.target)}${each}${e.when ? ` when ${formatCond(e.when)}` : ''}   [${e.id}]`,
        );
      }
      out.push('');
    }
    out.push('claims:');
    for (const c of plan.claims) out.push(`  ${formatClaim(c)}`);
    out.push('profile:');
    for (const p of plan.profile)
      out.push(`  ${p.name} = ${formatExpr(p.expr)}  sync ${p.sync}${p.clear ? ' clear' : ''}`);
    out.push(
      `accounts: on email_conflict ${plan.accounts.emailConflict}; unique ` +
        `${plan.accounts.unique.join(', ') || '(none)'}`,
    );
    const l = plan.lifecycle;
    out.push(
      `lifecycle: offboarding ` +
        `${l.offboarding.kind}${l.offboarding.runbook ? ` (runbook ${l.offboarding.runbook})` : ''}; dormant ` +
        `after ${l.dormantAfterDays ?? '(never)'} days; reactivate ${l.reactivate ? 'allow' : 'refuse'}`,
    );
  }
  for (const u of plan.unsafe) out.push(`UNSAFE ${u.code} (line ${u.loc.line}): ${u.reason}`);
  return `${out.join('\n').trimEnd()}\n`;
}
