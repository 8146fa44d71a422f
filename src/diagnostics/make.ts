import type { Diagnostic, DiagnosticCode, RelatedInformation, Severity } from './diagnostic.js';
import type { LineCounter } from './line-counter.js';

/** A span of offsets, as stored in the AST. */
export interface OffsetSpan {
  start: number;
  end: number;
}

/** The optional parts of a diagnostic: a hint and related spans. */
/** `hint: undefined` is accepted and means no hint: rules pass an optional hint straight through. */
export type DiagnosticExtra = { hint?: string | undefined; related?: { span: OffsetSpan; message: string }[] };

/**
 * Collects diagnostics for one file. Checks name a span; this is the one place that turns offsets into ranges.
 * `C` closes the codes it accepts (a mapping file's `DiagnosticCode` by default), so a mistyped code does not compile.
 */
export class DiagnosticSink<C extends string = DiagnosticCode> {
  readonly diagnostics: Diagnostic<C>[] = [];

  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  report(severity: Severity, code: C, message: string, span: OffsetSpan, extra: DiagnosticExtra = {}): void {
    const d: Diagnostic<C> = {
      code,
      severity,
      message,
      file: this.file,
      range: this.lines.range(span.start, span.end),
    };
    if (extra.hint) d.hint = extra.hint;
    if (extra.related?.length) {
      d.related = extra.related.map(
        (r): RelatedInformation => ({
          file: this.file,
          range: this.lines.range(r.span.start, r.span.end),
          message: r.message,
        }),
      );
    }
    this.diagnostics.push(d);
  }

  error(code: C, message: string, span: OffsetSpan, extra?: DiagnosticExtra): void {
    this.report('error', code, message, span, extra);
  }

  warning(code: C, message: string, span: OffsetSpan, extra?: DiagnosticExtra): void {
    this.report('warning', code, message, span, extra);
  }

  info(code: C, message: string, span: OffsetSpan, extra?: DiagnosticExtra): void {
    this.report('info', code, message, span, extra);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
