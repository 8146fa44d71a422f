/**
 * The write step of provision(): the store writes of one login and its one audit event. A refused or conflicting
 * login writes only the audit event; a created one inserts the account, its grants and unique entries; a returning
 * one updates the account (grants only when they differ) and is `updated` when anything changed, else `unchanged`.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../model/claim-set.js';
import { snapshotClaims } from '../normalise.js';
import type { AccountRecord, LoginTx } from '../store.js';
import { accountOf } from '../stores/codec.js';
import type { Account, AccountKey, Change, NewAuditEvent, ProvisionResult, UniqueEntry } from '../types.js';
import { type Login, type Reason, storedIssuedMs } from './decide.js';
import type { ProposedProfile } from './profile.js';
import { reconcileGrants, sameGrants } from './reconcile.js';

/** What a login stores, as decided by the steps before the write. */
export interface Proposal extends ProposedProfile {
  /** The unique-index entries of `profile`. */
  unique: UniqueEntry[];
  /** The change of subject when a verified holder takes this key (link_verified), else null. */
  subjectChange: Change | null;
}

/**
 * The audit event of one login attempt.
 *
 * @example
 * ```ts
 * await tx.appendAudit(auditEvent(login, 'refused', existing, [], reason));
 * ```
 */
export function auditEvent(
  login: Login,
  action: NewAuditEvent['action'],
  account: Account | null,
  changes: Change[],
  reason: Reason | null,
): NewAuditEvent {
  return {
    at: login.nowIso,
    action,
    issuer: login.auditKey.issuer,
    subject: login.auditKey.subject,
    accountId: account?.id ?? null,
    actor: 'login',
    reason,
    changes,
    rules: login.rules,
    mapping: login.mapping,
  };
}

/**
 * Refuses a login (or reports a conflict): writes only its audit event.
 *
 * @example
 * ```ts
 * return refuse(tx, login, 'refused', existing, { code: 'runtime/decision-refused', message: why });
 * ```
 */
export async function refuse(
  tx: LoginTx,
  login: Login,
  action: 'refused' | 'conflict',
  account: Account | null,
  reason: Reason,
): Promise<ProvisionResult> {
  const eventId = await tx.appendAudit(auditEvent(login, action, account, [], reason));
  return { action, account, changes: [], decision: login.decision, reason, eventId };
}

/**
 * Writes a login that may proceed: creates the account when `existing` is null, else updates it; reconciles the
 * grants, replaces the unique entries and appends the audit event.
 *
 * @example
 * ```ts
 * return writeLogin(tx, login, key, existing, { profile, changes, unique, subjectChange: null });
 * ```
 */
export function writeLogin(
  tx: LoginTx,
  login: Login,
  key: AccountKey,
  existing: Account | null,
  proposal: Proposal,
): Promise<ProvisionResult> {
  return existing ? updateAccount(tx, login, key, existing, proposal) : createAccount(tx, login, key, proposal);
}

/**
 * The account row a login writes: the fields every login sets, and those that differ between a new and a returning
 * account. Written out field by field (no spread): one object shape for every row, built in one step.
 */
function loginRecord(
  login: Login,
  key: AccountKey,
  profile: Record<string, JsonValue>,
  row: Pick<AccountRecord, 'id' | 'lastIssuedAt' | 'createdAt' | 'updatedAt' | 'version'>,
): AccountRecord {
  return {
    id: row.id,
    issuer: key.issuer,
    subject: key.subject,
    status: 'active',
    profile,
    lastSeenClaims: login.snapshot === false ? null : snapshotClaims(login.claimSet, login.maxClaimBytes),
    mappingDigest: login.plan.digest,
    mappingVersion: login.plan.version,
    lastLoginAt: login.nowIso,
    lastIssuedAt: row.lastIssuedAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function createAccount(tx: LoginTx, login: Login, key: AccountKey, proposal: Proposal): Promise<ProvisionResult> {
  const { grants, changes: grantChanges } = reconcileGrants(login.plan, login.decision, [], login.nowIso);
  const changes = proposal.changes.concat(grantChanges);
  const record = loginRecord(login, key, proposal.profile, {
    id: randomUUID(),
    lastIssuedAt: login.issuedIso,
    createdAt: login.nowIso,
    updatedAt: login.nowIso,
    version: 1,
  });
  await tx.insertAccount(record);
  await tx.replaceGrants(record.id, grants);
  await tx.replaceUnique(record.id, key.issuer, proposal.unique);
  const account = accountOf(record, grants); // reconcileGrants returns them in sortGrants order
  const eventId = await tx.appendAudit(auditEvent(login, 'created', account, changes, null));
  return { action: 'created', account, changes, decision: login.decision, reason: null, eventId };
}

async function updateAccount(
  tx: LoginTx,
  login: Login,
  key: AccountKey,
  existing: Account,
  proposal: Proposal,
): Promise<ProvisionResult> {
  const { grants, changes: grantChanges } = reconcileGrants(login.plan, login.decision, existing.grants, login.nowIso);
  const changes: Change[] = [];
  if (proposal.subjectChange) changes.push(proposal.subjectChange);
  if (existing.status !== 'active') {
    changes.push({ field: 'status', op: 'change', name: 'status', from: existing.status, to: 'active' });
  }
  for (const c of proposal.changes) changes.push(c);
  for (const c of grantChanges) changes.push(c);
  const record = loginRecord(login, key, proposal.profile, {
    id: existing.id,
    lastIssuedAt: lastIssuedAt(login, existing),
    createdAt: existing.createdAt,
    updatedAt: changes.length > 0 ? login.nowIso : existing.updatedAt,
    version: existing.version + 1,
  });
  await tx.updateAccount(record, existing.version);
  // Both lists are in sortGrants order: the store's (it returns them sorted) and reconcileGrants'.
  if (!sameGrants(existing.grants, grants)) await tx.replaceGrants(record.id, grants);
  await tx.replaceUnique(record.id, key.issuer, proposal.unique);
  const account = accountOf(record, grants);
  const action = changes.length > 0 ? 'updated' : 'unchanged';
  const eventId = await tx.appendAudit(auditEvent(login, action, account, changes, null));
  return { action, account, changes, decision: login.decision, reason: null, eventId };
}

/**
 * The issue instant an updated account keeps: this login's when it is later than the stored one (or the stored one
 * is not genuine, see {@link storedIssuedMs}), else the stored one; null when neither is.
 */
function lastIssuedAt(login: Login, existing: Account): string | null {
  const stored = storedIssuedMs(existing, login.bound);
  const issued = login.issuedIso;
  if (issued !== null && (stored === null || Date.parse(issued) > stored)) return issued;
  return stored === null ? null : existing.lastIssuedAt;
}
