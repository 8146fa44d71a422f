import { editDistance } from '../names/edit-distance.js';
/** {@link editDistance}, or `cap + 1` at once when the lengths alone differ by more than `cap`. */
function distance(a: string, b: string, cap: number): number {
  return Math.abs(a.length - b.length) > cap ? cap + 1 : editDistance(a, b);
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
