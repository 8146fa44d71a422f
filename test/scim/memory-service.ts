/**
 * A throwaway in-memory ScimService used while the real one (src/runtime/scim/, scim-core) is not merged: it keeps
 * resources only, with the contract's uniqueness, version and not-found errors. Not used by the final suites.
 */
import { ClaimmapError } from '../../src/errors.js';
import type { ScimGroupRecord, ScimJson, ScimService, ScimUserRecord } from '../../src/runtime/scim/types.js';

class FakeScimError extends ClaimmapError<never> {}

const fail = (code: string, message: string): never => {
  throw new FakeScimError(code as never, message);
};

export function memoryScimService(): ScimService & { calls: string[] } {
  const users = new Map<string, ScimUserRecord>();
  const groups = new Map<string, ScimGroupRecord>();
  let n = 0;
  const calls: string[] = [];
  const meta = (resourceType: 'User' | 'Group', created?: string) => {
    const at = new Date().toISOString();
    return { resourceType, created: created ?? at, lastModified: at, version: String(++n) };
  };
  const groupsOf = (uid: string) =>
    [...groups.values()]
      .filter((g) => g.members.some((m) => m.value === uid))
      .map((g) => ({ value: g.id, display: String(g.resource.displayName) }));
  const withGroups = (u: ScimUserRecord) => structuredClone({ ...u, groups: groupsOf(u.id) });
  const uniqueUser = (r: ScimJson, self?: string) => {
    for (const u of users.values()) {
      if (u.id === self) continue;
      if (String(u.resource.userName).toLowerCase() === String(r.userName).toLowerCase())
        fail('scim/uniqueness', 'userName is taken.');
    }
  };
  const checkMembers = (ids: string[]) => {
    for (const id of ids) if (!users.has(id)) fail('scim/invalid-value', `No user ${id}.`);
  };
  const page = <T>(all: T[], q: { startIndex: number; count: number }) => ({
    totalResults: all.length,
    resources: all.slice(q.startIndex - 1, q.startIndex - 1 + q.count),
  });
  const eqMatch = (rec: { id: string; resource: ScimJson }, eq: Record<string, string | undefined> | undefined) =>
    Object.entries(eq ?? {}).every(([k, v]) =>
      v === undefined
        ? true
        : k === 'id'
          ? rec.id === v
          : k === 'externalId'
            ? rec.resource.externalId === v
            : String(rec.resource[k] ?? '').toLowerCase() === v.toLowerCase(),
    );
  return {
    calls,
    async createUser(actor, resource) {
      calls.push(`createUser ${actor.tokenName}`);
      if (typeof resource.userName !== 'string') fail('scim/invalid-value', 'userName is required.');
      uniqueUser(resource);
      const id = `u${++n}`;
      const rec: ScimUserRecord = { id, resource, groups: [], meta: meta('User') };
      users.set(id, rec);
      return withGroups(rec);
    },
    async getUser(id) {
      const u = users.get(id);
      return u ? withGroups(u) : null;
    },
    async queryUsers(q) {
      return page([...users.values()].filter((u) => eqMatch(u, q.eq)).map(withGroups), q);
    },
    async replaceUser(actor, id, resource, expectedVersion) {
      calls.push(`replaceUser ${actor.tokenName} ${JSON.stringify(resource)}`);
      const u = users.get(id) ?? fail('scim/not-found', 'No such user.');
      if (expectedVersion !== undefined && expectedVersion !== u.meta.version) fail('scim/version-mismatch', 'stale');
      if (typeof resource.userName !== 'string') fail('scim/invalid-value', 'userName is required.');
      uniqueUser(resource, id);
      const rec = { ...u, resource, meta: meta('User', u.meta.created) };
      users.set(id, rec);
      return withGroups(rec);
    },
    async deleteUser(actor, id) {
      calls.push(`deleteUser ${actor.tokenName}`);
      if (!users.delete(id)) fail('scim/not-found', 'No such user.');
      for (const g of groups.values()) g.members = g.members.filter((m) => m.value !== id);
    },
    async createGroup(actor, resource, members) {
      calls.push(`createGroup ${actor.tokenName}`);
      if (typeof resource.displayName !== 'string') fail('scim/invalid-value', 'displayName is required.');
      checkMembers(members);
      const id = `g${++n}`;
      const rec: ScimGroupRecord = { id, resource, members: members.map((value) => ({ value })), meta: meta('Group') };
      groups.set(id, rec);
      return structuredClone(rec);
    },
    async getGroup(id, options) {
      const g = groups.get(id);
      return g ? structuredClone({ ...g, members: options?.withoutMembers ? [] : g.members }) : null;
    },
    async queryGroups(q) {
      return page(
        [...groups.values()]
          .filter((g) => eqMatch(g, q.eq))
          .map((g) => structuredClone({ ...g, members: q.withoutMembers ? [] : g.members })),
        q,
      );
    },
    async replaceGroup(actor, id, resource, members, expectedVersion) {
      calls.push(`replaceGroup ${actor.tokenName}`);
      const g = groups.get(id) ?? fail('scim/not-found', 'No such group.');
      if (expectedVersion !== undefined && expectedVersion !== g.meta.version) fail('scim/version-mismatch', 'stale');
      checkMembers(members);
      const rec = { ...g, resource, members: members.map((value) => ({ value })), meta: meta('Group', g.meta.created) };
      groups.set(id, rec);
      return structuredClone(rec);
    },
    async modifyMembers(actor, id, change) {
      calls.push(`modifyMembers ${actor.tokenName} +${change.add.join(',')} -${change.remove.join(',')}`);
      const g = groups.get(id) ?? fail('scim/not-found', 'No such group.');
      checkMembers(change.add);
      const ids = new Set(g.members.map((m) => m.value));
      for (const a of change.add) ids.add(a);
      for (const r of change.remove) ids.delete(r);
      const rec = { ...g, members: [...ids].map((value) => ({ value })), meta: meta('Group', g.meta.created) };
      groups.set(id, rec);
      return structuredClone(rec);
    },
    async deleteGroup(actor, id) {
      calls.push(`deleteGroup ${actor.tokenName}`);
      if (!groups.delete(id)) fail('scim/not-found', 'No such group.');
    },
  };
}
