/**
 * Edit distance between names, for "did you mean" hints: the linter's (unknown claim, role, section names) and the
 * CLI's (mistyped commands and options).
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
