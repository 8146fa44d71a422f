/**
 * RuntimeError and the brand every claimmap error carries (src/errors.ts). The brand is what makes `instanceof` and
 * the guards work across copies of claimmap; test/dist/errors.test.ts checks that on the two built copies.
 */
import { describe, expect, it } from 'vitest';
import { ClaimsError, isClaimsError } from '../../src/claims/errors.js';
import { ClaimmapError } from '../../src/errors.js';
import { isRuntimeError, RuntimeError } from '../../src/runtime/errors.js';

const BRAND = Symbol.for('claimmap.error');

/** What an error of another copy of claimmap looks like to this one: another prototype, the same brand. */
function foreign(kinds: string[], code: string): Error {
  class Elsewhere extends Error {}
  const e = new Elsewhere('thrown by another copy');
  Object.defineProperty(e, BRAND, { value: Object.freeze(kinds) });
  return Object.assign(e, { code });
}

describe('the claimmap error brand', () => {
  it('names the classes an error is an instance of, from the base down, and stays out of JSON and keys', () => {
    const e = new RuntimeError('store/busy', 'busy');
    expect((e as unknown as Record<symbol, unknown>)[BRAND]).toEqual(['ClaimmapError', 'RuntimeError']);
    expect(Object.isFrozen((e as unknown as Record<symbol, unknown>)[BRAND])).toBe(true);
    expect(Object.getOwnPropertyDescriptor(e, BRAND)).toMatchObject({ enumerable: false, writable: false });
    expect(Object.keys(e)).not.toContain(BRAND);
    expect(JSON.parse(JSON.stringify(e))).toEqual({ code: 'store/busy', message: 'busy' });
    expect((new ClaimmapError('plan/invalid-json', 'x') as unknown as Record<symbol, unknown>)[BRAND]).toEqual([
      'ClaimmapError',
    ]);
  });

  it('an error of another copy is an instance of the classes its brand names, and of no other', () => {
    const e = foreign(['ClaimmapError', 'RuntimeError'], 'store/busy');
    expect(e instanceof RuntimeError).toBe(true);
    expect(e instanceof ClaimmapError).toBe(true);
    expect(isRuntimeError(e, 'store/busy')).toBe(true);
    expect(isRuntimeError(e, 'store/conflict')).toBe(false);
    expect(e instanceof ClaimsError).toBe(false);
    expect(isClaimsError(e)).toBe(false);
    const base = foreign(['ClaimmapError'], 'plan/invalid-json');
    expect(base instanceof ClaimmapError).toBe(true);
    expect(base instanceof RuntimeError).toBe(false);
  });

  it('a brand that is not an array of names, or an error without one, is not a claimmap error', () => {
    for (const brand of ['RuntimeError', { 0: 'RuntimeError', length: 1 }, null, 1]) {
      const e = Object.assign(new Error('x'), { [BRAND]: brand, code: 'store/busy' });
      expect(e instanceof ClaimmapError).toBe(false);
      expect(isRuntimeError(e)).toBe(false);
    }
    expect(Object.assign(new Error('x'), { name: 'RuntimeError', code: 'store/busy' }) instanceof RuntimeError).toBe(
      false,
    );
  });

  it("an app's subclass matches only its own instances; its instances still pass the claimmap guards", () => {
    class RetryLater extends RuntimeError {}
    const mine = new RetryLater('store/busy', 'busy');
    expect(mine instanceof RetryLater).toBe(true);
    expect(mine instanceof RuntimeError).toBe(true);
    expect(isRuntimeError(mine, 'store/busy')).toBe(true);
    // The subclass has no brand name of its own, so a plain RuntimeError (of this copy or another) is not one.
    expect(new RuntimeError('store/busy', 'busy') instanceof RetryLater).toBe(false);
    expect(foreign(['ClaimmapError', 'RuntimeError'], 'store/busy') instanceof RetryLater).toBe(false);
  });
});
