/**
 * Tokens → AST leaves, for the parser's embedded actions (parser.ts): names, strings with their escapes decoded,
 * regexes, numbers, durations, and spans. A token that chevrotain's error recovery inserted (it is not in the text)
 * counts as missing: the parse error is already reported, and the node built from it is `null`, never an exception.
 */
import type { IToken } from 'chevrotain';
import type { DiagnosticCode } from '../diagnostics/diagnostic.js';
import type * as A from './ast.js';
import { defined, present } from '../model/invariant.js';

/** Reports a problem found while building the AST (string escapes, bad numbers). */
export type AstProblem = (code: DiagnosticCode, message: string, span: A.Span, hint?: string) => void;

/** The token, or null when it is absent or was inserted by error recovery. */
export function real(t: IToken | undefined | null): IToken | null {
  return t && !t.isInsertedInRecovery && !Number.isNaN(t.startOffset) ? t : null;
}

export function tokenSpan(t: IToken): A.Span {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}

export function nameNode(t: IToken | undefined | null): A.NameNode | null {
  const r = real(t);
  return r ? { name: r.image, span: tokenSpan(r) } : null;
}

/** True when a string token ends with a closing quote: one preceded by an even number of backslashes. */
function isClosedString(image: string): boolean {
  if (image.length < 2 || !image.endsWith('"')) return false;
  let slashes = 0;
  for (let i = image.length - 2; i > 0 && image.charCodeAt(i) === 0x5c; i--) slashes++;
  return slashes % 2 === 0;
}

/** The one-character escapes of a string literal and what they stand for. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', n: '\n', r: '\r', t: '\t' };

/** Decodes a string literal's escapes: \" \\ \/ \n \r \t \uXXXX. */
export function stringNode(token: IToken | undefined | null, problem: AstProblem): A.StringNode | null {
  const t = real(token);
  if (!t) return null;
  // An unterminated string (already reported) has no closing quote.
  const raw = isClosedString(t.image) ? t.image : `${t.image}"`;
  // Most strings have no escape: one slice, no character loop.
  if (!raw.includes('\\')) return { kind: 'string', value: raw.slice(1, -1), span: tokenSpan(t) };
  let out = '';
  for (let i = 1; i < raw.length - 1; i++) {
    const ch = defined(raw[i]);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = raw[i + 1] ?? '';
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (e === 'u' && /^[0-9A-Fa-f]{4}$/.test(raw.slice(i + 2, i + 6))) {
      out += String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16));
      i += 5;
    } else {
      const start = t.startOffset + i;
      problem(
        'syntax/invalid-escape',
        `invalid escape sequence '\\${e}' in a string`,
        { start, end: start + 2 },
        'use \\" \\\\ \\/ \\n \\r \\t or \\uXXXX',
      );
      out += e;
      i++;
    }
  }
  return { kind: 'string', value: out, span: tokenSpan(t) };
}

export function regexNode(token: IToken | undefined | null): A.RegexNode | null {
  const t = real(token);
  if (!t) return null;
  const last = t.image.lastIndexOf('/');
  return { kind: 'regex', source: t.image.slice(1, last), flags: t.image.slice(last + 1), span: tokenSpan(t) };
}

/** A literal from its token: string, integer (refused past 2^53 - 1) or true / false. */
export function literalNode(token: IToken | undefined | null, problem: AstProblem): A.LiteralNode | null {
  const t = real(token);
  if (!t) return null;
  switch (t.tokenType.name) {
    case 'StringLiteral':
      return stringNode(t, problem);
    case 'IntegerLiteral': {
      const value = Number(t.image);
      if (!Number.isSafeInteger(value)) {
        problem(
          'syntax/number-out-of-range',
          `the number ${t.image} is too large`,
          tokenSpan(t),
          `numbers must be at most ${Number.MAX_SAFE_INTEGER}`,
        );
      }
      return { kind: 'int', value, raw: t.image, span: tokenSpan(t) };
    }
    default:
      return { kind: 'bool', value: t.image === 'true', span: tokenSpan(t) };
  }
}

export function roleNameNode(token: IToken | undefined | null, problem: AstProblem): A.RoleNameNode | null {
  const t = real(token);
  if (!t) return null;
  if (t.tokenType.name === 'StringLiteral') {
    const s = present(stringNode(t, problem));
    return { value: s.value, quoted: true, span: s.span };
  }
  return { value: t.image, quoted: false, span: tokenSpan(t) };
}

export function durationNode(
  token: IToken | undefined | null,
): { raw: string; amount: number; unit: string; span: A.Span } | null {
  const t = real(token);
  const m = t ? /^([0-9]+)([A-Za-z]+)$/.exec(t.image) : null;
  return t && m ? { raw: t.image, amount: Number(m[1]), unit: defined(m[2]), span: tokenSpan(t) } : null;
}
