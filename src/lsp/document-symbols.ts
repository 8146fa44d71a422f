/**
 * The outline: the mapping, its sections, and inside them the claims, profile fields and rules.
 */
import { type DocumentSymbol, SymbolKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeType, resolveType } from '../check/model.js';
import type * as A from '../syntax/ast.js';
import type { Analysis } from './analysis.js';
import { spanRange } from './convert.js';

function symbol(
  doc: TextDocument,
  name: string,
  kind: SymbolKind,
  span: A.Span,
  selection: A.Span,
  detail?: string,
  children?: DocumentSymbol[],
): DocumentSymbol {
  return {
    name: name || '(unnamed)',
    kind,
    range: spanRange(doc, span),
    selectionRange: spanRange(doc, selection.start >= span.start && selection.end <= span.end ? selection : span),
    ...(detail ? { detail } : {}),
    ...(children ? { children } : {}),
  };
}

function ruleName(r: A.RuleNode): string {
  const target = r.target ? (r.target.quoted ? JSON.stringify(r.target.value) : r.target.value) : '?';
  return r.effect === 'require' ? 'require' : `${r.effect} ${target}`;
}

function sectionSymbol(doc: TextDocument, text: string, s: A.SectionNode): DocumentSymbol {
  const head = { start: s.span.start, end: s.span.start + s.kind.length };
  const src = (span: A.Span) => text.slice(span.start, span.end).replace(/\s+/g, ' ');
  switch (s.kind) {
    case 'claims':
      return symbol(
        doc,
        'claims',
        SymbolKind.Namespace,
        s.span,
        head,
        undefined,
        s.claims.map((d) =>
          symbol(doc, d.name.name, SymbolKind.Field, d.span, d.name.span, describeType(resolveType(d.type))),
        ),
      );
    case 'profile':
      return symbol(
        doc,
        'profile',
        SymbolKind.Namespace,
        s.span,
        head,
        undefined,
        s.fields.map((f) =>
          symbol(
            doc,
            f.name.name,
            SymbolKind.Property,
            f.span,
            f.name.span,
            f.sync ? `sync ${f.sync.name}` : undefined,
          ),
        ),
      );
    case 'roles':
    case 'entitlements':
      return symbol(
        doc,
        s.kind,
        SymbolKind.Namespace,
        s.span,
        head,
        s.mode?.value,
        s.rules.map((r) =>
          symbol(
            doc,
            ruleName(r),
            SymbolKind.Event,
            r.span,
            r.target?.span ?? r.span,
            r.when ? `when ${src(r.when.span)}` : undefined,
          ),
        ),
      );
    case 'require':
      return symbol(doc, 'require', SymbolKind.Event, s.span, head, s.rule.when ? src(s.rule.when.span) : undefined);
    case 'idp':
      return symbol(doc, 'idp', SymbolKind.Module, s.span, head, `${s.protocol.name} ${s.issuer?.value ?? ''}`.trim());
    case 'key':
      return symbol(doc, 'key', SymbolKind.Key, s.span, head, src(s.span).replace(/^key\s*/, ''));
    default:
      return symbol(doc, s.kind, SymbolKind.Namespace, s.span, head);
  }
}

/**
 * The document's outline.
 *
 * @example
 * ```ts
 * connection.onDocumentSymbol((p) => documentSymbols(analyses.get(doc), doc));
 * ```
 */
export function documentSymbols(a: Analysis, doc: TextDocument): DocumentSymbol[] {
  const ast = a.parsed.value;
  if (!ast) return [];
  const head = ast.name?.span ?? { start: ast.span.start, end: ast.span.start + 'mapping'.length };
  return [
    symbol(
      doc,
      ast.name?.value ?? 'mapping',
      SymbolKind.Module,
      ast.span,
      head,
      ast.version?.value,
      ast.sections.map((s) => sectionSymbol(doc, a.text, s)),
    ),
  ];
}
