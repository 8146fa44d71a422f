/**
 * What both drivers of a simulation share: the checked options of a run, the mutations of each sample, the tally
 * of outcomes as they come, and the result. The drivers are drive-decisions.ts (evaluate only) and drive-store.ts
 * (through provision()'s login transaction, in scratch stores); simulate.ts runs them.
 */
import { type ClaimSet, rfc3339Millis } from '../model/claim-set.js';
import type { ClaimPlan, Plan } from '../model/plan.js';
import { emptyCounts, errorFinding, errorText, worse } from './classify.js';
import { Coverage } from './coverage.js';
import { type PrivilegedLiterals, privilegedLiterals, ruleLiterals } from './literals.js';
import { DEFAULT_OPERATORS, assertOperator } from './mutations.js';
import type {
  BaselineSummary,
  CoverageReport,
  Finding,
  LoginPath,
  MutationContext,
  MutationOperator,
  MutationOutcome,
  OutcomeClass,
  Sample,
  SimulateOptions,
  SimulationResult,
} from './types.js';
import { OUTCOME_RANK as RANK } from './types.js';

/**
 * Defaults of {@link SimulateOptions}.
 *
 * @example
 * ```ts
 * await simulate(plan, samples, { longLength: SIMULATE_DEFAULTS.longLength * 2 });
 * ```
 */
export const SIMULATE_DEFAULTS = Object.freeze({ longLength: 10_000, maxSetValues: 32, progressEvery: 100 });

/** The row name of login-scope operators in outcomes and the matrix. */
export const LOGIN_ROW = '(login)';

/** One mutation of a sample, built by prepare() (internal). */
export interface Prepared {
  operator: string;
  claim: string;
  label: string;
  claimSet: ClaimSet | null;
  /** Set when the operator itself threw. */
  error?: string;
}

/** The checked options of one simulation (internal). */
export interface Run {
  plan: Plan;
  privileged: Set<string>;
  operators: readonly MutationOperator[];
  now: Date;
  later: Date;
  onProgress: ((done: number, total: number) => void) | undefined;
  progressEvery: number;
  longLength: number;
  maxSetValues: number;
  /** {@link ruleLiterals} of each declared claim, computed once per run. */
  literals: ReadonlyMap<string, string[]>;
  /** {@link privilegedLiterals} of each declared claim, computed once per run. */
  privilegedLiterals: ReadonlyMap<string, PrivilegedLiterals>;
}

/** Checks the options of a simulation (TypeError for a caller mistake) and computes what every sample shares. */
export function setup(plan: Plan, samples: readonly Sample[], options: SimulateOptions): Run {
  if (typeof plan !== 'object' || plan === null || !Array.isArray(plan.claims))
    throw new TypeError('simulate: plan must be a Plan');
  if (!Array.isArray(samples)) throw new TypeError('simulate: samples must be an array of { name, claimSet }');
  for (const s of samples) {
    if (
      typeof s !== 'object' ||
      s === null ||
      typeof s.name !== 'string' ||
      typeof s.claimSet !== 'object' ||
      s.claimSet === null
    ) {
      throw new TypeError('simulate: every sample needs a name and a claimSet');
    }
  }
  const operators = [...(options.operators ?? DEFAULT_OPERATORS), ...(options.extraOperators ?? [])];
  operators.forEach(assertOperator);
  const now = options.now === undefined ? replayTime(samples) : new Date(options.now);
  if (Number.isNaN(now.getTime())) throw new TypeError('simulate: options.now is not a valid date');
  const int = (v: number | undefined, dflt: number, what: string): number => {
    if (v === undefined) return dflt;
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`simulate: options.${what} must be a positive integer`);
    return v;
  };
  const privileged = new Set([...plan.roles.privileged, ...(options.privileged ?? [])]);
  return {
    plan,
    privileged,
    operators,
    now,
    later: new Date(now.getTime() + 60_000),
    onProgress: options.onProgress,
    progressEvery: int(options.progressEvery, SIMULATE_DEFAULTS.progressEvery, 'progressEvery'),
    longLength: int(options.longLength, SIMULATE_DEFAULTS.longLength, 'longLength'),
    maxSetValues: int(options.maxSetValues, SIMULATE_DEFAULTS.maxSetValues, 'maxSetValues'),
    literals: new Map(plan.claims.map((c) => [c.name, ruleLiterals(plan, c.name, privileged)])),
    privilegedLiterals: new Map(plan.claims.map((c) => [c.name, privilegedLiterals(plan, c.name, privileged)])),
  };
}

/**
 * The default login time of a simulation: the current time, or the latest `issuedAt` of the samples when that is
 * later. Samples are recorded assertions, often dated ahead of the machine that replays them (fixtures, another
 * time zone); provision refuses an assertion issued after now plus the clock skew, which would turn every such
 * sample into a refusal that says nothing about the mapping.
 */
function replayTime(samples: readonly Sample[]): Date {
  let t = Date.now();
  for (const s of samples) {
    const issued = rfc3339Millis(s.claimSet.issuedAt);
    if (issued !== null && issued > t) t = issued;
  }
  return new Date(t);
}

/** The mutations of one sample: every claim-scope operator on every claim, then every login-scope operator. */
export function prepare(run: Run, sample: Sample): Prepared[] {
  const out: Prepared[] = [];
  const cs = sample.claimSet;
  const base = { plan: run.plan, longLength: run.longLength, maxSetValues: run.maxSetValues };
  const each = (op: MutationOperator, claim: ClaimPlan | null, ctx: MutationContext, row: string): void => {
    try {
      if (!op.appliesTo(claim, run.plan)) return;
      for (const m of op.apply(cs, claim, ctx))
        out.push({ operator: op.name, claim: row, label: m.label, claimSet: m.claimSet });
    } catch (e) {
      out.push({ operator: op.name, claim: row, label: '(operator failed)', claimSet: null, error: errorText(e) });
    }
  };
  for (const claim of run.plan.claims) {
    const priv = run.privilegedLiterals.get(claim.name);
    const ctx: MutationContext = {
      // copies: operators may be user code
      ...base,
      literals: [...(run.literals.get(claim.name) ?? [])],
      privilegedLiterals: [...(priv?.positive ?? [])],
      negatedLiterals: [...(priv?.negated ?? [])],
      witnesses: (priv?.witnesses ?? []).map((w) => ({ ...w })),
    };
    for (const op of run.operators) if (op.scope === 'claim') each(op, claim, ctx, claim.name);
  }
  const loginCtx: MutationContext = { ...base, literals: [] };
  for (const op of run.operators) if (op.scope === 'login') each(op, null, loginCtx, LOGIN_ROW);
  return out;
}

/** The outcome of one mutation: the worst class of its findings, findings worst first. */
export function outcomeOf(sample: string, p: Prepared, findings: Finding[]): MutationOutcome {
  let cls: OutcomeClass = 'unchanged';
  let critical = false;
  for (const f of findings) {
    cls = worse(cls, f.class);
    if (f.critical) critical = true;
  }
  findings.sort((a, b) => RANK[a.class] - RANK[b.class] || Number(b.critical) - Number(a.critical));
  return { sample, operator: p.operator, claim: p.claim, label: p.label, class: cls, critical, findings };
}

/** The outcomes of a run so far, with what the result and the progress callback report. */
export interface Tally {
  summaries: BaselineSummary[];
  outcomes: MutationOutcome[];
  /** Evaluations (decisions-only) or provision() calls (store) made. */
  evaluations: number;
  /** Mutations classified (or skipped with their sample), for the progress callback. */
  done: number;
  /** Mutations of every sample. */
  total: number;
}

/** An empty tally for the mutations `prepared` (per sample). */
export function newTally(prepared: readonly (readonly Prepared[])[]): Tally {
  const total = prepared.reduce((n, list) => n + list.length, 0);
  return { summaries: [], outcomes: [], evaluations: 0, done: 0, total };
}

/** Records the outcome of one mutation and reports progress every `progressEvery` mutations and at the end. */
export function record(run: Run, tally: Tally, sample: string, p: Prepared, findings: Finding[]): void {
  tally.outcomes.push(outcomeOf(sample, p, findings));
  const done = ++tally.done;
  if (run.onProgress && (done % run.progressEvery === 0 || done === tally.total)) run.onProgress(done, tally.total);
}

/**
 * Records a sample whose baseline login threw: an `error` summary and one `error` outcome in place of its
 * `mutations` mutations, which are counted as done without running (and without a progress report).
 */
export function baselineFailed(tally: Tally, sample: string, mutations: number, path: LoginPath, e: unknown): void {
  tally.summaries.push({ sample, action: 'error', roles: [], entitlements: [], refusals: [], error: errorText(e) });
  const baseline: Prepared = { operator: '(baseline)', claim: LOGIN_ROW, label: 'baseline login', claimSet: null };
  tally.outcomes.push(outcomeOf(sample, baseline, [errorFinding(path, e)]));
  tally.done += mutations;
}

/** The finding of a mutation whose operator threw (it has no claim set to run). */
export function operatorFailed(path: LoginPath, p: Prepared): Finding {
  return {
    class: 'error',
    path,
    critical: false,
    subject: 'login',
    name: 'operator',
    message: p.error ?? 'operator failed',
  };
}

/** The result of a run. */
export function finish(
  run: Run,
  mode: SimulationResult['mode'],
  tally: Tally,
  coverage: Coverage | CoverageReport,
  started: number,
): SimulationResult {
  const counts = emptyCounts();
  let critical = 0;
  for (const o of tally.outcomes) {
    counts[o.class]++;
    if (o.critical) critical++;
  }
  return {
    format: 'claimmap/simulation@1',
    mode,
    mapping: { name: run.plan.name, version: run.plan.version, digest: run.plan.digest },
    samples: tally.summaries,
    operators: run.operators.map((o) => ({ name: o.name, description: o.description, scope: o.scope })),
    counts,
    critical,
    outcomes: tally.outcomes,
    coverage: coverage instanceof Coverage ? coverage.report() : coverage,
    unsafe: run.plan.unsafe.map((u) => ({ code: u.code, reason: u.reason, line: u.loc.line })),
    evaluations: tally.evaluations,
    elapsedMs: Math.round(performance.now() - started),
  };
}
