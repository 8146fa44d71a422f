/**
 * Group 6, regex linearity: each native-safe pattern of bench/fixtures/redos.ts on its adversarial input at n and 16n.
 * Linear matching grows about 16x, quadratic about 256x; the target is growth under 64x for every pattern. (This was
 * a wall-clock unit test; timing belongs here, not in `npm test`.)
 */
import { analyzeRegex } from '../../src/regex/analyze.js';
import { compileMatcher } from '../../src/regex/matcher.js';
import { REDOS_ATTACKS } from '../fixtures/redos.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

const SMALL = 3_000;
const LARGE = 48_000;

export async function runRegex(options: MeasureOptions): Promise<GroupResult> {
  const candidates = REDOS_ATTACKS.flatMap(([source, input]) => {
    const a = analyzeRegex(source, '');
    const m = compileMatcher({ source, flags: '', engine: 'native', groups: a.groups, names: a.names });
    return [SMALL, LARGE].map((n) => {
      const s = input(n);
      return {
        name: `${source} n=${n}`,
        run: () => {
          m.test(s);
          return m.exec(s);
        },
      };
    });
  });
  const stats = await measureGroup(candidates, options);
  const rows = toRows('regex', stats, defined(candidates[0]).name, 'matches/s', 1);
  let worst = 0;
  for (const [source] of REDOS_ATTACKS) {
    const small = defined(stats.find((s) => s.name === `${source} n=${SMALL}`));
    const large = defined(stats.find((s) => s.name === `${source} n=${LARGE}`));
    worst = Math.max(worst, large.medianNs / Math.max(small.medianNs, 1));
  }
  return {
    group: 'regex',
    rows,
    notes: [`native-safe patterns on adversarial input; growth from n=${SMALL} to n=${LARGE} (16x the input)`],
    targets: [
      { name: 'worst growth n → 16n (linear ~16, quadratic ~256)', value: worst, target: '< 64', met: worst < 64 },
    ],
  };
}
