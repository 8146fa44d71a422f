/**
 * "Did you mean": the closest of the known names to a mistyped command or option, by Damerau–Levenshtein distance
 * (optimal string alignment: insertions, deletions, substitutions and swaps of adjacent characters each cost 1).
 */

/**
 * The edit distance between `a` and `b`, counting a swap of two adjacent characters as one edit.
 *
 * @example
 * ```ts
 * editDistance('lnit', 'lint'); // 1
 * ```
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
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
