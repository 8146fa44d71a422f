/**
 * "Did you mean": the closest of the known names to a mistyped command or option, by Damerau–Levenshtein distance
 * (optimal string alignment: insertions, deletions, substitutions and swaps of adjacent characters each cost 1).
 */
import { defined } from '../model/invariant.js';

/**
 * The edit distance between `a` and `b`, counting a swap of two adjacent characters as one edit.
 *
 * @example
 * ```ts
 * editDistance('lnit', 'lint'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the (a.length + 1) × (b.length + 1) table: `before` (row i - 2), `prev` (i - 1) and `cur` (i).
  // Iterating `prev` gives each cell above as a number; the cells to the left and up-left are carried in locals.
  let before = new Int32Array(b.length + 1);
  let prev = new Int32Array(b.length + 1);
  let cur = Int32Array.from({ length: b.length + 1 }, (_, j) => j);
  let last = b.length; // cur[b.length]
  for (let i = 1; i <= a.length; i++) {
    [before, prev, cur] = [prev, cur, before];
    cur[0] = i;
    let left = i; // cur[j - 1]
    let diag = 0; // prev[j - 1]
    let j = 0;
    for (const up of prev) {
      if (j > 0) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let v = Math.min(up + 1, left + 1, diag + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, defined(before[j - 2]) + 1);
        }
        cur[j] = v;
        left = v;
      }
      diag = up;
      j++;
    }
    last = left;
  }
  return last;
}

/**
 * The candidate closest to `input`, if it is close enough to be what was meant: at most 1 edit for names of up to
 * 4 characters, 2 for longer ones, and fewer edits than the name is long. Ties go to the earlier candidate.
 *
 * @example
 * ```ts
 * suggest('lnit', ['lint', 'fmt']); // 'lint'
 * suggest('frobnicate', ['lint', 'fmt']); // undefined
 * ```
 */
export function suggest(input: string, candidates: readonly string[]): string | undefined {
  const limit = input.replace(/^-+/, '').length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const dist = editDistance(input, c);
    if (dist < bestDistance && dist <= limit && dist < c.replace(/^-+/, '').length) {
      best = c;
      bestDistance = dist;
    }
  }
  return best;
}

/** `". Did you mean 'x'?"` when there is a suggestion, else `""`. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const s = suggest(input, candidates);
  return s === undefined ? '' : `. Did you mean '${s}'?`;
}
