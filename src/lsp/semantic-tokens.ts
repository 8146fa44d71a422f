/**
 * Semantic tokens (full document): the lexer's tokens, classified by what the AST says each name is. A soft keyword
 * used as a name (`sub : string from "sub"`) is a claim, not a keyword; a role is coloured the same wherever it is
 * written, quoted or not. Block comments spanning lines are split into one token per line (clients need not support
 * multi-line tokens).
 */
import type { SemanticTokens, SemanticTokensLegend } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as A from '../syntax/ast.js';
import { lex } from '../syntax/tokens.js';
import type { Analysis } from './analysis.js';
import { occurrences } from './symbols.js';

export const TOKEN_TYPES = [
  'keyword',
  'string',
  'number',
  'regexp',
  'comment',
  'operator',
  'variable',
  'class',
  'property',
  'type',
  'function',
  'enumMember',
] as const;
export const TOKEN_MODIFIERS = ['declaration'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];

/** The legend the server announces in its capabilities. */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

const OPERATORS = new Set(['EqEq', 'NotEq', 'Coalesce', 'Equals', 'Plus']);

interface Classified {
  type: TokenType;
  declaration: boolean;
}

/** What the AST says about the names written at each offset. */
function namesByOffset(a: Analysis): Map<number, Classified> {
  const out = new Map<number, Classified>();
  const m = a.model;
  if (!m) return out;
  const put = (span: A.Span | undefined, type: TokenType, declaration = false) => {
    if (span) out.set(span.start, { type, declaration });
  };
  for (const o of occurrences(m)) put(o.span, o.kind === 'claim' ? 'variable' : 'class', o.declaration);
  const typeNames = (t: A.TypeNode | null): void => {
    if (t?.kind !== 'namedType') return;
    put(t.name.span, 'type');
    typeNames(t.argument);
  };
  for (const s of m.ast.sections) {
    if (s.kind === 'claims')
      for (const d of s.claims) {
        typeNames(d.type);
        for (const n of d.normalize) put(n.span, 'function');
        if (d.absent?.value) put(d.absent.value.span, 'enumMember');
      }
    else if (s.kind === 'idp') put(s.protocol.span, 'enumMember');
    else if (s.kind === 'key' && s.format) put(s.format.span, 'enumMember');
    else if (s.kind === 'profile')
      for (const f of s.fields) {
        put(f.name.span, 'property', true);
        if (f.sync) put(f.sync.span, 'enumMember');
        walkCalls(f.expr, (fn) => put(fn.span, 'function'));
      }
    else if (s.kind === 'accounts')
      for (const i of s.items) {
        if (i.kind === 'unique') for (const f of i.fields) put(f.span, 'property');
        else {
          put(i.event.span, 'enumMember');
          put(i.action?.span, 'enumMember');
        }
      }
    else if (s.kind === 'lifecycle')
      for (const i of s.items) {
        if (i.kind === 'offboarding') put(i.method.span, 'enumMember');
        else if (i.kind === 'reactivate') put(i.value?.span, 'enumMember');
        else put(i.duration?.span, 'number');
      }
  }
  return out;
}

function walkCalls(e: A.ExprNode | null, visit: (fn: A.NameNode) => void): void {
  if (!e || !('args' in e)) return;
  if (e.kind === 'call') visit(e.fn);
  for (const x of e.args) walkCalls(x, visit);
}

function lexicalType(tokenType: string): TokenType | null {
  if (tokenType.startsWith('Kw_')) return 'keyword';
  if (OPERATORS.has(tokenType)) return 'operator';
  switch (tokenType) {
    case 'StringLiteral':
    case 'UnterminatedString':
      return 'string';
    case 'IntegerLiteral':
    case 'Duration':
      return 'number';
    case 'RegexLiteral':
      return 'regexp';
    case 'LineComment':
    case 'BlockComment':
    case 'UnterminatedComment':
      return 'comment';
    default:
      return null;
  }
}

/**
 * The semantic tokens of a document, encoded as the protocol wants (relative line, relative start, length, type,
 * modifiers; UTF-16 units).
 *
 * @example
 * ```ts
 * connection.languages.semanticTokens.on((p) => semanticTokens(analyses.get(doc), doc));
 * ```
 */
export function semanticTokens(a: Analysis, doc: TextDocument): SemanticTokens {
  const names = namesByOffset(a);
  const lexed = lex(a.text);
  const all = [...lexed.tokens, ...(lexed.groups.comments ?? [])].sort((x, y) => x.startOffset - y.startOffset);
  const data: number[] = [];
  let prevLine = 0;
  let prevChar = 0;
  const emit = (start: number, end: number, type: TokenType, declaration: boolean) => {
    const p = doc.positionAt(start);
    data.push(
      p.line - prevLine,
      p.line === prevLine ? p.character - prevChar : p.character,
      end - start,
      TOKEN_TYPES.indexOf(type),
      declaration ? 1 : 0,
    );
    prevLine = p.line;
    prevChar = p.character;
  };
  for (const t of all) {
    const named = names.get(t.startOffset);
    const type = named?.type ?? lexicalType(t.tokenType.name);
    if (!type) continue;
    const start = t.startOffset;
    const end = start + t.image.length;
    if (type !== 'comment') {
      emit(start, end, type, named?.declaration ?? false);
      continue;
    }
    // One token per line of a block comment.
    let s = start;
    for (const piece of t.image.split(/(\r\n|\r|\n)/)) {
      if (/^(\r\n|\r|\n)$/.test(piece)) s += piece.length;
      else {
        if (piece.length) emit(s, s + piece.length, 'comment', false);
        s += piece.length;
      }
    }
  }
  return { data };
}
