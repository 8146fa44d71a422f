/**
 * Putting accounts into a store before a test login (scenario `existing:` / `others:`), through the Store
 * transaction API, so update, reactivation and conflict paths of provision() run for real.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import { uniqueEntries } from '../../runtime/normalise.js';
import type { AccountRecord, Store } from '../../runtime/store.js';
import type { Grant } from '../../runtime/types.js';
import type { AccountSeed, GrantSeed } from './types.js';
import { defined } from '../../model/invariant.js';

/** For each granted role and entitlement, the ids of the rules that grant it (a Decision's `grantedBy`). */
export type GrantedBy = { roles: Record<string, string[]>; entitlements: Record<string, string[]> };

function grant(kind: Grant['kind'], g: GrantSeed, plan: Plan, at: string, by: Record<string, string[]>): Grant {
  if (g.source === 'manual') return { kind, name: g.name, grantedAt: at, source: 'manual', actor: 'scenario' };
  return {
    kind,
    name: g.name,
    grantedAt: at,
    source: 'mapping',
    rules: [...(g.rules ?? (Object.hasOwn(by, g.name) ? defined(by[g.name]) : []))].sort(),
    mappingDigest: g.mappingDigest ?? plan.digest,
    mappingVersion: g.mappingVersion === undefined ? plan.version : g.mappingVersion,
  };
}

/**
 * Inserts one account with key (`issuer`, `subject`), its grants and its unique-index entries (marked verified).
 * A mapping grant without `rules` gets the rule ids `grantedBy` lists for it (none if absent).
 * Store failures (a duplicate key or unique value) reject with the store's `RuntimeError`.
 *
 * @example
 * ```ts
 * await seedAccount(store, plan, { status: 'active', profile: { email: 'j@acme.example' }, roles: [], entitlements: [] },
 *   plan.idp.issuer, '00u1', '2026-11-01T00:00:00Z');
 * ```
 */
export async function seedAccount(
  store: Store,
  plan: Plan,
  seed: AccountSeed,
  issuer: string,
  subject: string,
  at: string,
  grantedBy: GrantedBy = { roles: {}, entitlements: {} },
): Promise<void> {
  const iso = new Date(at).toISOString();
  const profile = Object.assign(Object.create(null) as Record<string, JsonValue>, seed.profile);
  const grants = [
    ...seed.roles.map((g) => grant('role', g, plan, iso, grantedBy.roles)),
    ...seed.entitlements.map((g) => grant('entitlement', g, plan, iso, grantedBy.entitlements)),
  ];
  const record: AccountRecord = {
    id: randomUUID(),
    issuer,
    subject,
    status: seed.status,
    profile,
    lastSeenClaims: null,
    mappingDigest: plan.digest,
    mappingVersion: plan.version,
    lastLoginAt: null,
    lastIssuedAt: seed.lastIssuedAt === undefined ? null : new Date(seed.lastIssuedAt).toISOString(),
    createdAt: iso,
    updatedAt: iso,
    version: 1,
  };
  await store.transaction(async (tx) => {
    await tx.insertAccount(record);
    await tx.replaceGrants(record.id, grants);
    await tx.replaceUnique(
      record.id,
      issuer,
      uniqueEntries(plan, profile, () => true),
    );
  });
}
