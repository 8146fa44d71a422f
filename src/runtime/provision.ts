/**
 * provision(): what an app calls in its SSO callback, after it verified the assertion or token. Finds the account by
 * its durable key (issuer, subject) only, then creates it (JIT), updates it, or refuses, in one store transaction,
 * and appends one audit event per attempt.
 */
import { randomUUID } from 'node:crypto';
import { rfc3339Millis, type ClaimSet, type JsonValue } from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import type { Decision } from '../evaluate/decision.js';
import { evaluate } from '../evaluate/index.js';
import { jsonEqual } from '../json/equal.js';
import type { ProvisionReasonCode, RuntimeError } from './errors.js';
import { parseDuration } from './lifecycle.js';
import {
  checkKeyText,
  DEFAULT_MAX_CLAIM_BYTES,
  isEmptyValue,
  normaliseUniqueValue,
  snapshotClaims,
  uniqueEntries,
  verifiedEmail,
} from './normalise.js';
import { inTx, toDate, type AccountRecord, type Store, type StoreTx } from './store.js';
import { sortGrants } from './stores/codec.js';
import type { Account, Change, Grant, NewAuditEvent, ProvisionResult, UniqueEntry } from './types.js';

/**
 * Options of {@link provision}.
 *
 * @example
 * ```ts
 * const options: ProvisionOptions = { store, maxClockSkew: '2m' };
 * const result = await provision(plan, claimSet, options);
 * ```
 */
export interface ProvisionOptions {
  store: Store;
  /** The login time (default: the current time). A Date or an ISO 8601 string. */
  now?: Date | string;
  /**
   * Cap, in UTF-8 bytes, of the last-seen claim snapshot stored with the account. Claims that do not fit are left
   * out (counted in `lastSeenClaims.omitted`); the login is not refused. Default 16384.
   */
  maxClaimBytes?: number;
  /**
   * How far `claimSet.issuedAt` may lie after `now` (clocks of the IdP and the app disagree a little): a duration
   * (`'5m'`, `'30s'`) or milliseconds. A later issue instant is refused (`runtime/issued-at-in-future`), so a
   * forged or mis-set future instant cannot lock the account (every later login would be an older assertion).
   * Default `'5m'` ({@link DEFAULT_MAX_CLOCK_SKEW_MS}).
   */
  maxClockSkew?: string | number;
}

/**
 * Default of {@link ProvisionOptions.maxClockSkew}: 5 minutes, in milliseconds.
 *
 * @example
 * ```ts
 * await provision(plan, claimSet, { store, maxClockSkew: DEFAULT_MAX_CLOCK_SKEW_MS / 5 }); // one minute
 * ```
 */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 300_000;

type Reason = { code: ProvisionReasonCode; message: string };

/**
 * Provisions one login: evaluates `claimSet` against `plan` (with trace), then creates, updates or refuses the
 * account in one transaction of `store`, recording an audit event.
 *
 * - `created` / `updated` / `unchanged`: the login may proceed with `result.account`.
 * - `refused`: the decision refused, the account is suspended or deprovisioned (and the plan does not reactivate),
 *   the assertion is older than the last one applied (`runtime/older-assertion`), or its `issuedAt` is not an
 *   RFC 3339 date-time or lies beyond now plus `maxClockSkew`. Only the audit event is written.
 * - `conflict`: a unique profile value (email...) belongs to an account with another key. Only the audit event is
 *   written; accounts are never merged (see docs/runtime.md for `link_verified`).
 *
 * Store failures reject with a {@link RuntimeError} (`store/*`) and leave nothing written. An issuer or subject with a
 * lone surrogate or U+0000 rejects with `runtime/invalid-key` before the store is touched (not even audited).
 *
 * @example
 * ```ts
 * const store = await SqliteStore.open('claimmap.db');
 * const r = await provision(plan, claimSet, { store });
 * if (r.action === 'refused' || r.action === 'conflict') return deny(r.reason);
 * session.user = r.account!.id;
 * ```
 */
export async function provision(plan: Plan, claimSet: ClaimSet, options: ProvisionOptions): Promise<ProvisionResult> {
  if (!options || typeof options.store?.transaction !== 'function')
    throw new TypeError('provision: options.store is required');
  const nowIso = toDate(options.now, 'provision').toISOString();
  const cap = options.maxClaimBytes;
  if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 0)) {
    throw new TypeError('provision: options.maxClaimBytes must be a non-negative integer');
  }
  const maxClaimBytes = cap ?? DEFAULT_MAX_CLAIM_BYTES;
  const skewMs = clockSkew(options.maxClockSkew);
  // Key material every store must keep apart exactly: checked before evaluation and before any store access.
  if (claimSet && typeof claimSet === 'object') {
    checkKeyText(claimSet.issuer, 'issuer', '/issuer');
    const subject: unknown = claimSet.subject;
    if (subject && typeof subject === 'object')
      checkKeyText((subject as { id?: unknown }).id, 'subject', '/subject/id');
  }
  const decision = evaluate(plan, claimSet, { trace: true });
  if (decision.key) {
    checkKeyText(decision.key.issuer, 'issuer', '/issuer');
    checkKeyText(decision.key.subject, 'subject', '/subject/id');
  }
  // Profile field names in order, computed once per login (settle may run twice: a concurrent create, a link).
  const profileNames = Object.keys(decision.profile).sort();
  const mapping = { name: decision.mapping.name, version: decision.mapping.version, digest: decision.mapping.digest };
  const rules = firedRules(decision);
  // The verified email of this login (read once), the only unique value that may count as verified.
  const emailVerified = verifiedEmail(claimSet);

  // The audit key: the durable key when there is one, else the subject as claimed (for the record only).
  const auditKey = decision.key ?? {
    issuer: String(claimSet.issuer ?? ''),
    subject: String(claimSet.subject?.id ?? ''),
  };
  const event = (
    action: NewAuditEvent['action'],
    account: Account | null,
    changes: Change[],
    reason: Reason | null,
  ): NewAuditEvent => ({
    at: nowIso,
    action,
    issuer: auditKey.issuer,
    subject: auditKey.subject,
    accountId: account?.id ?? null,
    actor: 'login',
    reason,
    changes,
    rules,
    mapping,
  });

  // issuedAt: RFC 3339 only, and no later than now + skew. `bound` also tells a stored lastIssuedAt that cannot be
  // genuine (written before this check existed): it is ignored rather than locking the account.
  const bound = Date.parse(nowIso) + skewMs;
  let issuedIso: string | null = null;
  let issuedBad: Reason | null = null;
  if (claimSet.issuedAt !== undefined) {
    const ms = rfc3339Millis(claimSet.issuedAt);
    if (ms === null) {
      issuedBad = {
        code: 'runtime/invalid-issued-at',
        message: 'The claim set has an issuedAt that is not an RFC 3339 date-time (such as 2026-11-01T09:00:00Z).',
      };
    } else if (ms > bound) {
      issuedBad = {
        code: 'runtime/issued-at-in-future',
        message: `The assertion was issued at ${new Date(ms).toISOString()}, more than ${skewMs} ms after now (${nowIso}).`,
      };
    } else issuedIso = new Date(ms).toISOString();
  }

  const body = async (tx: StoreTx): Promise<ProvisionResult> => {
    const refuse = async (
      action: 'refused' | 'conflict',
      account: Account | null,
      reason: Reason,
    ): Promise<ProvisionResult> => {
      const eventId = await tx.appendAudit(event(action, account, [], reason));
      return { action, account, changes: [], decision, reason, eventId };
    };

    const key = decision.key;
    if (decision.outcome !== 'allow' || key === null) {
      const existing = key ? await tx.findByKey(key.issuer, key.subject) : null;
      const why = decision.refusals.map((r) => r.message).join(' ') || 'The mapping refused this login.';
      return refuse('refused', existing, { code: 'runtime/decision-refused', message: why });
    }

    const found = await tx.findByKey(key.issuer, key.subject);
    if (issuedBad) return refuse('refused', found, issuedBad);
    return settle(found, null);

    /**
     * Logs in as `existing` (null: a new account). `linkedFrom` is the previous subject when `existing` is a verified
     * holder that takes this key (link_verified). Recurses at most once, always with a non-null `existing`.
     */
    async function settle(existing: Account | null, linkedFrom: string | null): Promise<ProvisionResult> {
      if (existing) {
        const blocked = checkExisting(plan, existing, issuedIso, bound);
        if (blocked) return refuse('refused', existing, blocked);
      }
      // The profile this login would store, and the unique values it implies.
      const profileChanges: Change[] = [];
      const profile = existing
        ? updateProfile(existing.profile, decision, profileNames, profileChanges)
        : createProfile(decision, profileNames, profileChanges);
      const unique = uniqueEntries(plan, profile, (_field, value) => value === emailVerified);

      // Conflict check through the unique index: it never identifies the account, only refuses (or links).
      for (const entry of unique) {
        const hit = await tx.findByUnique(key!.issuer, entry.field, entry.value);
        if (!hit || hit.accountId === existing?.id) continue;
        const holder = await tx.findById(hit.accountId);
        if (!existing && holder && holder.issuer === key!.issuer && holder.subject === key!.subject) {
          // This key's own account, committed by a concurrent login after our lookup: not a conflict.
          return settle(holder, null);
        }
        if (!existing && holder && canLink(plan, entry, hit.entry, holder)) {
          // link_verified: the verified holder takes the new key; its old key no longer finds it.
          return settle(holder, holder.subject);
        }
        return refuse('conflict', existing, {
          code: 'runtime/unique-conflict',
          message: `The ${entry.field} value is already held by another account of this issuer (${hit.accountId}).`,
        });
      }
      const subjectChange: Change | null =
        linkedFrom === null
          ? null
          : { field: 'subject', op: 'change', name: 'subject', from: linkedFrom, to: key!.subject };
      return write(tx, existing, profile, profileChanges, unique, subjectChange);
    }
  };

  const write = async (
    tx: StoreTx,
    existing: Account | null,
    profile: Record<string, JsonValue>,
    profileChanges: Change[],
    unique: UniqueEntry[],
    subjectChange: Change | null,
  ): Promise<ProvisionResult> => {
    const key = decision.key!;
    const prior = existing?.grants ?? [];
    const roles = reconcile('role', plan.roles.mode, prior, decision.roles, decision.grantedBy.roles, plan, nowIso);
    const ents = reconcile(
      'entitlement',
      plan.entitlements.mode,
      prior,
      decision.entitlements,
      decision.grantedBy.entitlements,
      plan,
      nowIso,
    );
    const grants = [...roles.grants, ...ents.grants];
    const snapshot = snapshotClaims(claimSet, maxClaimBytes);

    if (!existing) {
      const changes = [...profileChanges, ...roles.changes, ...ents.changes];
      const record: AccountRecord = {
        id: randomUUID(),
        issuer: key.issuer,
        subject: key.subject,
        status: 'active',
        profile,
        lastSeenClaims: snapshot,
        mappingDigest: plan.digest,
        mappingVersion: plan.version,
        lastLoginAt: nowIso,
        lastIssuedAt: issuedIso,
        createdAt: nowIso,
        updatedAt: nowIso,
        version: 1,
      };
      await tx.insertAccount(record);
      await tx.replaceGrants(record.id, grants);
      await tx.replaceUnique(record.id, key.issuer, unique);
      const account: Account = { ...record, grants: sortGrants(grants) };
      const eventId = await tx.appendAudit(event('created', account, changes, null));
      return { action: 'created', account, changes, decision, reason: null, eventId };
    }

    const changes: Change[] = [];
    if (subjectChange) changes.push(subjectChange);
    if (existing.status !== 'active') {
      changes.push({ field: 'status', op: 'change', name: 'status', from: existing.status, to: 'active' });
    }
    changes.push(...profileChanges, ...roles.changes, ...ents.changes);
    const stored = storedIssuedMs(existing, bound);
    const lastIssuedAt =
      issuedIso !== null && (stored === null || Date.parse(issuedIso) > stored)
        ? issuedIso
        : stored === null
          ? null
          : existing.lastIssuedAt;
    const record: AccountRecord = {
      id: existing.id,
      issuer: key.issuer,
      subject: key.subject,
      status: 'active',
      profile,
      lastSeenClaims: snapshot,
      mappingDigest: plan.digest,
      mappingVersion: plan.version,
      lastLoginAt: nowIso,
      lastIssuedAt,
      createdAt: existing.createdAt,
      updatedAt: changes.length > 0 ? nowIso : existing.updatedAt,
      version: existing.version + 1,
    };
    await tx.updateAccount(record, existing.version);
    const sorted = sortGrants(grants);
    if (!sameGrants(existing.grants, sorted)) await tx.replaceGrants(record.id, grants);
    await tx.replaceUnique(record.id, key.issuer, unique);
    const account: Account = { ...record, grants: sorted };
    const action = changes.length > 0 ? 'updated' : 'unchanged';
    const eventId = await tx.appendAudit(event(action, account, changes, null));
    return { action, account, changes, decision, reason: null, eventId };
  };

  return inTx(options.store, body, 'The store failed during the login');
}

/** The clock skew option in milliseconds (TypeError when it is not a non-negative duration). */
function clockSkew(option: string | number | undefined): number {
  if (option === undefined) return DEFAULT_MAX_CLOCK_SKEW_MS;
  const ms = typeof option === 'number' ? option : parseDuration(option);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new TypeError('provision: options.maxClockSkew must be a non-negative duration');
  return ms;
}

/**
 * The stored issue instant of the last applied assertion, in milliseconds, or null when there is none, or when it
 * is not a date-time or lies beyond `bound` (now + skew): such a value was never a genuine issue instant (it was
 * stored before issuedAt was bounded) and must not lock the account. The next login replaces it.
 */
function storedIssuedMs(existing: Account, bound: number): number | null {
  const ms = rfc3339Millis(existing.lastIssuedAt);
  return ms === null || ms > bound ? null : ms;
}

/** Why an existing account may not log in now, or null. */
function checkExisting(plan: Plan, existing: Account, issuedIso: string | null, bound: number): Reason | null {
  if (existing.status !== 'active' && !plan.lifecycle.reactivate) {
    return existing.status === 'deprovisioned'
      ? {
          code: 'runtime/account-deprovisioned',
          message: 'The account was deprovisioned; the mapping does not reactivate it.',
        }
      : { code: 'runtime/account-suspended', message: 'The account is suspended; the mapping does not reactivate it.' };
  }
  const stored = storedIssuedMs(existing, bound);
  if (issuedIso !== null && stored !== null && Date.parse(issuedIso) < stored) {
    return {
      code: 'runtime/older-assertion',
      message: `The assertion was issued at ${issuedIso}, before the last one applied (${existing.lastIssuedAt}).`,
    };
  }
  return null;
}

/**
 * `link_verified` links only a new key, only to an active account, and only when both sides are a verified email:
 * the incoming value is this login's verified email (see `verifiedEmail`), the stored entry was recorded as one,
 * and the holder's last-seen claims (when it has any) agree: `email_verified` JSON `true` for that same email. The
 * last check keeps an entry flagged verified by an older claimmap, which took `"0"` or an absent flag for
 * verified, from linking.
 */
function canLink(plan: Plan, incoming: UniqueEntry, stored: UniqueEntry, holder: Account): boolean {
  return (
    plan.accounts.emailConflict === 'link_verified' &&
    incoming.verified &&
    stored.verified &&
    holder.status === 'active' &&
    lastSeenAttests(holder, stored.value)
  );
}

/** Whether the holder's last-seen claims say `email_verified: true` for this (normalised) email; true without a snapshot. */
function lastSeenAttests(holder: Account, value: string): boolean {
  const snap = holder.lastSeenClaims;
  if (snap === null) return true; // put into the store directly, never by a login: the stored flag is all there is
  const claims = snap.claims;
  if (!Object.hasOwn(claims, 'email_verified') || claims.email_verified !== true || !Object.hasOwn(claims, 'email'))
    return false;
  const email = claims.email;
  return typeof email === 'string' && normaliseUniqueValue(email) === value;
}

/** The ids of the rules that fired, sorted (provision always evaluates with a trace). */
function firedRules(decision: Decision): string[] {
  const ids = new Set<string>();
  for (const t of decision.trace ?? []) if (t.fired) ids.add(t.rule);
  return [...ids].sort();
}

/** The distinct strings of a list, sorted (a new array). */
function sortedUnique(list: readonly string[]): string[] {
  return list.length < 2 ? [...list] : [...new Set(list)].sort();
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether two grant lists, both in {@link sortGrants} order, hold the same grants with the same provenance: what
 * comparing their canonical JSON tells, field by field (this runs on every returning login).
 */
function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.kind !== y.kind || x.name !== y.name || x.grantedAt !== y.grantedAt) return false;
    if (x.source === 'mapping') {
      if (
        y.source !== 'mapping' ||
        x.mappingDigest !== y.mappingDigest ||
        x.mappingVersion !== y.mappingVersion ||
        !sameStrings(x.rules, y.rules)
      ) {
        return false;
      }
    } else if (y.source !== 'manual' || x.actor !== y.actor || x.note !== y.note) {
      return false;
    }
  }
  return true;
}

function createProfile(decision: Decision, names: readonly string[], changes: Change[]): Record<string, JsonValue> {
  const profile = Object.create(null) as Record<string, JsonValue>;
  for (const name of names) {
    const pv = decision.profile[name]!;
    if (pv.state !== 'present') continue;
    profile[name] = pv.value;
    changes.push({ field: 'profile', op: 'add', name, to: pv.value });
  }
  return profile;
}

/**
 * The profile after an update: `always` writes a present value, `create` never changes, `fill` writes only into an
 * empty field. When the source is absent, `clear: true` removes the stored value (for `always` and `fill`).
 * A malformed source never changes the stored value.
 */
function updateProfile(
  stored: Record<string, JsonValue>,
  decision: Decision,
  names: readonly string[],
  changes: Change[],
): Record<string, JsonValue> {
  const profile = Object.assign(Object.create(null) as Record<string, JsonValue>, stored);
  for (const name of names) {
    const pv = decision.profile[name]!;
    const has = Object.prototype.hasOwnProperty.call(stored, name);
    const old = has ? stored[name] : undefined;
    if (pv.sync === 'create') continue;
    if (pv.state === 'present') {
      if (pv.sync === 'fill' && !isEmptyValue(old)) continue;
      if (has && jsonEqual(old, pv.value)) continue;
      profile[name] = pv.value;
      changes.push(
        has
          ? { field: 'profile', op: 'change', name, from: old!, to: pv.value }
          : { field: 'profile', op: 'add', name, to: pv.value },
      );
    } else if (pv.state === 'absent' && pv.clear && has) {
      delete profile[name];
      changes.push({ field: 'profile', op: 'remove', name, from: old! });
    }
  }
  return profile;
}

/**
 * Reconciles one kind of grant. Manual grants are kept as they are. In `replace` mode, mapping grants no longer held
 * are removed; in `add` mode they are kept. Held grants are re-stamped with the current mapping digest and rules.
 */
function reconcile(
  kind: Grant['kind'],
  mode: 'replace' | 'add',
  prior: Grant[],
  desired: string[],
  grantedBy: Record<string, string[]>,
  plan: Plan,
  nowIso: string,
): { grants: Grant[]; changes: Change[] } {
  const grants: Grant[] = [];
  const owned = new Map<string, Extract<Grant, { source: 'mapping' }>>();
  for (const g of prior) {
    if (g.kind !== kind) continue;
    if (g.source === 'manual') grants.push(g);
    else owned.set(g.name, g);
  }
  const changes: Change[] = [];
  const want = sortedUnique(desired);
  for (const name of want) {
    const ruleIds = sortedUnique(grantedBy[name] ?? []);
    const old = owned.get(name);
    grants.push({
      kind,
      name,
      grantedAt: old?.grantedAt ?? nowIso,
      source: 'mapping',
      rules: ruleIds,
      mappingDigest: plan.digest,
      mappingVersion: plan.version,
    });
    if (!old) changes.push({ field: kind, op: 'add', name, rules: ruleIds });
    else if (!sameStrings(old.rules, ruleIds)) {
      changes.push({ field: kind, op: 'change', name, from: old.rules, to: ruleIds, rules: ruleIds });
    }
  }
  const wanted = new Set(want);
  for (const [name, old] of owned) {
    if (wanted.has(name)) continue;
    if (mode === 'add') grants.push(old);
    else changes.push({ field: kind, op: 'remove', name, rules: old.rules });
  }
  return { grants, changes };
}
