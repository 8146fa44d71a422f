/**
 * A hand-written recursive-descent parser for claimmap's regex subset: the RE2 syntax that re2js and V8's `u`-mode
 * RegExp both accept with the same meaning, plus three RE2-only forms that are accepted but never run natively
 * (`\A`, `\z`, `(?P<name>...)`). It never throws on any input: problems are collected as {@link RegexIssue}s (all of
 * them, with recovery) and the tree is best-effort when there are issues.
 *
 * Accepted:
 * - literals (any code point but the metacharacters `\ ^ $ . | ? * + ( ) [ ] { }`), `.`, `^`, `$`
 * - escapes `\d \D \w \W \s \S \b \B \A \z \f \n \r \t \v \xHH` and `\` before `^ $ \ . * + ? ( ) [ ] { } | /`
 * - classes `[...]` and `[^...]` with ranges, the escapes above (plus `\-`), `-` literal only first or last
 * - groups `(...)`, `(?:...)`, `(?<name>...)`, `(?P<name>...)`; names match `[A-Za-z_][A-Za-z0-9_]*`, unique
 * - quantifiers `* + ? {n} {n,} {n,m}`, each optionally lazy (`?`); counts at most 1000, and the product of nested
 *   counted repeats at most 1000 (RE2's own limit)
 */
import type { Alternation, Assertion, CharClass, RegexNode, Sequence } from './ast.js';
import {
  type CodePointRange,
  type CodePointSet,
  DIGIT_SET,
  RE2_DOT_SET,
  RE2_SPACE_SET,
  WORD_SET,
  complementSet,
  normalizeSet,
} from './charset.js';
import type { RegexIssue, RegexIssueCode } from './issues.js';
import { defined, present } from '../model/invariant.js';

/** Limits of the parser (see `AnalyzeOptions` in analyze.ts for the documented defaults). */
export interface ParseLimits {
  maxNodes: number;
  maxDepth: number;
}

/** Which engine-sensitive constructs a pattern uses (the analyser decides native safety from these). */
export interface RegexFeatures {
  /** `.` (V8 also excludes `\r`, U+2028, U+2029). */
  dot: boolean;
  /** `\s` or `\S` (RE2: ASCII only; V8: Unicode white space). */
  perlSpace: boolean;
  /** `\w` or `\W` (differ under `i` in V8: U+017F, U+212A). */
  perlWord: boolean;
  /** `\b` or `\B` (same caveat as `\w`). */
  wordBoundary: boolean;
  /** `\A` or `\z` (RE2 only). */
  textAnchors: boolean;
  /** The offset of the `P` of every `(?P<name>` group opener (V8 writes `(?<name>`: see {@link v8Source}). */
  pythonNameAt: number[];
  /** A literal or class bound written as a non-ASCII code point. */
  nonAscii: boolean;
  /** The largest count written in a `{n,m}` quantifier, or 0. */
  maxCount: number;
}

/** The result of {@link parseRegex}. */
export interface ParsedRegex {
  root: Alternation;
  issues: RegexIssue[];
  groups: number;
  names: string[];
  features: RegexFeatures;
}

const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/');
const MAX_REPEAT = 1000;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

type ClassAtom = { kind: 'char'; cp: number; start: number; end: number } | { kind: 'set'; set: CodePointSet };

/** Diagnostics style: a lower-case start (unless an acronym or a proper noun), no final period, plain quotes. */
function houseStyle(text: string): string {
  const t = text.replace(/`/g, "'").replace(/\.$/, '');
  return /^(?:[A-Z0-9]{2,}\b|Unicode\b|V8\b)/.test(t) ? t : t.charAt(0).toLowerCase() + t.slice(1);
}

/**
 * A regex issue in the diagnostics' style: every issue, from the parser or the analyser, is made here.
 *
 * @example
 * ```ts
 * regexIssue('regex/empty', 0, 0, 'The empty pattern matches every value.') // message 'the empty pattern matches every value'
 * ```
 */
export function regexIssue(
  code: RegexIssueCode,
  offset: number,
  length: number,
  message: string,
  hint?: string,
): RegexIssue {
  return {
    code,
    message: houseStyle(message),
    offset,
    length: Math.max(0, length),
    ...(hint ? { hint: houseStyle(hint) } : {}),
  };
}

class Aborted {}

class Parser {
  pos = 0;
  readonly issues: RegexIssue[] = [];
  groups = 0;
  readonly names: string[] = [];
  nodes = 0;
  readonly features: RegexFeatures = {
    dot: false,
    perlSpace: false,
    perlWord: false,
    wordBoundary: false,
    textAnchors: false,
    pythonNameAt: [],
    nonAscii: false,
    maxCount: 0,
  };

  constructor(
    readonly src: string,
    readonly limits: ParseLimits,
  ) {}

  issue(code: RegexIssueCode, offset: number, length: number, message: string, hint?: string): void {
    hint ??=
      code === 'regex/backreference'
        ? 'match the parts separately with two conditions; RE2 has no backreferences'
        : undefined;
    this.issues.push(regexIssue(code, offset, length, message, hint));
  }

  count(): void {
    this.nodes++;
    if (this.nodes > this.limits.maxNodes) {
      this.issue(
        'regex/too-complex',
        this.pos,
        0,
        `The pattern has more than ${this.limits.maxNodes} nodes.`,
        'Split the condition into several simpler regexes.',
      );
      throw new Aborted();
    }
  }

  peek(offset = 0): string | undefined {
    return this.src[this.pos + offset];
  }

  /** The code point at `pos` and its width in code units (1 or 2). */
  codePoint(): { cp: number; width: number } {
    const cp = defined(this.src.codePointAt(this.pos));
    return { cp, width: cp > 0xffff ? 2 : 1 };
  }

  parseAlternation(depth: number): Alternation {
    if (depth > this.limits.maxDepth) {
      this.issue(
        'regex/too-complex',
        this.pos - 1,
        1,
        `Groups are nested more than ${this.limits.maxDepth} deep.`,
        'Flatten the pattern.',
      );
      throw new Aborted();
    }
    const start = this.pos;
    const alternatives: Sequence[] = [this.parseSequence(depth)];
    while (this.peek() === '|') {
      this.pos++;
      alternatives.push(this.parseSequence(depth));
    }
    this.count();
    return { type: 'alternation', alternatives, start, end: this.pos };
  }

  parseSequence(depth: number): Sequence {
    const start = this.pos;
    const items: RegexNode[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      const atomStart = this.pos;
      const atom = this.parseAtom(depth);
      // After a refused atom, swallow its quantifiers so that `\1+` reports one issue, not two.
      if (atom === null)
        this.parseQuantifiers({ type: 'literal', codePoint: 0, start: atomStart, end: this.pos }, atomStart);
      else items.push(this.parseQuantifiers(atom, atomStart));
    }
    this.count();
    return { type: 'sequence', items, start, end: this.pos };
  }

  parseAtom(depth: number): RegexNode | null {
    const start = this.pos;
    const c = defined(this.peek());
    switch (c) {
      case '(':
        return this.parseGroup(depth);
      case '[':
        return this.parseClass();
      case '.':
        this.pos++;
        this.features.dot = true;
        return this.classNode(RE2_DOT_SET, start);
      case '^':
        this.pos++;
        return this.assertion('line-start', start);
      case '$':
        this.pos++;
        return this.assertion('line-end', start);
      case '\\':
        return this.parseEscape();
      case '*':
      case '+':
      case '?':
        this.pos++;
        this.issue('regex/syntax', start, 1, `'${c}' has nothing to repeat.`, `Write \\${c} for a literal '${c}'.`);
        return null;
      case '{':
      case '}':
      case ']':
        this.pos++;
        this.issue('regex/syntax', start, 1, `Unescaped '${c}'.`, `Write \\${c} for a literal '${c}'.`);
        return null;
      default: {
        const { cp, width } = this.codePoint();
        this.pos += width;
        if (cp >= 0xd800 && cp <= 0xdfff) {
          this.issue('regex/syntax', start, width, 'Lone surrogate in the pattern.');
          return null;
        }
        if (cp >= 0x80) this.features.nonAscii = true;
        this.count();
        return { type: 'literal', codePoint: cp, start, end: this.pos };
      }
    }
  }

  classNode(set: CodePointSet, start: number): CharClass {
    this.count();
    return { type: 'class', set, start, end: this.pos };
  }

  assertion(kind: Assertion['kind'], start: number): Assertion {
    this.count();
    return { type: 'assertion', kind, start, end: this.pos };
  }

  /** Reads `{n}`, `{n,}` or `{n,m}` at `pos` without consuming; null if the text there is not of that form. */
  readBraces(): { min: number; max: number; length: number } | null {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 32));
    if (!m) return null;
    const min = defined(m[1]).length > 5 ? Infinity : Number(m[1]);
    const max =
      m[2] === undefined
        ? min
        : m[3] === ''
          ? Infinity
          : defined(m[3]).length > 5
            ? Number.MAX_SAFE_INTEGER
            : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  parseQuantifiers(atom: RegexNode, atomStart: number): RegexNode {
    let node = atom;
    let quantified = false;
    for (;;) {
      const c = this.peek();
      if (c !== '*' && c !== '+' && c !== '?' && c !== '{') return node;
      const qStart = this.pos;
      let min: number;
      let max: number;
      let braces = false;
      if (c === '{') {
        const b = this.readBraces();
        if (!b) {
          this.pos++;
          this.issue(
            'regex/syntax',
            qStart,
            1,
            "Malformed '{' quantifier.",
            "Write {n}, {n,} or {n,m}, or \\{ for a literal '{'.",
          );
          continue;
        }
        this.pos += b.length;
        ({ min, max } = b);
        braces = true;
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) {
          this.issue('regex/too-complex', qStart, b.length, `Repeat counts are limited to ${MAX_REPEAT}.`);
          min = Math.min(min, MAX_REPEAT);
          max = Math.min(max, MAX_REPEAT);
        } else if (min > max) {
          this.issue('regex/syntax', qStart, b.length, 'The minimum repeat count is larger than the maximum.');
          max = min;
        }
        this.features.maxCount = Math.max(this.features.maxCount, min, max === Infinity ? 0 : max);
      } else {
        this.pos++;
        min = c === '+' ? 1 : 0;
        max = c === '?' ? 1 : Infinity;
      }
      let lazy = false;
      if (this.peek() === '?') {
        lazy = true;
        this.pos++;
      }
      const qEnd = this.pos;
      if (quantified) {
        this.issue(
          'regex/syntax',
          qStart,
          qEnd - qStart,
          'Nested repetition operator.',
          'Wrap the repeated part in (?:...) first.',
        );
        continue;
      }
      if (this.peek() === '+') {
        this.pos++;
        this.issue(
          'regex/unsupported',
          qStart,
          this.pos - qStart,
          'Possessive quantifiers are not supported.',
          'Drop the trailing +.',
        );
      }
      quantified = true;
      if (node.type === 'assertion') {
        this.issue('regex/syntax', qStart, qEnd - qStart, 'An assertion cannot be repeated.');
        continue;
      }
      this.count();
      node = { type: 'repeat', min, max, lazy, counted: braces, body: node, start: atomStart, end: qEnd };
    }
  }

  parseGroup(depth: number): RegexNode | null {
    const start = this.pos;
    this.pos++; // (
    let index: number | null = null;
    let name: string | null = null;
    if (this.peek() === '?') {
      const rest = this.src.slice(this.pos + 1, this.pos + 4);
      if (rest.startsWith(':')) {
        this.pos += 2;
      } else if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        const len = rest.startsWith('<') ? 3 : 2;
        this.issue(
          'regex/lookaround',
          start,
          len + 1,
          'Lookahead and lookbehind are not supported.',
          'Use a second condition with `not` instead.',
        );
        this.pos += len;
      } else if (rest.startsWith('<') || rest.startsWith('P<')) {
        const python = rest.startsWith('P');
        this.pos += python ? 3 : 2;
        if (python) this.features.pythonNameAt.push(start + 2);
        const close = this.src.indexOf('>', this.pos);
        const raw = close < 0 ? this.src.slice(this.pos) : this.src.slice(this.pos, close);
        if (close < 0 || !NAME_RE.test(raw)) {
          this.issue(
            'regex/syntax',
            start,
            (close < 0 ? this.src.length : close + 1) - start,
            'Invalid group name.',
            'Names match [A-Za-z_][A-Za-z0-9_]*.',
          );
          if (close < 0) {
            this.pos = this.src.length;
            return null;
          }
        } else if (this.names.includes(raw)) {
          this.issue('regex/syntax', start, close + 1 - start, `Duplicate group name '${raw}'.`);
        } else {
          name = raw;
        }
        this.pos = close + 1;
        index = ++this.groups;
        if (name !== null) this.names.push(name);
      } else if (rest.startsWith('P=') || rest.startsWith('P>')) {
        const backref = rest.startsWith('P=');
        const close = this.src.indexOf(')', this.pos);
        const end = close < 0 ? this.src.length : close + 1;
        if (backref) this.issue('regex/backreference', start, end - start, 'Backreferences are not supported.');
        else this.issue('regex/unsupported', start, end - start, 'Recursive patterns are not supported.');
        this.pos = end;
        return null;
      } else if (rest.startsWith('>') || rest.startsWith('|')) {
        this.issue(
          'regex/unsupported',
          start,
          3,
          rest.startsWith('>') ? 'Atomic groups are not supported.' : 'Branch-reset groups are not supported.',
        );
        this.pos += 2;
      } else if (rest.startsWith('#')) {
        const close = this.src.indexOf(')', this.pos);
        const end = close < 0 ? this.src.length : close + 1;
        this.issue('regex/unsupported', start, end - start, 'Comment groups are not supported.');
        this.pos = end;
        return null;
      } else if (/^[-A-Za-z]/.test(rest)) {
        const m = present(/^\?[-A-Za-z]*/.exec(this.src.slice(this.pos)));
        this.pos += m[0].length;
        this.issue(
          'regex/unsupported',
          start,
          m[0].length + 2,
          'Inline flags are not supported.',
          'Use the /i flag after the closing slash.',
        );
        if (this.peek() === ')') {
          this.pos++;
          return null;
        }
        if (this.peek() === ':') this.pos++;
      } else {
        this.issue('regex/syntax', start, 2, "Unknown group syntax '(?'.");
        this.pos++;
      }
    } else {
      index = ++this.groups;
    }
    const body = this.parseAlternation(depth + 1);
    if (this.peek() === ')') {
      this.pos++;
    } else {
      this.issue('regex/syntax', start, 1, 'Unclosed group.', "Add the missing ')'.");
    }
    this.count();
    return { type: 'group', index, name, body, start, end: this.pos };
  }

  /** `\` outside a class. */
  parseEscape(): RegexNode | null {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c === undefined) {
      this.issue('regex/syntax', start, 1, 'Trailing backslash.');
      return null;
    }
    this.pos++;
    switch (c) {
      case 'b':
        this.features.wordBoundary = true;
        return this.assertion('word-boundary', start);
      case 'B':
        this.features.wordBoundary = true;
        return this.assertion('not-word-boundary', start);
      case 'A':
        this.features.textAnchors = true;
        return this.assertion('text-start', start);
      case 'z':
        this.features.textAnchors = true;
        return this.assertion('text-end', start);
      case 'k':
        if (this.peek() === '<') {
          const close = this.src.indexOf('>', this.pos);
          this.pos = close < 0 ? this.src.length : close + 1;
          this.issue('regex/backreference', start, this.pos - start, 'Backreferences are not supported.');
          return null;
        }
        break;
      default:
        if (c >= '1' && c <= '9') {
          while (/[0-9]/.test(this.peek() ?? '')) this.pos++;
          this.issue('regex/backreference', start, this.pos - start, 'Backreferences are not supported.');
          return null;
        }
    }
    this.pos = start;
    const atom = this.parseCommonEscape(false);
    if (atom === null) return null;
    if (atom.kind === 'set') return this.classNode(atom.set, start);
    this.count();
    return { type: 'literal', codePoint: atom.cp, start, end: this.pos };
  }

  /** An escape valid both outside and inside classes; `pos` is at the backslash. */
  parseCommonEscape(inClass: boolean): ClassAtom | null {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c === undefined) {
      this.issue('regex/syntax', start, 1, 'Trailing backslash.');
      return null;
    }
    this.pos++;
    const char = (cp: number): ClassAtom => ({ kind: 'char', cp, start, end: this.pos });
    switch (c) {
      case 'd':
        return { kind: 'set', set: DIGIT_SET };
      case 'D':
        return { kind: 'set', set: complementSet(DIGIT_SET) };
      case 'w':
        this.features.perlWord = true;
        return { kind: 'set', set: WORD_SET };
      case 'W':
        this.features.perlWord = true;
        return { kind: 'set', set: complementSet(WORD_SET) };
      case 's':
        this.features.perlSpace = true;
        return { kind: 'set', set: RE2_SPACE_SET };
      case 'S':
        this.features.perlSpace = true;
        return { kind: 'set', set: complementSet(RE2_SPACE_SET) };
      case 'f':
        return char(0x0c);
      case 'n':
        return char(0x0a);
      case 'r':
        return char(0x0d);
      case 't':
        return char(0x09);
      case 'v':
        return char(0x0b);
      case 'x': {
        const hex = this.src.slice(this.pos, this.pos + 2);
        if (this.peek() === '{') {
          const close = this.src.indexOf('}', this.pos);
          this.pos = close < 0 ? this.src.length : close + 1;
          this.issue(
            'regex/unsupported',
            start,
            this.pos - start,
            '\\x{...} is RE2-only.',
            'Write the character itself, or \\xHH below 0x100.',
          );
          return null;
        }
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
          this.issue('regex/syntax', start, 2, 'Invalid \\x escape.', 'Write exactly two hex digits: \\x41.');
          return null;
        }
        this.pos += 2;
        const cp = parseInt(hex, 16);
        if (cp >= 0x80) this.features.nonAscii = true;
        return char(cp);
      }
      case '0':
        while (/[0-7]/.test(this.peek() ?? '') && this.pos - start < 4) this.pos++;
        this.issue(
          'regex/unsupported',
          start,
          this.pos - start,
          'Octal escapes are not supported.',
          'Write \\xHH instead.',
        );
        return null;
      case 'p':
      case 'P':
        if (this.peek() === '{') {
          const close = this.src.indexOf('}', this.pos);
          this.pos = close < 0 ? this.src.length : close + 1;
        } else if (this.peek() !== undefined) {
          this.pos++;
        }
        this.issue(
          'regex/unsupported',
          start,
          this.pos - start,
          'Unicode property classes are not supported.',
          'RE2 and V8 differ in property names and Unicode versions; list the characters in a class instead.',
        );
        return null;
      case 'Q': {
        const close = this.src.indexOf('\\E', this.pos);
        this.pos = close < 0 ? this.src.length : close + 2;
        this.issue(
          'regex/unsupported',
          start,
          this.pos - start,
          '\\Q...\\E quoting is not supported.',
          'Escape each metacharacter with a backslash.',
        );
        return null;
      }
      case '-':
        if (inClass) return char(0x2d);
        break;
      default:
        if (SYNTAX_CHARS.has(c)) return char(defined(c.codePointAt(0)));
    }
    if (inClass && c === 'b') {
      this.issue('regex/unsupported', start, 2, '\\b inside a class means backspace in V8 and is invalid in RE2.');
      return null;
    }
    if (inClass && c >= '1' && c <= '9') {
      this.issue('regex/unsupported', start, 2, 'Octal escapes are not supported.', 'Write \\xHH instead.');
      return null;
    }
    if ('aCEZucegGhHKNRVX'.includes(c)) {
      this.issue('regex/unsupported', start, 2, `\\${c} is not supported by both RE2 and V8.`);
      return null;
    }
    const cp = defined(c.codePointAt(0));
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) {
      this.issue(
        'regex/unsupported',
        start,
        2,
        `Unnecessary escape '\\${c}' (V8 rejects it in Unicode mode).`,
        `Write '${c}' without the backslash.`,
      );
      return null;
    }
    if (cp > 0xffff) this.pos++;
    this.issue('regex/syntax', start, this.pos - start, `Unknown escape '\\${String.fromCodePoint(cp)}'.`);
    return null;
  }

  parseClassAtom(): ClassAtom | null {
    const c = defined(this.peek());
    const start = this.pos;
    if (c === '\\') return this.parseCommonEscape(true);
    if (c === '[' && this.peek(1) === ':') {
      const close = this.src.indexOf(':]', this.pos + 2);
      this.pos = close < 0 ? this.pos + 2 : close + 2;
      this.issue(
        'regex/unsupported',
        start,
        this.pos - start,
        'POSIX classes like [:alpha:] are not supported.',
        'Write the range, e.g. [a-zA-Z].',
      );
      return null;
    }
    const { cp, width } = this.codePoint();
    this.pos += width;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      this.issue('regex/syntax', start, width, 'Lone surrogate in the pattern.');
      return null;
    }
    if (cp >= 0x80) this.features.nonAscii = true;
    return { kind: 'char', cp, start, end: this.pos };
  }

  parseClass(): RegexNode | null {
    const start = this.pos;
    this.pos++; // [
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const bodyStart = this.pos;
    const ranges: CodePointRange[] = [];
    let closed = false;
    while (this.pos < this.src.length) {
      const c = defined(this.peek());
      if (c === ']') {
        if (this.pos === bodyStart) {
          this.issue('regex/syntax', this.pos, 1, "']' at the start of a class.", "Write \\] for a literal ']'.");
          this.pos++;
          continue;
        }
        this.pos++;
        closed = true;
        break;
      }
      const atomStart = this.pos;
      if (c === '-' && this.pos !== bodyStart && this.peek(1) !== ']') {
        this.pos++;
        this.issue('regex/syntax', atomStart, 1, "Ambiguous '-' in a class.", "Write \\- or put '-' first or last.");
        continue;
      }
      const lo = this.parseClassAtom();
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== undefined) {
        this.pos++;
        const hi = this.parseClassAtom();
        if (lo === null || hi === null) continue;
        if (lo.kind === 'set' || hi.kind === 'set') {
          this.issue(
            'regex/syntax',
            atomStart,
            this.pos - atomStart,
            'A class escape cannot bound a range.',
            "Write \\- for a literal '-'.",
          );
          continue;
        }
        if (lo.cp > hi.cp) {
          this.issue('regex/syntax', atomStart, this.pos - atomStart, 'Range out of order.');
          continue;
        }
        ranges.push([lo.cp, hi.cp]);
        continue;
      }
      if (lo === null) continue;
      if (lo.kind === 'set') ranges.push(...lo.set);
      else ranges.push([lo.cp, lo.cp]);
    }
    if (!closed) {
      this.issue(
        'regex/syntax',
        start,
        this.src.length - start,
        'Unterminated character class.',
        "Add the missing ']'.",
      );
    }
    const set = normalizeSet(ranges);
    return this.classNode(negated ? complementSet(set) : set, start);
  }
}

/**
 * Parses a pattern of claimmap's regex subset. Never throws; see the module comment for the accepted syntax.
 *
 * @example
 * ```ts
 * const { root, issues, groups } = parseRegex('^gh-([a-z]+)$', { maxNodes: 1000, maxDepth: 100 });
 * // issues: [], groups: 1
 * ```
 */
export function parseRegex(source: string, limits: ParseLimits): ParsedRegex {
  const p = new Parser(source, limits);
  const alternatives: Sequence[] = [];
  try {
    for (;;) {
      alternatives.push(...p.parseAlternation(0).alternatives);
      if (p.pos >= source.length) break;
      // Only ')' stops a top-level alternation before the end.
      p.issue('regex/syntax', p.pos, 1, "Unmatched ')'.", "Remove it or write \\) for a literal ')'.");
      p.pos++;
    }
    checkRepeatProduct(p, { type: 'alternation', alternatives, start: 0, end: source.length }, 1);
  } catch (e) {
    if (!(e instanceof Aborted)) throw e;
  }
  return {
    root: { type: 'alternation', alternatives, start: 0, end: source.length },
    issues: p.issues,
    groups: p.groups,
    names: p.names,
    features: p.features,
  };
}

/** RE2 refuses nested counted repeats whose counts multiply past 1000 (`(a{100}){100}`); so do we. */
function checkRepeatProduct(p: Parser, node: RegexNode, factor: number): void {
  switch (node.type) {
    case 'alternation':
      for (const s of node.alternatives) checkRepeatProduct(p, s, factor);
      return;
    case 'sequence':
      for (const i of node.items) checkRepeatProduct(p, i, factor);
      return;
    case 'group':
      checkRepeatProduct(p, node.body, factor);
      return;
    case 'repeat': {
      let f = factor;
      if (node.counted) {
        const m = node.max === Infinity ? node.min : node.max;
        if (m > 0) f *= m;
        if (f > MAX_REPEAT) {
          p.issue(
            'regex/too-complex',
            node.start,
            node.end - node.start,
            `Nested repeat counts multiply past ${MAX_REPEAT}.`,
          );
          return;
        }
      }
      checkRepeatProduct(p, node.body, f);
      return;
    }
    default:
      return;
  }
}
