/**
 * Normalisation of what the runtime stores from untrusted claims: the last-seen claim snapshot (canonical, capped)
 * and the values of the unique-value index.
 */
import type { ClaimSet, JsonValue } from '../claims/claim-set.js';
import type { Plan } from '../compile/plan.js';
import { aliasesObject, claimsObject } from '../evaluate/claim-values.js';
import { lower, nfkc, trim } from '../evaluate/normalize.js';
import type { ClaimSnapshot, UniqueEntry } from './types.js';

/** Default cap of the stored claim snapshot, in UTF-8 bytes of its JSON. */
export const DEFAULT_MAX_CLAIM_BYTES = 16_384;
/** Nesting deeper than this is not stored (the claim is omitted from the snapshot). */
const MAX_DEPTH = 32;

class TooDeep {}
const TOO_DEEP = new TooDeep();

/** A JSON value with object keys sorted and non-JSON values dropped. Throws TOO_DEEP past MAX_DEPTH. */
function canonicalOrThrow(v: unknown, depth: number): JsonValue | undefined {
  if (depth > MAX_DEPTH) throw TOO_DEEP;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((x) => canonicalOrThrow(x, depth + 1) ?? null);
  if (typeof v === 'object') {
    const out = Object.create(null) as Record<string, JsonValue>;
    for (const k of Object.keys(v as object).sort()) {
      const c = canonicalOrThrow((v as Record<string, unknown>)[k], depth + 1);
      if (c !== undefined) out[k] = c;
    }
    return out;
  }
  return undefined;
}

/** The canonical form of a value, or undefined when it is not JSON or nested deeper than MAX_DEPTH. */
function canonical(v: unknown, depth: number): JsonValue | undefined {
  try {
    return canonicalOrThrow(v, depth);
  } catch (e) {
    if (e === TOO_DEEP) return undefined;
    throw e;
  }
}

/**
 * The claim snapshot stored with an account: claims in name order, each in canonical form, as many as fit in
 * `maxBytes` (UTF-8 bytes of the JSON); the rest are counted in `omitted`. Never throws on odd claim values.
 *
 * @example
 * ```ts
 * snapshotClaims(claimSet, 16_384).claims.email // 'jane@example.com'
 * ```
 */
export function snapshotClaims(cs: ClaimSet, maxBytes: number = DEFAULT_MAX_CLAIM_BYTES): ClaimSnapshot {
  const snap: ClaimSnapshot = {
    protocol: String(cs.protocol),
    issuer: String(cs.issuer),
    subject: String(cs.subject?.id),
    issuedAt: typeof cs.issuedAt === 'string' ? cs.issuedAt : null,
    claims: Object.create(null) as Record<string, JsonValue>,
  };
  let size = Buffer.byteLength(JSON.stringify({ ...snap, omitted: 0 }), 'utf8');
  let omitted = 0;
  const claims = claimsObject(cs);
  for (const name of Object.keys(claims).sort()) {
    const v = canonical(claims[name], 1);
    if (v === undefined) {
      omitted++;
      continue;
    }
    // `"name":value,` — the separator is counted generously.
    const cost = Buffer.byteLength(JSON.stringify(name), 'utf8') + Buffer.byteLength(JSON.stringify(v), 'utf8') + 2;
    if (size + cost > maxBytes) {
      omitted++;
      continue;
    }
    size += cost;
    snap.claims[name] = v;
  }
  if (omitted > 0) snap.omitted = omitted;
  if (typeof cs.subject?.format === 'string') snap.subjectFormat = cs.subject.format;
  const aliases = Object.entries(aliasesObject(cs) ?? {}).filter(([a, target]) => typeof target === 'string' && Object.hasOwn(snap.claims, target) && a !== target);
  if (aliases.length) snap.aliases = Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(aliases.sort()));
  if (Array.isArray(cs.indeterminate) && cs.indeterminate.length) snap.indeterminate = cs.indeterminate.filter((x) => typeof x === 'string').sort();
  return snap;
}

/**
 * The form a unique profile value is indexed and compared in: NFKC, trimmed, lower-cased (locale-independent).
 * Stricter than equality on purpose: two values that differ only in case or compatibility form conflict.
 *
 * @example
 * ```ts
 * normaliseUniqueValue(' Jane@Example.COM ') // 'jane@example.com'
 * ```
 */
export function normaliseUniqueValue(value: string): string {
  return lower(trim(nfkc(value)));
}

function isFalseFlag(v: JsonValue | undefined): boolean {
  if (v === false || v === 'false') return true;
  return Array.isArray(v) && v.length > 0 && v.every((x) => x === false || x === 'false');
}

/**
 * Whether a unique value taken from these claims counts as verified: the claim set was verified by the caller, and
 * for `email` the IdP did not say `email_verified: false`.
 *
 * @example
 * ```ts
 * isVerifiedValue({ ...cs, verified: true, claims: { email_verified: false } }, 'email') // false
 * ```
 */
export function isVerifiedValue(cs: ClaimSet, field: string): boolean {
  if (cs.verified !== true) return false;
  if (field === 'email') {
    const claims = claimsObject(cs);
    const flag = Object.hasOwn(claims, 'email_verified') ? (claims.email_verified as JsonValue) : undefined;
    if (isFalseFlag(flag)) return false;
  }
  return true;
}

/**
 * Whether a profile value counts as empty (absent, null, "" or []): `sync fill` fills it, and losing a value to it
 * is a profile loss.
 *
 * @example
 * ```ts
 * isEmptyValue([]) // true
 * ```
 */
export function isEmptyValue(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * The unique-index entries of a profile: each `accounts { unique ... }` field holding a scalar, normalised with
 * {@link normaliseUniqueValue}, in field order; `verified(field)` says whether the value counts as verified.
 *
 * @example
 * ```ts
 * uniqueEntries(plan, { email: 'Jane@Example.com' }, (f) => isVerifiedValue(claimSet, f))
 * // [{ field: 'email', value: 'jane@example.com', verified: true }]
 * ```
 */
export function uniqueEntries(plan: Plan, profile: Record<string, JsonValue>, verified: (field: string) => boolean): UniqueEntry[] {
  const out: UniqueEntry[] = [];
  for (const field of [...new Set(plan.accounts.unique)].sort()) {
    if (!Object.prototype.hasOwnProperty.call(profile, field)) continue;
    const v = profile[field];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const value = normaliseUniqueValue(String(v));
    if (value === '') continue;
    out.push({ field, value, verified: verified(field) });
  }
  return out;
}
