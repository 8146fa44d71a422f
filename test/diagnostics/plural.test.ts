import { describe, expect, it } from 'vitest';
import { plural } from '../../src/diagnostics/plural.js';

describe('plural', () => {
  it.each([
    [0, 'error', undefined, '0 errors'],
    [1, 'error', undefined, '1 error'],
    [2, 'warning', undefined, '2 warnings'],
    [1, 'file', undefined, '1 file'],
    [1, 'entry', 'entries', '1 entry'],
    [3, 'entry', 'entries', '3 entries'],
  ])('%i %s', (n, word, pl, want) => {
    expect(plural(n, word, pl)).toBe(want);
  });
});
