/**
 * claimmap positions are UTF-16 offsets into the text; LSP positions are (line, UTF-16 character) pairs, the
 * protocol's default encoding. Every conversion goes through the document (`positionAt` / `offsetAt`), so a line
 * with an emoji or any other non-BMP character maps the same way the editor counts it.
 */
import {
  type Diagnostic as LspDiagnostic,
  DiagnosticSeverity,
  DiagnosticTag,
  type Range as LspRange,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.js';
import { diagnosticHelpUri } from '../diagnostics/docs-link.js';

/** `[start, end)` offsets to an LSP range. */
export function spanRange(doc: TextDocument, span: { start: number; end: number }): LspRange {
  return { start: doc.positionAt(span.start), end: doc.positionAt(Math.max(span.start, span.end)) };
}

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** Codes whose range is code that does nothing: editors grey it out. */
const UNNECESSARY = new Set<string>(['claim/unused', 'trusted/unneeded', 'unsafe/unneeded', 'normalize/duplicate']);

/** What a published diagnostic carries in `data`, for the quick fixes. */
export interface DiagnosticData {
  hint?: string;
}

/**
 * A claimmap diagnostic as the protocol's: the code with a link to its section of docs/diagnostics.md, the hint
 * after the message, related spans as related information in the same document.
 *
 * @example
 * ```ts
 * connection.sendDiagnostics({ uri, diagnostics: analysis.diagnostics.map((d) => toLspDiagnostic(d, doc)) });
 * ```
 */
export function toLspDiagnostic(d: Diagnostic, doc: TextDocument): LspDiagnostic {
  const out: LspDiagnostic = {
    range: spanRange(doc, { start: d.range.start.offset, end: d.range.end.offset }),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: diagnosticHelpUri(d.code) },
    source: 'claimmap',
    message: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message,
  };
  if (UNNECESSARY.has(d.code)) out.tags = [DiagnosticTag.Unnecessary];
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({
      location: { uri: doc.uri, range: spanRange(doc, { start: r.range.start.offset, end: r.range.end.offset }) },
      message: r.message,
    }));
  }
  const data: DiagnosticData = d.hint ? { hint: d.hint } : {};
  out.data = data;
  return out;
}
