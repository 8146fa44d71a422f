/**
 * `claimmap/claims`: SAML and OIDC readers → {@link ClaimSet}. The only part of claimmap that touches XML.
 * claimmap never verifies signatures: raw XML, JWT and JSON give `verified: false`; the `from*` adapters take the
 * output of a verifier (node-saml, openid-client, jose) and give `verified: true`.
 */
export type {
  AttributeInfo,
  ClaimSet,
  ClaimWarning,
  JsonValue,
  NameIdFormatName,
  Protocol,
  Subject,
} from '../model/claim-set.js';
export { NAMEID_FORMATS, isEmailVerified, rfc3339Millis } from '../model/claim-set.js';
export { ClaimsError, isClaimsError, type ClaimsErrorCode } from './errors.js';
export {
  DEFAULT_LIMITS,
  type InputOptions,
  type JsonReadOptions,
  type ReadClaimsOptions,
  type SamlReadOptions,
} from './options.js';
export { readSaml, fromVerifiedSamlXml } from './saml/read-saml.js';
export { fromNodeSamlProfile, type NodeSamlProfileLike } from './saml/from-node-saml.js';
export { WELL_KNOWN_ATTRIBUTES } from './saml/well-known.js';
export { readOidcClaims, readJwt, fromVerifiedClaims } from './oidc/read-oidc.js';
export { readClaims, detectClaimsFormat, type ClaimsFormat } from './read-claims.js';
