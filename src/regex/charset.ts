import { defined } from '../model/invariant.js';
/**
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive ranges. Used by the regex analyser to
 * reason about which characters a class or quantified piece can consume (overlap of adjacent loops).
 */

/** An inclusive code-point range `[lo, hi]`. */
export type CodePointRange = readonly [lo: number, hi: number];

/** A normalised set of code points: ranges sorted by `lo`, disjoint and non-adjacent. */
export type CodePointSet = readonly CodePointRange[];

/** The largest Unicode code point. */
export const MAX_CODE_POINT = 0x10ffff;

/**
 * Normalises arbitrary ranges into a {@link CodePointSet} (sorts, merges overlapping and adjacent ranges).
 *
 * @example
 * ```ts
 * normalizeSet([[0x62, 0x63], [0x61, 0x61]]); // [[0x61, 0x63]]
 * ```
 */
export function normalizeSet(ranges: readonly CodePointRange[]): CodePointSet {
  const sorted: CodePointRange[] = [];
  for (const r of ranges) if (r[0] <= r[1]) sorted.push(r);
  if (sorted.length > 1) sorted.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  let last: [number, number] | undefined;
  for (const r of sorted) {
    const lo = r[0];
    const hi = r[1];
    if (last !== undefined && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else {
      last = [lo, hi];
      out.push(last);
    }
  }
  return out;
}

/**
 * The complement of a set within `[0, 0x10FFFF]`.
 *
 * @example
 * ```ts
 * complementSet([[0x61, 0x61]]); // [[0, 0x60], [0x62, 0x10FFFF]]
 * ```
 */
export function complementSet(set: CodePointSet): CodePointSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

/**
 * The union of two sets.
 *
 * @example
 * ```ts
 * unionSet([[0x61, 0x61]], [[0x62, 0x62]]); // [[0x61, 0x62]]
 * ```
 */
export function unionSet(a: CodePointSet, b: CodePointSet): CodePointSet {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return normalizeSet([...a, ...b]);
}

/**
 * Whether two sets share at least one code point.
 *
 * @example
 * ```ts
 * setsOverlap([[0x61, 0x7a]], [[0x30, 0x39]]); // false
 * ```
 */
export function setsOverlap(a: CodePointSet, b: CodePointSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = defined(a[i]);
    const y = defined(b[j]);
    if (x[1] < y[0]) i++;
    else if (y[1] < x[0]) j++;
    else return true;
  }
  return false;
}

/**
 * Whether every code point of the set is ASCII (below 0x80).
 *
 * @example
 * ```ts
 * isAsciiSet([[0x61, 0x7a]]); // true
 * ```
 */
export function isAsciiSet(set: CodePointSet): boolean {
  return set.every(([, hi]) => hi < 0x80);
}

/**
 * Adds the other ASCII case of every ASCII letter in the set (the folding both RE2 and V8 apply to ASCII letters
 * under the `i` flag; non-ASCII folding is not modelled, and the analyser never proves such patterns native-safe).
 *
 * @example
 * ```ts
 * foldAsciiSet([[0x61, 0x61]]); // [[0x41, 0x41], [0x61, 0x61]]
 * ```
 */
export function foldAsciiSet(set: CodePointSet): CodePointSet {
  const extra: CodePointRange[] = [];
  for (const [lo, hi] of set) {
    const ulo = Math.max(lo, 0x41);
    const uhi = Math.min(hi, 0x5a);
    if (ulo <= uhi) extra.push([ulo + 0x20, uhi + 0x20]);
    const llo = Math.max(lo, 0x61);
    const lhi = Math.min(hi, 0x7a);
    if (llo <= lhi) extra.push([llo - 0x20, lhi - 0x20]);
  }
  return normalizeSet([...set, ...extra]);
}

/** `\d`: ASCII digits in both RE2 and V8. */
export const DIGIT_SET: CodePointSet = [[0x30, 0x39]];
/** `\w`: ASCII word characters in both RE2 and V8 (without the `i` flag). */
export const WORD_SET: CodePointSet = normalizeSet([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
]);
/** `\s` as RE2 defines it: `[\t\n\f\r ]` (V8's `\s` is wider; the analyser never proves `\s` native-safe). */
export const RE2_SPACE_SET: CodePointSet = normalizeSet([
  [0x09, 0x0a],
  [0x0c, 0x0d],
  [0x20, 0x20],
]);
/** `.` as RE2 defines it without the `s` flag: anything but `\n` (V8 also excludes `\r`, U+2028, U+2029). */
export const RE2_DOT_SET: CodePointSet = complementSet([[0x0a, 0x0a]]);
