/**
 * The find step of provision(): the account of a login is found by its durable key (issuer, subject) only, never by
 * an email or another profile value. The unique index is read only to refuse a value another account holds (or,
 * with `link_verified`, to link a verified holder): it never identifies the account.
 */
import type { Plan } from '../../model/plan.js';
import { normaliseUniqueValue } from '../normalise.js';
import type { LoginTx } from '../store.js';
import type { Account, AccountKey, UniqueEntry } from '../types.js';
import type { Reason } from './decide.js';

/**
 * The account with this durable key, or null.
 *
 * @example
 * ```ts
 * const existing = await findAccount(tx, decision.key);
 * ```
 */
export function findAccount(tx: LoginTx, key: AccountKey): Promise<Account | null> {
  return tx.findByKey(key.issuer, key.subject);
}

/**
 * What the unique index says about the values a login would store for `existing` (null: a new account):
 * - `clear`: no other account holds any of them;
 * - `own`: (new account only) the holder is this key's own account, committed by a concurrent login after the
 *   lookup: not a conflict, log in as it;
 * - `link`: (new account only) `link_verified` applies: the verified holder takes this key;
 * - `conflict`: another account holds a value; the login is refused with `reason`.
 */
export type UniqueCheck =
  | { kind: 'clear' }
  | { kind: 'own'; holder: Account }
  | { kind: 'link'; holder: Account }
  | { kind: 'conflict'; reason: Reason };

/**
 * Checks `unique` (the entries of the profile a login would store) against the unique index, in entry order; the
 * first entry held by another account decides.
 *
 * @example
 * ```ts
 * const check = await checkUnique(tx, plan, key, existing, uniqueEntries(plan, profile, isVerified));
 * if (check.kind === 'conflict') return refuse(tx, login, 'conflict', existing, check.reason);
 * ```
 */
export async function checkUnique(
  tx: LoginTx,
  plan: Plan,
  key: AccountKey,
  existing: Account | null,
  unique: readonly UniqueEntry[],
): Promise<UniqueCheck> {
  for (const entry of unique) {
    const hit = await tx.findByUnique(key.issuer, entry.field, entry.value);
    if (!hit || hit.accountId === existing?.id) continue;
    const holder = await tx.findById(hit.accountId);
    if (!existing && holder && holder.issuer === key.issuer && holder.subject === key.subject) {
      return { kind: 'own', holder };
    }
    if (!existing && holder && canLink(plan, entry, hit.entry, holder)) return { kind: 'link', holder };
    return {
      kind: 'conflict',
      reason: {
        code: 'runtime/unique-conflict',
        message: `The ${entry.field} value is already held by another account of this issuer (${hit.accountId}).`,
      },
    };
  }
  return { kind: 'clear' };
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
