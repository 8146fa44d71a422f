/**
 * The SCIM part of a StoreTx for the SQL stores (migration 5: scim_users, scim_groups, scim_members), written once
 * over a tiny executor so SQLite and PostgreSQL run the same statements. SQL is written with `?` placeholders; the
 * executor numbers them for PostgreSQL.
 */
import { RuntimeError } from '../errors.js';
import type { ScimGroupRow, ScimListQuery, ScimStoreTx, ScimUserRow } from '../scim/store-types.js';
import { decodeScimGroupRow, decodeScimUserRow } from './codec.js';

/** Runs one statement inside the current transaction; errors come back mapped to `store/*` by the executor. */
export interface SqlExec {
  all(what: string, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Returns the number of rows changed. */
  run(what: string, sql: string, params: readonly unknown[]): Promise<number>;
  /** Appended to the lookups that lock a row for the transaction (` FOR UPDATE` on PostgreSQL, else ''). */
  lock: string;
}

const USER_COLUMNS =
  'id, issuer, external_id, user_name, user_name_lower, display_name, display_name_lower, resource, account_id, ' +
  'version, created_at, updated_at';
const GROUP_COLUMNS =
  'id, issuer, external_id, display_name, display_name_lower, resource, version, created_at, updated_at';

/** SCIM attribute values compare case-insensitively as this lower-cases them (store and service alike). */
export const scimLower = (s: string): string => s.toLowerCase();

function userParams(u: ScimUserRow): unknown[] {
  return [
    u.id,
    u.issuer,
    u.externalId,
    u.userName,
    scimLower(u.userName),
    u.displayName,
    u.displayName === null ? null : scimLower(u.displayName),
    JSON.stringify(u.resource),
    u.accountId,
    u.version,
    u.createdAt,
    u.updatedAt,
  ];
}

function groupParams(g: ScimGroupRow): unknown[] {
  return [
    g.id,
    g.issuer,
    g.externalId,
    g.displayName,
    scimLower(g.displayName),
    JSON.stringify(g.resource),
    g.version,
    g.createdAt,
    g.updatedAt,
  ];
}

/** `WHERE issuer = ? AND ...` of an equality query. */
function where(q: ScimListQuery, nameColumn: 'user_name_lower' | null): { sql: string; params: unknown[] } {
  const conds = ['issuer = ?'];
  const params: unknown[] = [q.issuer];
  const add = (sql: string, v: string) => {
    conds.push(sql);
    params.push(v);
  };
  if (q.eq.id !== undefined) add('id = ?', q.eq.id);
  if (q.eq.externalId !== undefined) add('external_id = ?', q.eq.externalId);
  if (q.eq.userName !== undefined) {
    if (nameColumn === null) conds.push('1 = 0');
    else add(`${nameColumn} = ?`, scimLower(q.eq.userName));
  }
  if (q.eq.displayName !== undefined) add('display_name_lower = ?', scimLower(q.eq.displayName));
  return { sql: `WHERE ${conds.join(' AND ')}`, params };
}

function conflict(what: string): RuntimeError {
  return new RuntimeError('store/conflict', `${what} changed concurrently.`);
}

/**
 * The SCIM methods of a StoreTx over `x`.
 *
 * @example
 * ```ts
 * const tx: StoreTx = { ...accountMethods, ...scimSqlTx(exec) };
 * ```
 */
export function scimSqlTx(x: SqlExec): ScimStoreTx {
  const page = async <T>(
    what: string,
    table: string,
    q: ScimListQuery,
    w: { sql: string; params: unknown[] },
    decode: (r: Record<string, unknown>) => T,
  ): Promise<{ total: number; rows: T[] }> => {
    const count = await x.all(what, `SELECT COUNT(*) AS n FROM ${table} ${w.sql}`, w.params);
    const total = Number(count[0]?.n ?? 0);
    const rows = await x.all(what, `SELECT * FROM ${table} ${w.sql} ORDER BY id LIMIT ? OFFSET ?`, [
      ...w.params,
      q.limit,
      q.offset,
    ]);
    return { total, rows: rows.map(decode) };
  };
  return {
    async findScimUser(issuer, id) {
      const r = await x.all('findScimUser', `SELECT * FROM scim_users WHERE issuer = ? AND id = ?${x.lock}`, [
        issuer,
        id,
      ]);
      return r[0] ? decodeScimUserRow(r[0]) : null;
    },
    async findScimUserByAccount(accountId) {
      const r = await x.all('findScimUserByAccount', `SELECT * FROM scim_users WHERE account_id = ?${x.lock}`, [
        accountId,
      ]);
      return r[0] ? decodeScimUserRow(r[0]) : null;
    },
    listScimUsers: (q) => page('listScimUsers', 'scim_users', q, where(q, 'user_name_lower'), decodeScimUserRow),
    async insertScimUser(u) {
      await x.run('insertScimUser', `INSERT INTO scim_users (${USER_COLUMNS}) VALUES (${qs(12)})`, userParams(u));
    },
    async updateScimUser(u, expectedVersion) {
      const [id, ...rest] = userParams(u);
      const sets = USER_COLUMNS.split(', ')
        .slice(1)
        .map((c) => `${c} = ?`)
        .join(', ');
      const n = await x.run('updateScimUser', `UPDATE scim_users SET ${sets} WHERE id = ? AND version = ?`, [
        ...rest,
        id,
        expectedVersion,
      ]);
      if (n !== 1) throw conflict(`SCIM user ${u.id}`);
    },
    async deleteScimUser(issuer, id) {
      await x.run('deleteScimUser', 'DELETE FROM scim_members WHERE user_id = ?', [id]);
      return (await x.run('deleteScimUser', 'DELETE FROM scim_users WHERE issuer = ? AND id = ?', [issuer, id])) > 0;
    },
    async findScimGroup(issuer, id) {
      const r = await x.all('findScimGroup', `SELECT * FROM scim_groups WHERE issuer = ? AND id = ?${x.lock}`, [
        issuer,
        id,
      ]);
      return r[0] ? decodeScimGroupRow(r[0]) : null;
    },
    listScimGroups: (q) => page('listScimGroups', 'scim_groups', q, where(q, null), decodeScimGroupRow),
    async insertScimGroup(g) {
      await x.run('insertScimGroup', `INSERT INTO scim_groups (${GROUP_COLUMNS}) VALUES (${qs(9)})`, groupParams(g));
    },
    async updateScimGroup(g, expectedVersion) {
      const [id, ...rest] = groupParams(g);
      const sets = GROUP_COLUMNS.split(', ')
        .slice(1)
        .map((c) => `${c} = ?`)
        .join(', ');
      const n = await x.run('updateScimGroup', `UPDATE scim_groups SET ${sets} WHERE id = ? AND version = ?`, [
        ...rest,
        id,
        expectedVersion,
      ]);
      if (n !== 1) throw conflict(`SCIM group ${g.id}`);
    },
    async deleteScimGroup(issuer, id) {
      await x.run('deleteScimGroup', 'DELETE FROM scim_members WHERE group_id = ?', [id]);
      return (await x.run('deleteScimGroup', 'DELETE FROM scim_groups WHERE issuer = ? AND id = ?', [issuer, id])) > 0;
    },
    async scimMembers(groupId) {
      const rows = await x.all(
        'scimMembers',
        'SELECT u.id AS id, u.user_name AS user_name, u.display_name AS display_name FROM scim_members m ' +
          'JOIN scim_users u ON u.id = m.user_id WHERE m.group_id = ? ORDER BY u.id',
        [groupId],
      );
      return rows.map((r) => ({
        userId: String(r.id),
        userName: String(r.user_name),
        displayName: r.display_name === null || r.display_name === undefined ? null : String(r.display_name),
      }));
    },
    async scimGroupsOf(userId) {
      const rows = await x.all(
        'scimGroupsOf',
        'SELECT g.id AS id, g.display_name AS display_name FROM scim_members m JOIN scim_groups g ON g.id = m.group_id ' +
          'WHERE m.user_id = ? ORDER BY g.id',
        [userId],
      );
      return rows.map((r) => ({ id: String(r.id), displayName: String(r.display_name) }));
    },
    async addScimMembers(groupId, userIds) {
      for (const u of new Set(userIds)) {
        const have = await x.all(
          'addScimMembers',
          'SELECT 1 AS one FROM scim_members WHERE group_id = ? AND user_id = ?',
          [groupId, u],
        );
        if (have.length === 0)
          await x.run('addScimMembers', 'INSERT INTO scim_members (group_id, user_id) VALUES (?, ?)', [groupId, u]);
      }
    },
    async removeScimMembers(groupId, userIds) {
      for (const u of new Set(userIds))
        await x.run('removeScimMembers', 'DELETE FROM scim_members WHERE group_id = ? AND user_id = ?', [groupId, u]);
    },
  };
}

function qs(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
