/**
 * text → tokens → AST (chevrotain, with embedded actions), with every problem reported as a diagnostic. Never throws on
 * user input.
 */
import type { IToken } from 'chevrotain';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { LineCounter } from '../diagnostics/line-counter.js';
import { DiagnosticSink } from '../diagnostics/make.js';
import type { MappingNode, Span } from './ast.js';
import { tokenSpan } from './ast-build.js';
import { getParser } from './parser.js';
import * as T from './tokens.js';
import { defined } from '../model/invariant.js';

/** Limits on untrusted mapping text. */
export interface ParseOptions {
  /** The file name used in diagnostics. Default `<input>`. */
  filename?: string;
  /** Largest accepted source, in UTF-16 code units. Default 8 MiB. */
  maxLength?: number;
  /** Deepest nesting of parentheses and `not` in conditions and expressions. Default 64. */
  maxNesting?: number;
}

export const DEFAULT_MAX_LENGTH = 8 * 1024 * 1024;
export const DEFAULT_MAX_NESTING = 64;

export interface ParseResult {
  /** The AST, or null when the input could not be parsed at all (too large, too deep). */
  value: MappingNode | null;
  diagnostics: Diagnostic[];
  lines: LineCounter;
  /** Every line and block comment, in source order (the formatter keeps them). */
  comments: Span[];
}

function describeChar(text: string, offset: number): string {
  const cp = text.codePointAt(offset) ?? 0;
  if (cp === 0) return 'NUL byte';
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return `control character ${hex}`;
  return `character '${String.fromCodePoint(cp)}' (${hex})`;
}

/**
 * Parses a `.claimmap` source.
 *
 * @example
 * ```ts
 * const { value, diagnostics } = parse('mapping "x" { idp oidc "https://id.example.com" key sub }', { filename: 'x.claimmap' });
 * ```
 */
export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const file = options.filename ?? '<input>';
  const lines = new LineCounter(text);
  const sink = new DiagnosticSink(file, lines);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (text.length > maxLength) {
    sink.error(
      'syntax/too-large',
      `the file is ${text.length} characters long, over the limit of ${maxLength}`,
      { start: 0, end: 0 },
      {
        hint: 'split the mapping, or raise the maxLength option',
      },
    );
    return { value: null, diagnostics: sink.diagnostics, lines, comments: [] };
  }

  const lexed = T.lex(text);
  const comments: Span[] = (lexed.groups.comments ?? []).map((c) => tokenSpan(c));
  for (const e of lexed.errors) {
    sink.error(
      'syntax/unexpected-character',
      `unexpected ${describeChar(text, e.offset)}`,
      { start: e.offset, end: e.offset + Math.max(1, e.length) },
      {
        hint: text.codePointAt(e.offset) === 0 ? 'the file contains binary data; is it a .claimmap file?' : undefined,
      },
    );
  }
  // One pass over the tokens, in place: unterminated strings parse on as strings (one mistake, one diagnostic), an
  // unterminated comment is dropped, and nesting is bounded before parsing, so recursion depth is bounded too.
  const tokens: IToken[] = lexed.tokens;
  const maxNesting = options.maxNesting ?? DEFAULT_MAX_NESTING;
  let openComment = false;
  let depth = 0;
  let nots = 0;
  let tooDeep: IToken | null = null;
  let kept = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = defined(tokens[i]);
    const type = t.tokenType;
    if (type === T.UnterminatedString) {
      sink.error('syntax/unterminated-string', 'this string is not closed before the end of the line', tokenSpan(t), {
        hint: 'add the closing " (strings cannot span lines; use \\n)',
      });
      t.tokenType = T.StringLiteral;
      t.tokenTypeIdx = defined(T.StringLiteral.tokenTypeIdx);
    } else if (type === T.UnterminatedComment) {
      openComment = true;
      sink.error(
        'syntax/unterminated-comment',
        'this comment is not closed',
        { start: t.startOffset, end: t.startOffset + 2 },
        {
          hint: 'close it with */',
        },
      );
      continue;
    }
    if (type === T.LParen) depth++;
    else if (type === T.RParen) depth = Math.max(0, depth - 1);
    nots = type === T.Not ? nots + 1 : 0;
    if (tooDeep === null && depth + nots > maxNesting) tooDeep = t;
    tokens[kept++] = t;
  }
  tokens.length = kept;
  if (tooDeep !== null) {
    sink.error(
      'syntax/too-deep',
      `parentheses and 'not' are nested more than ${maxNesting} levels deep`,
      tokenSpan(tooDeep),
      {
        hint: 'simplify the condition or expression, or raise the maxNesting option',
      },
    );
    return { value: null, diagnostics: sink.diagnostics, lines, comments };
  }

  const parser = getParser();
  parser.input = tokens;
  parser.problem = (code, message, span, hint) => sink.error(code, message, span, { hint });
  let value: MappingNode | null = null;
  try {
    const ast = parser.mapping();
    for (const e of parser.errors) {
      const t = e.token;
      const atEnd = t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset);
      if (atEnd && openComment) continue; // the unclosed comment swallowed the rest: already reported
      const last = tokens[tokens.length - 1];
      const endOfText = last ? last.startOffset + last.image.length : text.length;
      const start = atEnd ? endOfText : t.startOffset;
      const end = atEnd ? endOfText : start + t.image.length;
      const reserved = !atEnd && T.RESERVED_WORDS.has(t.image) && /a name/.test(e.message);
      sink.error(
        atEnd ? 'syntax/unexpected-end' : 'syntax/unexpected-token',
        e.message,
        { start, end },
        {
          hint: reserved
            ? `'${t.image}' is a reserved word; choose another name`
            : atEnd
              ? text.trim() === ''
                ? 'a mapping starts with: mapping "<name>" {'
                : 'the file ended early: is a closing } missing?'
              : undefined,
        },
      );
    }
    // Error recovery may have abandoned the whole mapping rule: there is then no AST.
    value = ast ?? null;
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    sink.error('syntax/too-deep', 'the mapping is nested too deeply to parse', { start: 0, end: 0 });
  } finally {
    parser.input = [];
    parser.problem = () => {};
  }
  return { value, diagnostics: sink.diagnostics, lines, comments };
}
