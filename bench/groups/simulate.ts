/**
 * Group 4, simulate: mutated evaluations per second of simulateDecisions() on a generated 50-rule mapping with 50
 * sample logins (every built-in mutation operator), end to end (building the mutated claim sets included) and the
 * evaluation phase alone (mutations built once by prepareDecisions, then runPrepared: evaluate, coverage, classify).
 *
 * Full mode (simulate(): every mutation through provision() on the update and the JIT path, classified by what the
 * store holds) is measured on the first 10 samples against plain `evaluate()` calls over the same logins (each
 * sample and each of its mutated claim sets, mutations built once): the ratio of the two throughputs, in logins per
 * second, is issue #17's target (full mode ≥ 0.3 of plain evaluate).
 */
import { compile } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { prepareDecisions, runPrepared, simulate, simulateDecisions } from '../../src/simulate/simulate.js';
import { simulateMapping, simulateSamples } from '../fixtures/generate.js';
import { type MeasureOptions, keep, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

/** Samples of the full-mode pair (full mode runs each mutation through provision() twice). */
const FULL_SAMPLES = 10;

export async function runSimulate(options: MeasureOptions): Promise<GroupResult> {
  const { plan, diagnostics } = compile(simulateMapping(), { filename: 'bench-simulate.claimmap' });
  if (plan === null)
    throw new Error(`simulate: mapping does not compile: ${diagnostics.map((d) => d.code).join(', ')}`);
  const samples = simulateSamples(50);
  const probe = simulateDecisions(plan, samples);
  const evaluations = probe.evaluations;
  const prepared = prepareDecisions(plan, samples);
  const again = runPrepared(prepared);
  if (JSON.stringify({ ...again, elapsedMs: 0 }) !== JSON.stringify({ ...probe, elapsedMs: 0 })) {
    throw new Error('simulate: runPrepared and simulateDecisions disagree');
  }
  // The full-mode pair: the same logins (each sample and its mutated claim sets) through simulate() and through
  // plain evaluate() calls. The clock is fixed so that every run of simulate() does the same work.
  const few = samples.slice(0, FULL_SAMPLES);
  const now = '2026-12-01T09:00:00Z';
  const logins = prepareDecisions(plan, few).prepared.flatMap((list, i) => [
    defined(few[i]).claimSet,
    ...list.flatMap((m) => (m.claimSet === null ? [] : [m.claimSet])),
  ]);
  const full = await simulate(plan, few, { now });
  if (full.outcomes.length + few.length !== logins.length)
    throw new Error('simulate: full mode and the plain evaluate calls do not cover the same logins');
  const plainEvaluate = (): unknown => {
    let n = 0;
    for (const cs of logins) n += evaluate(plan, cs).roles.length;
    return n;
  };
  keep(plainEvaluate());
  const stats = await measureGroup(
    [
      { name: 'simulateDecisions (end to end)', run: () => simulateDecisions(plan, samples) },
      { name: 'evaluation phase (runPrepared)', run: () => runPrepared(prepared) },
      { name: `plain evaluate() calls, ${FULL_SAMPLES} samples`, run: plainEvaluate },
      { name: `simulate() full mode, ${FULL_SAMPLES} samples`, run: () => simulate(plan, few, { now }), async: true },
    ],
    { ...options, sampleMs: Math.max(options.sampleMs ?? 4, 50) },
  );
  const rows = toRows('simulate', stats, 'simulateDecisions (end to end)', 'evals/s', (s) =>
    s.name.includes(`${FULL_SAMPLES} samples`) ? logins.length : evaluations,
  );
  for (const r of rows) if (r.name.includes(`${FULL_SAMPLES} samples`)) r.unit = 'logins/s';
  const phase = defined(rows[1]);
  const plain = defined(rows[2]);
  const store = defined(rows[3]);
  const ratio = store.throughput / plain.throughput;
  // Issue #17's own unit: the provision() logins the report counts (3 per mutation when the baseline created an
  // account: seeding the update path's store, the update and the JIT path), per second, against plain evaluate calls.
  const counted = (full.evaluations * 1e9) / store.medianNs / plain.throughput;
  return {
    group: 'simulate',
    rows,
    notes: [
      `${plan.roles.rules.length + plan.entitlements.rules.length} rules, ${samples.length} samples, ${evaluations} evaluations per run; ` +
        'each run also classifies every outcome and computes rule coverage',
      `full mode: ${few.length} samples, ${logins.length} logins (samples and their mutations) per run, ` +
        `${full.evaluations} provision() logins counted by the report; plain evaluate() calls over the same ` +
        `${logins.length} claim sets; full / plain = ${ratio.toFixed(3)} in logins/s ` +
        `(${counted.toFixed(2)} counting the report's provision() logins, issue #17's unit)`,
    ],
    targets: [
      {
        name: 'mutated evaluations/s (evaluation phase)',
        value: phase.throughput,
        target: '>= 1,000,000 evals/s',
        met: phase.throughput >= 1e6,
      },
      {
        name: 'full mode / plain evaluate() throughput',
        value: ratio,
        target: '>= 0.3',
        met: ratio >= 0.3,
      },
    ],
  };
}
