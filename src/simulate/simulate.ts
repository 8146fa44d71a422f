/**
 * simulate(): every sample login mutated by every operator, run through the real evaluator and provision()'s login
 * transaction in memory (drive-store.ts), each outcome classified against the sample's baseline login; plus rule
 * coverage. `simulateDecisions()` is the same
 * without the store (pure evaluation, classified by decision diff): the fast path the benchmark measures.
 *
 * The plan is compiled (to closures, by the evaluator's cache) once and evaluated many times; mutated claim sets are
 * built once per sample up front.
 */
import type { Plan } from '../model/plan.js';
import { coverageOf } from './coverage.js';
import { driveStore } from './drive-store.js';
import { prepareDecisions, runPrepared } from './drive-decisions.js';
import { finish, newTally, prepare, setup } from './run.js';
import type { Sample, SimulateOptions, SimulationResult } from './types.js';

export { ruleLiterals, privilegedLiterals, type PrivilegedLiterals } from './literals.js';
export { SIMULATE_DEFAULTS, LOGIN_ROW, type Prepared, type Run } from './run.js';
export { prepareDecisions, runPrepared, type PreparedDecisions } from './drive-decisions.js';

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

/**
 * Simulates every mutation of every sample through `provision()`'s login transaction, in memory: for each sample a
 * baseline JIT login into an empty store; for each mutation the update path (a store holding the baseline account) and the JIT path (an empty
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
  const counts = new Uint32Array(3 * (plan.roles.rules.length + plan.entitlements.rules.length));
  const prepared = samples.map((s) => prepare(run, s));
  const tally = newTally(prepared);
  await driveStore(run, samples, prepared, counts, tally);
  return finish(run, 'provision', tally, coverageOf(plan, counts), started);
}
