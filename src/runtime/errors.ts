/**
 * Typed errors of the runtime (stores, provisioning, lifecycle). Stable API: extend, never rename.
 * Store contents are untrusted: anything that cannot be decoded is a `store/corrupt-record`, never a crash.
 */
import { brandErrorClass, ClaimmapError, type ErrorPosition } from '../errors.js';
import type { ScimServiceErrorCode } from './scim/types.js';

/**
 * Codes for runtime failures (stores, provisioning). Stable API: extend, never rename.
 *
 * @example
 * ```ts
 * if (isRuntimeError(e, 'store/busy' satisfies RuntimeErrorCode)) return retryLater();
 * ```
 */
export type RuntimeErrorCode =
  | 'store/unavailable' //        the store cannot be opened or reached, or was closed
  | 'store/busy' //               a lock was not obtained within busy_timeout, or transaction retries ran out
  | 'store/conflict' //           a write lost an optimistic-concurrency race (stale version, duplicate key)
  | 'store/corrupt-record' //     a stored row that does not decode (bad JSON, wrong type, unknown status)
  | 'store/migration-failed' //   a schema migration failed; the store is left at the previous version
  | 'store/schema-too-new' //     the database was migrated by a newer claimmap than this one
  | 'store/schema-too-old' //     the schema is behind this claimmap and the store may not migrate it (PostgreSQL migrate: false)
  | 'store/write-failed' //       any other failure inside a transaction; it was rolled back
  | 'store/driver-missing' //     the store's driver (better-sqlite3, pg: optional peer dependencies) is not installed, or its native module does not load
  | 'store/not-found' //          a read-only open found no store (no SQLite file, no claimmap schema); nothing was created
  | 'store/read-only' //          a write through a store opened read-only; nothing was written
  | 'runtime/decision-refused' //       the evaluator refused the login (see `decision.refusals`)
  | 'runtime/account-deprovisioned' //  a login for an offboarded account (and the mapping does not reactivate), or a manual grant to it
  | 'runtime/account-suspended' //      a login for a suspended account, and the mapping does not reactivate
  | 'runtime/older-assertion' //        the assertion was issued before the last one applied to this account
  | 'runtime/invalid-issued-at' //      `claimSet.issuedAt` is not an RFC 3339 date-time
  | 'runtime/issued-at-in-future' //    `claimSet.issuedAt` is later than now plus the allowed clock skew
  | 'runtime/invalid-key' //            (thrown) an issuer or subject with a lone surrogate or U+0000; nothing was read or written
  | 'runtime/unique-conflict' //        a unique profile value (email...) already belongs to an account with another key
  | 'runtime/account-not-found' //      a lifecycle or manual-grant call for a key that has no account
  | 'grant/invalid-kind' //       a manual grant whose kind is not role or entitlement
  | 'grant/invalid-name' //       a manual grant name that is empty, too long, padded, or has control/format characters
  | 'grant/invalid-actor' //      a manual grant or revocation without a usable actor (same rules as the name)
  | 'grant/invalid-note' //       a manual grant note that is too long or has control characters
  | 'grant/not-found' //         revoking a manual grant the account does not hold
  | ScimServiceErrorCode; //      the SCIM service (src/runtime/scim/types.ts): scim/not-found, scim/uniqueness, ...

/**
 * The codes a refused or conflicting login is recorded with (`ProvisionResult.reason.code`).
 *
 * @example
 * ```ts
 * const result = await provision(plan, claimSet, { store });
 * if (result.reason?.code === ('runtime/account-suspended' satisfies ProvisionReasonCode)) res.status(403);
 * ```
 */
export type ProvisionReasonCode = Extract<
  RuntimeErrorCode,
  | 'runtime/decision-refused'
  | 'runtime/account-deprovisioned'
  | 'runtime/account-suspended'
  | 'runtime/older-assertion'
  | 'runtime/invalid-issued-at'
  | 'runtime/issued-at-in-future'
  | 'runtime/unique-conflict'
>;

/**
 * A failure of the runtime with a stable {@link RuntimeErrorCode}.
 *
 * @example
 * ```ts
 * try { await provision(plan, claims, { store }) } catch (e) {
 *   if (e instanceof RuntimeError && e.code === 'store/busy') return retryLater();
 *   throw e;
 * }
 * ```
 */
export class RuntimeError extends ClaimmapError<RuntimeErrorCode> {
  static {
    // A static block runs once, for this class alone: `this` here is always RuntimeError.
    brandErrorClass(RuntimeError, 'RuntimeError');
  }

  override readonly name: string = 'RuntimeError';

  constructor(
    code: RuntimeErrorCode,
    message: string,
    options: { position?: ErrorPosition; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/**
 * Whether `e` is a {@link RuntimeError}, optionally with one of the given codes.
 *
 * @example
 * ```ts
 * if (isRuntimeError(e, 'store/busy', 'store/unavailable')) respond(503);
 * ```
 */
export function isRuntimeError(e: unknown, ...codes: RuntimeErrorCode[]): e is RuntimeError {
  return e instanceof RuntimeError && (codes.length === 0 || codes.includes(e.code));
}
