import type { DiagnosticCode } from './codes.js';

export type { DiagnosticCode } from './codes.js';

/**
 * A point in a source file. `offset` is a UTF-16 code-unit index; `line` and `column` are 1-based.
 *
 * @example
 * ```ts
 * const at: Position = { offset: 0, line: 1, column: 1 }; // the first character of a file
 * ```
 */
export interface Position {
  offset: number;
  line: number;
  column: number;
}

/**
 * A half-open source range `[start, end)`.
 *
 * @example
 * ```ts
 * const { start, end }: Range = diagnostics[0]!.range;
 * console.log(`${start.line}:${start.column}-${end.line}:${end.column}`);
 * ```
 */
export interface Range {
  start: Position;
  end: Position;
}

/**
 * How bad a finding is. Only `error` makes `lint` fail (unless `--max-warnings` is exceeded).
 *
 * @example
 * ```ts
 * const errors = diagnostics.filter((d) => d.severity === ('error' satisfies Severity));
 * ```
 */
export type Severity = 'error' | 'warning' | 'info';

/**
 * Another place that explains a diagnostic (the first declaration of a duplicate, the deny that shadows a grant).
 *
 * @example
 * ```ts
 * for (const r of diagnostic.related ?? []) console.log(`${r.file}:${r.range.start.line}: ${r.message}`);
 * ```
 */
export interface RelatedInformation {
  file: string;
  range: Range;
  message: string;
}

/**
 * A problem found in user input. Diagnostics are data: parse, check and compile return them and never throw.
 *
 * @example
 * ```ts
 * const { diagnostics } = compile(source, { filename: 'okta.claimmap' });
 * for (const d of diagnostics) console.log(`${d.file}:${d.range.start.line}:${d.range.start.column} ${d.code}`);
 * ```
 *
 * `C` is the closed union of codes the diagnostic can carry: by default a mapping file's codes (`DiagnosticCode`, the
 * catalogue in docs/diagnostics.md). Scenario files use `Diagnostic<ScenarioCode>`; the renderers accept any
 * `Diagnostic<string>`.
 */
export interface Diagnostic<C extends string = DiagnosticCode> {
  /** Stable, kebab-case, phase-prefixed code such as `syntax/unexpected-token` or `key/mutable-claim`. */
  code: C;
  severity: Severity;
  /** One short sentence. */
  message: string;
  file: string;
  range: Range;
  /** How to fix it, kept apart from the message. */
  hint?: string;
  related?: RelatedInformation[];
}
