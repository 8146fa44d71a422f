import { check } from '../../check/check.js';
import {
  analyzeGrant,
  type ClaimFacts,
  type CondTree,
  fromAstCond,
  fromPlanCond,
  grantPaths,
  type InexactReason,
  planClaimFacts,
} from '../../check/exact-path.js';
import type { CheckModel } from '../../check/model.js';
import { claimFacts } from '../../check/privileged-paths.js';
import { compile } from '../../compile/compile.js';
import { explainRoles, type RoleExplanation } from '../../compile/explain.js';
import { condClaims, formatClaim, formatCond, formatExpr } from '../../compile/format-plan.js';
import type { Cond, Plan } from '../../model/plan.js';
import type { LineCounter } from '../../diagnostics/line-counter.js';
import { DiagnosticSink } from '../../diagnostics/make.js';
import { renderTextReport } from '../../diagnostics/render.js';
import type { CondNode, Span } from '../../syntax/ast.js';
import { parse } from '../../syntax/parse.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { loadMapping, readInput, Reported } from '../load.js';
import { plural } from '../../diagnostics/plural.js';
import { defined, present } from '../../model/invariant.js';

/** One test on a grant path: exact, or inexact with its reason codes (`privileged/...`). */
interface PathLeafExplanation {
  test: string;
  negated: boolean;
  exact: boolean;
  /** On an exact path, an inexact test only narrows it. */
  narrows: boolean;
  reasons: string[];
}

interface PrivilegedGrantExplanation {
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

interface PrivilegedRoleExplanation {
  role: string;
  grants: PrivilegedGrantExplanation[];
  /** Grants with an inexact path and no unsafe reason: each makes `explain --privileged` exit 1. */
  unaccepted: number;
}

const code = (r: InexactReason) => `privileged/${r}`;

/** What `explain --privileged` reads: a compiled plan, or a checked mapping whose only errors are `privileged/*`. */
interface PrivilegedSource<L> {
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

function planSource(plan: Plan): PrivilegedSource<Cond> {
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

function modelSource(m: CheckModel, text: string, lines: LineCounter): PrivilegedSource<CondNode> {
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
function explainPrivileged<L>(source: PrivilegedSource<L>, only?: string): PrivilegedRoleExplanation[] {
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

function privilegedText(name: string, roles: PrivilegedRoleExplanation[]): string {
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

function text(plan: Plan, roles: RoleExplanation[], full: boolean): string {
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

/**
 * `explain --privileged`: a plan (`.json`) is explained as it is; a mapping is compiled, and when its only errors
 * are `privileged/*` (the inexact paths this command lists) it is explained from the checked mapping.
 */
function privilegedCommand(path: string, role: string | undefined, format: 'text' | 'json', io: CliIO): number {
  let source: PrivilegedSource<Cond> | PrivilegedSource<CondNode>;
  if (path.endsWith('.json')) source = planSource(loadMapping(path, io));
  else {
    const bytes = readInput(path, io);
    const { plan, diagnostics } = compile(bytes, { filename: path });
    const blocking = diagnostics.filter((d) => d.severity === 'error' && !d.code.startsWith('privileged/'));
    if (plan) source = planSource(plan);
    else if (blocking.length) {
      io.stderr(renderTextReport(blocking, { sources: new Map([[path, bytes.toString('utf8')]]) }));
      return 1;
    } else {
      const text = bytes.toString('utf8');
      const parsed = parse(text, { filename: path });
      const sink = new DiagnosticSink(path, parsed.lines);
      source = modelSource(check(present(parsed.value), sink), text, parsed.lines);
    }
  }
  if (role !== undefined && !source.privileged.includes(role)) {
    io.stderr(
      `claimmap explain: the role '${role}' is not privileged (privileged roles: ` +
        `${source.privileged.join(', ') || 'none'})\n`,
    );
    return 1;
  }
  const priv = explainPrivileged<unknown>(source as PrivilegedSource<unknown>, role);
  const unaccepted = priv.reduce((n, r) => n + r.unaccepted, 0);
  io.stdout(
    format === 'json'
      ? `${JSON.stringify({ mapping: source.name, privileged: priv, unaccepted }, null, 2)}\n`
      : privilegedText(source.name, priv),
  );
  return unaccepted ? 1 : 0;
}

export const command: Command = {
  name: 'explain',
  summary: 'explain, role by role, which claim conditions grant or deny it',
  help: `Usage: claimmap explain MAPPING [--role ROLE] [--privileged] [--format text|json]

For each role: the conditions that grant it, the conditions that deny it (a deny also fires
when an optional claim it reads is absent or malformed: fail closed), and the claims it reads.
Without --role, also lists entitlements, claims, profile, accounts and lifecycle.

--privileged  for each privileged role (or only --role), every path that can grant it, each
              test marked exact or inexact with its reason code (privileged/...), and the
              rule's unsafe reason. Exits 1 when a grant has an inexact path that is not
              marked unsafe "<reason>", 0 otherwise: usable in CI.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      role: { type: 'string' },
      format: { type: 'string' },
      privileged: { type: 'boolean' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length !== 1) throw new UsageError('expected one MAPPING');
    try {
      if (values.privileged) return privilegedCommand(defined(positionals[0]), values.role, format, io);
      const plan = loadMapping(defined(positionals[0]), io);
      if (values.role !== undefined && !plan.roles.declared.includes(values.role)) {
        io.stderr(
          `claimmap explain: the mapping has no role '${values.role}' (roles: ` +
            `${plan.roles.declared.join(', ') || 'none'})\n`,
        );
        return 1;
      }
      const roles = explainRoles(plan, values.role);
      io.stdout(
        format === 'json'
          ? `${JSON.stringify({ mapping: plan.name, roles }, null, 2)}\n`
          : text(plan, roles, values.role === undefined),
      );
      return 0;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
