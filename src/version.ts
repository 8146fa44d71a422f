/**
 * The package version, kept in step with package.json by a test.
 *
 * @example
 * ```ts
 * console.log(`claimmap ${VERSION}`);
 * ```
 */
export const VERSION = '0.1.0';
