/**
 * Codes for refused claim input (SAML XML, OIDC JSON, JWT) and the error that carries them. Stable API: extend,
 * never rename. The catalogue, one line per code, is in docs/claims.md.
 */
import { brandErrorClass, ClaimmapError, type ErrorPosition } from '../errors.js';

/**
 * Every code a claim reader can refuse input with. A closed union: codes are stable API.
 *
 * @example
 * ```ts
 * if (isClaimsError(e, 'input/too-large' satisfies ClaimsErrorCode)) res.status(413);
 * ```
 */
export type ClaimsErrorCode =
  // input/: before any protocol is known (encoding, size, detection)
  | 'input/empty' //                   nothing but whitespace
  | 'input/too-large' //               over `maxBytes` (raw, decoded from base64, or inflated)
  | 'input/invalid-base64' //          neither XML nor valid base64 (SAMLResponse form value)
  | 'input/invalid-utf8' //            bytes that are not UTF-8
  | 'input/unsupported-encoding' //    an XML declaration naming an encoding other than UTF-8 on byte input
  | 'input/inflate-failed' //          base64 that is neither XML nor a raw-deflated XML message
  | 'input/inflate-unsupported' //     a raw-deflated message in a build without synchronous inflate (the browser)
  | 'input/unrecognized' //            `readClaims` could not tell XML, base64, JWT or JSON apart
  | 'input/invalid-claim-set' //       a claim-set JSON file ({ protocol, issuer, subject, claims }) that fails its schema
  // saml/: XML well-formedness and safety
  | 'saml/doctype-forbidden' //        a DOCTYPE or ENTITY declaration (XXE, entity expansion)
  | 'saml/malformed-xml' //            not well-formed XML
  | 'saml/multiple-roots' //           more than one root element
  | 'saml/duplicate-xml-attribute' //  one XML attribute twice on an element (also via two prefixes of one URI)
  | 'saml/undefined-entity' //         an entity reference other than the five XML entities
  | 'saml/undeclared-prefix' //        a namespace prefix with no xmlns declaration in scope
  | 'saml/ambiguous-xml' //            XML that DOM verifiers and claimmap's parser would read differently: a name with
  //                                   U+FEFF or U+1680, a literal U+0085/U+2028/U+2029, a PI with an unclosed quote
  | 'saml/too-deep' //                 element nesting over `maxDepth`
  | 'saml/too-many-attributes' //      more SAML Attribute elements than `maxAttributes`
  | 'saml/too-many-values' //          more AttributeValues in one Attribute than `maxValuesPerAttribute`
  | 'saml/value-too-long' //           a value, NameID or Issuer longer than `maxValueLength`
  // saml/: SAML structure
  | 'saml/unexpected-root' //          the root is neither a samlp:Response nor a saml:Assertion
  | 'saml/not-verified-assertion' //   `fromVerifiedSamlXml` given a document whose root is not an Assertion (a whole
  //                                   Response is not what a verifier proved)
  | 'saml/status-not-success' //       a Response whose top-level StatusCode is not Success
  | 'saml/missing-assertion' //        a Response without an Assertion
  | 'saml/multiple-assertions' //      more than one Assertion anywhere in the document (signature wrapping)
  | 'saml/assertion-misplaced' //      an Assertion that is not the root nor a child of the root Response
  | 'saml/encrypted-assertion' //      an EncryptedAssertion: decrypt it first
  | 'saml/encrypted-id' //             an EncryptedID instead of a NameID: decrypt it first
  | 'saml/encrypted-attribute' //      an EncryptedAttribute: decrypt it first
  | 'saml/missing-issuer' //           an Assertion without an Issuer
  | 'saml/issuer-mismatch' //          the Response Issuer differs from the Assertion Issuer
  | 'saml/missing-subject' //          no Subject, an empty NameID, or a BaseID instead of a NameID
  | 'saml/duplicate-element' //        two Issuer, Status, StatusCode, Subject or NameID elements where the schema allows one
  | 'saml/element-in-text' //          element children inside a NameID, Issuer or string AttributeValue
  | 'saml/missing-attribute-name' //   an Attribute without a Name
  | 'saml/invalid-nil' //              an xsi:nil AttributeValue that has content
  | 'saml/invalid-profile' //          a node-saml Profile without issuer / nameID, or with a non-string value
  // json/: untrusted JSON (OIDC claims, JWT parts)
  | 'json/malformed' //                not JSON
  | 'json/duplicate-key' //            one key twice in an object
  | 'json/not-an-object' //            the top-level value is not an object
  | 'json/too-deep' //                 nesting over `maxDepth`
  | 'json/too-many-claims' //          more top-level claims than `maxClaims`
  | 'json/array-too-long' //           an array longer than `maxArrayLength`
  | 'json/string-too-long' //          a string or key longer than `maxStringLength`
  | 'json/invalid-value' //            a verified payload holding a non-JSON value (function, NaN, cycle ...)
  // jwt/: compact JWS
  | 'jwt/malformed' //                 not three dot-separated base64url parts
  | 'jwt/encrypted' //                 a JWE (five parts): decrypt it first
  | 'jwt/invalid-base64url' //         a part that is not base64url
  | 'jwt/invalid-header' //            a header without a string `alg`
  | 'jwt/nested-too-deep' //           JWTs nested (cty "JWT") more than MAX_JWT_NESTING levels
  // oidc/: claim set rules
  | 'oidc/missing-issuer' //           no `iss`
  | 'oidc/invalid-issuer' //           `iss` is not a non-empty string
  | 'oidc/missing-subject' //          no `sub`
  | 'oidc/invalid-subject' //          `sub` is not a non-empty string
  | 'oidc/invalid-distributed-claims'; // `_claim_names` is not an object of strings

/**
 * A claim reader refused its input. `code` is stable; `message` is one sentence for humans; `position` gives the
 * offset (and line/column) in the input where there is one.
 *
 * @example
 * ```ts
 * try { readSaml(xml) } catch (e) {
 *   if (e instanceof ClaimsError && e.code === 'saml/doctype-forbidden') return reject('XXE attempt');
 *   throw e;
 * }
 * ```
 */
export class ClaimsError extends ClaimmapError<ClaimsErrorCode> {
  static {
    // A static block runs once, for this class alone: `this` here is always ClaimsError.
    brandErrorClass(ClaimsError, 'ClaimsError');
  }

  override readonly name: string = 'ClaimsError';

  constructor(
    code: ClaimsErrorCode,
    message: string,
    options: { position?: ErrorPosition; hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

/**
 * Whether a value is a {@link ClaimsError}, optionally with one given code.
 *
 * @example
 * ```ts
 * if (isClaimsError(e, 'saml/multiple-assertions')) audit('signature wrapping attempt');
 * ```
 */
export function isClaimsError(value: unknown, code?: ClaimsErrorCode): value is ClaimsError {
  return value instanceof ClaimsError && (code === undefined || value.code === code);
}
