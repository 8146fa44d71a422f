import { describe, expect, it } from 'vitest';
import { didYouMean, suggest } from '../../src/cli/suggest.js';

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
