/** Column lists and parameter encoding shared by the SQL stores (SQLite `?`, PostgreSQL `$n` placeholders). */
import type { AccountRecord } from '../store.js';

export const ACCOUNT_COLUMNS = [
  'id', 'issuer', 'subject', 'status', 'profile', 'last_seen_claims', 'mapping_digest', 'mapping_version',
  'last_login_at', 'last_issued_at', 'created_at', 'updated_at', 'version',
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
    a.id, a.issuer, a.subject, a.status, JSON.stringify(a.profile),
    a.lastSeenClaims === null ? null : JSON.stringify(a.lastSeenClaims),
    a.mappingDigest, a.mappingVersion, a.lastLoginAt, a.lastIssuedAt, a.createdAt, a.updatedAt, a.version,
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
  return `INSERT INTO accounts (${ACCOUNT_COLUMNS.join(', ')}) VALUES (${ACCOUNT_COLUMNS.map((_, i) => ph(i + 1)).join(', ')})`;
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
  const sets = ACCOUNT_COLUMNS.slice(1).map((c, i) => `${c} = ${ph(i + 1)}`).join(', ');
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
  return [...rest, id!, expectedVersion];
}

/**
 * Builds the `WHERE` of a listAccounts query; returns the clause (possibly empty) and its params.
 *
 * @example
 * ```ts
 * listAccountsWhere({ status: 'active' }, () => '?') // { where: 'WHERE status = ?', params: ['active'] }
 * ```
 */
export function listAccountsWhere(
  q: { issuer?: string; subject?: string; status?: string; lastActiveBefore?: string; after?: { issuer: string; subject: string } },
  ph: (i: number) => string,
): { where: string; params: string[] } {
  const conds: string[] = [];
  const params: string[] = [];
  const add = (sql: (p: string) => string, v: string) => {
    params.push(v);
    conds.push(sql(ph(params.length)));
  };
  if (q.issuer !== undefined) add((p) => `issuer = ${p}`, q.issuer);
  if (q.subject !== undefined) add((p) => `subject = ${p}`, q.subject);
  if (q.status !== undefined) add((p) => `status = ${p}`, q.status);
  if (q.lastActiveBefore !== undefined) add((p) => `COALESCE(last_login_at, created_at) < ${p}`, q.lastActiveBefore);
  if (q.after !== undefined) {
    // A row-value comparison: the (issuer, subject) unique index serves it, and it sorts as ORDER BY issuer, subject.
    params.push(q.after.issuer, q.after.subject);
    conds.push(`(issuer, subject) > (${ph(params.length - 1)}, ${ph(params.length)})`);
  }
  return { where: conds.length ? `WHERE ${conds.join(' AND ')}` : '', params };
}
