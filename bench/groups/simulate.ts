/**
 * Group 4, simulate: mutated evaluations per second of simulateDecisions() on a generated 50-rule mapping with 50
 * sample logins (every built-in mutation operator), end to end (building the mutated claim sets included) and the
 * evaluation phase alone (mutations built once by prepareDecisions, then runPrepared: evaluate, coverage, classify).
 */
import { compile } from '../../src/compile/compile.js';
import { prepareDecisions, runPrepared, simulateDecisions } from '../../src/simulate/simulate.js';
import { simulateMapping, simulateSamples } from '../fixtures/generate.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

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
  const stats = await measureGroup(
    [
      { name: 'simulateDecisions (end to end)', run: () => simulateDecisions(plan, samples) },
      { name: 'evaluation phase (runPrepared)', run: () => runPrepared(prepared) },
    ],
    { ...options, sampleMs: Math.max(options.sampleMs ?? 4, 50) },
  );
  const rows = toRows('simulate', stats, 'simulateDecisions (end to end)', 'evals/s', evaluations);
  const phase = defined(rows[1]);
  return {
    group: 'simulate',
    rows,
    notes: [
      `${plan.roles.rules.length + plan.entitlements.rules.length} rules, ${samples.length} samples, ${evaluations} evaluations per run; ` +
        'each run also classifies every outcome and computes rule coverage',
    ],
    targets: [
      {
        name: 'mutated evaluations/s (evaluation phase)',
        value: phase.throughput,
        target: '>= 1,000,000 evals/s',
        met: phase.throughput >= 1e6,
      },
    ],
  };
}
