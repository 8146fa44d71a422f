/** Column lists and parameter encoding shared by the SQL stores (SQLite `?`, PostgreSQL `$n` placeholders). */
import type { AccountRecord } from '../store.js';
import type { UniqueEntry } from '../types.js';
import { defined } from '../../model/invariant.js';

export const ACCOUNT_COLUMNS = [
  'id',
  'issuer',
  'subject',
  'status',
  'profile',
  'last_seen_claims',
  'mapping_digest',
  'mapping_version',
  'last_login_at',
  'last_issued_at',
  'created_at',
  'updated_at',
  'version',
] as const;

/**
 * The values of {@link ACCOUNT_COLUMNS} for a record, in order.
 *
 * @example
 * ```ts
 * db.prepare(insertAccountSql(() => '?')).run(accountParams(record));
 * ```
 */
export function accountParams(a: AccountRecord): (string | number | null)[] {
  return [
    a.id,
    a.issuer,
    a.subject,
    a.status,
    JSON.stringify(a.profile),
    a.lastSeenClaims === null ? null : JSON.stringify(a.lastSeenClaims),
    a.mappingDigest,
    a.mappingVersion,
    a.lastLoginAt,
    a.lastIssuedAt,
    a.createdAt,
    a.updatedAt,
    a.version,
  ];
}

/**
 * `INSERT INTO accounts (...) VALUES (...)` with the dialect's placeholders.
 *
 * @example
 * ```ts
 * insertAccountSql((i) => `$${i}`) // PostgreSQL
 * ```
 */
export function insertAccountSql(ph: (i: number) => string): string {
  return (
    `INSERT INTO accounts (${ACCOUNT_COLUMNS.join(', ')}) VALUES ` +
    `(${ACCOUNT_COLUMNS.map((_, i) => ph(i + 1)).join(', ')})`
  );
}

/**
 * `UPDATE accounts SET ... WHERE id = ? AND version = ?`, with params from {@link updateAccountParams}.
 *
 * @example
 * ```ts
 * const info = db.prepare(updateAccountSql(() => '?')).run(updateAccountParams(record, 3));
 * ```
 */
export function updateAccountSql(ph: (i: number) => string): string {
  const n = ACCOUNT_COLUMNS.length;
  const sets = ACCOUNT_COLUMNS.slice(1)
    .map((c, i) => `${c} = ${ph(i + 1)}`)
    .join(', ');
  return `UPDATE accounts SET ${sets} WHERE id = ${ph(n)} AND version = ${ph(n + 1)}`;
}

/**
 * The params of {@link updateAccountSql}: every column but id, then id, then the expected version.
 *
 * @example
 * ```ts
 * await client.query(updateAccountSql((i) => `$${i}`), updateAccountParams(record, record.version - 1));
 * ```
 */
export function updateAccountParams(a: AccountRecord, expectedVersion: number): (string | number | null)[] {
  const [id, ...rest] = accountParams(a);
  return [...rest, defined(id), expectedVersion];
}

/**
 * Builds the `WHERE` of a listAccounts query; returns the clause (possibly empty) and its params. `status` is the
 * expression the status filter compares: SQLite passes `+status` for a keyset page (see SqliteStore).
 *
 * @example
 * ```ts
 * listAccountsWhere({ status: 'active' }, () => '?') // { where: 'WHERE status = ?', params: ['active'] }
 * ```
 */
export function listAccountsWhere(
  q: {
    issuer?: string;
    subject?: string;
    status?: string;
    lastActiveBefore?: string;
    after?: { issuer: string; subject: string };
  },
  ph: (i: number) => string,
  status = 'status',
): { where: string; params: string[] } {
  const conds: string[] = [];
  const params: string[] = [];
  const add = (sql: (p: string) => string, v: string) => {
    params.push(v);
    conds.push(sql(ph(params.length)));
  };
  if (q.issuer !== undefined) add((p) => `issuer = ${p}`, q.issuer);
  if (q.subject !== undefined) add((p) => `subject = ${p}`, q.subject);
  if (q.status !== undefined) add((p) => `${status} = ${p}`, q.status);
  if (q.lastActiveBefore !== undefined) add((p) => `COALESCE(last_login_at, created_at) < ${p}`, q.lastActiveBefore);
  if (q.after !== undefined) {
    // A row-value comparison: the (issuer, subject) unique index serves it, and it sorts as ORDER BY issuer, subject.
    params.push(q.after.issuer, q.after.subject);
    conds.push(`(issuer, subject) > (${ph(params.length - 1)}, ${ph(params.length)})`);
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}

/**
 * The summary read of a page (StoreTx.listAccountSummaries), rows as arrays for decodeSummaryRow: id, issuer,
 * subject, status, last_login_at, and the role names as one JSON array per account, aggregated by a correlated
 * subquery (an index seek on the grants primary key (account_id, kind, ...)). The page's keys are chosen first in
 * a derived table, so the subquery runs once per row of the page even when the plan sorts (a first page by the
 * status index): SQLite computes a result column before sorting it. `roles` is the dialect's aggregate of
 * `g.name`; `where` and `limit` come from {@link listAccountsWhere} with the dialect's placeholders.
 *
 * @example
 * ```ts
 * const { where, params } = listAccountsWhere(query, () => '?', '+status');
 * db.prepare(accountSummariesSql(SQLITE_ROLE_NAMES, where, '?')).raw(true).all(...params, query.limit);
 * ```
 */
export function accountSummariesSql(roles: string, where: string, limit: string): string {
  return (
    `SELECT a.id, a.issuer, a.subject, a.status, a.last_login_at, ` +
    `(SELECT ${roles} FROM grants g WHERE g.account_id = a.id AND g.kind = 'role') ` +
    `FROM (SELECT id, issuer, subject, status, last_login_at FROM accounts ${where} ` +
    `ORDER BY issuer, subject LIMIT ${limit}) a ORDER BY a.issuer, a.subject`
  );
}

/**
 * SQLite's aggregate of the role names for {@link accountSummariesSql}: every name with a U+0000 before it, in one
 * text (`''` for no role, `'\0admin\0viewer'` for two), which decodeSummaryRow splits without a JSON parse. A
 * name may hold any other character (a comma, a quote, a newline) and still decodes as itself. U+0000 is refused
 * in names on every write path (grant names are checked identifiers; PostgreSQL text cannot hold it), so a name
 * that holds one, or is not text, can only be a corrupt row: then the whole aggregate is `NULL`, which
 * decodeSummaryRow reports as `store/corrupt-record`, and never one role split in two.
 */
export const SQLITE_ROLE_NAMES =
  "CASE WHEN min(typeof(g.name) = 'text' AND instr(g.name, char(0)) = 0) = 0 THEN NULL " +
  "ELSE COALESCE(group_concat(char(0) || g.name, ''), '') END";

/** PostgreSQL's aggregate of the role names for {@link accountSummariesSql} (text never holds U+0000 there). */
export const POSTGRES_ROLE_NAMES = "COALESCE(json_agg(g.name), '[]'::json)";

/** A stored `verified` flag: SQLite gives 0 / 1, PostgreSQL a boolean. */
function storedFlag(v: unknown): boolean | undefined {
  if (v === 1 || v === true) return true;
  if (v === 0 || v === false) return false;
  return undefined;
}

/**
 * Whether the stored unique-index rows of an account, as `[issuer, field, value, verified]` arrays, are exactly
 * `entries` of `issuer`: then `replaceUnique` writes nothing (the usual returning login).
 *
 * @example
 * ```ts
 * sameUnique([['https://idp', 'email', 'a@b.c', 1]], 'https://idp', [{ field: 'email', value: 'a@b.c', verified: true }]) // true
 * ```
 */
export function sameUnique(
  rows: readonly (readonly unknown[])[],
  issuer: string,
  entries: readonly UniqueEntry[],
): boolean {
  if (rows.length !== entries.length) return false;
  for (const e of entries) {
    let found = false;
    for (const [i, f, v, verified] of rows) {
      if (i === issuer && f === e.field && v === e.value && storedFlag(verified) === e.verified) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  // and every stored row is one of the entries (entries may repeat a value: then they differ from the rows)
  for (const [i, f, v] of rows) {
    if (i !== issuer || !entries.some((e) => e.field === f && e.value === v)) return false;
  }
  for (let a = 0; a < entries.length; a++) {
    for (let b = a + 1; b < entries.length; b++) {
      if (
        defined(entries[a]).field === defined(entries[b]).field &&
        defined(entries[a]).value === defined(entries[b]).value
      )
        return false;
    }
  }
  return true;
}
