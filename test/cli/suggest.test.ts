import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggest } from '../../src/cli/suggest.js';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['lint', 'lint', 0],
    ['lnit', 'lint', 1], // a swap is one edit
    ['lin', 'lint', 1],
    ['lintt', 'lint', 1],
    ['lent', 'lint', 1],
    ['', 'fmt', 3],
    ['ca', 'abc', 3], // OSA, not unrestricted Damerau-Levenshtein (which gives 2)
    ['--quite', '--quiet', 1],
  ])('%s → %s = %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('suggest', () => {
  const commands = ['lint', 'fmt', 'compile', 'eval', 'explain', 'claims', 'simulate', 'test', 'plan'];
  it('suggests a close name and nothing for a distant one', () => {
    expect(suggest('lnit', commands)).toBe('lint');
    expect(suggest('complie', commands)).toBe('compile');
    expect(suggest('simualte', commands)).toBe('simulate');
    expect(suggest('frobnicate', commands)).toBeUndefined();
    expect(suggest('xyz', commands)).toBeUndefined();
  });
  it('allows one edit for short names, two for longer ones, never a whole name', () => {
    expect(suggest('fnt', commands)).toBe('fmt');
    expect(suggest('fnx', commands)).toBeUndefined(); // two edits on a 3-letter name
    expect(suggest('explian', commands)).toBe('explain');
    expect(suggest('expxxxn', commands)).toBeUndefined();
    expect(suggest('a', ['b'])).toBeUndefined();
  });
  it('suggests options with their dashes', () => {
    expect(suggest('--quite', ['--quiet', '--format'])).toBe('--quiet');
    expect(suggest('--fromat', ['--quiet', '--format'])).toBe('--format');
    expect(didYouMean('--fromat', ['--format'])).toBe(". Did you mean '--format'?");
    expect(didYouMean('--zzz', ['--format'])).toBe('');
  });
});
