/**
 * The claimmap language server (`claimmap lsp`): full-document sync, diagnostics on open and (debounced) on change,
 * formatting, hover, completion, definition, references, rename, quick fixes, document symbols and semantic tokens.
 * Every feature reads the one analysis of the document's current version (documents.ts).
 */
import {
  type Connection,
  ErrorCodes,
  type InitializeResult,
  MessageType,
  ShowMessageNotification,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../version.js';
import { codeActions } from './code-actions.js';
import { completionsAt } from './completion.js';
import { spanRange } from './convert.js';
import { documentSymbols } from './document-symbols.js';
import { Analyses, DEFAULT_DEBOUNCE_MS, DiagnosticsScheduler, diagnose } from './documents.js';
import { formatDocument } from './format.js';
import { hoverAt } from './hover.js';
import { renameSymbol, renameTarget } from './rename.js';
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from './semantic-tokens.js';
import { definitions, occurrenceAt, occurrences, sameSymbol } from './symbols.js';

export interface ServerOptions {
  /** Milliseconds after the last change before diagnostics run. Default 150. */
  debounceMs?: number;
}

/** What the server announces in its `initialize` result. */
export const CAPABILITIES: InitializeResult['capabilities'] = {
  textDocumentSync: TextDocumentSyncKind.Incremental,
  documentFormattingProvider: true,
  hoverProvider: true,
  completionProvider: { triggerCharacters: [':', '"', ' ', '<', '.'] },
  definitionProvider: true,
  referencesProvider: true,
  renameProvider: { prepareProvider: true },
  codeActionProvider: { codeActionKinds: ['quickfix'] },
  documentSymbolProvider: true,
  semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
};

/**
 * Wires the server's handlers to a connection and starts listening.
 *
 * @example
 * ```ts
 * import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
 * startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
 * ```
 */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Analyses();
  const publish = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    const diagnostics = diagnose(analyses, doc);
    // A newer version arrived while this one was analysed: its own run will publish.
    if (documents.get(uri)?.version !== doc.version) return;
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };
  const scheduler = new DiagnosticsScheduler(publish, options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
  const opened = new Set<string>();
  documents.onDidOpen((e) => opened.add(e.document.uri));
  documents.onDidChangeContent((e) => {
    if (opened.delete(e.document.uri)) scheduler.now(e.document.uri);
    else scheduler.schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    scheduler.cancel(e.document.uri);
    analyses.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const withDoc = <P extends { textDocument: { uri: string } }, R>(
    fn: (doc: TextDocument, p: P) => R,
    none: R,
  ): ((p: P) => R) => {
    return (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? fn(doc, p) : none;
    };
  };

  connection.onInitialize(() => ({ capabilities: CAPABILITIES, serverInfo: { name: 'claimmap', version: VERSION } }));
  connection.onDocumentFormatting(
    withDoc((doc) => {
      const r = formatDocument(doc);
      // A notification (window/showMessage), not a request: the client need not answer it.
      if (r.refused)
        void connection.sendNotification(ShowMessageNotification.type, {
          type: MessageType.Warning,
          message: r.refused,
        });
      return r.edits;
    }, []),
  );
  connection.onHover(
    withDoc((doc, p) => {
      const h = hoverAt(analyses.get(doc), doc.offsetAt(p.position));
      return h && { contents: h.contents, range: spanRange(doc, h.span) };
    }, null),
  );
  connection.onCompletion(withDoc((doc, p) => completionsAt(analyses.get(doc), doc.offsetAt(p.position)), []));
  const symbolAt = (doc: TextDocument, offset: number) => {
    const m = analyses.get(doc).model;
    if (!m) return null;
    const all = occurrences(m);
    const o = occurrenceAt(all, offset);
    return o ? { all, o } : null;
  };
  connection.onDefinition(
    withDoc((doc, p) => {
      const s = symbolAt(doc, doc.offsetAt(p.position));
      return s ? definitions(s.all, s.o).map((x) => ({ uri: doc.uri, range: spanRange(doc, x.span) })) : null;
    }, null),
  );
  connection.onReferences(
    withDoc((doc, p) => {
      const s = symbolAt(doc, doc.offsetAt(p.position));
      if (!s) return null;
      return sameSymbol(s.all, s.o)
        .filter((x) => p.context.includeDeclaration || !x.declaration)
        .map((x) => ({ uri: doc.uri, range: spanRange(doc, x.span) }));
    }, null),
  );
  connection.onPrepareRename(
    withDoc((doc, p) => {
      const o = renameTarget(analyses.get(doc), doc.offsetAt(p.position));
      return o ? { range: spanRange(doc, o.span), placeholder: o.name } : null;
    }, null),
  );
  connection.onRenameRequest(
    withDoc((doc, p) => {
      const r = renameSymbol(analyses.get(doc), doc, doc.offsetAt(p.position), p.newName);
      if ('refused' in r) return new ResponseError(ErrorCodes.InvalidRequest, r.refused);
      return { changes: { [doc.uri]: r.edits } };
    }, null),
  );
  connection.onCodeAction(
    withDoc(
      (doc, p) => codeActions(analyses.get(doc), doc, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end)),
      [],
    ),
  );
  connection.onDocumentSymbol(withDoc((doc) => documentSymbols(analyses.get(doc), doc), []));
  connection.languages.semanticTokens.on(withDoc((doc) => semanticTokens(analyses.get(doc), doc), { data: [] }));

  documents.listen(connection);
  connection.listen();
}
