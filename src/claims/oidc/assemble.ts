/**
 * OIDC claims object → claim set: `iss` and `sub` required, `email_verified` kept as sent (only JSON `true` counts,
 * see `isEmailVerified`; any other non-boolean gets a warning), Entra ID group overage and other distributed claims
 * marked indeterminate, `iat` as `issuedAt`.
 */
import type { ClaimSet, ClaimWarning, JsonValue } from '../../model/claim-set.js';
import { ClaimsError } from '../errors.js';

const hasOwn = Object.hasOwn;

function isObject(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Builds an OIDC claim set from a null-prototype claims object (as made by the strict JSON parser).
 *
 * @example
 * ```ts
 * assembleOidc(parseJsonObject('{"iss":"https://idp","sub":"1"}', limits, 'the claims'), false);
 * ```
 */
export function assembleOidc(claims: Record<string, JsonValue>, verified: boolean): ClaimSet {
  const warnings: ClaimWarning[] = [];
  const iss = claims.iss;
  if (!hasOwn(claims, 'iss'))
    throw new ClaimsError('oidc/missing-issuer', 'the claims have no "iss"', { position: { path: '/iss' } });
  if (typeof iss !== 'string' || iss === '') {
    throw new ClaimsError('oidc/invalid-issuer', '"iss" is not a non-empty string', { position: { path: '/iss' } });
  }
  const sub = claims.sub;
  if (!hasOwn(claims, 'sub'))
    throw new ClaimsError('oidc/missing-subject', 'the claims have no "sub"', { position: { path: '/sub' } });
  if (typeof sub !== 'string' || sub === '') {
    throw new ClaimsError('oidc/invalid-subject', '"sub" is not a non-empty string', { position: { path: '/sub' } });
  }

  // isEmailVerified (claim-set.ts) decides what counts; the reader only flags a value that is not even a boolean.
  if (hasOwn(claims, 'email_verified') && typeof claims.email_verified !== 'boolean') {
    warnings.push({
      code: 'oidc/email-verified-not-boolean',
      message:
        `"email_verified" is ${JSON.stringify(claims.email_verified)}, not a JSON boolean: it never ` +
        `counts as verified, and a bool claim reading it is malformed`,
      claim: 'email_verified',
    });
  }

  const indeterminate: string[] = [];
  if (hasOwn(claims, '_claim_names')) {
    const names = claims._claim_names;
    if (!isObject(names) || Object.values(names).some((v) => typeof v !== 'string')) {
      throw new ClaimsError('oidc/invalid-distributed-claims', '"_claim_names" is not an object of source names', {
        position: { path: '/_claim_names' },
      });
    }
    for (const name of Object.keys(names)) indeterminate.push(name);
  }
  if (claims.hasgroups === true && !indeterminate.includes('groups')) indeterminate.push('groups');
  indeterminate.sort();
  for (const name of indeterminate) {
    warnings.push(
      name === 'groups'
        ? {
            code: 'oidc/group-overage',
            message: 'the IdP left the groups out of the token (group overage): "groups" is indeterminate, not empty',
            claim: 'groups',
          }
        : {
            code: 'oidc/distributed-claim',
            message: `"${name}" is a distributed claim held elsewhere: it is indeterminate`,
            claim: name,
          },
    );
  }

  let issuedAt: string | undefined;
  if (hasOwn(claims, 'iat')) {
    const iat = claims.iat;
    if (typeof iat === 'number' && Number.isFinite(iat) && Math.abs(iat) <= 8.64e12)
      issuedAt = new Date(iat * 1000).toISOString();
    else
      warnings.push({
        code: 'oidc/invalid-iat',
        message: '"iat" is not a NumericDate; issuedAt is left out',
        claim: 'iat',
      });
  }

  return {
    protocol: 'oidc',
    issuer: iss,
    subject: { id: sub },
    claims,
    ...(indeterminate.length > 0 ? { indeterminate } : {}),
    ...(issuedAt !== undefined ? { issuedAt } : {}),
    verified,
    warnings,
  };
}
