/**
 * OIDC readers: a JSON claims object (text, bytes or an object), a compact JWT whose payload is decoded but never
 * verified, and the verified-payload adapter for openid-client and jose.
 */
import { Buffer } from 'node:buffer';
import type { ClaimSet, JsonValue } from '../claim-set.js';
import { ClaimsError } from '../errors.js';
import { bytesToText, checkTextSize } from '../input.js';
import { copyJsonObject, parseJsonObject } from '../json/parse-json.js';
import { type JsonLimits, type JsonReadOptions, jsonLimits } from '../options.js';
import { assembleOidc } from './assemble.js';

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
  return bytesToText(Buffer.from(part, 'base64url'), limits.maxBytes, `the JWT ${name}`);
}

/**
 * Decodes a compact JWT (JWS) and reads its payload as OIDC claims, marked `verified: false`: claimmap never checks
 * the signature. A JWE (five parts) is refused with `jwt/encrypted`.
 *
 * @example
 * ```ts
 * const cs = readJwt(idToken); // for testing mappings on a token copied from the browser
 * cs.verified; // false
 * ```
 */
export function readJwt(token: string | Uint8Array, options?: JsonReadOptions): ClaimSet {
  if (typeof token !== 'string' && !(token instanceof Uint8Array)) throw new TypeError('claimmap: a JWT must be a string or bytes');
  const limits = jsonLimits(options);
  const text = textOf(token, limits).trim();
  if (text === '') throw new ClaimsError('input/empty', 'the JWT is empty');
  const parts = text.split('.');
  if (parts.length === 5) {
    throw new ClaimsError('jwt/encrypted', 'the token is a JWE (encrypted)', { hint: 'decrypt it first (jose compactDecrypt), then read the inner claims' });
  }
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
    throw new ClaimsError('jwt/malformed', 'a JWT is three base64url parts separated by dots');
  }
  if (!B64URL.test(parts[2]!)) throw new ClaimsError('jwt/invalid-base64url', 'the JWT signature is not base64url');
  const header = parseJsonObject(decodePart(parts[0]!, 'header', limits), limits, 'the JWT header');
  if (typeof header.alg !== 'string') throw new ClaimsError('jwt/invalid-header', 'the JWT header has no string "alg"');
  if (Object.hasOwn(header, 'enc')) throw new ClaimsError('jwt/encrypted', 'the JWT header names an encryption ("enc")');
  const cs = assembleOidc(parseJsonObject(decodePart(parts[1]!, 'payload', limits), limits, 'the JWT payload'), false);
  if (header.alg === 'none') {
    cs.warnings!.push({ code: 'jwt/unsecured', message: 'the JWT is unsecured (alg "none"); it was never signed' });
  }
  return cs;
}
