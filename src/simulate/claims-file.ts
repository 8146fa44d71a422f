/**
 * Reading one claims file, the single implementation behind `claimmap eval`, `login`, `simulate`, `test` and `plan`:
 * a claim-set JSON (`{ protocol, issuer, subject, claims }`) is parsed strictly and validated against its schema;
 * anything else (SAML XML or base64, a JWT, an OIDC claims object) goes to the claim readers.
 */
import type { ClaimSet } from '../claims/claim-set.js';
import { ClaimsError, readClaims, type ReadClaimsOptions } from '../claims/index.js';
import { claimsJsonError } from '../claims/json/parse-json.js';
import { CLAIMSET_LIMITS, validateClaimSet } from '../compile/validate-claimset.js';
import { parseStrictJson } from '../json/strict-json.js';

/** Whether the text is meant as a claim-set JSON rather than an OIDC claims object. */
function looksLikeClaimSet(text: string): boolean {
  return text.startsWith('{') && /"protocol"\s*:/.test(text) && /"subject"\s*:\s*\{/.test(text);
}

/**
 * Reads a claims file's bytes. Throws the readers' typed errors (`ClaimsError`) on content they refuse, and
 * `input/invalid-claim-set` (listing the schema errors) for a claim-set JSON that does not validate.
 *
 * @example
 * ```ts
 * const cs = readClaimsFile(readFileSync('examples/okta-saml/jane.saml.xml'));
 * cs.subject.id // '00u8k2j4h6g8f0d2s4a6'
 * ```
 */
export function readClaimsFile(bytes: Uint8Array, options: ReadClaimsOptions = {}): ClaimSet {
  if (options.as === undefined || options.as === 'json') {
    const text = Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (looksLikeClaimSet(text)) {
      const parsed = parseStrictJson(text, { maxDepth: CLAIMSET_LIMITS.maxDepth });
      if (!parsed.ok) throw claimsJsonError(parsed.problem, 'the claim set', text);
      const r = validateClaimSet(parsed.value);
      if (r.ok) return r.value;
      const shown = r.errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`).join('; ');
      throw new ClaimsError('input/invalid-claim-set', `not a valid claim set: ${shown}${r.errors.length > 3 ? ` (and ${r.errors.length - 3} more)` : ''}`, {
        position: { path: r.errors[0]?.path ?? '' },
        hint: 'a claim set is { protocol, issuer, subject: { id }, claims, verified } (claimmap/schemas/claimset.schema.json)',
      });
    }
  }
  return readClaims(bytes, options);
}
