import { defined } from '../model/invariant.js';
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
    case 'empty':
      return 'is empty';
    case 'too-long':
      return `is longer than ${maxLength} characters`;
    case 'invisible':
      return 'contains a control or format character';
    case 'padded':
      return 'has leading or trailing white space';
  }
}

/**
 * The first problem of an entitlement template's literal text (its string parts; the other parts are captures,
 * filled at login), or null: an invisible character anywhere, or white space at the very start or end.
 *
 * @example
 * ```ts
 * templateProblem(['team:', { group: 1 }]);        // null
 * templateProblem([' team:', { group: 1 }]);       // 'padded'
 * templateProblem(['team:\u2066', { group: 1 }]); // 'invisible'
 * ```
 */
export function templateProblem(parts: readonly (string | object)[]): 'invisible' | 'padded' | null {
  if (parts.some((p) => typeof p === 'string' && FORBIDDEN_IN_NAME.test(p))) return 'invisible';
  const first = parts[0];
  const last = parts[parts.length - 1];
  const padded =
    (typeof first === 'string' && first.trimStart() !== first) || (typeof last === 'string' && last.trimEnd() !== last);
  return padded ? 'padded' : null;
}

const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}\p{Default_Ignorable_Code_Point}"\\]/gu;

/**
 * A name in double quotes for a message, with every character that does not show as itself escaped (controls,
 * format and invisible characters, white space other than a plain space, quotes, backslashes), so a message about
 * `"ad\u202emin"` cannot itself be reordered or hide what is wrong.
 *
 * @example
 * ```ts
 * quoteName('admin\u200b '); // '"admin\\u200b "'
 * ```
 */
export function quoteName(name: string): string {
  const shown = name.replace(UNSHOWABLE, (ch) => {
    if (ch === ' ') return ch;
    if (ch === '"' || ch === '\\') return `\\${ch}`;
    const cp = defined(ch.codePointAt(0));
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
  return `"${shown}"`;
}
