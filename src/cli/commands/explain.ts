import { condClaims, formatClaim, formatCond, formatExpr } from '../../compile/format-plan.js';
import type { Plan, RulePlan } from '../../compile/plan.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';

interface RoleExplanation {
  role: string;
  privileged: boolean;
  grants: { rule: string; when: string | null; line: number }[];
  denies: { rule: string; when: string | null; alsoWhenUnknown: string[]; line: number }[];
  reads: string[];
}

/** For each role: the claim conditions that grant or deny it, and which claims it depends on. */
export function explainRoles(plan: Plan, only?: string): RoleExplanation[] {
  const roles = only ? [only] : plan.roles.declared;
  return roles.map((role) => {
    const rules = plan.roles.rules.filter((r) => r.target === role);
    const reads = [...new Set(rules.flatMap((r) => condClaims(r.when)))];
    const optional = (r: RulePlan) => condClaims(r.when).filter((c) => !plan.claims.find((x) => x.name === c)?.required);
    return {
      role,
      privileged: plan.roles.privileged.includes(role),
      grants: rules.filter((r) => r.effect === 'grant').map((r) => ({ rule: r.id, when: r.when ? formatCond(r.when) : null, line: r.loc.line })),
      denies: rules.filter((r) => r.effect === 'deny').map((r) => ({ rule: r.id, when: r.when ? formatCond(r.when) : null, alsoWhenUnknown: optional(r), line: r.loc.line })),
      reads,
    };
  });
}

function text(plan: Plan, roles: RoleExplanation[], full: boolean): string {
  const out: string[] = [];
  out.push(`${plan.name}${plan.version ? ` version ${plan.version}` : ''}: ${plan.idp.protocol.toUpperCase()} from ${plan.idp.issuer}${plan.idp.aliases.length ? ` (also accepted as ${plan.idp.aliases.join(', ')}; keys use the first)` : ''}`);
  const k = plan.key;
  out.push(`key: (issuer, ${k.kind === 'nameid' ? `${k.format} NameID` : k.kind === 'sub' ? 'sub' : k.claims.join(' + ')})${k.unsafe ? `  UNSAFE: ${k.unsafe}` : ''}`);
  for (const g of plan.require) {
    const optional = condClaims(g.when).filter((c) => !plan.claims.find((x) => x.name === c)?.required);
    out.push(`require: ${formatCond(g.when)}   [${g.id}, line ${g.loc.line}]  (refused unless true${optional.length ? `; refused when ${optional.join(' or ')} is absent or malformed` : ''})`);
  }
  out.push(`roles ${plan.roles.mode}: ${plan.roles.mode === 'replace' ? 'mapping-owned roles are recomputed at every login; manual grants are kept' : 'roles are only ever added'}`);
  out.push('');
  for (const r of roles) {
    out.push(`${r.role}${r.privileged ? '  (privileged)' : ''}`);
    if (!r.grants.length) out.push('  never granted by this mapping');
    for (const g of r.grants) out.push(`  granted ${g.when ? `when ${g.when}` : 'to everyone who logs in'}   [${g.rule}, line ${g.line}]`);
    for (const d of r.denies) {
      const unk = d.alsoWhenUnknown.length ? ` (also when ${d.alsoWhenUnknown.join(' or ')} is absent or malformed)` : '';
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
        const each = e.forEach ? ` for each ${e.forEach.claim} matching /${e.forEach.regex.source}/${e.forEach.regex.flags}` : '';
        out.push(`  ${e.effect} ${JSON.stringify(e.target)}${each}${e.when ? ` when ${formatCond(e.when)}` : ''}   [${e.id}]`);
      }
      out.push('');
    }
    out.push('claims:');
    for (const c of plan.claims) out.push(`  ${formatClaim(c)}`);
    out.push('profile:');
    for (const p of plan.profile) out.push(`  ${p.name} = ${formatExpr(p.expr)}  sync ${p.sync}${p.clear ? ' clear' : ''}`);
    out.push(`accounts: on email_conflict ${plan.accounts.emailConflict}; unique ${plan.accounts.unique.join(', ') || '(none)'}`);
    const l = plan.lifecycle;
    out.push(`lifecycle: offboarding ${l.offboarding.kind}${l.offboarding.runbook ? ` (runbook ${l.offboarding.runbook})` : ''}; dormant after ${l.dormantAfterDays ?? '(never)'} days; reactivate ${l.reactivate ? 'allow' : 'refuse'}`);
  }
  for (const u of plan.unsafe) out.push(`UNSAFE ${u.code} (line ${u.loc.line}): ${u.reason}`);
  return `${out.join('\n').trimEnd()}\n`;
}

export const command: Command = {
  name: 'explain',
  summary: 'explain, role by role, which claim conditions grant or deny it',
  help: `Usage: claimmap explain MAPPING [--role ROLE] [--format text|json]

For each role: the conditions that grant it, the conditions that deny it (a deny also fires
when an optional claim it reads is absent or malformed: fail closed), and the claims it reads.
Without --role, also lists entitlements, claims, profile, accounts and lifecycle.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { role: { type: 'string' }, format: { type: 'string' } });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    if (positionals.length !== 1) throw new UsageError('expected one MAPPING');
    try {
      const plan = loadMapping(positionals[0]!, io);
      if (values.role !== undefined && !plan.roles.declared.includes(values.role)) {
        io.stderr(`claimmap explain: the mapping has no role '${values.role}' (roles: ${plan.roles.declared.join(', ') || 'none'})\n`);
        return 1;
      }
      const roles = explainRoles(plan, values.role);
      io.stdout(format === 'json' ? `${JSON.stringify({ mapping: plan.name, roles }, null, 2)}\n` : text(plan, roles, values.role === undefined));
      return 0;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
