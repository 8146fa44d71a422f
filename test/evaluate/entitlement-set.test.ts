import { describe, expect, it } from 'vitest';
import { EntitlementSet } from '../../src/evaluate/entitlement-set.js';

describe('EntitlementSet', () => {
  const one = (id: string) => Object.freeze([id]);
  it.each([5, 17, 100])('with %i names: de-duplicates, records provenance, removes, sorts', (n) => {
    const s = new EntitlementSet();
    const names = Array.from({ length: n }, (_, i) => `e:${String(n - i).padStart(3, '0')}`);
    for (const name of names) s.add(name, 'r0', one('r0'));
    for (const name of names) s.add(name, 'r0', one('r0')); // same rule again: no duplicate id
    s.add(names[0]!, 'r1', one('r1'));
    expect(s.remove(names[1]!)).toBe(true);
    expect(s.remove(names[1]!)).toBe(false);
    expect(s.remove('not-granted')).toBe(false);
    s.add(names[1]!, 'r2', one('r2')); // a denied name is not granted again
    const r = s.result()!;
    const want = names.filter((_, i) => i !== 1).sort();
    expect(r.names).toEqual(want);
    expect(Object.keys(r.grantedBy)).toEqual(want);
    expect(r.grantedBy[names[0]!]).toEqual(['r0', 'r1']);
    expect(r.grantedBy[names[2]!]).toEqual(['r0']);
    expect(s.live()).toHaveLength(n - 1);
  });
  it('is null when everything was removed', () => {
    const s = new EntitlementSet();
    s.add('a', 'r0', one('r0'));
    s.remove('a');
    expect(s.result()).toBeNull();
  });
});
