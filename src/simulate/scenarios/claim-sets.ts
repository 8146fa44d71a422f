/**
 * Building claim sets for tests and previews: the scenario shorthand (`{ subject, attributes }` filled in from the
 * mapping) and a stored account's last-seen snapshot turned back into a claim set.
 */
import { NAMEID_FORMATS, type ClaimSet, type JsonValue } from '../../model/claim-set.js';
import { WELL_KNOWN_ATTRIBUTES } from '../../claims/saml/well-known.js';
import type { Plan } from '../../model/plan.js';
import type { ClaimSnapshot } from '../../runtime/types.js';
import type { CaseInput } from './types.js';

/**
 * A NameID format given as a short name (`persistent`) or a URI, as a URI.
 *
 * @example
 * ```ts
 * nameIdFormatUri('transient') // 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient'
 * ```
 */
export function nameIdFormatUri(format: string): string {
  return Object.hasOwn(NAMEID_FORMATS, format) ? NAMEID_FORMATS[format as keyof typeof NAMEID_FORMATS] : format;
}

/** SAML attribute values are lists of strings: a scalar becomes a one-value list. Objects and null are kept (malformed). */
function samlValues(v: JsonValue): JsonValue {
  const str = (x: JsonValue): JsonValue => (typeof x === 'number' || typeof x === 'boolean' ? String(x) : x);
  if (Array.isArray(v)) return v.map(str);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  return v;
}

/** Well-known friendly names of the SAML attribute Names present (`mail` for urn:oid:0.9.2342.19200300.100.1.3). */
function wellKnownAliases(claims: Record<string, JsonValue>): Record<string, string> {
  const aliases = Object.create(null) as Record<string, string>;
  for (const name of Object.keys(claims)) {
    const alias = Object.hasOwn(WELL_KNOWN_ATTRIBUTES, name) ? WELL_KNOWN_ATTRIBUTES[name] : undefined;
    if (alias !== undefined && !Object.hasOwn(claims, alias)) aliases[alias] = name;
  }
  return aliases;
}

/**
 * The claim set of a scenario shorthand: protocol and issuer from the plan; for SAML, the NameID format defaults to
 * the key's format and scalar attribute values become one-value lists; for OIDC, `sub` and `iss` are added when
 * absent, as a real token carries them.
 *
 * @example
 * ```ts
 * const cs = shorthandClaimSet(plan, { kind: 'shorthand', subject: '00u1', attributes: { email: 'a@acme.example' } });
 * cs.claims.email // ['a@acme.example'] for a SAML mapping
 * ```
 */
export function shorthandClaimSet(plan: Plan, s: Extract<CaseInput, { kind: 'shorthand' }>): ClaimSet {
  const protocol = plan.idp.protocol;
  const issuer = s.issuer ?? plan.idp.issuer;
  const claims = Object.create(null) as Record<string, JsonValue>;
  for (const [k, v] of Object.entries(s.attributes)) claims[k] = protocol === 'saml' ? samlValues(v) : v;
  const cs: ClaimSet = { protocol, issuer, subject: { id: s.subject }, claims, verified: s.verified ?? false };
  if (protocol === 'saml') {
    const format =
      s.format !== undefined ? nameIdFormatUri(s.format) : plan.key.kind === 'nameid' ? plan.key.formatUri : undefined;
    if (format !== undefined) cs.subject.format = format;
    cs.aliases = wellKnownAliases(claims);
  } else {
    if (!Object.hasOwn(claims, 'sub')) claims.sub = s.subject;
    if (!Object.hasOwn(claims, 'iss')) claims.iss = issuer;
  }
  if (s.issuedAt !== undefined) cs.issuedAt = s.issuedAt;
  if (s.indeterminate?.length) cs.indeterminate = [...s.indeterminate];
  return cs;
}

/**
 * A stored snapshot as a claim set, for re-evaluation. The snapshot keeps neither the NameID format, nor SAML
 * FriendlyName aliases, nor overage markers: the format is assumed to be `assumeNameIdFormat` (the format the key of
 * the plan that stored the account requires), and well-known attribute aliases are restored. `notes` says what was
 * assumed or is incomplete.
 *
 * @example
 * ```ts
 * const { claimSet } = snapshotClaimSet(account.lastSeenClaims!, plan.key.kind === 'nameid' ? plan.key.formatUri : undefined);
 * evaluate(plan, claimSet);
 * ```
 */
export function snapshotClaimSet(
  snap: ClaimSnapshot,
  assumeNameIdFormat?: string,
): { claimSet: ClaimSet; notes: string[] } {
  const notes: string[] = [];
  const protocol = snap.protocol === 'saml' ? 'saml' : 'oidc';
  const claims = Object.assign(Object.create(null) as Record<string, JsonValue>, snap.claims);
  const cs: ClaimSet = { protocol, issuer: snap.issuer, subject: { id: snap.subject }, claims, verified: false };
  if (protocol === 'saml') {
    cs.aliases = snap.aliases
      ? Object.assign(Object.create(null) as Record<string, string>, snap.aliases)
      : wellKnownAliases(claims);
    if (snap.subjectFormat !== undefined) cs.subject.format = snap.subjectFormat;
    else if (assumeNameIdFormat !== undefined) {
      cs.subject.format = assumeNameIdFormat;
      notes.push('NameID format not stored (an account from an older claimmap); assumed the key format');
    }
  }
  if (snap.indeterminate?.length) cs.indeterminate = [...snap.indeterminate];
  if (snap.issuedAt !== null) cs.issuedAt = snap.issuedAt;
  if (snap.omitted)
    notes.push(`${snap.omitted} claim(s) were left out of the stored snapshot; results may be incomplete`);
  return { claimSet: cs, notes };
}
