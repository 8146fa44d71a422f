/**
 * The evaluate matrix compares like with like: on every generated fixture (5 / 50 / 200 rules × 20 / 200 / 2,000
 * groups, SAML and OIDC) the hand-written baseline returns claimmap's roles, entitlements and email, and the fixtures
 * are what they claim. Nothing here is timed.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/index.js';
import {
  GROUP_COUNTS,
  RULE_COUNTS,
  SHAPES,
  matrixDecisionFloor,
  matrixFixture,
  matrixOutcomes,
} from '../../bench/fixtures/matrix.js';

const cases = SHAPES.flatMap((shape) =>
  RULE_COUNTS.flatMap((rules) => GROUP_COUNTS.map((groups) => [shape, rules, groups] as const)),
);

describe('evaluate matrix: the hand-written baseline agrees with claimmap', () => {
  it.each(cases)('%s, %i rules × %i groups', (shape, rules, groups) => {
    const f = matrixFixture(shape, rules, groups);
    expect(f.plan.roles.rules).toHaveLength(rules);
    const granted = new Set<string>();
    const perUser = new Set<string>();
    for (const cs of f.inputs) {
      const claims = cs.claims as Record<string, unknown>;
      const list = Object.values(claims).find((v) => Array.isArray(v) && v.length === groups) as string[] | undefined;
      expect(new Set(list).size).toBe(groups);
      const o = matrixOutcomes(f, cs);
      expect(o.claimmap).not.toBeNull();
      expect(o.baseline).toEqual(o.claimmap);
      for (const r of o.claimmap?.roles ?? []) granted.add(r);
      perUser.add(JSON.stringify(o.claimmap?.roles));
    }
    // The rules fire on some users and not on others: more than one role, and not the same roles for everyone.
    expect(granted.size).toBeGreaterThan(1);
    expect(perUser.size).toBeGreaterThan(1);
  });

  it('the baseline refuses a wrong issuer as claimmap does', () => {
    const f = matrixFixture('saml', 5, 20);
    const cs = { ...f.inputs[0]!, issuer: 'https://evil.example.com' };
    expect(matrixOutcomes(f, cs)).toEqual({ claimmap: null, baseline: null });
  });

  it.each(SHAPES)('%s 5 rules: the Decision floor builds the decision evaluate() returns, on every input', (shape) => {
    for (const groups of GROUP_COUNTS) {
      const f = matrixFixture(shape, 5, groups);
      const floor = matrixDecisionFloor(f);
      for (const cs of f.inputs) {
        const d = evaluate(f.plan, cs);
        expect(d.roles.length).toBeGreaterThan(0);
        expect(floor(cs)).toStrictEqual(d);
      }
    }
  });
});
