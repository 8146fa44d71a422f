import { describe, expect, it } from 'vitest';
import { defined, InvariantError } from '../../src/model/invariant.js';

describe('defined', () => {
  it('returns a present value unchanged, falsy ones included', () => {
    const obj = { a: 1 };
    expect(defined(obj)).toBe(obj);
    expect(defined(0)).toBe(0);
    expect(defined('')).toBe('');
    expect(defined(false)).toBe(false);
    expect(defined(Number.NaN)).toBeNaN();
  });

  it.each([undefined, null])(
    'throws InvariantError on %s, not a TypeError a caller would take for its own mistake',
    (v) => {
      expect(() => defined(v)).toThrow(InvariantError);
      expect(() => defined(v)).toThrow('claimmap internal error: a value the code relies on is missing');
      try {
        defined(v);
      } catch (e) {
        expect(e).not.toBeInstanceOf(TypeError);
        expect((e as Error).name).toBe('InvariantError');
      }
    },
  );

  it('fails closed on a hole in an array the code indexes', () => {
    const xs = [1, 2, 3];
    expect(defined(xs[2])).toBe(3);
    expect(() => defined(xs[3])).toThrow(InvariantError);
  });
});
