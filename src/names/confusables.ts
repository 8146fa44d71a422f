import { defined } from '../model/invariant.js';
/**
 * Look-alike strings: the Latin ↔ Cyrillic table the simulator uses to forge near misses, and the skeleton the
 * checker and `loadPlan` use to find names that look like a privileged name without being it. A leaf module.
 */

/** Latin letters and the Cyrillic letters that look the same (U+0430 а, U+0435 е, ...). */
const CYRILLIC: Readonly<Record<string, string>> = Object.freeze({
  a: '\u0430',
  e: '\u0435',
  o: '\u043e',
  c: '\u0441',
  p: '\u0440',
  x: '\u0445',
  i: '\u0456',
  y: '\u0443',
  A: '\u0410',
  E: '\u0415',
  O: '\u041e',
  C: '\u0421',
  P: '\u0420',
  X: '\u0425',
  I: '\u0406',
  T: '\u0422',
});

/**
 * The string with its first Latin letter that has a Cyrillic look-alike replaced by it, or null when it has none.
 *
 * @example
 * ```ts
 * cyrillicConfusable('okta-admins') // 'оkta-admins' (U+043E)
 * ```
 */
export function cyrillicConfusable(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    const r = CYRILLIC[defined(s[i])];
    if (r !== undefined) return s.slice(0, i) + r + s.slice(i + 1);
  }
  return null;
}

/** Capital letters (Cyrillic, Greek) that look like a Latin capital, mapped before lower-casing. */
const UPPER_LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(CYRILLIC)
    .filter(([l]) => l !== l.toLowerCase())
    .map(([l, c]) => [c, l] as [string, string]),
  // Cyrillic В Н К М Ѕ Ј; Greek Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ Υ Χ.
  ['\u0412', 'B'],
  ['\u041d', 'H'],
  ['\u041a', 'K'],
  ['\u041c', 'M'],
  ['\u0405', 'S'],
  ['\u0408', 'J'],
  ['\u0391', 'A'],
  ['\u0392', 'B'],
  ['\u0395', 'E'],
  ['\u0396', 'Z'],
  ['\u0397', 'H'],
  ['\u0399', 'I'],
  ['\u039a', 'K'],
  ['\u039c', 'M'],
  ['\u039d', 'N'],
  ['\u039f', 'O'],
  ['\u03a1', 'P'],
  ['\u03a4', 'T'],
  ['\u03a5', 'Y'],
  ['\u03a7', 'X'],
]);

/** Small letters that look like a Latin small letter, mapped after lower-casing. */
const LOWER_LOOKALIKES: ReadonlyMap<string, string> = new Map([
  ...Object.entries(CYRILLIC)
    .filter(([l]) => l === l.toLowerCase())
    .map(([l, c]) => [c, l] as [string, string]),
  // Cyrillic ѕ ј һ ԁ ԛ ԝ; Greek ο α ι ν ρ υ; Latin dotless ı.
  ['\u0455', 's'],
  ['\u0458', 'j'],
  ['\u04bb', 'h'],
  ['\u0501', 'd'],
  ['\u051b', 'q'],
  ['\u051d', 'w'],
  ['\u03bf', 'o'],
  ['\u03b1', 'a'],
  ['\u03b9', 'i'],
  ['\u03bd', 'v'],
  ['\u03c1', 'p'],
  ['\u03c5', 'u'],
  ['\u0131', 'i'],
]);

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The skeleton of a name: what it looks like, so two names with the same skeleton are confusable. NFKC (fullwidth
 * forms, ligatures, compatibility characters), Cyrillic and Greek look-alikes to Latin, lower case, invisible
 * characters removed, runs of white space made one space, and trimmed. Not Unicode's full confusables table: the
 * look-alikes of Latin letters an attacker reaches for first.
 *
 * @example
 * ```ts
 * skeleton('\u0410dmin') === skeleton('ａｄｍｉｎ') // true: both 'admin'
 * ```
 */
export function skeleton(name: string): string {
  // Printable ASCII (nearly every role name): NFKC and both look-alike tables leave it as it is and nothing in it is
  // invisible, so the skeleton is the lower case with runs of spaces made one, trimmed. Same result, no per-character
  // string building (the checker takes the skeleton of every role and entitlement of the mapping).
  if (PRINTABLE_ASCII.test(name)) return name.toLowerCase().replace(/ {2,}/g, ' ').trim();
  let upper = '';
  for (const ch of name.normalize('NFKC')) upper += UPPER_LOOKALIKES.get(ch) ?? ch;
  let out = '';
  for (const ch of upper.toLowerCase()) out += LOWER_LOOKALIKES.get(ch) ?? ch;
  return out.replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
}

/**
 * The first of `names` that `name` can be mistaken for: same {@link skeleton}, but not the same string. Undefined
 * when there is none.
 *
 * @example
 * ```ts
 * confusableWith('Admin', ['admin', 'owner']); // 'admin'
 * confusableWith('admin', ['admin']);          // undefined (equal is not confusable)
 * ```
 */
export function confusableWith(name: string, names: Iterable<string>): string | undefined {
  let sk: string | undefined;
  for (const other of names) {
    if (other === name) continue;
    sk ??= skeleton(name);
    if (skeleton(other) === sk) return other;
  }
  return undefined;
}

/**
 * What makes `name` differ from a privileged name it looks like, for a message: the first character outside
 * printable ASCII (`holds U+0410`), else `differs only in case`, else `differs only in white space`.
 *
 * @example
 * ```ts
 * lookalikeDetail('\u0410dmin'); // 'holds U+0410'
 * lookalikeDetail('Admin');      // 'differs only in case'
 * ```
 */
export function lookalikeDetail(name: string, like: string): string {
  for (const ch of name) {
    if (!/[\x20-\x7e]/.test(ch))
      return `holds U+${defined(ch.codePointAt(0)).toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return name.toLowerCase() === like.toLowerCase() ? 'differs only in case' : 'differs only in white space';
}
