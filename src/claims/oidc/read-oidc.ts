/**
 * OIDC readers: a JSON claims object (text, bytes or an object), a compact JWT whose payload is decoded but never
 * verified, and the verified-payload adapter for openid-client and jose.
 */
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import { decodeBase64Bytes } from '../base64.js';
import { ClaimsError } from '../errors.js';
import { bytesToText, checkTextSize } from '../input.js';
import { copyJsonObject, parseJsonObject } from '../json/parse-json.js';
import { type JsonLimits, type JsonReadOptions, jsonLimits } from '../options.js';
import { assembleOidc } from './assemble.js';
import { defined } from '../../model/invariant.js';

function textOf(input: string | Uint8Array, limits: JsonLimits): string {
  if (typeof input === 'string') {
    checkTextSize(input, limits.maxBytes);
    return input;
  }
  return bytesToText(input, limits.maxBytes);
}

function claimsFrom(input: unknown, limits: JsonLimits): Record<string, JsonValue> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    let text = textOf(input, limits);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return parseJsonObject(text, limits, 'the claims');
  }
  if (typeof input === 'object' && input !== null) return copyJsonObject(input, limits);
  throw new TypeError('claimmap: OIDC claims must be JSON text, bytes or an object');
}

/**
 * Reads an OIDC claims object: JSON text (or UTF-8 bytes) parsed strictly (duplicate keys refused, null-prototype
 * objects, caps), or an already-parsed object (copied under the same caps). The claim set is `verified: false`.
 *
 * @example
 * ```ts
 * const cs = readOidcClaims('{"iss":"https://accounts.google.com","sub":"1099","email":"a@b.c"}');
 * cs.subject.id; // '1099'
 * ```
 */
export function readOidcClaims(input: string | Uint8Array | object, options?: JsonReadOptions): ClaimSet {
  const limits = jsonLimits(options);
  return assembleOidc(claimsFrom(input, limits), false);
}

/**
 * Turns claims that openid-client or jose has already verified (signature, `iss`, `aud`, `exp`) into a claim set
 * marked `verified: true`. The payload is copied into null-prototype JSON under the same caps.
 *
 * @example
 * ```ts
 * const { payload } = await jwtVerify(idToken, JWKS, { issuer, audience });
 * const cs = fromVerifiedClaims(payload);
 * // openid-client: fromVerifiedClaims(tokens.claims()!)
 * ```
 */
export function fromVerifiedClaims(payload: object, options?: JsonReadOptions): ClaimSet {
  const limits = jsonLimits(options);
  return assembleOidc(copyJsonObject(payload, limits), true);
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function decodePart(part: string, name: string, limits: JsonLimits): string {
  if (!B64URL.test(part) || part.length % 4 === 1) {
    throw new ClaimsError('jwt/invalid-base64url', `the JWT ${name} is not base64url`);
  }
  return bytesToText(decodeBase64Bytes(part), limits.maxBytes, `the JWT ${name}`);
}

/** How many JWTs may be nested in one another (`cty: "JWT"`, RFC 7519 section 5.2) before the token is refused. */
export const MAX_JWT_NESTING = 2;

/** RFC 7519 5.2: `cty` "JWT" (or the media type application/jwt) says the payload is itself a JWT. */
const NESTED_CTY = /^(?:application\/)?jwt$/i;

/**
 * Decodes a compact JWT (JWS) and reads its payload as OIDC claims, marked `verified: false`: claimmap never checks
 * the signature. A JWE (five parts) is refused with `jwt/encrypted`. A JWS whose header says `cty: "JWT"` carries
 * another JWT as its payload: it is unwrapped (at most {@link MAX_JWT_NESTING} levels, then `jwt/nested-too-deep`)
 * and the claims of the innermost token are read, with a `jwt/nested` warning.
 *
 * @example
 * ```ts
 * const cs = readJwt(idToken); // for testing mappings on a token copied from the browser
 * cs.verified; // false
 * ```
 */
export function readJwt(token: string | Uint8Array, options?: JsonReadOptions): ClaimSet {
  if (typeof token !== 'string' && !(token instanceof Uint8Array))
    throw new TypeError('claimmap: a JWT must be a string or bytes');
  const limits = jsonLimits(options);
  let text = textOf(token, limits).trim();
  if (text === '') throw new ClaimsError('input/empty', 'the JWT is empty');
  const unsecured: number[] = [];
  for (let level = 0; ; level++) {
    const what = level === 0 ? 'JWT' : `JWT nested at level ${level}`;
    const parts = text.split('.');
    if (parts.length === 5) {
      throw new ClaimsError(
        'jwt/encrypted',
        level === 0 ? 'the token is a JWE (encrypted)' : `the ${what} is a JWE (encrypted)`,
        { hint: 'decrypt it first (jose compactDecrypt), then read the inner claims' },
      );
    }
    if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
      throw new ClaimsError(
        'jwt/malformed',
        level === 0
          ? 'a JWT is three base64url parts separated by dots'
          : `the ${what} is not three base64url parts separated by dots`,
      );
    }
    if (!B64URL.test(defined(parts[2])))
      throw new ClaimsError('jwt/invalid-base64url', `the ${what} signature is not base64url`);
    const header = parseJsonObject(decodePart(defined(parts[0]), 'header', limits), limits, `the ${what} header`);
    if (typeof header.alg !== 'string')
      throw new ClaimsError('jwt/invalid-header', `the ${what} header has no string "alg"`);
    if (Object.hasOwn(header, 'enc'))
      throw new ClaimsError('jwt/encrypted', `the ${what} header names an encryption ("enc")`);
    if (header.alg === 'none') unsecured.push(level);
    const payload = decodePart(defined(parts[1]), 'payload', limits);
    if (typeof header.cty === 'string' && NESTED_CTY.test(header.cty)) {
      if (level + 1 > MAX_JWT_NESTING) {
        throw new ClaimsError('jwt/nested-too-deep', `JWTs are nested more than ${MAX_JWT_NESTING} levels deep`, {
          hint: 'an ID token is at most signed, or signed then encrypted; a deeper nesting is not one',
        });
      }
      text = payload.trim();
      continue;
    }
    const cs = assembleOidc(parseJsonObject(payload, limits, `the ${what} payload`), false);
    if (level > 0) {
      defined(cs.warnings).push({
        code: 'jwt/nested',
        message:
          `the claims come from a JWT nested ${level} level${level === 1 ? '' : 's'} deep (cty "JWT"); ` +
          `no signature was checked`,
      });
    }
    for (const l of unsecured) {
      defined(cs.warnings).push({
        code: 'jwt/unsecured',
        message:
          l === 0
            ? 'the JWT is unsecured (alg "none"); it was never signed'
            : `the JWT nested at level ${l} is unsecured (alg "none")`,
      });
    }
    return cs;
  }
}
