/**
 * The decision `evaluate()` returns for one plan and one claim set. Pure data, JSON-serialisable.
 */
import type { JsonValue } from '../model/claim-set.js';
import type { ProfilePlan, SourceLoc } from '../model/plan.js';

/**
 * Why a claim value was rejected. A malformed claim is never treated as absent, nor as a value.
 *
 * @example
 * ```ts
 * const reason: MalformedReason = 'multiple-values'; // a scalar claim sent twice
 * ```
 */
export type MalformedReason =
  | 'wrong-type' //           an object where a string was declared, a string where a list was, ...
  | 'multiple-values' //      a scalar claim with more than one SAML AttributeValue
  | 'empty' //                the empty string (after normalisation)
  | 'invalid-format' //       not an email, uuid, url, datetime or int
  | 'not-in-enum' //          a value outside the declared enum
  | 'indeterminate'; //       the IdP said the value is incomplete (Entra ID group overage)

/**
 * The three states a claim can be in.
 *
 * @example
 * ```ts
 * const state: ClaimState = decision.trace![0]!.inputs.groups!;
 * if (state.state === 'malformed') console.warn(state.reason, state.detail);
 * ```
 */
export type ClaimState =
  | { state: 'present'; value: JsonValue }
  | { state: 'absent' }
  | { state: 'malformed'; reason: MalformedReason; detail: string };

/**
 * Why a login is refused. A closed union: codes are stable API.
 *
 * @example
 * ```ts
 * const refused = decision.refusals.some((r) => r.code === ('key-absent' satisfies RefusalCode));
 * ```
 */
export type RefusalCode =
  | 'protocol-mismatch' //         SAML claims for an OIDC mapping, or the reverse
  | 'issuer-mismatch' //           the claim set's issuer is not the mapping's IdP
  | 'requirement-not-met' //       a `require` gate is false or unknown
  | 'key-format-mismatch' //       the NameID format is not the one the key requires
  | 'key-absent' //                no subject / key claim
  | 'key-malformed' //             key claim present but malformed
  | 'required-claim-absent'
  | 'required-claim-malformed';

/**
 * Why a login is refused: a stable code, one sentence, and the claim at fault when there is one.
 *
 * @example
 * ```ts
 * for (const r of evaluate(plan, claimSet).refusals) console.warn(`${r.code}: ${r.message}`);
 * ```
 */
export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The claim involved, where there is one. */
  claim?: string;
}

/**
 * The durable key: always scoped by issuer, never an email.
 *
 * @example
 * ```ts
 * const key: AccountKey = { issuer: 'https://idp.example.com', subject: '00u1abcd' };
 * const account = await getAccount(store, key);
 * ```
 */
export interface AccountKey {
  issuer: string;
  subject: string;
}

/**
 * A profile field as evaluated: its value (or why there is none) and how the runtime writes it.
 *
 * @example
 * ```ts
 * const email: ProfileValue | undefined = evaluate(plan, claimSet).profile.email;
 * if (email?.state === 'present') console.log(email.value, email.sync);
 * ```
 */
export type ProfileValue = {
  sync: ProfilePlan['sync'];
  clear: boolean;
} & ({ state: 'present'; value: JsonValue } | { state: 'absent' } | { state: 'malformed' });

/**
 * The truth value of a condition in three-valued logic.
 *
 * @example
 * ```ts
 * const t: Truth = 'unknown'; // a rule over a malformed or absent claim neither grants nor denies
 * ```
 */
export type Truth = 'true' | 'false' | 'unknown';

/**
 * One rule's evaluation, recorded when tracing is on.
 *
 * @example
 * ```ts
 * for (const t of evaluate(plan, claimSet, { trace: true }).trace ?? [])
 *   console.log(t.rule, t.result, t.fired ? 'fired' : '');
 * ```
 */
export interface TraceEntry {
  rule: string;
  section: 'roles' | 'entitlements';
  effect: 'grant' | 'deny';
  target: string;
  result: Truth;
  /** Whether the rule took effect: a grant that is true, a deny that is true or unknown. */
  fired: boolean;
  /** The values (or states) of the claims the rule read. */
  inputs: Record<string, ClaimState>;
  /** Entitlements produced by a `for each` rule. */
  produced?: string[];
  loc: SourceLoc;
  text: string;
}

/**
 * The result of {@link evaluate}: allow or refuse, the account key, profile, roles and entitlements, and why.
 *
 * @example
 * ```ts
 * const decision: Decision = evaluate(plan, claimSet);
 * if (decision.outcome === 'allow') console.log(decision.roles, decision.grantedBy.roles);
 * ```
 */
export interface Decision {
  outcome: 'allow' | 'refuse';
  /** Every reason to refuse (empty when allowed). */
  refusals: Refusal[];
  key: AccountKey | null;
  profile: Record<string, ProfileValue>;
  /** Roles granted and not denied, sorted. */
  roles: string[];
  /** Entitlements granted and not denied, sorted. */
  entitlements: string[];
  /** Provenance: for each granted role or entitlement, the ids of the rules that granted it. */
  grantedBy: { roles: Record<string, string[]>; entitlements: Record<string, string[]> };
  /** Roles and entitlements a deny removed or blocked, with the deny rule and its truth value. */
  denied: { kind: 'role' | 'entitlement'; name: string; rule: string; result: Truth }[];
  /** Declared claims that were absent. */
  absent: string[];
  /** Declared claims that were malformed, with why. */
  malformed: { claim: string; reason: MalformedReason; detail: string }[];
  /** Repeated `unsafe` overrides of the plan, and other advisory notes. */
  warnings: string[];
  mapping: { name: string; version: string | null; digest: string };
  trace?: TraceEntry[];
}

/**
 * Options of `evaluate()`.
 *
 * @example
 * ```ts
 * const options: EvaluateOptions = { trace: true };
 * const { trace } = evaluate(plan, claimSet, options);
 * ```
 */
export interface EvaluateOptions {
  /** Record a {@link TraceEntry} per rule (slower; for explain, simulate and audit). Default false. */
  trace?: boolean;
}
