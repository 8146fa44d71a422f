/**
 * The simulator's data: samples, mutation operators, classified outcomes, rule coverage and the result of a run.
 * All results are plain JSON-serialisable data (the JSON report is `SimulationResult` itself).
 */
import type { ClaimSet, JsonValue } from '../model/claim-set.js';
import type { ClaimPlan, Plan } from '../model/plan.js';

/**
 * One real login to mutate: a name for reports and its claim set.
 *
 * @example
 * ```ts
 * const sample: Sample = { name: 'jane', claimSet: readOidcClaims(readFileSync('jane.json', 'utf8')) };
 * ```
 */
export interface Sample {
  name: string;
  claimSet: ClaimSet;
  /** The file it was read from, when it came from one. */
  file?: string;
}

/**
 * What a mutation operator is given besides the claim set and the claim.
 *
 * @example
 * ```ts
 * apply(claimSet, claim, ctx: MutationContext) {
 *   return ctx.literals.map((l) => ({ label: `= ${l}`, claimSet: withClaim(claimSet, claim!, l) }));
 * }
 * ```
 */
export interface MutationContext {
  plan: Plan;
  /**
   * String literals the plan's rules compare this claim against, privileged ones first: the literals of rules that
   * grant a privileged role or entitlement. Near-miss operators derive their values from these.
   */
  literals: string[];
  /**
   * String literals the rules for privileged roles or entitlements test this claim against where holding the value
   * helps (`"vault-admins" in groups` in a grant), at most 4. The look-alike and user-edit operators derive their
   * values from these only. Absent when a caller builds the context itself: treated as none.
   */
  privilegedLiterals?: string[];
  /**
   * Literals those rules test where losing the value helps (`not "Contractors" in groups` in a grant, the test of a
   * deny), at most 4. `lost-values` removes them. Absent: none.
   */
  negatedLiterals?: string[];
  /**
   * Values the inexact tests of privileged grants accept though no exact reading names them (`x/admins` for
   * `/^.*\/admins$/`, `gh-xx` for `/^gh-[a-z]+$/`; see regex-witness.ts), at most 4. `regex-witness` plants them.
   * Absent: none.
   */
  witnesses?: Witness[];
  /** Length of the `very-long` value. Default 10 000. */
  longLength: number;
  /** At most this many values of one set are removed in turn (`value-removed`). Default 32. */
  maxSetValues: number;
}

/**
 * A value an inexact privileged test accepts; `all` when the test is `all <claim> matches` (the set's only value).
 *
 * @example
 * ```ts
 * const witness: Witness = { value: 'x/admins', all: false }; // accepted by /^.*\/admins$/
 * ```
 */
export interface Witness {
  value: string;
  all: boolean;
}

/**
 * One mutated claim set, with a short human label of what changed (`groups + "OKTA-ADMINS"`).
 *
 * @example
 * ```ts
 * const mutated: MutatedClaims = { label: 'groups: + okta-admins', claimSet: withClaim(cs, claim, ['okta-admins']) };
 * ```
 */
export interface MutatedClaims {
  label: string;
  claimSet: ClaimSet;
}

/**
 * A named, documented mutation operator. `scope: 'claim'` operators run once per declared claim they apply to
 * (`claim` is that claim); `scope: 'login'` operators (key, issuer) run once per sample with `claim` null.
 * `apply` must not modify its input: it returns new claim sets (copy-on-write of the records it changes).
 * Returning no mutation means "nothing to do for this value" (e.g. `absent` on an absent claim).
 *
 * @example
 * ```ts
 * const blank: MutationOperator = {
 *   name: 'blank',
 *   description: 'the claim set to the empty string',
 *   scope: 'claim',
 *   appliesTo: (claim) => claim?.type.kind === 'string',
 *   apply: (cs, claim) => [{ label: 'blank', claimSet: withClaim(cs, claim!, '') }],
 * };
 * await simulate(plan, samples, { extraOperators: [blank] });
 * ```
 */
export interface MutationOperator {
  name: string;
  description: string;
  scope: 'claim' | 'login';
  appliesTo(claim: ClaimPlan | null, plan: Plan): boolean;
  apply(claimSet: ClaimSet, claim: ClaimPlan | null, ctx: MutationContext): MutatedClaims[];
}

/**
 * How one mutated login compares to the sample's baseline login, most severe first in {@link OUTCOME_CLASSES}.
 *
 * @example
 * ```ts
 * const failing: OutcomeClass[] = ['error', 'escalation', 'duplicate-account'];
 * ```
 */
export type OutcomeClass =
  | 'error' //              an exception: a bug; the run fails
  | 'escalation' //         gains a role or entitlement, or a refused login becomes allowed
  | 'duplicate-account' //  a second account for one person
  | 'profile-loss' //       a stored profile attribute blanked or overwritten from a mutated claim
  | 'loss' //               loses a role or entitlement
  | 'refused' //            fails closed: refused or conflict where the baseline was allowed
  | 'unchanged';

/**
 * Every outcome class, most severe first.
 *
 * @example
 * ```ts
 * for (const c of OUTCOME_CLASSES) console.log(c, result.outcomes.filter((o) => o.class === c).length);
 * ```
 */
export const OUTCOME_CLASSES: readonly OutcomeClass[] = Object.freeze([
  'error',
  'escalation',
  'duplicate-account',
  'profile-loss',
  'loss',
  'refused',
  'unchanged',
]);

/**
 * The severity rank of each class: its index in {@link OUTCOME_CLASSES} (0 is the most severe).
 *
 * @example
 * ```ts
 * OUTCOME_RANK.escalation < OUTCOME_RANK.loss // true
 * ```
 */
export const OUTCOME_RANK: Readonly<Record<OutcomeClass, number>> = Object.freeze(
  Object.fromEntries(OUTCOME_CLASSES.map((c, i) => [c, i])) as Record<OutcomeClass, number>,
);

/**
 * Which login a finding was seen on: against a store holding the baseline account, into an empty store, or by the
 * decision alone.
 *
 * @example
 * ```ts
 * const jit = result.outcomes.flatMap((o) => o.findings).filter((f) => f.path === ('jit' satisfies LoginPath));
 * ```
 */
export type LoginPath = 'update' | 'jit' | 'decision';

/**
 * One difference between a mutated login and its baseline.
 *
 * @example
 * ```ts
 * for (const f of result.outcomes.flatMap((o) => o.findings)) if (f.critical) console.error(f.message);
 * ```
 */
export interface Finding {
  class: OutcomeClass;
  path: LoginPath;
  /** Set on an escalation to a privileged role or entitlement. */
  critical: boolean;
  /** What changed: a role, an entitlement, a profile field, the login itself or the account. */
  subject: 'role' | 'entitlement' | 'profile' | 'login' | 'account';
  /** The role, entitlement or profile field name (or the action for `login` / `account`). */
  name: string;
  from?: JsonValue;
  to?: JsonValue;
  /** One short sentence. */
  message: string;
}

/**
 * One mutated login and its classification.
 *
 * @example
 * ```ts
 * const escalations = result.outcomes.filter((o) => o.class === 'escalation');
 * ```
 */
export interface MutationOutcome {
  sample: string;
  operator: string;
  /** The declared claim mutated, or `(login)` for login-scope operators. */
  claim: string;
  label: string;
  /** The most severe finding's class, or `unchanged`. */
  class: OutcomeClass;
  critical: boolean;
  findings: Finding[];
}

/**
 * How often a rule evaluated to each truth value over the baselines and every mutation.
 *
 * @example
 * ```ts
 * for (const r of result.coverage.rules) console.log(r.rule, r.true, r.false, r.unknown);
 * ```
 */
export interface RuleCoverage {
  rule: string;
  section: 'roles' | 'entitlements';
  effect: 'grant' | 'deny';
  target: string;
  text: string;
  /** Whether the rule has a condition (`grant viewer` has none and can only be true). */
  conditional: boolean;
  true: number;
  false: number;
  unknown: number;
}

/**
 * Per-rule coverage and the rules whose branches were never taken.
 *
 * @example
 * ```ts
 * const { neverTrue }: CoverageReport = (await simulate(plan, samples)).coverage;
 * if (neverTrue.length) console.warn('rules that never fire:', neverTrue);
 * ```
 */
export interface CoverageReport {
  rules: RuleCoverage[];
  /** Rules never evaluated true (a grant that never granted, a deny that never matched): never exercised. */
  neverTrue: string[];
  /** Conditional rules never evaluated false. */
  neverFalse: string[];
  /** Rules never evaluated unknown (informational: a missing or malformed input never reached them). */
  neverUnknown: string[];
  /** Rules never evaluated at all (every login that reached rules was refused first). */
  neverEvaluated: string[];
}

/**
 * The baseline login of one sample.
 *
 * @example
 * ```ts
 * for (const b of result.samples) console.log(b.sample, b.action, b.roles);
 * ```
 */
export interface BaselineSummary {
  sample: string;
  action: 'created' | 'updated' | 'unchanged' | 'refused' | 'conflict' | 'allow' | 'refuse' | 'error';
  roles: string[];
  entitlements: string[];
  refusals: string[];
  /** The exception message when the baseline itself threw. */
  error?: string;
}

/**
 * The result of {@link simulate} or {@link simulateDecisions}; the JSON report is this object.
 *
 * @example
 * ```ts
 * const result: SimulationResult = await simulate(plan, samples);
 * writeFileSync('simulation.json', renderJson(result));
 * ```
 */
export interface SimulationResult {
  format: 'claimmap/simulation@1';
  mode: 'provision' | 'decisions';
  mapping: { name: string; version: string | null; digest: string };
  samples: BaselineSummary[];
  /** Operator names and descriptions, in run order. */
  operators: { name: string; description: string; scope: 'claim' | 'login' }[];
  /** Count of mutated logins per class (every class present, zero included). */
  counts: Record<OutcomeClass, number>;
  critical: number;
  /** Every mutated login, in run order (sample, then claim, then operator). */
  outcomes: MutationOutcome[];
  coverage: CoverageReport;
  /** The plan's `unsafe` overrides, repeated. */
  unsafe: { code: string; reason: string; line: number }[];
  /** Evaluations performed (baselines and mutations; both store paths count). */
  evaluations: number;
  /** Wall-clock milliseconds of the run. */
  elapsedMs: number;
}

/**
 * Progress of a run, for progress bars: `done` of `total` mutated logins.
 *
 * @example
 * ```ts
 * const onProgress: ProgressCallback = (done, total) => process.stderr.write(`\r${done}/${total}`);
 * await simulate(plan, samples, { onProgress });
 * ```
 */
export type ProgressCallback = (done: number, total: number) => void;

/**
 * Options of {@link simulate} and {@link simulateDecisions}.
 *
 * @example
 * ```ts
 * const options: SimulateOptions = { privileged: ['admin'], extraOperators: [], now: '2026-12-01T00:00:00Z' };
 * const result = await simulate(plan, samples, options);
 * ```
 */
export interface SimulateOptions {
  /** The operators to run (default: {@link DEFAULT_OPERATORS}). */
  operators?: readonly MutationOperator[];
  /** Extra operators run after `operators`. */
  extraOperators?: readonly MutationOperator[];
  /**
   * Login time of the baseline (mutations log in one minute later). Default: the current time, or the latest
   * `issuedAt` of the samples when that is later (recorded samples may be dated ahead of the replaying machine).
   */
  now?: Date | string;
  /** Role or entitlement names treated as privileged besides the plan's `privileged` roles. */
  privileged?: readonly string[];
  /** Called after every mutated login (at most every `progressEvery`). */
  onProgress?: ProgressCallback;
  /** Call `onProgress` every this many mutated logins. Default 100. */
  progressEvery?: number;
  /** Length of the `very-long` value. Default 10 000. */
  longLength?: number;
  /** Most values of one set removed in turn. Default 32. */
  maxSetValues?: number;
}
