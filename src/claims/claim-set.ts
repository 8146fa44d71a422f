/**
 * The claim set: what an IdP asserted about one user at one login, in a protocol-neutral shape.
 * Produced by the SAML and OIDC readers (`claimmap/claims`), consumed by `evaluate()` and `provision()`.
 * This file holds types only: importing it loads no XML or parser code.
 */

/** Any JSON value. OIDC claims are JSON values; SAML attribute values are always `string[]`. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** The protocol the claims arrived by. */
export type Protocol = 'saml' | 'oidc';

/** Who the assertion is about. For SAML, the NameID; for OIDC, `sub`. */
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

/** Metadata of one SAML attribute, keyed by its `Name` in {@link ClaimSet.attributes}. */
export interface AttributeInfo {
  friendlyName?: string;
  nameFormat?: string;
}

/** A non-fatal observation made while reading claims (duplicate attribute merged, group overage, ...). */
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
  /** When the IdP issued the assertion or token (SAML IssueInstant, OIDC iat), ISO 8601. */
  issuedAt?: string;
  verified: boolean;
  warnings?: ClaimWarning[];
}

/** SAML 2.0 NameID format URIs (SAML Core 8.3). */
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

/** A short NameID format name as written in a mapping (`key nameid persistent`). */
export type NameIdFormatName = keyof typeof NAMEID_FORMATS;
