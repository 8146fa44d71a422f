/**
 * Document formatting: `claimmap fmt` (src/syntax/format.ts), which keeps every comment and refuses a file with
 * syntax errors or a result that would not parse back to the same mapping. A refusal is no edit and a message.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { plural } from '../diagnostics/plural.js';
import { formatSource } from '../syntax/format.js';

export interface FormatOutcome {
  edits: TextEdit[];
  /** Why the document was left as it is, for a message to the user; absent when it was formatted (or already was). */
  refused?: string;
}

/**
 * The edit that formats the document: one replacement of the part between the common prefix and suffix of the old
 * and new text (so the editor keeps the cursor and folding outside it), or none.
 *
 * @example
 * ```ts
 * const { edits, refused } = formatDocument(doc);
 * if (refused) connection.window.showWarningMessage(refused);
 * ```
 */
export function formatDocument(doc: TextDocument): FormatOutcome {
  const text = doc.getText();
  const r = formatSource(text, { filename: doc.uri });
  if (r.text === null) {
    const first = r.diagnostics[0];
    if (first?.code === 'format/would-change-meaning') return { edits: [], refused: `claimmap: ${first.message}` };
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    return {
      edits: [],
      refused: `claimmap: not formatted: the file has ${plural(errors, 'syntax error')} (fix ${errors === 1 ? 'it' : 'them'} first)`,
    };
  }
  if (!r.changed) return { edits: [] };
  return { edits: [minimalEdit(doc, text, r.text)] };
}

/** One edit turning `before` into `after`, covering only what differs. */
export function minimalEdit(doc: TextDocument, before: string, after: string): TextEdit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end))
    end++;
  // Never split a surrogate pair or a CRLF.
  while (start > 0 && isLowSurrogateOrLf(before.charCodeAt(start))) start--;
  while (end > 0 && isLowSurrogateOrLf(before.charCodeAt(before.length - end))) end--;
  return {
    range: { start: doc.positionAt(start), end: doc.positionAt(before.length - end) },
    newText: after.slice(start, after.length - end),
  };
}

function isLowSurrogateOrLf(c: number): boolean {
  return (c >= 0xdc00 && c <= 0xdfff) || c === 10;
}
