import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, planDigest } from '../../src/compile/digest.js';
import type { Plan } from '../../src/model/plan.js';

/** Rebuilds a value with every object's keys in reverse insertion order. */
function reorder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reorder);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, reorder(x)]),
    );
  }
  return v;
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 1, x: 2 }, a: [] }, '{"a":[],"z":{"x":2,"y":1}}'],
    [{ a: undefined, b: 'é\n"' }, '{"b":"é\\n\\""}'],
    [{ B: 1, a: 2, _: 3 }, '{"B":1,"_":3,"a":2}'],
    [[1.5, -0, 1e21], '[1.5,0,1e+21]'],
    ['x', '"x"'],
  ] as [unknown, string][])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('is independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(reorder(v))).toBe(canonicalJson(v));
      }),
    );
  });

  it('is valid JSON that parses back to the same data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(JSON.parse(canonicalJson(v)))).toBe(canonicalJson(v));
      }),
    );
  });

  it.each([[NaN], [() => 1], [Symbol('s')], [10n]])('throws TypeError on non-JSON %s', (v) => {
    expect(() => canonicalJson({ v })).toThrow(TypeError);
  });
});

describe('planDigest', () => {
  const plan = { format: 'claimmap/plan@1', name: 'n', version: null } as unknown as Omit<Plan, 'digest'>;

  it('is the sha256 hex of the canonical JSON', () => {
    const expected = createHash('sha256')
      .update('{"format":"claimmap/plan@1","name":"n","version":null}')
      .digest('hex');
    expect(planDigest(plan)).toBe(expected);
    expect(planDigest(plan)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores an existing digest field and key order', () => {
    const withDigest = { ...(reorder(plan) as object), digest: 'f'.repeat(64) } as Plan;
    expect(planDigest(withDigest)).toBe(planDigest(plan));
  });

  it('changes with any content change', () => {
    expect(planDigest({ ...plan, name: 'm' })).not.toBe(planDigest(plan));
  });
});

describe('planDigest hashes as it writes (issue #17: compile linear in the plan size)', () => {
  it('equals sha256 of the whole canonical JSON for a plan far larger than one chunk, astral characters included', () => {
    // ~60,000 pieces: flushed about 15 times; every string holds a surrogate pair and an escape.
    const rules = Array.from({ length: 3000 }, (_, i) => ({
      id: `roles[${i}]`,
      target: `r\u{1F600}${i}"\\`,
      loc: { line: i, column: 1 },
      when: { op: 'contains', claim: 'groups', value: `g-\u{10FFFF}-${i}` },
    }));
    const body = { name: 'big', roles: { rules }, text: 'skipped' };
    const skip = new Set(['loc', 'text']);
    const whole = createHash('sha256').update(canonicalJson(body, skip), 'utf8').digest('hex');
    expect(planDigest(body as unknown as Plan)).toBe(whole);
    expect(canonicalJson(body, skip)).not.toContain('"loc"');
  });
});
