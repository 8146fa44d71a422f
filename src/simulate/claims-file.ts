/**
 * Reading one claims file, the single implementation behind `claimmap eval`, `login`, `simulate`, `test` and `plan`:
 * a claim-set JSON (`{ protocol, issuer, subject, claims }`) is parsed strictly, under the same limits as OIDC
 * claims JSON (`maxBytes`, `maxDepth`, `maxClaims`, `maxArrayLength`, `maxStringLength`), and validated against its
 * schema; anything else (SAML XML or base64, a JWT, an OIDC claims object) goes to the claim readers.
 */
import type { ClaimSet } from '../model/claim-set.js';
import { ClaimsError, readClaims, type ReadClaimsOptions } from '../claims/index.js';
import { bytesToText, firstSignificantByte, trimStartText } from '../claims/input.js';
import { claimsJsonError } from '../claims/json/parse-json.js';
import { jsonLimits } from '../claims/options.js';
import { type ClaimSetError, validateClaimSet } from '../compile/validate-claimset.js';
import { parseStrictJson } from '../json/strict-json.js';

/** Whether the text is meant as a claim-set JSON rather than an OIDC claims object. */
function looksLikeClaimSet(text: string): boolean {
  return text.startsWith('{') && /"protocol"\s*:/.test(text) && /"subject"\s*:\s*\{/.test(text);
}

/**
 * The schema errors of a claim set, as one line: the first three (`path message`), and how many more.
 *
 * @example
 * ```ts
 * const r = validateClaimSet(value);
 * if (!r.ok) io.stderr(`not a valid claim set: ${describeClaimSetErrors(r.errors)}`);
 * ```
 */
export function describeClaimSetErrors(errors: readonly ClaimSetError[]): string {
  const shown = errors
    .slice(0, 3)
    .map((e) => `${e.path || '/'} ${e.message}`)
    .join('; ');
  return `${shown}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`;
}

/**
 * Reads a claims file's bytes. Throws the readers' typed errors (`ClaimsError`) on content they refuse, and
 * `input/invalid-claim-set` (listing the schema errors) for a claim-set JSON that does not validate. A claim-set
 * JSON gets the codes OIDC claims JSON would: `input/too-large`, `input/invalid-utf8`, `json/too-deep`,
 * `json/too-many-claims` (keys of `claims` over `maxClaims`), `json/array-too-long`, `json/string-too-long`; its
 * `maxDepth` counts from the `claims` object, as for an OIDC claims object.
 *
 * @example
 * ```ts
 * const cs = readClaimsFile(readFileSync('examples/okta-saml/jane.saml.xml'));
 * cs.subject.id // '00u8k2j4h6g8f0d2s4a6'
 * ```
 */
export function readClaimsFile(bytes: Uint8Array, options: ReadClaimsOptions = {}): ClaimSet {
  if ((options.as === undefined || options.as === 'json') && bytes[firstSignificantByte(bytes)] === 0x7b) {
    const limits = jsonLimits(options);
    // The same size cap and UTF-8 check as the OIDC reader, before any parsing.
    const text = trimStartText(bytesToText(bytes, limits.maxBytes, 'the claims file'));
    if (looksLikeClaimSet(text)) {
      // `claims` sits one level below the top, so the claim-set file is one level deeper than OIDC claims JSON.
      const depth = limits.maxDepth + 1;
      const parsed = parseStrictJson(text, {
        maxDepth: depth,
        maxStringLength: limits.maxStringLength,
        maxArrayLength: limits.maxArrayLength,
        maxTopLevelKeys: limits.maxClaims,
      });
      if (!parsed.ok) throw claimsJsonError(parsed.problem, 'the claim set', text, limits);
      const claims = (parsed.value as Record<string, unknown>).claims;
      if (
        typeof claims === 'object' &&
        claims !== null &&
        !Array.isArray(claims) &&
        Object.keys(claims).length > limits.maxClaims
      ) {
        throw new ClaimsError(
          'json/too-many-claims',
          `the claim set: more than maxClaims (${limits.maxClaims}) claims`,
          { position: { path: '/claims' } },
        );
      }
      const r = validateClaimSet(parsed.value, { maxDepth: depth });
      if (r.ok) return r.value;
      throw new ClaimsError('input/invalid-claim-set', `not a valid claim set: ${describeClaimSetErrors(r.errors)}`, {
        position: { path: r.errors[0]?.path ?? '' },
        hint:
          'a claim set is { protocol, issuer, subject: { id }, claims, verified } ' +
          '(claimmap/schemas/claimset.schema.json)',
      });
    }
  }
  return readClaims(bytes, options);
}
