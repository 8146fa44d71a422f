import { describe, expect, it } from 'vitest';
import { editDistance } from '../../src/names/edit-distance.js';

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

describe('editDistance against the definition', () => {
  /** Optimal string alignment by its recurrence over the full table: the reference. */
  function reference(a: string, b: string): number {
    const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
      Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
    );
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      }
    }
    return d[a.length]![b.length]!;
  }

  it('equals the full-table recurrence on every pair of short strings over a small alphabet', () => {
    const words = [''];
    for (let len = 1; len <= 4; len++)
      for (const w of words.filter((x) => x.length === len - 1)) words.push(`${w}a`, `${w}b`, `${w}c`);
    let pairs = 0;
    for (const a of words) {
      for (const b of words) {
        expect(editDistance(a, b), `${a} → ${b}`).toBe(reference(a, b));
        pairs++;
      }
    }
    expect(pairs).toBe(121 * 121);
  });
});
