/**
 * Group matrix (issue #17 point 1): evaluate on generated mappings of 5 / 50 / 200 rules × users of 20 / 200 /
 * 2,000 groups, SAML and OIDC shapes, each against the hand-written JavaScript an app developer would write for that
 * mapping (bench/fixtures/matrix.ts). Each pair (claimmap, its baseline) is measured interleaved in one mitata run;
 * the ratio is per pair. Results are checked equal before anything is timed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ClaimSet } from '../../src/model/claim-set.js';
import { evaluate } from '../../src/evaluate/index.js';
import {
  GROUP_COUNTS,
  RULE_COUNTS,
  SHAPES,
  matrixDecisionFloor,
  matrixFixture,
  matrixOutcomes,
} from '../fixtures/matrix.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, type Row, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

function cycling<R>(inputs: readonly ClaimSet[], f: (cs: ClaimSet) => R): () => R {
  let i = 0;
  return () => f(defined(inputs[i++ & 3]));
}

export async function runMatrix(options: MeasureOptions): Promise<GroupResult> {
  // 18 pairs: a third of the usual budget per candidate keeps the group near a minute.
  const pairOptions: MeasureOptions = { ...options, budgetMs: Math.max(50, Math.round((options.budgetMs ?? 250) / 3)) };
  const rows: Row[] = [];
  const notes = [
    'every pair returned the same roles, entitlements and email on its 4 users before timing (and the Decision floor the decision itself: test/bench/matrix.test.ts)',
  ];
  const ratio = new Map<string, number>();
  const median = new Map<string, { claimmap: number; baseline: number }>();
  for (const shape of SHAPES) {
    for (const rules of RULE_COUNTS) {
      for (const groups of GROUP_COUNTS) {
        const f = matrixFixture(shape, rules, groups);
        for (const cs of f.inputs) {
          const o = matrixOutcomes(f, cs);
          if (o.claimmap === null || !isDeepStrictEqual(o.claimmap, o.baseline)) {
            throw new Error(
              `matrix ${shape} ${rules}×${groups}: claimmap and the baseline disagree: ${JSON.stringify(o)}`,
            );
          }
        }
        const label = `${shape} ${String(rules).padStart(3)} rules × ${String(groups).padStart(4)} groups`;
        const plan = f.plan;
        // The 5-rule cells also measure the floor of the result shape (matrixDecisionFloor): the hand-written code
        // plus building the Decision object from its answer, which no implementation of evaluate() can go below.
        const floor = rules === 5 ? matrixDecisionFloor(f) : null;
        for (const cs of floor === null ? [] : f.inputs) {
          if (!isDeepStrictEqual(floor?.(cs), evaluate(plan, cs))) {
            throw new Error(`matrix ${shape} ${rules}×${groups}: the Decision floor differs from evaluate()`);
          }
        }
        const stats = await measureGroup(
          [
            { name: `${label}: hand-written JS`, run: cycling(f.inputs, f.baseline) },
            { name: `${label}: claimmap`, run: cycling(f.inputs, (cs) => evaluate(plan, cs)) },
            ...(floor === null
              ? []
              : [{ name: `${label}: hand-written JS + the Decision object (floor)`, run: cycling(f.inputs, floor) }]),
          ],
          pairOptions,
        );
        const pair = toRows('matrix', stats, `${label}: hand-written JS`, 'evals/s', 1);
        for (const r of pair) r.baseline = 'its hand-written JS';
        rows.push(...pair);
        const key = `${shape}/${rules}/${groups}`;
        ratio.set(key, defined(pair[1]).ratio);
        median.set(key, { baseline: defined(pair[0]).medianNs, claimmap: defined(pair[1]).medianNs });
        if (floor !== null) {
          const f_ = defined(pair[2]);
          notes.push(
            `${shape} 5 rules × ${groups} groups: the Decision floor is ${f_.ratio.toFixed(2)}x hand-written; ` +
              `claimmap is ${(defined(pair[1]).medianNs / f_.medianNs).toFixed(2)}x that floor`,
          );
        }
      }
    }
  }
  for (const shape of SHAPES) {
    for (const rules of RULE_COUNTS) {
      const a = defined(median.get(`${shape}/${rules}/20`));
      const b = defined(median.get(`${shape}/${rules}/2000`));
      notes.push(
        `growth ${shape} ${rules} rules, 20 → 2,000 groups: claimmap ${(b.claimmap / a.claimmap).toFixed(1)}x, hand-written ${(b.baseline / a.baseline).toFixed(1)}x`,
      );
    }
    for (const groups of GROUP_COUNTS) {
      const a = defined(median.get(`${shape}/5/${groups}`));
      const b = defined(median.get(`${shape}/200/${groups}`));
      notes.push(
        `growth ${shape} ${groups} groups, 5 → 200 rules: claimmap ${(b.claimmap / a.claimmap).toFixed(1)}x, hand-written ${(b.baseline / a.baseline).toFixed(1)}x`,
      );
    }
  }
  const targets: GroupResult['targets'] = [];
  for (const shape of SHAPES) {
    const small = defined(ratio.get(`${shape}/5/20`));
    const big = defined(ratio.get(`${shape}/5/2000`));
    targets.push({
      name: `${shape} 5 rules × 20 groups vs hand-written`,
      value: small,
      target: 'ratio <= 1.50',
      met: small <= 1.5,
    });
    targets.push({
      name: `${shape} 5 rules × 2,000 groups vs hand-written`,
      value: big,
      target: 'ratio <= 2.00',
      met: big <= 2,
    });
  }
  return { group: 'matrix', rows, notes, targets };
}
