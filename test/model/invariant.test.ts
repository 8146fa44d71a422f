import { describe, expect, it } from 'vitest';
import { defined, InvariantError, present } from '../../src/model/invariant.js';

/** The error `f` throws, or fails the test if it throws none. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('defined', () => {
  it('returns a present value unchanged, falsy ones and null included', () => {
    const obj = { a: 1 };
    expect(defined(obj)).toBe(obj);
    expect(defined(0)).toBe(0);
    expect(defined('')).toBe('');
    expect(defined(false)).toBe(false);
    expect(defined(Number.NaN)).toBeNaN();
    // An array of T | null may hold null on purpose: only undefined breaks the invariant.
    expect(defined<string | null>(null)).toBeNull();
  });

  it('throws InvariantError on undefined, not a TypeError a caller would take for its own mistake', () => {
    const e = thrown(() => defined(undefined));
    expect(e).toBeInstanceOf(InvariantError);
    expect(e).not.toBeInstanceOf(TypeError);
    expect((e as Error).name).toBe('InvariantError');
    expect((e as Error).message).toBe('claimmap internal error: a value the code relies on is missing');
  });

  it('fails closed on an index past the end of an array', () => {
    const xs = [1, 2, 3];
    expect(defined(xs[2])).toBe(3);
    expect(() => defined(xs[3])).toThrow(InvariantError);
  });
});

describe('present', () => {
  it('returns a value that is neither null nor undefined unchanged', () => {
    expect(present(0)).toBe(0);
    expect(present('')).toBe('');
    expect(present(false)).toBe(false);
  });

  it.each([null, undefined])('throws InvariantError on %s', (v) => {
    expect(thrown(() => present(v))).toBeInstanceOf(InvariantError);
  });
});
