/**
 * provision(): what an app calls in its SSO callback, after it verified the assertion or token. Finds the account by
 * its durable key (issuer, subject) only, then creates it (JIT), updates it, or refuses, in one store transaction,
 * and appends one audit event per attempt.
 *
 * The steps, one module each: decide (evaluate, check the key and the issue instant), find (the account by its key;
 * unique values only to refuse or link), profile and reconcile (what the account would hold), write (store writes
 * and the audit event). This module checks the options and runs the steps in one transaction.
 */
import type { ClaimSet } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import type { RuntimeError } from '../errors.js';
import { parseDuration } from '../lifecycle.js';
import { DEFAULT_MAX_CLAIM_BYTES, uniqueEntries } from '../normalise.js';
import { inLoginTx, type LoginStore, type LoginTx, type Store, toDate } from '../store.js';
import type { Account, AccountKey, Change, ProvisionResult } from '../types.js';
import { withClaim } from '../scim/evaluate-groups.js';
import { checkExisting, decideLogin, type Login, type LoginSettings, type Reason } from './decide.js';
import { checkUnique, findAccount } from './find.js';
import { proposeProfile } from './profile.js';
import { refuse, writeLogin } from './write.js';

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
  const settings = loginSettings(options);
  return provisionDecided(decideLogin(plan, claimSet, settings), options.store);
}

/**
 * The second half of {@link provision}: runs a login decided by `decideLogin` in one transaction of `store`.
 * Internal: the simulator decides each mutated login once and runs it on two stores (update and JIT path).
 *
 * @example
 * ```ts
 * const login = decideLogin(plan, claimSet, loginSettings({ now }));
 * const [onUpdate, onJit] = [await provisionDecided(login, seeded), await provisionDecided(login, empty)];
 * ```
 */
export function provisionDecided(login: Login, store: LoginStore): Promise<ProvisionResult> {
  return inLoginTx(store, (tx) => run(tx, login), 'The store failed during the login');
}

/**
 * The checked options of one login but its store (TypeError for a caller mistake). Internal (provision, the
 * simulator).
 *
 * @example
 * ```ts
 * const settings = loginSettings({ now: '2026-11-01T09:00:00Z' });
 * ```
 */
export function loginSettings(options: Omit<ProvisionOptions, 'store'>): LoginSettings {
  const nowIso = toDate(options.now, 'provision').toISOString();
  const cap = options.maxClaimBytes;
  if (cap !== undefined && (!Number.isSafeInteger(cap) || cap < 0)) {
    throw new TypeError('provision: options.maxClaimBytes must be a non-negative integer');
  }
  return { nowIso, maxClaimBytes: cap ?? DEFAULT_MAX_CLAIM_BYTES, skewMs: clockSkew(options.maxClockSkew) };
}

/** The clock skew option in milliseconds (TypeError when it is not a non-negative duration). */
function clockSkew(option: string | number | undefined): number {
  if (option === undefined) return DEFAULT_MAX_CLOCK_SKEW_MS;
  const ms = typeof option === 'number' ? option : parseDuration(option);
  if (!Number.isSafeInteger(ms) || ms < 0)
    throw new TypeError('provision: options.maxClockSkew must be a non-negative duration');
  return ms;
}

/** The transaction of one login: refused by the decision or the issue instant, else settled on the found account. */
async function run(tx: LoginTx, login: Login): Promise<ProvisionResult> {
  const { decision } = login;
  const key = decision.key;
  if (decision.outcome !== 'allow' || key === null) {
    const existing = key ? await findAccount(tx, key) : null;
    const why = decision.refusals.map((r) => r.message).join(' ') || 'The mapping refused this login.';
    return refuse(tx, login, 'refused', existing, { code: 'runtime/decision-refused', message: why });
  }
  const found = await findAccount(tx, key);
  if (login.issuedBad) return refuse(tx, login, 'refused', found, login.issuedBad);
  if (found && login.plan.scim) {
    // A SCIM-managed account: SCIM decides its status (a login never reactivates it), and its SCIM group
    // membership is the groups claim, so a login and a SCIM write always compute the same roles.
    const scimUser = await tx.findScimUserByAccount(found.id);
    if (scimUser) {
      if (found.status !== 'active') return refuse(tx, login, 'refused', found, scimManaged(found.status));
      const claim = login.plan.scim.groups;
      if (claim !== null) {
        const groups = (await tx.scimGroupsOf(scimUser.id)).map((g) => g.displayName);
        return settle(tx, withScimGroups(login, claim, groups), key, found, null);
      }
    }
  }
  return settle(tx, login, key, found, null);
}

/** Why a login of a SCIM-managed account that is not active is refused, whatever `reactivate` says. */
function scimManaged(status: Account['status']): Reason {
  return status === 'deprovisioned'
    ? {
        code: 'runtime/account-deprovisioned',
        message: 'The account was deprovisioned over SCIM; only SCIM brings it back.',
      }
    : { code: 'runtime/account-suspended', message: 'The account is suspended over SCIM; only SCIM reactivates it.' };
}

/**
 * The login decided again with the groups claim replaced by the SCIM membership. The stored snapshot keeps the
 * claims the IdP sent (the login's own claim set); only the decision changes.
 */
function withScimGroups(login: Login, claim: string, groups: string[]): Login {
  const decided = decideLogin(login.plan, withClaim(login.plan, login.claimSet, claim, groups), login);
  return { ...decided, claimSet: login.claimSet, emailVerified: login.emailVerified };
}

/**
 * Logs in as `existing` (null: a new account). `linkedFrom` is the previous subject when `existing` is a verified
 * holder that takes this key (link_verified). Recurses at most once, always with a non-null `existing`.
 */
async function settle(
  tx: LoginTx,
  login: Login,
  key: AccountKey,
  existing: Account | null,
  linkedFrom: string | null,
): Promise<ProvisionResult> {
  if (existing) {
    const blocked = checkExisting(login, existing);
    if (blocked) return refuse(tx, login, 'refused', existing, blocked);
  }
  // The profile this login would store, and the unique values it implies.
  const proposed = proposeProfile(login.decision, login.profileNames, existing);
  const unique = uniqueEntries(login.plan, proposed.profile, (_field, value) => value === login.emailVerified);
  // Conflict check through the unique index: it never identifies the account, only refuses (or links).
  const check = await checkUnique(tx, login.plan, key, existing, unique);
  if (check.kind === 'own') return settle(tx, login, key, check.holder, null);
  if (check.kind === 'link') return settle(tx, login, key, check.holder, check.holder.subject);
  if (check.kind === 'conflict') return refuse(tx, login, 'conflict', existing, check.reason);
  const subjectChange: Change | null =
    linkedFrom === null ? null : { field: 'subject', op: 'change', name: 'subject', from: linkedFrom, to: key.subject };
  return writeLogin(tx, login, key, existing, { ...proposed, unique, subjectChange });
}
