import type { Diagnostic } from './diagnostic.js';

/** Orders diagnostics by file, offset, then code, so output is deterministic (as OPA's Errors.Sort). */
export function sortDiagnostics<C extends string>(diagnostics: readonly Diagnostic<C>[]): Diagnostic<C>[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.range.start.offset - b.range.start.offset ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}

/** The default cap on diagnostics per file (cel-go caps at 100). */
export const DEFAULT_MAX_DIAGNOSTICS = 100;
