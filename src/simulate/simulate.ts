/**
 * simulate(): every sample login mutated by every operator, run through the real evaluator and a MemoryStore, each
 * outcome classified against the sample's baseline login; plus rule coverage. `simulateDecisions()` is the same
 * without the store (pure evaluation, classified by decision diff): the fast path the benchmark measures.
 *
 * The plan is compiled (to closures, by the evaluator's cache) once and evaluated many times; mutated claim sets are
 * built once per sample up front.
 */
import { rfc3339Millis, type ClaimSet } from '../model/claim-set.js';
import type { ClaimPlan, Plan } from '../model/plan.js';
import type { Decision } from '../evaluate/decision.js';
import { type EvaluationBase, evaluateFrom, evaluationBase } from '../evaluate/evaluate.js';
import { jsonEqual } from '../json/equal.js';
import { isEmptyValue } from '../runtime/normalise.js';
import { provision } from '../runtime/provision.js';
import { MemoryStore } from '../runtime/stores/memory.js';
import type { Account, ProvisionResult } from '../runtime/types.js';
import { DEFAULT_OPERATORS, assertOperator } from './mutations.js';
import {
  decisionFindings,
  emptyCounts,
  errorFinding,
  errorText,
  grantFindings,
  profileFinding,
  worse,
} from './classify.js';
import { Coverage, coverageOf } from './coverage.js';
import { privilegedLiterals, ruleLiterals, type PrivilegedLiterals } from './literals.js';
import { OUTCOME_RANK as RANK } from './types.js';
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

export { ruleLiterals, privilegedLiterals, type PrivilegedLiterals };

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

function setup(plan: Plan, samples: readonly Sample[], options: SimulateOptions): Run {
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

function prepare(run: Run, sample: Sample): Prepared[] {
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

// ---- classification ----

const rolesOf = (a: Account, kind: 'role' | 'entitlement'): string[] =>
  a.grants
    .filter((g) => g.kind === kind)
    .map((g) => g.name)
    .sort();

function outcomeOf(sample: string, p: Prepared, findings: Finding[]): MutationOutcome {
  let cls: OutcomeClass = 'unchanged';
  let critical = false;
  for (const f of findings) {
    cls = worse(cls, f.class);
    if (f.critical) critical = true;
  }
  findings.sort((a, b) => RANK[a.class] - RANK[b.class] || Number(b.critical) - Number(a.critical));
  return { sample, operator: p.operator, claim: p.claim, label: p.label, class: cls, critical, findings };
}

function finish(
  run: Run,
  mode: SimulationResult['mode'],
  samples: BaselineSummary[],
  outcomes: MutationOutcome[],
  coverage: Coverage | CoverageReport,
  evaluations: number,
  started: number,
): SimulationResult {
  const counts = emptyCounts();
  let critical = 0;
  for (const o of outcomes) {
    counts[o.class]++;
    if (o.critical) critical++;
  }
  return {
    format: 'claimmap/simulation@1',
    mode,
    mapping: { name: run.plan.name, version: run.plan.version, digest: run.plan.digest },
    samples,
    operators: run.operators.map((o) => ({ name: o.name, description: o.description, scope: o.scope })),
    counts,
    critical,
    outcomes,
    coverage: coverage instanceof Coverage ? coverage.report() : coverage,
    unsafe: run.plan.unsafe.map((u) => ({ code: u.code, reason: u.reason, line: u.loc.line })),
    evaluations,
    elapsedMs: Math.round(performance.now() - started),
  };
}

// ---- decisions only ----

function tick(run: Run, done: number, total: number): void {
  if (run.onProgress && (done % run.progressEvery === 0 || done === total)) run.onProgress(done, total);
}

/** A decisions-only simulation with every mutation built: {@link prepareDecisions} → {@link runPrepared}. */
export interface PreparedDecisions {
  run: Run;
  samples: readonly Sample[];
  /** Per sample, its mutations. */
  prepared: Prepared[][];
  started: number;
}

/**
 * The first half of {@link simulateDecisions}: checks the options and builds every mutated claim set of every
 * sample, once. Internal (exported for the benchmark, which times the two halves apart).
 *
 * @example
 * ```ts
 * const result = runPrepared(prepareDecisions(plan, samples));
 * ```
 */
export function prepareDecisions(
  plan: Plan,
  samples: readonly Sample[],
  options: SimulateOptions = {},
): PreparedDecisions {
  const started = performance.now();
  const run = setup(plan, samples, options);
  return { run, samples, prepared: samples.map((s) => prepare(run, s)), started };
}

/**
 * The second half of {@link simulateDecisions}: evaluates every prepared mutation incrementally from its sample
 * (evaluateFrom: only the claims that differ are read again, only the rules that read a changed claim are evaluated
 * again; trace off, rule coverage from truth counters) and classifies it.
 * Does not modify `p`: may run several times.
 *
 * @example
 * ```ts
 * const r = runPrepared(prepareDecisions(plan, samples));
 * ```
 */
export function runPrepared(p: PreparedDecisions): SimulationResult {
  const { run, samples, prepared } = p;
  const plan = run.plan;
  const counts = new Uint32Array(3 * (plan.roles.rules.length + plan.entitlements.rules.length));
  const total = prepared.reduce((n, list) => n + list.length, 0);
  const summaries: BaselineSummary[] = [];
  const outcomes: MutationOutcome[] = [];
  let evaluations = 0;
  let done = 0;
  samples.forEach((sample, i) => {
    let d0: Decision;
    let base: EvaluationBase;
    try {
      base = evaluationBase(plan, sample.claimSet);
      d0 = evaluateFrom(base, sample.claimSet, { truthCounts: counts });
      evaluations++;
    } catch (e) {
      summaries.push({
        sample: sample.name,
        action: 'error',
        roles: [],
        entitlements: [],
        refusals: [],
        error: errorText(e),
      });
      outcomes.push(
        outcomeOf(sample.name, { operator: '(baseline)', claim: LOGIN_ROW, label: 'baseline login', claimSet: null }, [
          errorFinding('decision', e),
        ]),
      );
      done += prepared[i]!.length;
      return;
    }
    summaries.push({
      sample: sample.name,
      action: d0.outcome,
      roles: d0.roles,
      entitlements: d0.entitlements,
      refusals: d0.refusals.map((r) => r.code),
    });
    for (const m of prepared[i]!) {
      const findings: Finding[] = [];
      if (m.claimSet === null)
        findings.push({
          class: 'error',
          path: 'decision',
          critical: false,
          subject: 'login',
          name: 'operator',
          message: m.error ?? 'operator failed',
        });
      else {
        try {
          const d1 = evaluateFrom(base, m.claimSet, { truthCounts: counts });
          evaluations++;
          decisionFindings(plan, d0, d1, run.privileged, findings);
        } catch (e) {
          findings.push(errorFinding('decision', e));
        }
      }
      outcomes.push(outcomeOf(sample.name, m, findings));
      tick(run, ++done, total);
    }
  });
  return finish(run, 'decisions', summaries, outcomes, coverageOf(plan, counts), evaluations, p.started);
}

/**
 * Runs only `evaluate()` on every mutation (no store), classifying each by the difference between its decision and
 * the baseline decision. Faster than {@link simulate}; `duplicate-account` and conflicts are inferred from the key
 * and the plan's unique fields rather than observed in a store.
 *
 * @example
 * ```ts
 * const r = simulateDecisions(plan, [{ name: 'jane', claimSet }]);
 * console.log(r.counts.escalation, r.coverage.neverTrue);
 * ```
 */
export function simulateDecisions(
  plan: Plan,
  samples: readonly Sample[],
  options: SimulateOptions = {},
): SimulationResult {
  return runPrepared(prepareDecisions(plan, samples, options));
}

// ---- through the store ----

function loginFindings(
  baseline: ProvisionResult,
  r: ProvisionResult,
  path: 'update' | 'jit',
  privileged: ReadonlySet<string>,
  out: Finding[],
): void {
  const base = baseline.action === 'created' ? baseline.account : null;
  if (r.action === 'refused' || r.action === 'conflict') {
    if (base) {
      const code = r.reason?.code ?? r.action;
      const detail =
        r.action === 'refused' && r.decision.refusals.length ? r.decision.refusals.map((x) => x.code).join(', ') : code;
      out.push({
        class: 'refused',
        path,
        critical: false,
        subject: 'login',
        name: r.action,
        message: `${r.action}: ${detail}`,
      });
    }
    return;
  }
  const acct = r.account!;
  if (!base) {
    out.push({
      class: 'escalation',
      path,
      critical: false,
      subject: 'login',
      name: r.action,
      message: 'allowed where the baseline was refused',
    });
    grantFindings('role', [], rolesOf(acct, 'role'), path, privileged, out);
    grantFindings('entitlement', [], rolesOf(acct, 'entitlement'), path, privileged, out);
    return;
  }
  if (path === 'update' && r.action === 'created') {
    const shared = Object.keys(base.profile).filter(
      (k) => !isEmptyValue(base.profile[k]) && jsonEqual(base.profile[k], acct.profile[k]),
    );
    const email = shared.find((k) => /mail/i.test(k));
    out.push({
      class: 'duplicate-account',
      path,
      critical: false,
      subject: 'account',
      name: 'created',
      ...(email ? { to: acct.profile[email]! } : {}),
      message: `a second account (${acct.subject}) for the same person${email ? ` with the same ${email}` : ''}`,
    });
  }
  grantFindings('role', rolesOf(base, 'role'), rolesOf(acct, 'role'), path, privileged, out);
  grantFindings('entitlement', rolesOf(base, 'entitlement'), rolesOf(acct, 'entitlement'), path, privileged, out);
  if (path === 'update' && r.action !== 'created') {
    for (const name of Object.keys(base.profile).sort()) {
      const from = base.profile[name]!;
      const has = Object.hasOwn(acct.profile, name);
      const to = has ? acct.profile[name] : undefined;
      if (!jsonEqual(from, to)) out.push(profileFinding(name, from, to, path));
    }
  }
}

/** Drops JIT findings that repeat an update finding (same class, subject, name and value). */
function mergePaths(update: Finding[], jit: Finding[]): Finding[] {
  const seen = new Set(update.map((f) => `${f.class}\u0000${f.subject}\u0000${f.name}`));
  return [...update, ...jit.filter((f) => !seen.has(`${f.class}\u0000${f.subject}\u0000${f.name}`))];
}

/**
 * Simulates every mutation of every sample through `provision()`: for each sample a baseline JIT login into a fresh
 * MemoryStore; for each mutation the update path (a store holding the baseline account) and the JIT path (an empty
 * store). Outcomes are classified (`escalation`, `duplicate-account`, `profile-loss`, `loss`, `refused`,
 * `unchanged`; any exception is `error`), with per-rule coverage. Never writes outside its own memory stores.
 *
 * @example
 * ```ts
 * const { plan } = compile(readFileSync('acme.claimmap'), { filename: 'acme.claimmap' });
 * const result = await simulate(plan!, [{ name: 'jane', claimSet: readClaims(readFileSync('jane.saml.xml')) }]);
 * if (result.counts.escalation > 0) process.exitCode = 1;
 * ```
 */
export async function simulate(
  plan: Plan,
  samples: readonly Sample[],
  options: SimulateOptions = {},
): Promise<SimulationResult> {
  const started = performance.now();
  const run = setup(plan, samples, options);
  const coverage = new Coverage(plan);
  const prepared = samples.map((s) => prepare(run, s));
  const total = prepared.reduce((n, p) => n + p.length, 0);
  const summaries: BaselineSummary[] = [];
  const outcomes: MutationOutcome[] = [];
  let evaluations = 0;
  let done = 0;

  const seeded = async (baselineCs: ClaimSet, baseline: ProvisionResult): Promise<MemoryStore> => {
    const store = new MemoryStore();
    if (baseline.action === 'created') {
      await provision(plan, baselineCs, { store, now: run.now });
      evaluations++;
    }
    return store;
  };

  for (let i = 0; i < samples.length; i++) {
    const sample = samples[i]!;
    let baseline: ProvisionResult;
    try {
      baseline = await provision(plan, sample.claimSet, { store: new MemoryStore(), now: run.now });
      evaluations++;
    } catch (e) {
      summaries.push({
        sample: sample.name,
        action: 'error',
        roles: [],
        entitlements: [],
        refusals: [],
        error: errorText(e),
      });
      outcomes.push(
        outcomeOf(sample.name, { operator: '(baseline)', claim: LOGIN_ROW, label: 'baseline login', claimSet: null }, [
          errorFinding('update', e),
        ]),
      );
      done += prepared[i]!.length;
      continue;
    }
    coverage.add(baseline.decision);
    const acct = baseline.action === 'created' ? baseline.account : null;
    summaries.push({
      sample: sample.name,
      action: baseline.action,
      roles: acct ? rolesOf(acct, 'role') : [],
      entitlements: acct ? rolesOf(acct, 'entitlement') : [],
      refusals: [
        ...baseline.decision.refusals.map((r): string => r.code),
        ...(baseline.reason && baseline.action === 'conflict' ? [baseline.reason.code] : []),
      ],
    });
    for (const p of prepared[i]!) {
      let findings: Finding[] = [];
      if (p.claimSet === null) {
        findings.push({
          class: 'error',
          path: 'update',
          critical: false,
          subject: 'login',
          name: 'operator',
          message: p.error ?? 'operator failed',
        });
      } else {
        const update: Finding[] = [];
        const jit: Finding[] = [];
        try {
          const store = await seeded(sample.claimSet, baseline);
          const r = await provision(plan, p.claimSet, { store, now: run.later });
          evaluations++;
          coverage.add(r.decision);
          loginFindings(baseline, r, 'update', run.privileged, update);
        } catch (e) {
          update.push(errorFinding('update', e));
        }
        try {
          const r = await provision(plan, p.claimSet, { store: new MemoryStore(), now: run.later });
          evaluations++;
          loginFindings(baseline, r, 'jit', run.privileged, jit);
        } catch (e) {
          jit.push(errorFinding('jit', e));
        }
        findings = mergePaths(update, jit);
      }
      outcomes.push(outcomeOf(sample.name, p, findings));
      tick(run, ++done, total);
    }
  }
  return finish(run, 'provision', summaries, outcomes, coverage, evaluations, started);
}
