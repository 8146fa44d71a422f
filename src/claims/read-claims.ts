/**
 * `readClaims`: one entry point for whatever a user pasted (SAML XML, the base64 SAMLResponse form value, a JWT, or
 * an OIDC claims JSON object), detected from the first significant character unless `as` says which.
 */
import type { ClaimSet } from '../model/claim-set.js';
import { ClaimsError } from './errors.js';
import { latin1Text } from './base64.js';
import { checkInputSize, firstSignificantByte, trimStartText } from './input.js';
import { readJwt, readOidcClaims } from './oidc/read-oidc.js';
import { maxBytesOf, type ReadClaimsOptions } from './options.js';
import { readSaml } from './saml/read-saml.js';

/**
 * The formats `readClaims` tells apart.
 *
 * @example
 * ```ts
 * const format: ClaimsFormat = detectClaimsFormat(body); // 'saml' | 'jwt' | 'json'
 * ```
 */
export type ClaimsFormat = 'saml' | 'jwt' | 'json';

/** Dotted base64-ish text: base64 has no dots, so this is meant as a JWT (the JWT reader says what is wrong). */
const JWT_SHAPE = /^[A-Za-z0-9_+/=-]*(?:\.[A-Za-z0-9_+/=-]*)+$/;
const BASE64_SHAPE = /^[A-Za-z0-9+/=%\s]+$/;

/**
 * Which reader the input is for: `<` → SAML XML, `{` or `[` → OIDC JSON, dot-separated parts → JWT, other
 * base64 → SAML (POST or Redirect binding). Undecidable input throws `input/unrecognized`.
 *
 * @example
 * ```ts
 * detectClaimsFormat('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'); // 'jwt'
 * ```
 */
export function detectClaimsFormat(input: string | Uint8Array): ClaimsFormat {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (input instanceof Uint8Array) {
    const at = firstSignificantByte(input);
    if (input[at] === 0x3c) return 'saml';
    if (input[at] === 0x7b || input[at] === 0x5b) return 'json';
    text = latin1Text(input.subarray(at, at + 64 * 1024)); // shape only
  } else throw new TypeError('claimmap: claims input must be a string or a Uint8Array');
  const t = trimStartText(text).trimEnd();
  if (t === '') throw new ClaimsError('input/empty', 'the input is empty');
  const c = t.charCodeAt(0);
  if (c === 0x3c) return 'saml';
  if (c === 0x7b || c === 0x5b) return 'json';
  if (JWT_SHAPE.test(t)) return 'jwt';
  if (BASE64_SHAPE.test(t)) return 'saml';
  throw new ClaimsError('input/unrecognized', 'the input is neither SAML XML, base64, a JWT nor a JSON object', {
    hint: "say which with { as: 'saml' | 'jwt' | 'json' } (CLI: --as)",
  });
}

/**
 * Reads claims of any supported kind into a claim set (always `verified: false`). Options are the union of the SAML
 * and JSON limits; `as` skips detection.
 *
 * @example
 * ```ts
 * const cs = readClaims(fs.readFileSync('okta-response.xml'));
 * const cs2 = readClaims(token, { as: 'jwt', maxBytes: 16_384 });
 * ```
 */
export function readClaims(input: string | Uint8Array, options: ReadClaimsOptions = {}): ClaimSet {
  const as = options.as;
  if (as !== undefined && as !== 'saml' && as !== 'jwt' && as !== 'json') {
    throw new TypeError(`claimmap: readClaims option "as" must be saml, jwt or json (got ${String(as)})`);
  }
  if (typeof input === 'string' || input instanceof Uint8Array) checkInputSize(input, maxBytesOf(options));
  const format = as ?? detectClaimsFormat(input);
  if (format === 'saml') return readSaml(input, options);
  if (format === 'jwt') return readJwt(input, options);
  return readOidcClaims(input, options);
}
