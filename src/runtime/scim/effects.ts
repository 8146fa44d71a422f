/**
 * What a SCIM write does to the linked account, inside the write's transaction: create it (pre-provisioning),
 * change its status (suspend, deprovision, reactivate where the mapping allows), and write the mapping-owned
 * grants recomputed from SCIM group membership. Each returns the changes for the audit event.
 */
import { randomUUID } from 'node:crypto';
import type { Plan } from '../../model/plan.js';
import { applyStatus } from '../lifecycle.js';
import { reconcileGrants, sameGrants } from '../provision/reconcile.js';
import type { AccountRecord, StoreTx } from '../store.js';
import type { Account, AccountStatus, Change } from '../types.js';
import { decideScimGrants } from './evaluate-groups.js';

/**
 * The account of the durable key (issuer, `subject`), created active and never logged in when there is none: the
 * first SSO login with the same key finds it and completes its profile.
 */
export async function linkAccount(
  tx: StoreTx,
  plan: Plan,
  subject: string,
  nowIso: string,
  changes: Change[],
): Promise<Account> {
  const found = await tx.findByKey(plan.idp.issuer, subject);
  if (found) return found;
  const record: AccountRecord = {
    id: randomUUID(),
    issuer: plan.idp.issuer,
    subject,
    status: 'active',
    profile: {},
    lastSeenClaims: null,
    mappingDigest: plan.digest,
    mappingVersion: plan.version,
    lastLoginAt: null,
    lastIssuedAt: null,
    createdAt: nowIso,
    updatedAt: nowIso,
    version: 1,
  };
  await tx.insertAccount(record);
  changes.push({ field: 'status', op: 'add', name: 'status', to: 'active' });
  return { ...record, grants: [] };
}

/** Sets the account's status (no write when it already has it), through the runtime's one status write. */
export async function setStatus(
  tx: StoreTx,
  account: Account,
  to: AccountStatus,
  nowIso: string,
  changes: Change[],
): Promise<Account> {
  const applied = await applyStatus(tx, account, to, nowIso);
  changes.push(...applied.changes);
  return applied.account;
}

/**
 * Recomputes the mapping-owned grants of `account` with the groups claim replaced by `groups` (manual grants are
 * kept), and writes them when they differ. Returns the fired rules for the audit event.
 */
export async function regrant(
  tx: StoreTx,
  plan: Plan,
  account: Account,
  claim: string,
  groups: string[],
  nowIso: string,
  changes: Change[],
): Promise<{ account: Account; rules: string[] }> {
  const decision = decideScimGrants(plan, account, claim, groups);
  const { grants, changes: grantChanges } = reconcileGrants(plan, decision, account.grants, nowIso);
  const rules = [...new Set((decision.trace ?? []).filter((t) => t.fired).map((t) => t.rule))].sort();
  // Both in sortGrants order: the store's and reconcileGrants'.
  if (sameGrants(account.grants, grants)) return { account, rules };
  await tx.replaceGrants(account.id, grants);
  changes.push(...grantChanges);
  return { account: { ...account, grants }, rules };
}
