/**
 * Where preview subjects come from: stored accounts (their last-seen claim snapshot) or sample claim sets.
 */
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import type { Account } from '../../runtime/types.js';
import { snapshotClaimSet } from '../scenarios/claim-sets.js';
import type { ImpactSubject } from './types.js';

function labelOf(profile: Record<string, JsonValue>): string | undefined {
  for (const f of ['email', 'display_name', 'username']) {
    const v = Object.hasOwn(profile, f) ? profile[f] : undefined;
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/**
 * Stored accounts as preview subjects. Snapshots keep no NameID format: for a SAML `nameid` key, the format of
 * `plan`'s key is assumed (the account was stored under such a key), and each subject notes it.
 *
 * @example
 * ```ts
 * const subjects = subjectsFromAccounts(await listAccounts(store, { issuer: oldPlan.idp.issuer }), oldPlan);
 * ```
 */
export function subjectsFromAccounts(accounts: readonly Account[], plan: Plan): ImpactSubject[] {
  const format = plan.key.kind === 'nameid' ? plan.key.formatUri : undefined;
  return accounts.map((a) => {
    const s: ImpactSubject = {
      key: a.subject,
      lastSeenClaims: null,
      grants: a.grants,
      profile: a.profile,
      account: {
        issuer: a.issuer,
        subject: a.subject,
        status: a.status,
        lastIssuedAt: a.lastIssuedAt,
        mappingDigest: a.mappingDigest,
        mappingVersion: a.mappingVersion,
      },
    };
    const label = labelOf(a.profile);
    if (label !== undefined) s.label = label;
    if (a.lastSeenClaims) {
      const { claimSet, notes } = snapshotClaimSet(a.lastSeenClaims, format);
      s.lastSeenClaims = claimSet;
      if (notes.length) s.notes = notes;
    }
    return s;
  });
}

/**
 * Sample claim sets as preview subjects: no stored account, so each login is a JIT creation.
 *
 * @example
 * ```ts
 * const subjects = subjectsFromClaimSets([{ name: 'jane.saml.xml', claimSet }]);
 * ```
 */
export function subjectsFromClaimSets(samples: readonly { name: string; claimSet: ClaimSet }[]): ImpactSubject[] {
  return samples.map((s) => ({ key: s.name, lastSeenClaims: s.claimSet, grants: [], profile: {} }));
}
