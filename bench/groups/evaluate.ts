/**
 * Group 1, evaluate: one realistic mapping, claimmap (trace off and on) against hand-written JS, compiled JMESPath,
 * CEL parsed once, JSONata compiled once and json-logic-js, after checking that every engine gives the same roles,
 * entitlements and profile on every input.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClaimSet } from '../../src/model/claim-set.js';
import { evaluate } from '../../src/evaluate/index.js';
import {
  INPUTS,
  allOutcomes,
  benchPlan,
  celOutcome,
  handWritten,
  jmespathOutcome,
  jsonLogicOutcome,
  jsonataOutcome,
} from '../fixtures/evaluate.js';
import { type Candidate, type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

/** Cycles through the four inputs. */
function cycling<R>(f: (cs: ClaimSet) => R): () => R {
  let i = 0;
  return () => f(defined(INPUTS[i++ & 3]));
}

export async function runEvaluate(options: MeasureOptions): Promise<GroupResult> {
  const plan = benchPlan();
  for (const cs of INPUTS) {
    const all = await allOutcomes(plan, cs);
    for (const [engine, outcome] of Object.entries(all)) {
      if (!isDeepStrictEqual(outcome, all.claimmap)) {
        throw new Error(`evaluate: ${engine} disagrees with claimmap on ${cs.subject.id}: ${JSON.stringify(outcome)}`);
      }
    }
  }
  const candidates: Candidate[] = [
    { name: 'hand-written JS', run: cycling(handWritten) },
    { name: 'claimmap', note: 'trace off', run: cycling((cs) => evaluate(plan, cs)) },
    { name: 'claimmap', note: 'trace on', run: cycling((cs) => evaluate(plan, cs, { trace: true })) },
    { name: 'JMESPath (compiled)', run: cycling(jmespathOutcome) },
    { name: 'CEL (parsed once)', run: cycling(celOutcome) },
    { name: 'JSONata (compiled)', run: cycling(jsonataOutcome), async: true },
    { name: 'json-logic-js', run: cycling(jsonLogicOutcome) },
  ];
  const stats = await measureGroup(candidates, options);
  const rows = toRows('evaluate', stats, 'hand-written JS', 'evals/s', 1);
  const off = defined(rows.find((r) => r.name === 'claimmap' && r.note === 'trace off'));
  return {
    group: 'evaluate',
    rows,
    notes: ['every engine returned the same roles, entitlements and profile on all 4 inputs before timing'],
    targets: [
      { name: 'evaluate trace off vs hand-written JS', value: off.ratio, target: 'ratio <= 2.00', met: off.ratio <= 2 },
    ],
  };
}
