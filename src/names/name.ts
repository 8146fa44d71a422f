/**
 * The rules for a role or entitlement name, in one place: manual grants (`grantManual`), the checker
 * (`name/invalid`) and `loadPlan` (`plan/invalid-name`) all apply them, so a name one accepts the others accept.
 * A leaf module: no imports, loaded by the runtime without the parser.
 */

/** Default longest role or entitlement name, in UTF-16 code units. */
export const DEFAULT_MAX_NAME_LENGTH = 256;

/**
 * Characters a name never holds: controls (Cc), format characters (Cf: bidi overrides and isolates, zero-width
 * space and joiners, soft hyphen), lone surrogates (Cs), line and paragraph separators, and the other default
 * ignorable code points (Hangul fillers, variation selectors, ...), which render as nothing.
 */
const FORBIDDEN_IN_NAME = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

/** Why a name is refused, first match in this order. */
export type NameProblem = 'empty' | 'too-long' | 'invisible' | 'padded';

/**
 * The first problem of a role or entitlement name, or null when it is acceptable: empty or only white space,
 * longer than `maxLength`, holding a control, format or other invisible character, or with leading or trailing
 * white space (`"admin "` is not `"admin"`).
 *
 * @example
 * ```ts
 * nameProblem('admin');        // null
 * nameProblem('admin ');       // 'padded'
 * nameProblem('ad\u202emin');  // 'invisible'
 * ```
 */
export function nameProblem(name: string, maxLength: number = DEFAULT_MAX_NAME_LENGTH): NameProblem | null {
  if (name.trim() === '') return 'empty';
  if (name.length > maxLength) return 'too-long';
  if (FORBIDDEN_IN_NAME.test(name)) return 'invisible';
  if (name.trim() !== name) return 'padded';
  return null;
}

/**
 * What a {@link NameProblem} means, as the end of a sentence about the name.
 *
 * @example
 * ```ts
 * `the role name ${describeNameProblem('padded')}` // 'the role name has leading or trailing white space'
 * ```
 */
export function describeNameProblem(problem: NameProblem, maxLength: number = DEFAULT_MAX_NAME_LENGTH): string {
  switch (problem) {
    case 'empty': return 'is empty';
    case 'too-long': return `is longer than ${maxLength} characters`;
    case 'invisible': return 'contains a control or format character';
    case 'padded': return 'has leading or trailing white space';
  }
}

/**
 * Whether a piece of a name (a literal part of an entitlement template) holds a character no name may hold.
 *
 * @example
 * ```ts
 * hasInvisibleCharacter('team:\u200b'); // true
 * ```
 */
export function hasInvisibleCharacter(text: string): boolean {
  return FORBIDDEN_IN_NAME.test(text);
}
