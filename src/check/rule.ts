import type { DiagnosticCode, Severity } from '../diagnostics/diagnostic.js';
import type { CheckModel } from './model.js';

/**
 * One diagnostic code a rule can emit, for the catalogue (docs/diagnostics.md) and the golden meta-test.
 *
 * @example
 * ```ts
 * const info: CodeInfo | undefined = diagnosticCatalogue().find((c) => c.code === 'key/mutable-claim');
 * console.log(info?.severity, info?.summary);
 * ```
 */
export interface CodeInfo {
  /** Adding a code here needs `npm run docs`, which regenerates the union in src/diagnostics/codes.ts. */
  code: DiagnosticCode;
  severity: Severity;
  /** What it means, one sentence, for the catalogue. */
  summary: string;
}

/** A check over the model. One rule per file in check/rules/, named after its main code. */
export interface Rule {
  /** The rule's name (its main code's name). */
  name: string;
  codes: CodeInfo[];
  check(model: CheckModel): void;
}
