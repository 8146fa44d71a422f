/** Problems found in a mapping regex by `analyzeRegex`. Every issue is an error: the regex is refused. */

/**
 * Stable codes of regex issues.
 * - `regex/syntax`: not a well-formed pattern of the subset (unbalanced parens or brackets, bad escape, bad
 *   quantifier).
 * - `regex/backreference`: `\1`, `\k<name>`, `(?P=name)`: not regular, refused by RE2.
 * - `regex/lookaround`: `(?=`, `(?!`, `(?<=`, `(?<!`: refused by RE2.
 * - `regex/unsupported`: valid in one engine only, or meaning different things in the two (possessive and atomic
 *   groups, inline flags, `\Q..\E`, `\p{..}`, POSIX classes, octal, `\x{..}`, escapes V8's `u` mode rejects).
 * - `regex/empty`: the empty pattern, which matches every value.
 * - `regex/too-complex`: over a documented limit (length, nodes, nesting depth, repeat counts).
 */
export type RegexIssueCode =
  | 'regex/syntax'
  | 'regex/backreference'
  | 'regex/lookaround'
  | 'regex/unsupported'
  | 'regex/empty'
  | 'regex/too-complex';

/** One problem in a pattern; `offset` and `length` are UTF-16 code units within the pattern source. */
export interface RegexIssue {
  code: RegexIssueCode;
  message: string;
  hint?: string;
  offset: number;
  length: number;
}
