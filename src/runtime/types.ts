/**
 * The runtime's data: accounts, grants with provenance, audit events, and the result of `provision()`.
 * All of it is plain JSON-serialisable data.
 */
import type { JsonValue } from '../model/claim-set.js';
import type { AccountKey, Decision } from '../evaluate/decision.js';
import type { ProvisionReasonCode } from './errors.js';

export type { AccountKey };

/**
 * An account's lifecycle state. Only `active` accounts are logged in by `provision()` (unless reactivated).
 *
 * @example
 * ```ts
 * const suspended = await listAccounts(store, { status: 'suspended' satisfies AccountStatus });
 * ```
 */
export type AccountStatus = 'active' | 'suspended' | 'deprovisioned';

/**
 * Where a grant came from. `mapping` grants are owned by the mapping; `manual` grants are never touched by it.
 *
 * @example
 * ```ts
 * const why = (g: GrantProvenance) => (g.source === 'mapping' ? g.rules.join(', ') : `manual by ${g.actor}`);
 * ```
 */
export type GrantProvenance =
  | {
      source: 'mapping';
      /** The ids of the plan rules that granted it (`roles[2]`), sorted. */
      rules: string[];
      /** The plan digest and declared version that granted it. */
      mappingDigest: string;
      mappingVersion: string | null;
    }
  | { source: 'manual'; actor?: string; note?: string };

/**
 * One role or entitlement held by an account, with its provenance.
 *
 * @example
 * ```ts
 * const manual: Grant[] = account.grants.filter((g) => g.source === 'manual');
 * ```
 */
export type Grant = {
  kind: 'role' | 'entitlement';
  name: string;
  /** ISO 8601 instant at which this grant was first written. */
  grantedAt: string;
} & GrantProvenance;

/**
 * The stored snapshot of the last claims applied (canonical key order, capped at `maxClaimBytes`).
 *
 * @example
 * ```ts
 * const snapshot: ClaimSnapshot | null = account.lastSeenClaims;
 * console.log(snapshot?.issuedAt, Object.keys(snapshot?.claims ?? {}));
 * ```
 */
export interface ClaimSnapshot {
  protocol: string;
  issuer: string;
  subject: string;
  issuedAt: string | null;
  claims: Record<string, JsonValue>;
  /** Claims left out to stay under the size cap (their count), when any were. */
  omitted?: number;
  /** SAML NameID Format of the login, so a later preview re-evaluates the key exactly. */
  subjectFormat?: string;
  /** Alternative names (SAML FriendlyName, urn:oid aliases) of the stored claims. */
  aliases?: Record<string, string>;
  /** Claims the IdP marked incomplete (group overage). */
  indeterminate?: string[];
}

/**
 * A stored account. `version` is an optimistic-concurrency counter bumped by every write.
 *
 * @example
 * ```ts
 * const account: Account | null = await getAccount(store, { issuer, subject });
 * console.log(account?.status, account?.grants.map((g) => g.name));
 * ```
 */
export interface Account {
  id: string;
  issuer: string;
  subject: string;
  status: AccountStatus;
  profile: Record<string, JsonValue>;
  grants: Grant[];
  lastSeenClaims: ClaimSnapshot | null;
  mappingDigest: string | null;
  mappingVersion: string | null;
  /** Last successful login (ISO 8601), or null if the account was never logged in. */
  lastLoginAt: string | null;
  /** Issue instant of the last applied assertion (SAML IssueInstant, OIDC iat), for the older-assertion check. */
  lastIssuedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/**
 * What a table of accounts shows of each: its key, status, last login and role names, without the profile, the
 * claim snapshot or any grant's provenance. Read by `eachAccountSummary` and `eachDormantSummary` (StoreTx
 * `listAccountSummaries`), which decode no JSON column of the account, so a listing of many accounts costs little
 * more than reading these columns.
 *
 * @example
 * ```ts
 * for await (const s of eachAccountSummary(store)) console.log(s.subject, s.status, s.roles.join(','));
 * ```
 */
export interface AccountSummary {
  id: string;
  issuer: string;
  subject: string;
  status: AccountStatus;
  /** Last successful login (ISO 8601), or null if the account was never logged in. */
  lastLoginAt: string | null;
  /**
   * The names of the account's role grants (entitlements are not roles) in the order of its `grants`: by name, in
   * UTF-16 code units. A role granted both by the mapping and by hand is two grants, so its name appears twice.
   */
  roles: string[];
}

/**
 * One entry of the unique-value index: a normalised profile value owned by one account of one issuer.
 *
 * @example
 * ```ts
 * const entry: UniqueEntry = { field: 'email', value: normaliseUniqueValue(' Jane@Example.com'), verified: true };
 * ```
 */
export interface UniqueEntry {
  field: string;
  /** The normalised value (see `normaliseUniqueValue`). */
  value: string;
  /** Whether the value came from verified claims (and, for `email`, was not flagged `email_verified: false`). */
  verified: boolean;
}

/**
 * A per-field difference recorded by `provision()` and lifecycle calls.
 *
 * @example
 * ```ts
 * const change: Change = { field: 'role', op: 'add', name: 'admin', rules: ['roles[1]'] };
 * formatChange(change); // '+ role admin (roles[1])'
 * ```
 */
export interface Change {
  field: 'profile' | 'role' | 'entitlement' | 'status' | 'subject' | 'mapping';
  op: 'add' | 'remove' | 'change';
  /** The profile field, role or entitlement name; `status`, `subject` or `digest` otherwise. */
  name: string;
  from?: JsonValue;
  to?: JsonValue;
  /** For grants: the rule ids that granted it (or `manual`). */
  rules?: string[];
}

/**
 * What an audit event records.
 *
 * @example
 * ```ts
 * const refusals = (await listAudit(store)).filter((e) => e.action === ('refused' satisfies AuditAction));
 * ```
 */
export type AuditAction =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'refused'
  | 'conflict'
  | 'deprovisioned'
  | 'suspended'
  | 'reactivated'
  | 'granted'
  | 'revoked'
  | 'scim-token-created'
  | 'scim-token-revoked'
  | 'scim-unauthenticated';

/**
 * An append-only audit record: one per login attempt, lifecycle call and manual grant or revocation.
 *
 * @example
 * ```ts
 * for (const e of await listAudit(store, { key: { issuer, subject }, limit: 20 }))
 *   console.log(e.at, e.action, e.actor, e.changes.map(formatChange));
 * ```
 */
export interface AuditEvent {
  id: string;
  /** ISO 8601 instant. */
  at: string;
  action: AuditAction;
  issuer: string;
  subject: string;
  accountId: string | null;
  /** Who did it, for lifecycle calls and manual grants (`scim`, `runbook:jane`); `login` for logins. */
  actor: string;
  reason: { code: string; message: string } | null;
  changes: Change[];
  /** Rule ids that fired. */
  rules: string[];
  mapping: { name: string; version: string | null; digest: string } | null;
}

/**
 * An audit event before the store assigns its id.
 *
 * @example
 * ```ts
 * // A Store implementation assigns the id:
 * async appendAudit(event: NewAuditEvent): Promise<string> {
 *   const id = randomUUID();
 *   this.events.push({ id, ...event });
 *   return id;
 * }
 * ```
 */
export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/**
 * The result of {@link provision}.
 *
 * @example
 * ```ts
 * const result: ProvisionResult = await provision(plan, claimSet, { store });
 * if (result.action === 'refused') console.warn(result.reason?.code, result.decision.refusals);
 * ```
 */
export interface ProvisionResult {
  action: 'created' | 'updated' | 'unchanged' | 'refused' | 'conflict';
  /** The account after the login (for refused and conflict: the existing account with this key, or null). */
  account: Account | null;
  changes: Change[];
  /** The evaluator's decision, with its trace. */
  decision: Decision;
  /** Why the login was refused or conflicted; null otherwise. */
  reason: { code: ProvisionReasonCode; message: string } | null;
  /** The id of the audit event recorded for this login. */
  eventId: string;
}

/**
 * A stored SCIM bearer token: its name (the IdP connection, audited as actor `scim:<name>`) and the SHA-256 of the
 * token, never the token itself.
 *
 * @example
 * ```ts
 * const live: ScimTokenRecord[] = (await listScimTokens(store)).filter((t) => t.revokedAt === null);
 * ```
 */
export interface ScimTokenRecord {
  name: string;
  /** Lower-case hex SHA-256 of the token's UTF-8 bytes. */
  hash: string;
  /** ISO 8601 instant. */
  createdAt: string;
  /** ISO 8601 instant of the revocation, or null while the token is valid. */
  revokedAt: string | null;
}
