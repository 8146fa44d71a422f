/**
 * Reading one claims file the way `claimmap eval` does: a claim-set JSON (`{ protocol, issuer, subject, claims }`)
 * is validated as such; anything else (SAML XML or base64, a JWT, an OIDC claims object) goes to the claim readers.
 */
import type { ClaimSet } from '../../claims/claim-set.js';
import { readClaims, type ReadClaimsOptions } from '../../claims/index.js';
import { validateClaimSet } from '../../compile/validate-claimset.js';

/**
 * Reads a claims file's bytes. Throws the readers' typed errors (`ClaimsError`) on content they refuse; a claim-set
 * JSON that does not validate is handed to the OIDC reader, which then explains what is wrong with it.
 *
 * @example
 * ```ts
 * const cs = readClaimsFile(readFileSync('examples/okta-saml/jane.saml.xml'));
 * cs.subject.id // '00u8k2j4h6g8f0d2s4a6'
 * ```
 */
export function readClaimsFile(bytes: Uint8Array, options: ReadClaimsOptions = {}): ClaimSet {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('utf8').trimStart();
  if (head.startsWith('{')) {
    const text = Buffer.from(bytes).toString('utf8');
    if (/"protocol"\s*:/.test(text) && /"subject"\s*:\s*\{/.test(text)) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      if (parsed !== undefined) {
        const r = validateClaimSet(parsed);
        if (r.ok) return r.value;
      }
    }
  }
  return readClaims(bytes, options);
}
