/**
 * The claim set: what an IdP asserted about one user at one login, in a protocol-neutral shape.
 * Produced by the SAML and OIDC readers (`claimmap/claims`), consumed by `evaluate()` and `provision()`.
 * This file holds types only: importing it loads no XML or parser code.
 */

/**
 * Any JSON value. OIDC claims are JSON values; SAML attribute values are always `string[]`.
 *
 * @example
 * ```ts
 * const groups: JsonValue = ['eng', 'okta-admins'];
 * ```
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The protocol the claims arrived by.
 *
 * @example
 * ```ts
 * const protocol: Protocol = claimSet.protocol; // 'saml' | 'oidc'
 * ```
 */
export type Protocol = 'saml' | 'oidc';

/**
 * Who the assertion is about. For SAML, the NameID; for OIDC, `sub`.
 *
 * @example
 * ```ts
 * const subject: Subject = { id: '00u1abcd', format: NAMEID_FORMATS.persistent };
 * ```
 */
export interface Subject {
  /** NameID text or the `sub` claim, exactly as sent (never trimmed or case-folded). */
  id: string;
  /** SAML NameID `Format` URI (absent means unspecified). Not used for OIDC. */
  format?: string;
  /** SAML NameID `NameQualifier`. */
  nameQualifier?: string;
  /** SAML NameID `SPNameQualifier`. */
  spNameQualifier?: string;
}

/**
 * Metadata of one SAML attribute, keyed by its `Name` in {@link ClaimSet.attributes}.
 *
 * @example
 * ```ts
 * const info: AttributeInfo | undefined = claimSet.attributes?.['http://schemas.xmlsoap.org/claims/Group'];
 * console.log(info?.friendlyName);
 * ```
 */
export interface AttributeInfo {
  friendlyName?: string;
  nameFormat?: string;
}

/**
 * A non-fatal observation made while reading claims (duplicate attribute merged, group overage, ...).
 *
 * @example
 * ```ts
 * for (const w of claimSet.warnings ?? []) console.warn(`${w.code}: ${w.message}`);
 * ```
 */
export interface ClaimWarning {
  code: string;
  message: string;
  claim?: string;
}

/**
 * The claim-set contract.
 *
 * - `claims` is a null-prototype record (or any object read with own-property lookups only). SAML attribute
 *   values are `string[]` in document order; OIDC claims are the token's JSON values.
 * - `aliases` maps alternative names (SAML FriendlyName, well-known urn:oid friendly names) to a key of `claims`;
 *   a mapping source is looked up in `claims` first and then through `aliases`.
 * - `indeterminate` names claims whose value is known to be incomplete (Entra ID group overage): the evaluator
 *   treats them as malformed, never as empty.
 * - `verified` is true only when the claims came from a source that verified the signature (claimmap never does).
 *
 * @example
 * ```ts
 * const cs: ClaimSet = {
 *   protocol: 'oidc', issuer: 'https://login.example.com', subject: { id: '248289761001' },
 *   claims: { sub: '248289761001', email: 'jane@example.com', groups: ['eng'] }, verified: true,
 * };
 * ```
 */
export interface ClaimSet {
  protocol: Protocol;
  issuer: string;
  subject: Subject;
  claims: Record<string, JsonValue>;
  aliases?: Record<string, string>;
  attributes?: Record<string, AttributeInfo>;
  indeterminate?: string[];
  /** When the IdP issued the assertion or token (SAML IssueInstant, OIDC iat): an RFC 3339 date-time ({@link rfc3339Millis}). */
  issuedAt?: string;
  verified: boolean;
  warnings?: ClaimWarning[];
}

/**
 * SAML 2.0 NameID format URIs (SAML Core 8.3).
 *
 * @example
 * ```ts
 * NAMEID_FORMATS.persistent // 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent'
 * ```
 */
export const NAMEID_FORMATS = {
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  X509SubjectName: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName',
  WindowsDomainQualifiedName: 'urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName',
  kerberos: 'urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos',
  entity: 'urn:oasis:names:tc:SAML:2.0:nameid-format:entity',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  transient: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient',
} as const;

/**
 * A short NameID format name as written in a mapping (`key nameid persistent`).
 *
 * @example
 * ```ts
 * const format: NameIdFormatName = 'persistent'; // NAMEID_FORMATS.persistent is its URI
 * ```
 */
export type NameIdFormatName = keyof typeof NAMEID_FORMATS;

/**
 * Whether a claim set attests a verified email address: the claim set itself is `verified` (a verifier checked its
 * signature) and its `email_verified` claim is the JSON value `true`, and nothing else (`"true"`, `1`, `"1"`,
 * `["true"]`, `null`, an absent claim and every other value are unverified). The one predicate the reader, the
 * evaluator and the runtime use for `email_verified`; SAML attribute values are text, so a SAML claim set never
 * attests one unless the application sets `claims.email_verified` to `true` itself.
 *
 * @example
 * ```ts
 * isEmailVerified({ ...cs, verified: true, claims: { email: 'a@b.c', email_verified: true } })  // true
 * isEmailVerified({ ...cs, verified: true, claims: { email: 'a@b.c', email_verified: 'true' } }) // false
 * ```
 */
export function isEmailVerified(cs: ClaimSet): boolean {
  if (typeof cs !== 'object' || cs === null || cs.verified !== true) return false;
  const claims: unknown = cs.claims;
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return false;
  return Object.hasOwn(claims, 'email_verified') && (claims as Record<string, unknown>).email_verified === true;
}

/**
 * A lone UTF-16 surrogate (a high one not followed by a low one, a low one not preceded by a high one) or U+0000:
 * characters no account key may hold, because the stores cannot all keep them (PostgreSQL's driver writes a lone
 * surrogate as U+FFFD, so two keys become one, and its text cannot hold U+0000). Not global: `test` is stateless.
 *
 * @example
 * ```ts
 * UNSTORABLE_CHARACTERS.test('00u1\uD800') // true
 * UNSTORABLE_CHARACTERS.test('00u1😀')      // false
 * ```
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: PostgreSQL text cannot store U+0000; finding it is the point
export const UNSTORABLE_CHARACTERS = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/;

/**
 * Whether `s` holds an {@link UNSTORABLE_CHARACTERS} character: the same answer as `UNSTORABLE_CHARACTERS.test(s)`,
 * in one native pass (`isWellFormed`: no lone surrogate) instead of a regular expression with a look-behind, which
 * costs ~25 µs on a 10,000-character value (the simulator's very-long mutation) against ~0.1 µs.
 *
 * @example
 * ```ts
 * hasUnstorable('00u1\uD800') // true
 * hasUnstorable('00u1😀')      // false
 * ```
 */
export function hasUnstorable(s: string): boolean {
  return !s.isWellFormed() || s.includes('\u0000');
}

// RFC 3339 §5.6 date-time: full-date "T" full-time, where full-time = partial-time time-offset. ABNF literals are
// case-insensitive, so "t" and "z" are accepted too; seconds are required, a fraction is optional.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysIn(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * The instant of an RFC 3339 date-time (`2026-11-01T09:00:00Z`, `2026-11-01T10:00:00.5+01:00`) in milliseconds
 * since the epoch, or null when `text` is anything else: a date alone, a year, no offset, `Date.parse` prose
 * (`March 7, 2031`), a day the month does not have (`2030-02-30`, `2031-02-29`), hour 24, an offset beyond ±23:59,
 * more than nine fraction digits. Nothing rolls over. A leap second (`:60`, which RFC 3339 allows) is the instant
 * that follows `:59`. This is the `issuedAt` contract of a claim set.
 *
 * @example
 * ```ts
 * rfc3339Millis('2024-02-29T12:00:00+01:00') // 1709204400000
 * rfc3339Millis('2030-02-30T00:00:00Z')      // null
 * ```
 */
export function rfc3339Millis(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const m = RFC3339.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 60) return null;
  let offset = 0;
  if (m[8] === undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offset = (m[9] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3)); // milliseconds: further digits are cut
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0-99 to 1900-1999
  date.setUTCHours(h, mi, s, ms);
  return date.getTime() - offset;
}
