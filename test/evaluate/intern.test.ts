import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { internalized, literal } from '../../src/evaluate/intern.js';

describe('internalized', () => {
  it.each([
    ['a slice of a longer text', 'mapping "x" { grant admin }'.slice(12, 17)],
    ['a string built piece by piece', ['Group', '-', '7'].join('')],
    ['__proto__ (an own key in a computed literal, never the prototype)', '__proto__'],
    ['an array index', '0'],
    ['a large integer', '4294967295'],
    ['the empty string', ''],
    ['a lone surrogate', '\ud800'],
  ])('%s: the same string', (_, s) => {
    expect(internalized(s)).toBe(s);
  });

  it('returns a string equal to any input', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => internalized(s) === s));
  });
});

describe('literal', () => {
  it('internalizes strings and keeps numbers (including -0) and booleans as they are', () => {
    expect(literal('eng')).toBe('eng');
    expect(Object.is(literal(-0), -0)).toBe(true);
    expect(literal(7)).toBe(7);
    expect(literal(false)).toBe(false);
  });
});
