/**
 * "Did you mean": the closest of the known names to a mistyped command or option, by Damerau–Levenshtein distance
 * (optimal string alignment: insertions, deletions, substitutions and swaps of adjacent characters each cost 1).
 */
import { editDistance } from '../names/edit-distance.js';

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
