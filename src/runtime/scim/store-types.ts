/**
 * What a Store keeps for the SCIM service (src/runtime/scim/service.ts): SCIM users and groups of one issuer, and
 * group membership. The service holds every rule (linking, uniqueness, effects on accounts); a store only stores,
 * enforces the unique indexes as a backstop (`store/conflict`) and answers the equality queries.
 */
import type { JsonValue } from '../../model/claim-set.js';

/**
 * A stored SCIM User. `userName` is unique per issuer case-insensitively (the store compares `userNameLower`),
 * `externalId` exactly; `accountId` is the account it is linked to by the durable key, or null.
 *
 * @example
 * ```ts
 * const row: ScimUserRow | null = await store.transaction((tx) => tx.findScimUser(issuer, id));
 * ```
 */
export interface ScimUserRow {
  id: string;
  issuer: string;
  externalId: string | null;
  userName: string;
  displayName: string | null;
  /** The resource as last written, without id, meta and groups. */
  resource: { [key: string]: JsonValue };
  accountId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * A stored SCIM Group. `displayName` is unique per issuer (exactly: it is the value of the groups claim).
 *
 * @example
 * ```ts
 * const row: ScimGroupRow | null = await store.transaction((tx) => tx.findScimGroup(issuer, id));
 * ```
 */
export interface ScimGroupRow {
  id: string;
  issuer: string;
  externalId: string | null;
  displayName: string;
  /** The resource as last written, without id, meta and members. */
  resource: { [key: string]: JsonValue };
  version: number;
  createdAt: string;
  updatedAt: string;
}

/**
 * An equality query over SCIM users or groups of one issuer, ordered by id. `userName` and `displayName` compare
 * case-insensitively (lower-cased with `toLowerCase()` by the caller and the store alike), `id` and `externalId`
 * exactly.
 *
 * @example
 * ```ts
 * const page = await tx.listScimUsers({ issuer, eq: { userName: 'jane@example.com' }, offset: 0, limit: 100 });
 * ```
 */
export interface ScimListQuery {
  issuer: string;
  eq: { id?: string; externalId?: string; userName?: string; displayName?: string };
  offset: number;
  limit: number;
}

/**
 * A member of a SCIM group, with the user's names for `members[].display`.
 *
 * @example
 * ```ts
 * const members: ScimMemberRow[] = await tx.scimMembers(groupId);
 * ```
 */
export interface ScimMemberRow {
  userId: string;
  userName: string;
  displayName: string | null;
}

/**
 * The SCIM part of a store transaction (every StoreTx has it).
 *
 * @example
 * ```ts
 * const user = await store.transaction((tx: ScimStoreTx) => tx.findScimUserByAccount(account.id));
 * ```
 */
export interface ScimStoreTx {
  /** The SCIM user with this id (of this issuer), or null. Locks the row for the transaction where it can. */
  findScimUser(issuer: string, id: string): Promise<ScimUserRow | null>;
  /** The SCIM user linked to this account, or null. */
  findScimUserByAccount(accountId: string): Promise<ScimUserRow | null>;
  /** A page of the users matching `eq`, and how many match in all. */
  listScimUsers(query: ScimListQuery): Promise<{ total: number; rows: ScimUserRow[] }>;
  /** Inserts a user. A taken id, (issuer, userName) or (issuer, externalId) throws `store/conflict`. */
  insertScimUser(row: ScimUserRow): Promise<void>;
  /** Overwrites a user if its stored version is `expectedVersion`; otherwise (or on a taken value) `store/conflict`. */
  updateScimUser(row: ScimUserRow, expectedVersion: number): Promise<void>;
  /** Deletes a user and its memberships; false when there was none. */
  deleteScimUser(issuer: string, id: string): Promise<boolean>;
  findScimGroup(issuer: string, id: string): Promise<ScimGroupRow | null>;
  listScimGroups(query: ScimListQuery): Promise<{ total: number; rows: ScimGroupRow[] }>;
  /** Inserts a group. A taken id, (issuer, displayName) or (issuer, externalId) throws `store/conflict`. */
  insertScimGroup(row: ScimGroupRow): Promise<void>;
  updateScimGroup(row: ScimGroupRow, expectedVersion: number): Promise<void>;
  /** Deletes a group and its memberships; false when there was none. */
  deleteScimGroup(issuer: string, id: string): Promise<boolean>;
  /** The members of a group, ordered by user id. */
  scimMembers(groupId: string): Promise<ScimMemberRow[]>;
  /** The groups a user is a member of, ordered by group id. */
  scimGroupsOf(userId: string): Promise<{ id: string; displayName: string }[]>;
  /** Adds members (already members are left as they are). */
  addScimMembers(groupId: string, userIds: readonly string[]): Promise<void>;
  /** Removes members (non-members are ignored). */
  removeScimMembers(groupId: string, userIds: readonly string[]): Promise<void>;
}
