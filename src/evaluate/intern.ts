/**
 * Plan strings in the form V8 compares and stores fastest. A plan's strings are often slices of the mapping text
 * or strings the JSON parser or the CST visitor built piece by piece (sliced or cons strings): every comparison
 * (`includes`, `startsWith`, `===`) with such a string walks its representation again, and every store of such a key
 * into a null-prototype record looks it up in V8's string table again. An internalized string is flat, compared by
 * pointer with other internalized strings, and stored as a key as it is. Done once per plan, when it is compiled.
 */
import type { Literal } from '../model/plan.js';

/**
 * The same string, internalized (the form V8 keeps property keys in).
 *
 * @example
 * ```ts
 * internalized(source.slice(10, 20)) // equal to the slice, flat and internalized
 * ```
 */
export function internalized(s: string): string {
  const keys = Object.keys({ [s]: 0 });
  return keys.length === 1 && keys[0] === s ? keys[0] : s;
}

/**
 * A condition literal with its string internalized (numbers and booleans as they are).
 *
 * @example
 * ```ts
 * literal('eng') // 'eng'
 * ```
 */
export function literal<L extends Literal>(l: L): L {
  return (typeof l === 'string' ? internalized(l) : l) as L;
}
