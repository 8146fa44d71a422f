/**
 * What `claimmap login`, `accounts` and `audit` print: a provisioning result, an account, a table of accounts, audit
 * events. CLI output, not library API: an app formats its own logs (one change per line with `formatChange` from
 * `claimmap/runtime`, which these build on).
 */
import { formatChange, showValue } from '../runtime/format.js';
import { accountSummary } from '../runtime/summary.js';
import type { Account, AccountSummary, AuditEvent, ProvisionResult } from '../runtime/types.js';

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
    ? `account ${r.account.id} (${showValue(r.account.issuer)} | ${showValue(r.account.subject)})`
    : key
      ? `${showValue(key.issuer)} | ${showValue(key.subject)}`
      : '(nothing created or changed)';
  const m = r.decision.mapping;
  lines.push(`${r.action.padEnd(9)} ${who}`);
  lines.push(
    `  mapping   ${showValue(m.name)}${m.version ? ` version ${showValue(m.version)}` : ''} (digest ${m.digest.slice(0, 12)})`,
  );
  if (r.reason) lines.push(`  reason    ${r.reason.code}: ${showValue(r.reason.message)}`);
  for (const x of r.decision.refusals) lines.push(`  refusal   ${x.code}: ${showValue(x.message)}`);
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
    `  key       ${showValue(a.issuer)} | ${showValue(a.subject)}`,
    `  status    ${a.status}`,
    `  created   ${a.createdAt}   updated ${a.updatedAt}   version ${a.version}`,
    `  login     ${a.lastLoginAt ?? '(never)'}   issued ${a.lastIssuedAt ?? '(unknown)'}`,
    `  mapping   ${a.mappingVersion ? showValue(a.mappingVersion) : '(no version)'} (digest ${(a.mappingDigest ?? '').slice(0, 12) || '-'})`,
  ];
  const names = Object.keys(a.profile).sort();
  const w = Math.max(0, ...names.map((n) => n.length));
  for (const [i, n] of names.entries()) {
    lines.push(`  ${i === 0 ? 'profile ' : '        '}  ${showValue(n).padEnd(w)} = ${showValue(a.profile[n])}`);
  }
  if (a.grants.length === 0) lines.push('  grants    (none)');
  a.grants.forEach((g, i) => {
    const prov =
      g.source === 'mapping'
        ? `mapping ${g.rules.join(', ')}${g.mappingVersion ? ` @ ${showValue(g.mappingVersion)}` : ''}`
        : `manual${g.actor ? ` by ${showValue(g.actor)}` : ''}`;
    lines.push(
      `  ${i === 0 ? 'grants  ' : '        '}  ${g.kind} ${showValue(g.name)}  [${prov}, since ${g.grantedAt}]`,
    );
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
  const table = new AccountTable();
  return table.page(accounts.map(accountSummary)) + table.end();
}

const ACCOUNT_HEAD = ['SUBJECT', 'STATUS', 'LAST LOGIN', 'ROLES', 'ISSUER'];

/**
 * The account table written a page at a time (`accounts list`, `accounts dormant`), from account summaries (what
 * `eachAccountSummary` reads; `accountSummary` makes one of a full account): the header and the first page
 * are laid out as {@link formatAccountTable} lays out that page, and each later page pads its columns to the widest
 * value seen so far (columns only widen, so a later page never cuts a column short). A list that fits in one page
 * is byte-identical to `formatAccountTable`; memory holds one page's rows.
 *
 * @example
 * ```ts
 * const table = new AccountTable();
 * for (const page of pages) io.stdout(table.page(page));
 * io.stdout(table.end());
 * ```
 */
export class AccountTable {
  private readonly widths = ACCOUNT_HEAD.map((h) => h.length);
  private started = false;
  /** showValue of the values that repeat from row to row (issuers, role names), at most 4,096 of them at a time. */
  private readonly shown = new Map<string, string>();

  private repeated(v: string): string {
    let text = this.shown.get(v);
    if (text === undefined) {
      if (this.shown.size >= 4096) this.shown.clear();
      text = showValue(v);
      this.shown.set(v, text);
    }
    return text;
  }

  /** The ROLES cell: the role names through showValue, joined by commas; `-` when that is empty. */
  private roleText(roles: readonly string[]): string {
    let text = '';
    for (let i = 0; i < roles.length; i++)
      text += i === 0 ? this.repeated(roles[i] as string) : `,${this.repeated(roles[i] as string)}`;
    return text === '' ? '-' : text;
  }

  /** The lines of these accounts (after the header, on the first call). Empty pages print nothing. */
  page(accounts: readonly AccountSummary[]): string {
    if (accounts.length === 0) return '';
    // The cells of the four padded columns, a row after another; the issuer (last, never padded) is read again.
    const cells: string[] = new Array(accounts.length * 4);
    const w = this.widths as [number, number, number, number, number];
    for (let k = 0, c = 0; k < accounts.length; k++, c += 4) {
      const a = accounts[k] as AccountSummary;
      const subject = showValue(a.subject);
      const last = a.lastLoginAt ?? '(never)';
      const roles = this.roleText(a.roles);
      cells[c] = subject;
      cells[c + 1] = a.status;
      cells[c + 2] = last;
      cells[c + 3] = roles;
      if (subject.length > w[0]) w[0] = subject.length;
      if (a.status.length > w[1]) w[1] = a.status.length;
      if (last.length > w[2]) w[2] = last.length;
      if (roles.length > w[3]) w[3] = roles.length;
    }
    const line = (c0: string, c1: string, c2: string, c3: string, c4: string) =>
      `${c0.padEnd(w[0])}  ${c1.padEnd(w[1])}  ${c2.padEnd(w[2])}  ${c3.padEnd(w[3])}  ${c4}\n`;
    let out = this.started ? '' : line(...(ACCOUNT_HEAD as [string, string, string, string, string]));
    this.started = true;
    for (let k = 0, c = 0; k < accounts.length; k++, c += 4) {
      out += line(
        cells[c] as string,
        cells[c + 1] as string,
        cells[c + 2] as string,
        cells[c + 3] as string,
        this.repeated((accounts[k] as AccountSummary).issuer),
      );
    }
    return out;
  }

  /** What ends the table: `(no accounts)` when no page had any, else nothing. */
  end(): string {
    return this.started ? '' : '(no accounts)\n';
  }
}

/**
 * A JSON array written an element at a time, byte-identical to `JSON.stringify(values, null, 2)` and a newline:
 * `[]` when empty, else one element per 2-space-indented block, commas between them.
 *
 * @example
 * ```ts
 * const array = new JsonArrayWriter();
 * for (const a of accounts) io.stdout(array.item(a));
 * io.stdout(array.end());
 * ```
 */
export class JsonArrayWriter {
  private count = 0;

  /** The text of one more element (with the opening bracket or the comma before it). */
  item(value: unknown): string {
    // The element as JSON.stringify indents it inside an array ("[\n  " + element + "\n]"): one pass, no
    // re-indentation of its lines; a value JSON has no text for (undefined, a function) is `null` there, as in an array.
    const text = JSON.stringify([value], null, 2).slice(2, -2);
    return `${this.count++ === 0 ? '[\n' : ',\n'}${text}`;
  }

  /** The closing text. */
  end(): string {
    return this.count === 0 ? '[]\n' : '\n]\n';
  }
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
    out.push(
      `${e.at}  ${e.action.padEnd(13)} ${showValue(e.issuer)} | ${showValue(e.subject)}  by ${showValue(e.actor)}  [${e.id}]`,
    );
    if (e.reason) out.push(`    reason  ${showValue(e.reason.code)}: ${showValue(e.reason.message)}`);
    if (e.rules.length) out.push(`    rules   ${e.rules.join(', ')}`);
    if (e.mapping)
      out.push(
        `    mapping ${showValue(e.mapping.name)}${e.mapping.version ? ` version ${showValue(e.mapping.version)}` : ''}`,
      );
    for (const c of e.changes) out.push(`    ${formatChange(c)}`);
  }
  return `${out.join('\n')}\n`;
}
