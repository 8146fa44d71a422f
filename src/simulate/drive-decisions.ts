/**
 * The decisions-only driver of a simulation: every mutation is evaluated incrementally from its sample's baseline
 * (no store) and classified by the difference between the two decisions. The fast path the benchmark measures.
 */
import type { Decision } from '../evaluate/decision.js';
import { type EvaluationBase, evaluateFrom, evaluationBase } from '../evaluate/evaluate.js';
import { defined } from '../model/invariant.js';
import type { Plan } from '../model/plan.js';
import { decisionFindings, errorFinding } from './classify.js';
import { coverageOf } from './coverage.js';
import {
  baselineFailed,
  finish,
  newTally,
  operatorFailed,
  type Prepared,
  prepare,
  record,
  type Run,
  setup,
  type Tally,
} from './run.js';
import type { Finding, Sample, SimulateOptions, SimulationResult } from './types.js';

/** A decisions-only simulation with every mutation built: {@link prepareDecisions} → {@link runPrepared}. */
export interface PreparedDecisions {
  run: Run;
  samples: readonly Sample[];
  /** Per sample, its mutations. */
  prepared: Prepared[][];
  started: number;
}

/**
 * The first half of `simulateDecisions`: checks the options and builds every mutated claim set of every
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
 * The second half of `simulateDecisions`: evaluates every prepared mutation incrementally from its sample
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
  const tally = newTally(prepared);
  for (let i = 0; i < samples.length; i++) driveSample(run, defined(samples[i]), defined(prepared[i]), counts, tally);
  return finish(run, 'decisions', tally, coverageOf(plan, counts), p.started);
}

/** Evaluates one sample's baseline, then each of its mutations from that baseline, into `tally`. */
function driveSample(
  run: Run,
  sample: Sample,
  mutations: readonly Prepared[],
  counts: Uint32Array,
  tally: Tally,
): void {
  let d0: Decision;
  let base: EvaluationBase;
  try {
    base = evaluationBase(run.plan, sample.claimSet);
    d0 = evaluateFrom(base, sample.claimSet, { truthCounts: counts });
    tally.evaluations++;
  } catch (e) {
    baselineFailed(tally, sample.name, mutations.length, 'decision', e);
    return;
  }
  tally.summaries.push({
    sample: sample.name,
    action: d0.outcome,
    roles: d0.roles,
    entitlements: d0.entitlements,
    refusals: d0.refusals.map((r) => r.code),
  });
  for (const m of mutations) {
    const findings: Finding[] = [];
    if (m.claimSet === null) findings.push(operatorFailed('decision', m));
    else {
      try {
        const d1 = evaluateFrom(base, m.claimSet, { truthCounts: counts });
        tally.evaluations++;
        decisionFindings(run.plan, d0, d1, run.privileged, findings);
      } catch (e) {
        findings.push(errorFinding('decision', e));
      }
    }
    record(run, tally, sample.name, m, findings);
  }
}
