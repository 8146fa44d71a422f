/**
 * Counts in correct English for every report and CLI message: "1 error", "2 warnings", "0 files".
 */

/**
 * `n` followed by `word`, or by its plural when `n` is not 1. The plural is `word + 's'` unless given (`'entry'`,
 * `'entries'`).
 *
 * @example
 * ```ts
 * plural(1, 'error'); // '1 error'
 * plural(0, 'file'); // '0 files'
 * plural(3, 'entry', 'entries'); // '3 entries'
 * ```
 */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
