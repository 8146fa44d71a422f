/**
 * Normalisation of what the runtime stores from untrusted claims: the last-seen claim snapshot (canonical, capped)
 * and the values of the unique-value index.
 */
import {
  hasUnstorable,
  isEmailVerified,
  UNSTORABLE_CHARACTERS,
  type ClaimSet,
  type JsonValue,
} from '../model/claim-set.js';
import type { Plan } from '../model/plan.js';
import { aliasesObject, claimsObject } from '../evaluate/claim-values.js';
import { lower, nfkc, trim } from '../evaluate/normalize.js';
import { RuntimeError } from './errors.js';
import type { ClaimSnapshot, UniqueEntry } from './types.js';

/**
 * Default cap of the stored claim snapshot, in UTF-8 bytes of its JSON.
 *
 * @example
 * ```ts
 * await provision(plan, claimSet, { store, maxClaimBytes: DEFAULT_MAX_CLAIM_BYTES * 4 });
 * ```
 */
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
  const aliases = Object.entries(aliasesObject(cs) ?? {}).filter(
    ([a, target]) => typeof target === 'string' && Object.hasOwn(snap.claims, target) && a !== target,
  );
  if (aliases.length)
    snap.aliases = Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(aliases.sort()));
  if (Array.isArray(cs.indeterminate) && cs.indeterminate.length)
    snap.indeterminate = cs.indeterminate.filter((x) => typeof x === 'string').sort();
  return snap;
}

const UNSTORABLE_ALL = new RegExp(UNSTORABLE_CHARACTERS.source, 'g');

/**
 * The form a unique profile value is indexed and compared in: NFKC, trimmed, lower-cased (locale-independent), and
 * each lone surrogate or U+0000 replaced by U+FFFD (so every store indexes the same string). Stricter than equality
 * on purpose: two values that differ only in case, compatibility form or such characters conflict.
 *
 * @example
 * ```ts
 * normaliseUniqueValue(' Jane@Example.COM ') // 'jane@example.com'
 * ```
 */
export function normaliseUniqueValue(value: string): string {
  const v = lower(trim(nfkc(value)));
  return hasUnstorable(v) ? v.replace(UNSTORABLE_ALL, '\uFFFD') : v;
}

/**
 * The verified email of a login, in {@link normaliseUniqueValue} form, or null: the claim set attests it
 * ({@link isEmailVerified}: verified claims whose `email_verified` is JSON `true`) and its `email` claim is a
 * string. A unique value counts as verified only when it is this value, whatever the profile field is called:
 * `email_verified` vouches for the `email` claim and nothing else (not a `upn`, not a staff number).
 *
 * @example
 * ```ts
 * verifiedEmail({ ...cs, verified: true, claims: { email: 'Jane@X.com', email_verified: true } }) // 'jane@x.com'
 * verifiedEmail({ ...cs, verified: true, claims: { email: 'Jane@X.com', email_verified: 'true' } }) // null
 * ```
 */
export function verifiedEmail(cs: ClaimSet): string | null {
  if (!isEmailVerified(cs)) return null;
  const claims = claimsObject(cs);
  const email: unknown = Object.hasOwn(claims, 'email') ? claims.email : undefined;
  if (typeof email !== 'string') return null;
  const value = normaliseUniqueValue(email);
  return value === '' ? null : value;
}

/**
 * The input check of account keys, before any store access: an issuer or subject (as claimed, or as derived by
 * the mapping) with a lone surrogate or U+0000 is refused with `runtime/invalid-key`, so every store behaves the
 * same (none merges two keys, none fails half-way). Non-strings are left to the caller's own checks.
 *
 * @example
 * ```ts
 * checkKeyText('00u1\u0000', 'subject', '/subject/id') // throws RuntimeError runtime/invalid-key
 * ```
 */
export function checkKeyText(value: unknown, what: 'issuer' | 'subject', path: string): void {
  if (typeof value !== 'string' || !hasUnstorable(value)) return;
  throw new RuntimeError(
    'runtime/invalid-key',
    `The ${what} has a lone surrogate or a NUL character; no store can keep it apart from other keys.`,
    {
      position: { path },
      hint: 'an identity provider sends subjects and issuers as well-formed Unicode without U+0000; refuse this login',
    },
  );
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
 * {@link normaliseUniqueValue}, in field order; `verified(field, value)` says whether the (normalised) value counts
 * as verified.
 *
 * @example
 * ```ts
 * const email = verifiedEmail(claimSet);
 * uniqueEntries(plan, { email: 'Jane@Example.com' }, (_field, value) => value === email)
 * // [{ field: 'email', value: 'jane@example.com', verified: true }]
 * ```
 */
export function uniqueEntries(
  plan: Plan,
  profile: Record<string, JsonValue>,
  verified: (field: string, value: string) => boolean,
): UniqueEntry[] {
  const out: UniqueEntry[] = [];
  for (const field of uniqueFields(plan)) {
    if (!Object.hasOwn(profile, field)) continue;
    const v = profile[field];
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const value = normaliseUniqueValue(String(v));
    if (value === '') continue;
    out.push({ field, value, verified: verified(field, value) });
  }
  return out;
}

/** The distinct `accounts { unique ... }` fields of each plan, sorted; once per plan, as evaluate compiles a plan once. */
const UNIQUE_FIELDS = new WeakMap<Plan, readonly string[]>();

function uniqueFields(plan: Plan): readonly string[] {
  let fields = UNIQUE_FIELDS.get(plan);
  if (fields === undefined) {
    fields = Object.freeze([...new Set(plan.accounts.unique)].sort());
    UNIQUE_FIELDS.set(plan, fields);
  }
  return fields;
}
