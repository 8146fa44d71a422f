import type { Diagnostic, RelatedInformation, Severity } from './diagnostic.js';
import type { LineCounter } from './line-counter.js';

/** A span of offsets, as stored in the AST. */
export interface OffsetSpan {
  start: number;
  end: number;
}

/**
 * Collects diagnostics for one file. Checks name a span; this is the one place that turns offsets into ranges.
 */
export class DiagnosticSink {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  report(
    severity: Severity,
    code: string,
    message: string,
    span: OffsetSpan,
    extra: { hint?: string; related?: { span: OffsetSpan; message: string }[] } = {},
  ): void {
    const d: Diagnostic = { code, severity, message, file: this.file, range: this.lines.range(span.start, span.end) };
    if (extra.hint) d.hint = extra.hint;
    if (extra.related?.length) {
      d.related = extra.related.map(
        (r): RelatedInformation => ({ file: this.file, range: this.lines.range(r.span.start, r.span.end), message: r.message }),
      );
    }
    this.diagnostics.push(d);
  }

  error(code: string, message: string, span: OffsetSpan, extra?: Parameters<DiagnosticSink['report']>[4]): void {
    this.report('error', code, message, span, extra);
  }

  warning(code: string, message: string, span: OffsetSpan, extra?: Parameters<DiagnosticSink['report']>[4]): void {
    this.report('warning', code, message, span, extra);
  }

  info(code: string, message: string, span: OffsetSpan, extra?: Parameters<DiagnosticSink['report']>[4]): void {
    this.report('info', code, message, span, extra);
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}
