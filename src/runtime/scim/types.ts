/**
 * The contract between the SCIM 2.0 HTTP layer (`src/scim/`, transport: routing, auth, filter and PATCH parsing,
 * RFC 7644 error bodies) and the SCIM service over a Store (`src/runtime/scim/`: resources, linking by durable key,
 * effects on accounts and grants, audit). The HTTP layer never touches a Store directly; the service never sees HTTP.
 */
import type { JsonValue } from '../../model/claim-set.js';

/**
 * A SCIM resource as JSON (core attributes and extension URNs as received, minus `meta`).
 *
 * @example
 * ```ts
 * const user: ScimJson = { userName: 'jane@example.com', externalId: '00u1', active: true };
 * ```
 */
export type ScimJson = { [key: string]: JsonValue };

/**
 * Who made a SCIM call: the bearer token's name. Audited as actor `scim:<tokenName>`.
 *
 * @example
 * ```ts
 * await service.deleteUser({ tokenName: 'okta-prod' } satisfies ScimActor, id);
 * ```
 */
export interface ScimActor {
  tokenName: string;
}

/**
 * `meta` of a stored resource (RFC 7643 §3.1). `version` is the weak ETag value without `W/"…"`.
 *
 * @example
 * ```ts
 * const etag = (m: ScimMeta) => `W/"${m.version}"`;
 * ```
 */
export interface ScimMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  version: string;
}

/**
 * A stored SCIM User: the JSON as last written, its id, and the account it is linked to (by durable key).
 *
 * @example
 * ```ts
 * const user: ScimUserRecord | null = await service.getUser(id);
 * console.log(user?.resource.userName, user?.groups.map((g) => g.display));
 * ```
 */
export interface ScimUserRecord {
  id: string;
  /** The resource as last written by the IdP (without id and meta; `groups` is computed, never stored from input). */
  resource: ScimJson;
  /** Group memberships (RFC 7643 §4.1.2 `groups`, read-only): computed from the stored groups. */
  groups: { value: string; display: string }[];
  meta: ScimMeta;
}

/**
 * A stored SCIM Group.
 *
 * @example
 * ```ts
 * const group: ScimGroupRecord | null = await service.getGroup(id, { withoutMembers: true });
 * ```
 */
export interface ScimGroupRecord {
  id: string;
  /** The resource as last written (without id, meta and members). */
  resource: ScimJson;
  members: { value: string; display?: string }[];
  meta: ScimMeta;
}

/**
 * The equality filters the service answers from an index: every present field must match (`and`). Attribute names
 * and `userName`/`displayName` compare case-insensitively as RFC 7643 §4.1.1 and §4.2 declare (caseExact false);
 * `id` and `externalId` compare exactly.
 *
 * @example
 * ```ts
 * const q: ScimUserQuery = { eq: { userName: 'jane@example.com' }, startIndex: 1, count: 10 };
 * ```
 */
export interface ScimUserQuery {
  eq?: { id?: string; userName?: string; externalId?: string; displayName?: string };
  /** 1-based, RFC 7644 §3.4.2.4. */
  startIndex: number;
  count: number;
}

/**
 * An equality query over groups (see {@link ScimUserQuery}).
 *
 * @example
 * ```ts
 * const q: ScimGroupQuery = { eq: { displayName: 'admins' }, startIndex: 1, count: 10, withoutMembers: true };
 * ```
 */
export interface ScimGroupQuery {
  eq?: { id?: string; externalId?: string; displayName?: string };
  startIndex: number;
  count: number;
  /** Leave `members` out of the answer (`excludedAttributes=members`, as Entra asks). */
  withoutMembers?: boolean;
}

/**
 * A page of a query: how many match in all, and this page's resources.
 *
 * @example
 * ```ts
 * const page: ScimPage<ScimUserRecord> = await service.queryUsers({ startIndex: 1, count: 100 });
 * ```
 */
export interface ScimPage<T> {
  totalResults: number;
  resources: T[];
}

/**
 * Failures the HTTP layer maps to RFC 7644 §3.12 errors (status and scimType). Thrown as a RuntimeError-like typed
 * error whose `code` is one of these.
 *
 * @example
 * ```ts
 * if (e instanceof RuntimeError && e.code === ('scim/uniqueness' satisfies ScimServiceErrorCode)) status = 409;
 * ```
 */
export type ScimServiceErrorCode =
  | 'scim/not-found' //          404
  | 'scim/uniqueness' //         409 scimType uniqueness (userName, externalId, displayName taken)
  | 'scim/invalid-value' //      400 scimType invalidValue (a required attribute missing or of the wrong type)
  | 'scim/mutability' //         400 scimType mutability (changing a linked account's key attribute)
  | 'scim/version-mismatch' //   412 (If-Match or expectedVersion is stale)
  | 'scim/too-many'; //          400 scimType tooMany (count or member cap)

/**
 * The SCIM service over one store and one compiled mapping. Every write is one store transaction with its audit
 * event (actor `scim:<tokenName>`) and its effects on the linked account (suspend, deprovision, reactivate, roles
 * recomputed from group membership). PATCH is applied by the HTTP layer to the record it read and written back with
 * `expectedVersion`, so a concurrent write yields `scim/version-mismatch` (the layer re-reads and retries).
 *
 * @example
 * ```ts
 * const service: ScimService = createScimService({ store, plan });
 * await service.replaceUser({ tokenName: 'okta' }, id, { ...user.resource, active: false }, user.meta.version);
 * ```
 */
export interface ScimService {
  createUser(actor: ScimActor, resource: ScimJson): Promise<ScimUserRecord>;
  getUser(id: string): Promise<ScimUserRecord | null>;
  queryUsers(query: ScimUserQuery): Promise<ScimPage<ScimUserRecord>>;
  replaceUser(actor: ScimActor, id: string, resource: ScimJson, expectedVersion?: string): Promise<ScimUserRecord>;
  deleteUser(actor: ScimActor, id: string): Promise<void>;

  createGroup(actor: ScimActor, resource: ScimJson, members: string[]): Promise<ScimGroupRecord>;
  getGroup(id: string, options?: { withoutMembers?: boolean }): Promise<ScimGroupRecord | null>;
  queryGroups(query: ScimGroupQuery): Promise<ScimPage<ScimGroupRecord>>;
  replaceGroup(
    actor: ScimActor,
    id: string,
    resource: ScimJson,
    members: string[],
    expectedVersion?: string,
  ): Promise<ScimGroupRecord>;
  /** Adds and removes members by user id without rewriting the whole list (Okta and Entra send one at a time). */
  modifyMembers(actor: ScimActor, id: string, change: { add: string[]; remove: string[] }): Promise<ScimGroupRecord>;
  deleteGroup(actor: ScimActor, id: string): Promise<void>;
}
