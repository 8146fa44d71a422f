/**
 * Readable text for provisioning results, accounts and audit events: what `claimmap login`, `accounts` and `audit`
 * print, and what an app can write to its own logs. One line per change: `+ role admin (roles[1])`,
 * `~ email a@x → b@x`, `+ department = R&D`, `- entitlement repo:write (entitlements[0])`.
 */
import type { JsonValue } from '../model/claim-set.js';
import type { Account, AuditEvent, Change, ProvisionResult } from './types.js';
import { defined } from '../model/invariant.js';

const MAX_VALUE = 80;

// \p{Cc} is U+0000-U+001F and U+007F-U+009F (C0, DEL and C1 controls).
const UNSAFE_FOR_TERMINALS = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from untrusted claims or stores made safe to print: control, line-separator and bidi characters are written
 * as `\uXXXX`, so that they cannot rewrite the terminal or reorder what it shows.
 *
 * @example
 * ```ts
 * terminalSafe('jane\u001b[2J') // 'jane\\u001b[2J'
 * ```
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINALS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(none)';
  const safe = terminalSafe(typeof v === 'string' ? v : JSON.stringify(v));
  return safe.length > MAX_VALUE ? `${safe.slice(0, MAX_VALUE - 1)}…` : safe;
}

/**
 * One change as a line of text.
 *
 * @example
 * ```ts
 * formatChange({ field: 'role', op: 'add', name: 'admin', rules: ['roles[1]'] }) // '+ role admin (roles[1])'
 * formatChange({ field: 'profile', op: 'change', name: 'email', from: 'a@x', to: 'b@x' }) // '~ email a@x → b@x'
 * ```
 */
export function formatChange(c: Change): string {
  const sign = c.op === 'add' ? '+' : c.op === 'remove' ? '-' : '~';
  const name = show(c.name);
  if (c.field === 'role' || c.field === 'entitlement') {
    if (c.op === 'change') return `~ ${c.field} ${name} (${show(c.from)} → ${show(c.to)})`;
    return `${sign} ${c.field} ${name}${c.rules?.length ? ` (${c.rules.join(', ')})` : ''}`;
  }
  if (c.op === 'add') return `+ ${name} = ${show(c.to)}`;
  if (c.op === 'remove') return `- ${name} (was ${show(c.from)})`;
  return `~ ${name} ${show(c.from)} → ${show(c.to)}`;
}

/**
 * A provisioning result as a short report: the action, the account, one line per change, the audit event.
 *
 * @example
 * ```ts
 * log.info(formatProvisionResult(await provision(plan, claimSet, { store })));
 * ```
 */
export function formatProvisionResult(r: ProvisionResult): string {
  const lines: string[] = [];
  const key = r.decision.key ?? null;
  const who = r.account
    ? `account ${r.account.id} (${show(r.account.issuer)} | ${show(r.account.subject)})`
    : key
      ? `${show(key.issuer)} | ${show(key.subject)}`
      : '(nothing created or changed)';
  const m = r.decision.mapping;
  lines.push(`${r.action.padEnd(9)} ${who}`);
  lines.push(
    `  mapping   ${show(m.name)}${m.version ? ` version ${show(m.version)}` : ''} (digest ${m.digest.slice(0, 12)})`,
  );
  if (r.reason) lines.push(`  reason    ${r.reason.code}: ${show(r.reason.message)}`);
  for (const x of r.decision.refusals) lines.push(`  refusal   ${x.code}: ${show(x.message)}`);
  if (r.changes.length) {
    lines.push('  changes');
    for (const c of r.changes) lines.push(`    ${formatChange(c)}`);
  } else if (r.action === 'unchanged') {
    lines.push('  changes   (none)');
  }
  lines.push(`  audit     ${r.eventId}`);
  return `${lines.join('\n')}\n`;
}

/**
 * An account in detail: status, profile, grants with provenance, last login.
 *
 * @example
 * ```ts
 * process.stdout.write(formatAccount(account));
 * ```
 */
export function formatAccount(a: Account): string {
  const lines = [
    `account   ${a.id}`,
    `  key       ${show(a.issuer)} | ${show(a.subject)}`,
    `  status    ${a.status}`,
    `  created   ${a.createdAt}   updated ${a.updatedAt}   version ${a.version}`,
    `  login     ${a.lastLoginAt ?? '(never)'}   issued ${a.lastIssuedAt ?? '(unknown)'}`,
    `  mapping   ${a.mappingVersion ? show(a.mappingVersion) : '(no version)'} (digest ` +
      `${(a.mappingDigest ?? '').slice(0, 12) || '-'})`,
  ];
  const names = Object.keys(a.profile).sort();
  const w = Math.max(0, ...names.map((n) => n.length));
  for (const [i, n] of names.entries()) {
    lines.push(`  ${i === 0 ? 'profile ' : '        '}  ${show(n).padEnd(w)} = ${show(a.profile[n])}`);
  }
  if (a.grants.length === 0) lines.push('  grants    (none)');
  a.grants.forEach((g, i) => {
    const prov =
      g.source === 'mapping'
        ? `mapping ${g.rules.join(', ')}${g.mappingVersion ? ` @ ${show(g.mappingVersion)}` : ''}`
        : `manual${g.actor ? ` by ${show(g.actor)}` : ''}`;
    lines.push(`  ${i === 0 ? 'grants  ' : '        '}  ${g.kind} ${show(g.name)}  [${prov}, since ${g.grantedAt}]`);
  });
  if (a.lastSeenClaims) {
    const n = Object.keys(a.lastSeenClaims.claims).length;
    lines.push(
      `  claims    ${n} stored${a.lastSeenClaims.omitted ? `, ${a.lastSeenClaims.omitted} omitted (size cap)` : ''}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Accounts as a table: subject, status, last login, roles.
 *
 * @example
 * ```ts
 * process.stdout.write(formatAccountTable(await listAccounts(store)));
 * ```
 */
export function formatAccountTable(accounts: Account[]): string {
  if (accounts.length === 0) return '(no accounts)\n';
  const rows = accounts.map((a) => [
    show(a.subject),
    a.status,
    a.lastLoginAt ?? '(never)',
    a.grants
      .filter((g) => g.kind === 'role')
      .map((g) => show(g.name))
      .join(',') || '-',
    show(a.issuer),
  ]);
  const head = ['SUBJECT', 'STATUS', 'LAST LOGIN', 'ROLES', 'ISSUER'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => defined(r[i]).length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(defined(widths[i])))).join('  ');
  return `${[line(head), ...rows.map(line)].join('\n')}\n`;
}

/**
 * Audit events, one block each, newest first.
 *
 * @example
 * ```ts
 * process.stdout.write(formatAuditEvents(await listAudit(store, { limit: 20 })));
 * ```
 */
export function formatAuditEvents(events: AuditEvent[]): string {
  if (events.length === 0) return '(no audit events)\n';
  const out: string[] = [];
  for (const e of events) {
    out.push(`${e.at}  ${e.action.padEnd(13)} ${show(e.issuer)} | ${show(e.subject)}  by ${show(e.actor)}  [${e.id}]`);
    if (e.reason) out.push(`    reason  ${show(e.reason.code)}: ${show(e.reason.message)}`);
    if (e.rules.length) out.push(`    rules   ${e.rules.join(', ')}`);
    if (e.mapping)
      out.push(`    mapping ${show(e.mapping.name)}${e.mapping.version ? ` version ${show(e.mapping.version)}` : ''}`);
    for (const c of e.changes) out.push(`    ${formatChange(c)}`);
  }
  return `${out.join('\n')}\n`;
}
