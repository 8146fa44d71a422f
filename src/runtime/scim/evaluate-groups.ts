/**
 * Group membership received over SCIM feeds the same role and entitlement rules as the declared groups claim: the
 * plan is evaluated with that claim replaced by the SCIM membership (group displayNames) and every other claim taken
 * from the account's last-seen claim snapshot (absent claims stay absent: three-valued, fail closed).
 */
import type { Decision } from '../../evaluate/decision.js';
import { evaluate } from '../../evaluate/index.js';
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import { deepFreeze, type Plan } from '../../model/plan.js';
import type { Account } from '../types.js';

const rulesOnly = new WeakMap<Plan, Plan>();

/**
 * The plan a SCIM write evaluates: the same rules, claims and digest, without the login gates (`require`, required
 * claims), which govern logins: a SCIM write decides roles, never whether someone may log in.
 */
function rulesPlan(plan: Plan): Plan {
  let p = rulesOnly.get(plan);
  if (!p) {
    p = deepFreeze({ ...plan, require: [], claims: plan.claims.map((c) => ({ ...c, required: false })) });
    rulesOnly.set(plan, p);
  }
  return p;
}

/**
 * `claimSet` with the claim `name` of `plan` set to `values` at its source (SAML attribute or OIDC path), and no
 * longer indeterminate. Other claims are untouched.
 *
 * @example
 * ```ts
 * const cs = withClaim(plan, claimSet, 'groups', ['admins']);
 * ```
 */
export function withClaim(plan: Plan, claimSet: ClaimSet, name: string, values: string[]): ClaimSet {
  const decl = plan.claims.find((c) => c.name === name);
  if (!decl) return claimSet;
  const claims: Record<string, JsonValue> = { ...(claimSet.claims ?? {}) };
  const path = plan.idp.protocol === 'saml' ? decl.source.slice(0, 1) : decl.source;
  let cur = claims;
  path.forEach((seg, i) => {
    if (i === path.length - 1) {
      cur[seg] = [...values];
      return;
    }
    const next = cur[seg];
    const copy: Record<string, JsonValue> =
      next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...next } : {};
    cur[seg] = copy;
    cur = copy;
  });
  const indetName = plan.idp.protocol === 'saml' ? (decl.source[0] ?? '') : decl.source.join('.');
  const out: ClaimSet = { ...claimSet, claims };
  if (claimSet.indeterminate) out.indeterminate = claimSet.indeterminate.filter((x) => x !== indetName);
  if (claimSet.aliases && plan.idp.protocol === 'saml') {
    const aliases = { ...claimSet.aliases };
    delete aliases[indetName];
    out.aliases = aliases;
  }
  return out;
}

/**
 * The claim set a SCIM write evaluates for `account`: its last-seen claims (none for a pre-provisioned account),
 * the durable key's subject, and the groups claim replaced by `groups`.
 */
function scimClaimSet(plan: Plan, account: Account, claim: string, groups: string[]): ClaimSet {
  const snap = account.lastSeenClaims;
  const key = plan.key;
  const claims: Record<string, JsonValue> = { ...(snap?.claims ?? {}) };
  if (key.kind === 'claims' && key.claims.length === 1) {
    const decl = plan.claims.find((c) => c.name === key.claims[0]);
    if (decl && !Object.hasOwn(claims, decl.source[0] ?? '')) claims[decl.source[0] ?? ''] = account.subject;
  }
  const base: ClaimSet = {
    protocol: plan.idp.protocol,
    issuer: plan.idp.issuer,
    subject: {
      id: account.subject,
      ...(key.kind === 'nameid' ? { format: key.formatUri } : {}),
    },
    claims,
    ...(snap?.aliases ? { aliases: snap.aliases } : {}),
    ...(snap?.indeterminate ? { indeterminate: snap.indeterminate } : {}),
    verified: true,
  };
  return withClaim(plan, base, claim, groups);
}

/**
 * The roles and entitlements the mapping grants `account` when its groups claim is `groups` (SCIM membership).
 *
 * @example
 * ```ts
 * const d = decideScimGrants(plan, account, 'groups', ['admins']);
 * reconcileGrants(plan, d, account.grants, nowIso);
 * ```
 */
export function decideScimGrants(plan: Plan, account: Account, claim: string, groups: string[]): Decision {
  return evaluate(rulesPlan(plan), scimClaimSet(plan, account, claim, groups), { trace: true });
}
