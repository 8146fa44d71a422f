/**
 * Population impact of a mapping change (`claimmap plan OLD NEW`) and drift of stored grants (`claimmap plan NEW`).
 * Plain JSON-serialisable data: the JSON report is these objects.
 */
import type { ClaimSet, JsonValue } from '../../model/claim-set.js';
import type { AccountStatus, Grant } from '../../runtime/types.js';

/**
 * A mapping as reports name it.
 *
 * @example
 * ```ts
 * const { name, version, digest }: MappingRef = report.mapping;
 * ```
 */
export interface MappingRef {
  name: string;
  version: string | null;
  digest: string;
}

/**
 * One person to preview: a stored account (its last-seen claims, grants and profile) or a sample claims file
 * (no `account`: every login is a JIT creation, grants and profile empty).
 *
 * @example
 * ```ts
 * const subjects: ImpactSubject[] = subjectsFromAccounts(await listAccounts(store, { issuer: plan.idp.issuer }), plan);
 * ```
 */
export interface ImpactSubject {
  /** Stable identifier in reports: the account's key subject, or the sample's file name. */
  key: string;
  /** A readable name (the profile's email or display name), if any. */
  label?: string;
  /** The claims to re-evaluate; null when the account was never logged in (then only drift by digest applies). */
  lastSeenClaims: ClaimSet | null;
  grants: Grant[];
  profile: Record<string, JsonValue>;
  /** The stored account's key and state; absent for samples. */
  account?: {
    issuer: string;
    subject: string;
    status: AccountStatus;
    lastIssuedAt: string | null;
    mappingDigest: string | null;
    mappingVersion: string | null;
  };
  /** What was assumed when turning the stored snapshot into claims (NameID format, omitted claims). */
  notes?: string[];
}

/** What one login would do under one mapping. */
export interface LoginOutcome {
  action: 'created' | 'updated' | 'unchanged' | 'refused' | 'conflict';
  /** The provision reason code (and the first decision refusal) when refused; null otherwise. */
  refusal: string | null;
  /** Roles and entitlements held after the login; empty when the login is refused (no session, no access). */
  roles: string[];
  entitlements: string[];
  profile: Record<string, JsonValue>;
}

/**
 * How one account's next login differs between the old and the new mapping.
 *
 * @example
 * ```ts
 * for (const a of (await planImpact(oldPlan, newPlan, subjects)).perAccount)
 *   if (a.access === 'lost') console.log(a.key, a.roles.lost);
 * ```
 */
export interface AccountImpact {
  key: string;
  label?: string;
  old: { action: LoginOutcome['action']; refusal: string | null };
  new: { action: LoginOutcome['action']; refusal: string | null };
  /** `lost`: allowed under old, refused under new; `gained`: the reverse. */
  access: 'kept' | 'lost' | 'gained' | 'none';
  roles: { gained: string[]; lost: string[] };
  entitlements: { gained: string[]; lost: string[] };
  /** Profile fields whose stored value would differ (null: unset). */
  profile: { field: string; from: JsonValue; to: JsonValue }[];
  /** The new mapping derives another key for this person: the login would create a second account. */
  newAccount: boolean;
  notes: string[];
}

/**
 * A total over accounts: `would remove admin from 12 accounts`.
 *
 * @example
 * ```ts
 * for (const t of report.totals.grants) if (t.privileged) console.log(t.text); // '+ role admin: 3 accounts'
 * ```
 */
export interface GrantTotal {
  change: 'add' | 'remove';
  kind: 'role' | 'entitlement';
  name: string;
  privileged: boolean;
  accounts: number;
  text: string;
}

/**
 * What {@link planImpact} returns: each account's outcome under the old and the new mapping, and totals.
 *
 * @example
 * ```ts
 * const report: ImpactReport = await planImpact(oldPlan, newPlan, subjectsFromClaimSets(samples));
 * process.stdout.write(formatImpactMarkdown(report));
 * ```
 */
export interface ImpactReport {
  old: MappingRef;
  new: MappingRef;
  /** Subjects previewed (with claims to re-evaluate). */
  subjects: number;
  /** Subjects skipped (no last-seen claims), with why. */
  skipped: { key: string; reason: string }[];
  /** Only the accounts whose next login would differ, in key order. */
  perAccount: AccountImpact[];
  totals: {
    grants: GrantTotal[];
    access: { lost: number; gained: number };
    profile: { field: string; accounts: number; text: string }[];
    newAccounts: number;
    /** Every total as one sentence, most severe first. */
    text: string[];
  };
}

/**
 * Why a stored grant is drift: the mapping would not give it now, or it was granted by another mapping digest.
 *
 * @example
 * ```ts
 * const stale = report.entries.filter((e) => e.reasons.includes('older-mapping' satisfies DriftReason));
 * ```
 */
export type DriftReason = 'not-granted' | 'refused' | 'older-mapping';

/**
 * One grant a stored account holds that the mapping would no longer give it, and why.
 *
 * @example
 * ```ts
 * for (const e of drift(plan, subjects).entries) console.log(e.key, e.kind, e.name, e.reasons.join(','));
 * ```
 */
export interface DriftEntry {
  key: string;
  label?: string;
  kind: 'role' | 'entitlement';
  name: string;
  reasons: DriftReason[];
  /** The provenance stored with the grant. */
  rules: string[];
  mappingDigest: string;
  mappingVersion: string | null;
  grantedAt: string;
}

/**
 * What {@link drift} returns: the drifted grants per account, what could not be evaluated, and totals.
 *
 * @example
 * ```ts
 * const report: DriftReport = drift(plan, subjectsFromAccounts(accounts, plan));
 * process.stdout.write(formatDriftText(report));
 * ```
 */
export interface DriftReport {
  mapping: MappingRef;
  /** Accounts examined. */
  subjects: number;
  entries: DriftEntry[];
  /** Accounts whose grants could not be re-evaluated (no last-seen claims); their old-digest grants are still listed. */
  unevaluated: { key: string; reason: string }[];
  totals: { kind: 'role' | 'entitlement'; name: string; reason: DriftReason; accounts: number; text: string }[];
}
