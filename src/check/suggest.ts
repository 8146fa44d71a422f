import { defined } from '../model/invariant.js';
/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, so `emial` is one edit from `email`). */
function distance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(
        defined(prev[j]) + 1,
        defined(cur[j - 1]) + 1,
        defined(prev[j - 1]) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, defined(before[j - 2]) + 1);
      cur[j] = d;
    }
    before = prev;
    prev = cur;
  }
  return defined(prev[b.length]);
}

/** The closest candidate within a small edit distance, as a hint sentence, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase(), bestD);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best === undefined ? undefined : `did you mean '${best}'?`;
}
