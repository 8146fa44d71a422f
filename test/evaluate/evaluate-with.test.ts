/**
 * evaluateWith / readStates (the simulator's internal path): for every mutation the simulator builds, reading only
 * the claims that changed and counting rule truths gives exactly evaluate()'s decision and its trace's results.
 */
import { describe, expect, it } from 'vitest';
import { simulateMapping, simulateSamples } from '../../bench/fixtures/generate.js';
import type { ClaimSet } from '../../src/claims/claim-set.js';
import { compile } from '../../src/compile/compile.js';
import { evaluate, evaluateWith, readStates } from '../../src/evaluate/evaluate.js';
import { DEFAULT_OPERATORS } from '../../src/simulate/mutations.js';
import { ruleLiterals } from '../../src/simulate/simulate.js';

const plan = compile(simulateMapping(), { filename: 'sim.claimmap' }).plan!;
const nRules = plan.roles.rules.length + plan.entitlements.rules.length;

function traceCounts(cs: ClaimSet): Uint32Array {
  const counts = new Uint32Array(3 * nRules);
  const ids = [...plan.roles.rules, ...plan.entitlements.rules].map((r) => r.id);
  for (const t of evaluate(plan, cs, { trace: true }).trace ?? []) {
    counts[3 * ids.indexOf(t.rule) + (t.result === 'false' ? 0 : t.result === 'unknown' ? 1 : 2)]!++;
  }
  return counts;
}

function mutationsOf(cs: ClaimSet): ClaimSet[] {
  const out: ClaimSet[] = [];
  const base = { plan, longLength: 50, maxSetValues: 4 };
  for (const claim of plan.claims) {
    const ctx = { ...base, literals: ruleLiterals(plan, claim.name, new Set(plan.roles.privileged)) };
    for (const op of DEFAULT_OPERATORS) if (op.scope === 'claim' && op.appliesTo(claim, plan)) for (const m of op.apply(cs, claim, ctx)) out.push(m.claimSet);
  }
  for (const op of DEFAULT_OPERATORS) if (op.scope === 'login' && op.appliesTo(null, plan)) for (const m of op.apply(cs, null, { ...base, literals: [] })) out.push(m.claimSet);
  return out;
}

describe('evaluateWith and readStates', () => {
  const samples = simulateSamples(6);
  it.each(samples.map((s) => [s.name, s.claimSet] as const))('every mutation of %s', (_name, sample) => {
    const baseStates = readStates(plan, sample);
    const mutations = mutationsOf(sample);
    expect(mutations.length).toBeGreaterThan(50);
    for (const cs of [sample, ...mutations]) {
      const counts = new Uint32Array(3 * nRules);
      const states = readStates(plan, cs, { claimSet: sample, states: baseStates });
      expect(states).toEqual(readStates(plan, cs));
      const d = evaluateWith(plan, cs, { states, truthCounts: counts });
      expect(d).toEqual(evaluate(plan, cs));
      expect([...counts]).toEqual([...traceCounts(cs)]);
      expect(evaluateWith(plan, cs, { trace: true })).toEqual(evaluate(plan, cs, { trace: true }));
    }
  });

  it('rejects counters and states of the wrong size (caller mistakes)', () => {
    const cs = samples[0]!.claimSet;
    expect(() => evaluateWith(plan, cs, { truthCounts: new Uint32Array(3) })).toThrow(TypeError);
    expect(() => evaluateWith(plan, cs, { states: [] })).toThrow(TypeError);
  });
});
