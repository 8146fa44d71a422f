import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyzeGrant,
  type ClaimFacts,
  type CondTree,
  fromPlanCond,
  grantPaths,
  type LeafTest,
  regexShape,
} from '../../src/check/exact-path.js';
import type { Cond } from '../../src/model/plan.js';

describe('regexShape: a regex is exact when it names a small fixed set of values', () => {
  it.each([
    ['^admins$', 'exact'],
    ['^(admins|root)$', 'exact'],
    ['\\A(admins|root)\\z', 'exact'],
    ['^ops-[0-3]$', 'exact'],
    ['^eng(-leads)?$', 'exact'],
    ['^\\/corp\\/admins$', 'exact'],
    ['(^admins$|^root$)', 'exact'],
    ['^\\/corp\\/.*$', 'inexact-match'],
    ['^(?:.*\\/)?admins$', 'leaf-name-match'],
    ['admins', 'inexact-match'],
    ['^admins', 'inexact-match'],
    ['admins$', 'inexact-match'],
    ['^admin.*$', 'inexact-match'],
    ['^.*admins$', 'inexact-match'],
    ['^.*admin.*$', 'inexact-match'],
    ['^gh-[a-z]+$', 'inexact-match'],
    ['^[a-z0-9]{1,20}$', 'inexact-match'],
    ['^(admins|.*)$', 'inexact-match'],
    ['^.*\\/admins$', 'leaf-name-match'],
    ['^\\/[^\\/]+\\/admins$', 'leaf-name-match'],
    ['\\/admins$', 'leaf-name-match'],
    ['(?:', null],
  ] as const)('/%s/ is %s', (source, shape) => {
    expect(regexShape(source)).toBe(shape);
  });
});

// A small random condition language over a few tests, to compare the linear analysis with the paths it summarises.
const TESTS: LeafTest[] = [
  { op: 'contains', quantifier: 'one', claim: 'groups' },
  { op: 'eq', quantifier: 'one', claim: 'kind' },
  { op: 'ne', quantifier: 'one', claim: 'kind' },
  { op: 'matches', quantifier: 'any', claim: 'groups', regex: { source: '^a$', flags: 'i' } },
  { op: 'contains', quantifier: 'one', claim: 'folded' },
];
const FACTS: Record<string, ClaimFacts> = {
  groups: { normalize: [], source: ['groups'] },
  kind: { normalize: [], source: ['employeeType'] },
  folded: { normalize: ['lower'], source: ['groups'] },
};
const claims = (n: string) => FACTS[n];
const tree: fc.Arbitrary<CondTree<number>> = fc.letrec<{ c: CondTree<number> }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .integer({ min: 0, max: TESTS.length - 1 })
      .chain((i) =>
        fc.integer({ min: 0, max: 1e6 }).map((id) => ({ op: 'leaf' as const, leaf: id * 10 + i, test: TESTS[i]! })),
      ),
    fc
      .tuple(fc.constantFrom('and' as const, 'or' as const), fc.array(tie('c'), { minLength: 1, maxLength: 3 }))
      .map(([op, args]) => ({ op, args })),
    tie('c').map((arg) => ({ op: 'not' as const, arg })),
  ),
})).c;

describe('analyzeGrant agrees with the paths (its disjunctive normal form)', () => {
  it('exact iff every path holds an exact positive test; the inexact tests are those on inexact paths', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const a = analyzeGrant(t, claims);
        const { paths, more } = grantPaths(t, claims, 100_000);
        expect(more).toBe(0);
        expect(a.exact).toBe(paths.every((p) => p.exact));
        const onInexact = new Set(paths.filter((p) => !p.exact).flatMap((p) => p.leaves.map((l) => l.leaf)));
        expect(new Set(a.inexact.map((v) => v.leaf))).toEqual(onInexact);
      }),
      { numRuns: 500 },
    );
  });

  it('a negated test is inexact, and not not restores it', () => {
    const leaf: Cond = { op: 'contains', claim: 'groups', value: 'admins' };
    expect(analyzeGrant(fromPlanCond({ op: 'not', arg: leaf }), claims).inexact[0]!.reasons).toEqual(['negated-test']);
    expect(analyzeGrant(fromPlanCond({ op: 'not', arg: { op: 'not', arg: leaf } }), claims).exact).toBe(true);
  });

  it('an unconditional grant is inexact', () => {
    expect(analyzeGrant(undefined, claims)).toEqual({ exact: false, unconditional: true, inexact: [] });
  });

  it('stays linear where the paths are exponential, and grantPaths caps what it lists', () => {
    // (a1 or k != b1) and (a2 or k != b2) and ... 40 times: 2^40 paths, one of which has only != tests.
    const big: Cond = {
      op: 'and',
      args: Array.from({ length: 40 }, (_, i) => ({
        op: 'or' as const,
        args: [
          { op: 'contains' as const, claim: 'groups', value: `a${i}` },
          { op: 'ne' as const, claim: 'kind', value: `b${i}` },
        ],
      })),
    };
    const a = analyzeGrant(fromPlanCond(big), claims);
    expect(a.exact).toBe(false);
    expect(a.inexact.map((v) => v.reasons)).toEqual(Array.from({ length: 40 }, () => ['not-equal']));
    const { paths, more } = grantPaths(fromPlanCond(big), claims, 64);
    expect(paths.length).toBe(64);
    expect(more).toBe(2 ** 40 - 64);
  });
});
