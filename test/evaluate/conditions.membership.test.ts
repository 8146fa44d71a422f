/**
 * Set membership and set reading on the evaluate hot path (issue #17): a set claim that only conditions read is
 * typed but not sorted, `contains` tests share one index per claim value, and none of it changes a decision.
 * Work is counted, never timed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledPlan } from '../../src/evaluate/compile-closures.js';
import { MembershipProbe, SCANS_BEFORE_INDEX } from '../../src/evaluate/conditions.js';
import { evaluate } from '../../src/evaluate/index.js';
import type { Literal } from '../../src/model/plan.js';
import { c, claim, deny, e, grant, oidc, plan, profileField, scalar, setOf } from './plan-builder.js';

/** 40 rules testing membership in `groups`, one prefix test, and a profile field over another set claim. */
const manyRules = plan({
  claims: [claim('groups', setOf(scalar('string'))), claim('tags', setOf(scalar('string')), { normalize: ['lower'] })],
  roles: [
    ...Array.from({ length: 40 }, (_, i) => grant(`r${i}`, c.contains('groups', `g${i}`))),
    grant('dev', c.startsWith('any', 'groups', 'eng-')),
    deny('r3', c.contains('groups', 'frozen')),
  ],
  profile: [profileField('tags', e.claim('tags'))],
});

const literal = fc.oneof(
  fc.constantFrom('a', 'b', 'c', 'admins', ''),
  fc.string({ maxLength: 4 }),
  fc.integer({ min: -2, max: 2 }),
);

describe('MembershipProbe', () => {
  it('answers as includes does, before and after a value is indexed, and across values', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(literal, { minLength: 1, maxLength: 12 }),
        fc.array(fc.array(literal, { maxLength: 30 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
        (lits, values, picks) => {
          const probe = new MembershipProbe();
          const ks = lits.map((l) => probe.add(l as Literal));
          for (const v of values) {
            for (const p of picks) {
              const k = p % lits.length;
              expect(probe.has(v, ks[k]!, lits[k] as Literal)).toBe(v.includes(lits[k]!));
            }
          }
        },
      ),
    );
  });

  it('passes over one value at most SCANS_BEFORE_INDEX + 1 times, however many literals are tested', () => {
    const probe = new MembershipProbe();
    const lits = Array.from({ length: 100 }, (_, i) => `g${i}`);
    const ks = lits.map((l) => probe.add(l));
    const value = Array.from({ length: 500 }, (_, i) => `g${i * 3}`);
    for (let k = 0; k < lits.length; k++) probe.has(value, ks[k]!, lits[k]!);
    expect(probe.work).toEqual({ scans: SCANS_BEFORE_INDEX, fills: 1 });
  });
});

describe('evaluate: sets read only by conditions', () => {
  const user = (n: number) =>
    oidc({
      sub: 's',
      groups: [...Array.from({ length: n }, (_, i) => `x${(i * 7919) % n}`), 'g5', 'eng-web', 'g5'],
      tags: ['B', 'a', 'b'],
    });

  it('are typed but not sorted or de-duplicated; the others (and every set under a trace) are canonical', () => {
    const cp = compiledPlan(manyRules);
    const claims = user(5).claims as Record<string, unknown>;
    const fast = cp.fastReaders[0]!(claims, undefined, null);
    expect(fast).toEqual({ state: 'present', value: claims.groups });
    expect(cp.readers[0]!(claims, undefined, null)).toEqual({
      state: 'present',
      value: [...new Set(claims.groups as string[])].sort(),
    });
    expect(cp.fastReaders[1]!(claims, undefined, null)).toEqual({ state: 'present', value: ['a', 'b'] });
  });

  it('the work per evaluation does not grow with the rules: one index fill, a few scans, for n and 2n groups', () => {
    const cp = compiledPlan(manyRules);
    for (const n of [1000, 2000]) {
      const before = cp.members.work();
      const d = evaluate(manyRules, user(n));
      const after = cp.members.work();
      expect(d.roles).toEqual(['dev', 'r5']);
      expect(after.fills - before.fills).toBe(1);
      expect(after.scans - before.scans).toBe(SCANS_BEFORE_INDEX);
    }
  });

  it('give the decision a trace gives (trace aside), whatever the order and repetition of values', () => {
    const name = fc.oneof(fc.constantFrom('g1', 'g3', 'frozen', 'eng-a', 'x', ''), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 40 }),
        fc.array(fc.constantFrom('A', 'b', 'B'), { maxLength: 4 }),
        (groups, tags) => {
          const cs = oidc({ sub: 's', groups, tags });
          const { trace: _t, ...traced } = evaluate(manyRules, cs, { trace: true });
          expect(evaluate(manyRules, cs)).toEqual(traced);
        },
      ),
    );
  });
});
