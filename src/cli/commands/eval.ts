import { evaluate } from '../../evaluate/index.js';
import type { Decision } from '../../evaluate/decision.js';
import type { ClaimState } from '../../evaluate/decision.js';
import type { ClaimSet } from '../../model/claim-set.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { loadClaimSet } from '../load-claims.js';
import { defined } from '../../model/invariant.js';

function stateText(s: ClaimState): string {
  if (s.state === 'present') return JSON.stringify(s.value);
  if (s.state === 'absent') return 'absent';
  return `malformed (${s.reason})`;
}

/** A decision as readable text; `input` says where the claims came from. */
export function formatDecision(d: Decision, input?: Pick<ClaimSet, 'verified' | 'warnings'>): string {
  const lines: string[] = [];
  const m = d.mapping;
  lines.push(
    `${d.outcome === 'allow' ? 'ALLOW' : 'REFUSE'}  ${m.name}${m.version ? ` version ${m.version}` : ''} ` +
      `(digest ${m.digest.slice(0, 12)})`,
  );
  if (input && !input.verified)
    lines.push('  input     unverified: read from raw XML, JWT or JSON; claimmap checks no signature');
  for (const w of input?.warnings ?? []) lines.push(`  input     ${w.code}: ${w.message}`);
  for (const r of d.refusals) lines.push(`  refused   ${r.code}: ${r.message}`);
  if (d.key) lines.push(`  key       ${d.key.issuer} | ${d.key.subject}`);
  const grants = (names: string[], by: Record<string, string[]>) =>
    names.map((n) => `${n} (${(by[n] ?? []).join(', ')})`).join(', ') || '(none)';
  lines.push(`  roles     ${grants(d.roles, d.grantedBy.roles)}`);
  lines.push(`  entitlements ${grants(d.entitlements, d.grantedBy.entitlements)}`);
  for (const x of d.denied)
    lines.push(
      `  denied    ${x.kind} ${x.name} by ${x.rule} (${x.result === 'unknown' ? 'unknown: fails closed' : 'true'})`,
    );
  const names = Object.keys(d.profile);
  if (names.length) {
    const w = Math.max(...names.map((n) => n.length));
    names.forEach((n, i) => {
      const p = defined(d.profile[n]);
      const v =
        p.state === 'present'
          ? JSON.stringify(p.value)
          : `(${p.state}${p.clear ? ', clears' : ', keeps stored value'})`;
      lines.push(`  ${i === 0 ? 'profile ' : '        '}  ${n.padEnd(w)} = ${v}  [sync ${p.sync}]`);
    });
  }
  if (d.absent.length) lines.push(`  absent    ${d.absent.join(', ')}`);
  for (const x of d.malformed) lines.push(`  malformed ${x.claim}: ${x.reason}${x.detail ? ` (${x.detail})` : ''}`);
  for (const w of d.warnings) lines.push(`  warning   ${w}`);
  if (d.trace?.length) {
    lines.push('  trace:');
    for (const t of d.trace) {
      const inputs = Object.entries(t.inputs)
        .map(([k, v]) => `${k}=${stateText(v)}`)
        .join(' ');
      lines.push(
        `    ${t.rule.padEnd(16)} ${t.result.padEnd(7)} ${t.fired ? 'fired' : '     '}  ` +
          `${t.text}${inputs ? `   [${inputs}]` : ''}${t.produced?.length ? ` -> ${t.produced.join(', ')}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export const command: Command = {
  name: 'eval',
  summary: 'evaluate a mapping against one claim set and print the decision',
  help: `Usage: claimmap eval MAPPING CLAIMS [--format text|json] [--trace] [--as saml|jwt|json]

MAPPING is a .claimmap file or a compiled .plan.json. CLAIMS is a claim-set JSON file
({ protocol, issuer, subject, claims }), a SAML response or assertion (XML or base64), a JWT,
or an OIDC claims JSON object. Pure: nothing is stored (see 'claimmap login' for that).

Options:
  --format <f>   text (default) or json (the Decision object)
  --trace        show every rule's truth value and the claim values it read
  --as <kind>    read CLAIMS as saml, jwt or json instead of detecting it

Exit codes: 0 allowed, 1 refused (or unreadable claims / mapping errors), 2 usage error.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      trace: { type: 'boolean' },
      as: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json'] as const, 'text');
    const as = values.as === undefined ? undefined : oneOf('as', values.as, ['saml', 'jwt', 'json'] as const, 'json');
    if (positionals.length !== 2) throw new UsageError('expected MAPPING and CLAIMS');
    try {
      const plan = loadMapping(defined(positionals[0]), io);
      const claims = loadClaimSet(defined(positionals[1]), io, as);
      const decision = evaluate(plan, claims, { trace: !!values.trace });
      const input = { verified: claims.verified, warnings: claims.warnings ?? [] };
      io.stdout(
        format === 'json' ? `${JSON.stringify({ ...decision, input }, null, 2)}\n` : formatDecision(decision, input),
      );
      return decision.outcome === 'allow' ? 0 : 1;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
