/**
 * Lint and simulate agree on privileged roles. For every example mapping and every golden case
 * test/golden/diagnostics/privileged__*.claimmap (the folder is read, so new cases are covered as they are added):
 *
 *   lint reports a `privileged/*` error on a grant of role R
 *     ⟺  simulate shows an outsider reaching R,
 *
 * where an outsider is a generated sample holding none of the values the privileged rules test positively (see
 * outsiderSamples), and "reaching R" is either holding R at its baseline (an unconditional or negated grant:
 * everyone already has it, `privileged/unconditional-grant`) or a mutated login of any sample gaining R (an
 * escalation). Examples are also simulated with their own sample logins, which must never escalate to a
 * privileged role. Which operator confirms which code is the table in docs/simulate.md ("Privileged guardrails").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSamples } from '../../src/simulate/load-samples.js';
import { GOLDEN_DIR } from '../golden/golden-cases.js';
import {
  CONFIRMED_BY, flaggedGrants, outsiderSamples, reachedBy, rolesFlagged, rolesReached, simulatable, simulatePrivileged,
} from './privileged-support.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = readdirSync(join(ROOT, 'examples'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
const GOLDEN = readdirSync(GOLDEN_DIR).filter((f) => f.startsWith('privileged__') && f.endsWith('.claimmap')).sort();

async function agreement(source: string, filename: string, own: ReturnType<typeof loadSamples> = []) {
  const m = simulatable(source, filename);
  const outsiders = outsiderSamples(m.plan, m.privileged);
  const r = await simulatePrivileged(m, [...outsiders, ...own]);
  expect(r.counts.error).toBe(0);
  const baselineOf = outsiders.map((s) => s.name);
  return { flagged: rolesFlagged(m), reached: rolesReached(r, m.privileged, baselineOf), how: reachedBy(r, m.privileged, baselineOf), m, r };
}

describe('lint and simulate agree on privileged roles', () => {
  it('there are golden privileged cases to check', () => {
    expect(GOLDEN).toEqual(expect.arrayContaining(['privileged__inexact-match.claimmap', 'privileged__unconditional-grant.claimmap', 'privileged__user-editable-claim.claimmap']));
  });

  it.each(GOLDEN)('golden %s: every flagged role is reached by an outsider, and only those', async (file) => {
    const { flagged, reached, how, m } = await agreement(readFileSync(join(GOLDEN_DIR, file), 'utf8'), file);
    expect(m.privileged.length).toBeGreaterThan(0);
    expect(flagged.length).toBeGreaterThan(0); // a golden privileged case exists to trigger its code
    expect(reached).toEqual(flagged);
    // Where the code is in the table, the operator the table names is among those that reached the role.
    for (const { code, role } of flaggedGrants(m)) {
      const expected = CONFIRMED_BY[code];
      if (expected) expect([...how.get(role)!], `${code} on ${role}`).toEqual(expect.arrayContaining([...expected]));
    }
  });

  it('every code of the confirmation table has a golden case, so the row above is exercised', () => {
    const codes = GOLDEN.map((f) => f.replace(/\.claimmap$/, '').replace('__', '/'));
    for (const code of Object.keys(CONFIRMED_BY)) expect(codes).toContain(code);
  });

  it.each(EXAMPLES)('example %s: lint flags no privileged role and no sample or outsider reaches one', async (name) => {
    const dir = join('examples', name);
    const file = readdirSync(join(ROOT, dir)).find((f) => f.endsWith('.claimmap'))!;
    const own = loadSamples([dir], ROOT);
    const { flagged, reached, m, r } = await agreement(readFileSync(join(ROOT, dir, file), 'utf8'), file, own);
    expect(m.privileged.length).toBeGreaterThan(0);
    expect(flagged).toEqual([]);
    expect(reached).toEqual([]);
    // The privileged operators did run on the example (its privileged grants compare literals).
    expect(r.outcomes.some((o) => ['case-fold', 'nfkc-look-alike', 'lost-values', 'user-edited'].includes(o.operator))).toBe(true);
  });
});
