/**
 * The catalogue of every diagnostic code: syntax codes (from the parser) and each rule's codes. Source of
 * docs/diagnostics.md and of the golden meta-test.
 */
import type { CodeInfo } from './rule.js';
import { RULES } from './rules/index.js';

export const SYNTAX_CODES: readonly CodeInfo[] = [
  {
    code: 'syntax/unexpected-token',
    severity: 'error',
    summary: 'The parser found a token that does not fit the grammar here.',
  },
  { code: 'syntax/unexpected-end', severity: 'error', summary: 'The file ended before the mapping was complete.' },
  {
    code: 'syntax/unexpected-character',
    severity: 'error',
    summary: 'A character that cannot start any token (a NUL byte, a stray symbol).',
  },
  {
    code: 'syntax/unterminated-string',
    severity: 'error',
    summary: 'A string is not closed before the end of its line.',
  },
  { code: 'syntax/unterminated-comment', severity: 'error', summary: 'A /* comment is never closed.' },
  {
    code: 'syntax/invalid-escape',
    severity: 'error',
    summary: 'A string contains an escape other than \\" \\\\ \\/ \\n \\r \\t \\uXXXX.',
  },
  { code: 'syntax/number-out-of-range', severity: 'error', summary: 'A number is larger than 2^53 - 1.' },
  {
    code: 'syntax/too-deep',
    severity: 'error',
    summary: 'Conditions or expressions are nested deeper than the maxNesting limit (default 64).',
  },
  {
    code: 'syntax/too-large',
    severity: 'error',
    summary: 'The file is larger than the maxLength limit (default 8 MiB).',
  },
  { code: 'syntax/invalid-utf8', severity: 'error', summary: 'The file is not valid UTF-8.' },
  {
    code: 'diagnostics/too-many',
    severity: 'info',
    summary: 'More diagnostics were found than the cap (default 100); the rest are not shown.',
  },
];

/**
 * Every code, sorted.
 *
 * @example
 * ```ts
 * for (const { code, severity, summary } of diagnosticCatalogue()) console.log(code, severity, summary);
 * ```
 */
export function diagnosticCatalogue(): CodeInfo[] {
  const all = [...SYNTAX_CODES, ...RULES.flatMap((r) => r.codes)];
  return all.sort((a, b) => (a.code < b.code ? -1 : 1));
}
