/**
 * Where each diagnostic code is documented: its anchor in docs/diagnostics.md (the generator writes
 * `<a id="...">` before each code's section) and the URL SARIF output gives as the rule's `helpUri`.
 */

/** docs/diagnostics.md on the repository's default branch. */
export const DIAGNOSTICS_DOC_URL = 'https://github.com/claimmap/claimmap/blob/main/docs/diagnostics.md';

/**
 * The anchor of `code` in docs/diagnostics.md: every run of characters other than `a-z0-9` becomes `-`.
 *
 * @example
 * ```ts
 * diagnosticAnchor('literal/never-matches'); // 'literal-never-matches'
 * ```
 */
export function diagnosticAnchor(code: string): string {
  return code.replace(/[^a-z0-9]+/g, '-');
}

/**
 * The documentation URL of `code`.
 *
 * @example
 * ```ts
 * diagnosticHelpUri('key/mutable-claim');
 * // 'https://github.com/claimmap/claimmap/blob/main/docs/diagnostics.md#key-mutable-claim'
 * ```
 */
export function diagnosticHelpUri(code: string): string {
  return `${DIAGNOSTICS_DOC_URL}#${diagnosticAnchor(code)}`;
}
