/**
 * The SCIM part of a MemoryStore transaction: the same rules as the SQL stores (migration 5), over maps that the
 * memory store copies per transaction like its other indexes.
 */
import { RuntimeError } from '../errors.js';
import type { ScimGroupRow, ScimListQuery, ScimStoreTx, ScimUserRow } from '../scim/store-types.js';
import { scimLower } from './scim-sql.js';

/** The SCIM tables of a memory store. `members` maps a group id to its member user ids. */
export interface ScimMemoryState {
  users: Map<string, ScimUserRow>;
  groups: Map<string, ScimGroupRow>;
  members: Map<string, Set<string>>;
}

/**
 * A copy of `s` a transaction may change (rows are replaced, never mutated, so a shallow copy suffices).
 *
 * @example
 * ```ts
 * const work = copyScimState(committed.scim);
 * ```
 */
export function copyScimState(s: ScimMemoryState): ScimMemoryState {
  const members = new Map<string, Set<string>>();
  for (const [g, set] of s.members) members.set(g, new Set(set));
  return { users: new Map(s.users), groups: new Map(s.groups), members };
}

/**
 * An empty state.
 *
 * @example
 * ```ts
 * const state = { ...accounts, scim: emptyScimState() };
 * ```
 */
export function emptyScimState(): ScimMemoryState {
  return { users: new Map(), groups: new Map(), members: new Map() };
}

const taken = (what: string) =>
  new RuntimeError('store/conflict', `A uniqueness constraint rejected the write (${what}).`);

function matches(row: ScimUserRow | ScimGroupRow, q: ScimListQuery, userName: string | null): boolean {
  if (row.issuer !== q.issuer) return false;
  if (q.eq.id !== undefined && row.id !== q.eq.id) return false;
  if (q.eq.externalId !== undefined && row.externalId !== q.eq.externalId) return false;
  if (q.eq.userName !== undefined && (userName === null || scimLower(userName) !== scimLower(q.eq.userName)))
    return false;
  if (q.eq.displayName !== undefined) {
    if (row.displayName === null || scimLower(row.displayName) !== scimLower(q.eq.displayName)) return false;
  }
  return true;
}

function page<T extends { id: string }>(rows: T[], q: ScimListQuery): { total: number; rows: T[] } {
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { total: rows.length, rows: rows.slice(q.offset, q.offset + q.limit).map((r) => structuredClone(r)) };
}

function checkUser(st: ScimMemoryState, u: ScimUserRow): void {
  for (const o of st.users.values()) {
    if (o.id === u.id || o.issuer !== u.issuer) continue;
    if (scimLower(o.userName) === scimLower(u.userName)) throw taken('scim_users userName');
    if (u.externalId !== null && o.externalId === u.externalId) throw taken('scim_users externalId');
    if (u.accountId !== null && o.accountId === u.accountId) throw taken('scim_users account');
  }
}

function checkGroup(st: ScimMemoryState, g: ScimGroupRow): void {
  for (const o of st.groups.values()) {
    if (o.id === g.id || o.issuer !== g.issuer) continue;
    if (o.displayName === g.displayName) throw taken('scim_groups displayName');
    if (g.externalId !== null && o.externalId === g.externalId) throw taken('scim_groups externalId');
  }
}

/**
 * The SCIM methods of a memory transaction over `st`.
 *
 * @example
 * ```ts
 * const tx: StoreTx = { ...scimMemoryTx(work.scim), ...accountMethods };
 * ```
 */
export function scimMemoryTx(st: ScimMemoryState): ScimStoreTx {
  const user = (issuer: string, id: string) => {
    const u = st.users.get(id);
    return u && u.issuer === issuer ? u : undefined;
  };
  const group = (issuer: string, id: string) => {
    const g = st.groups.get(id);
    return g && g.issuer === issuer ? g : undefined;
  };
  return {
    async findScimUser(issuer, id) {
      const u = user(issuer, id);
      return u ? structuredClone(u) : null;
    },
    async findScimUserByAccount(accountId) {
      for (const u of st.users.values()) if (u.accountId === accountId) return structuredClone(u);
      return null;
    },
    async listScimUsers(q) {
      return page(
        [...st.users.values()].filter((u) => matches(u, q, u.userName)),
        q,
      );
    },
    async insertScimUser(u) {
      if (st.users.has(u.id)) throw taken('scim_users id');
      checkUser(st, u);
      st.users.set(u.id, structuredClone(u));
    },
    async updateScimUser(u, expectedVersion) {
      const cur = st.users.get(u.id);
      if (!cur || cur.version !== expectedVersion)
        throw new RuntimeError('store/conflict', `SCIM user ${u.id} changed concurrently.`);
      checkUser(st, u);
      st.users.set(u.id, structuredClone(u));
    },
    async deleteScimUser(issuer, id) {
      if (!user(issuer, id)) return false;
      st.users.delete(id);
      for (const set of st.members.values()) set.delete(id);
      return true;
    },
    async findScimGroup(issuer, id) {
      const g = group(issuer, id);
      return g ? structuredClone(g) : null;
    },
    async listScimGroups(q) {
      return page(
        [...st.groups.values()].filter((g) => matches(g, q, null)),
        q,
      );
    },
    async insertScimGroup(g) {
      if (st.groups.has(g.id)) throw taken('scim_groups id');
      checkGroup(st, g);
      st.groups.set(g.id, structuredClone(g));
      st.members.set(g.id, new Set());
    },
    async updateScimGroup(g, expectedVersion) {
      const cur = st.groups.get(g.id);
      if (!cur || cur.version !== expectedVersion)
        throw new RuntimeError('store/conflict', `SCIM group ${g.id} changed concurrently.`);
      checkGroup(st, g);
      st.groups.set(g.id, structuredClone(g));
    },
    async deleteScimGroup(issuer, id) {
      if (!group(issuer, id)) return false;
      st.groups.delete(id);
      st.members.delete(id);
      return true;
    },
    async scimMembers(groupId) {
      const ids = [...(st.members.get(groupId) ?? [])].sort();
      return ids.flatMap((id) => {
        const u = st.users.get(id);
        return u ? [{ userId: id, userName: u.userName, displayName: u.displayName }] : [];
      });
    },
    async scimGroupsOf(userId) {
      const out: { id: string; displayName: string }[] = [];
      for (const [gid, set] of st.members) {
        const g = st.groups.get(gid);
        if (g && set.has(userId)) out.push({ id: gid, displayName: g.displayName });
      }
      return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async addScimMembers(groupId, userIds) {
      const set = st.members.get(groupId);
      if (!set) throw new RuntimeError('store/conflict', `SCIM group ${groupId} does not exist.`);
      for (const u of userIds) {
        if (!st.users.has(u)) throw new RuntimeError('store/conflict', `SCIM user ${u} does not exist.`);
        set.add(u);
      }
    },
    async removeScimMembers(groupId, userIds) {
      const set = st.members.get(groupId);
      for (const u of userIds) set?.delete(u);
    },
  };
}
