/**
 * The syntax tree of a regex in claimmap's RE2 subset, as built by `parseRegex` (src/regex/parse.ts). Offsets are
 * UTF-16 code-unit indexes into the pattern source, `[start, end)`.
 */
import type { CodePointSet } from './charset.js';

interface Span {
  start: number;
  end: number;
}

/** `a|b|c`: always the root and the body of every group; a single alternative is still an `Alternation`. */
export interface Alternation extends Span {
  type: 'alternation';
  alternatives: Sequence[];
}

/** Pieces matched one after the other. */
export interface Sequence extends Span {
  type: 'sequence';
  items: RegexNode[];
}

/** One literal code point (plain, or written as an escape such as `\.` or `\x41`). */
export interface Literal extends Span {
  type: 'literal';
  codePoint: number;
}

/** A character class: `[...]`, `[^...]`, `.`, `\d`, `\w`, `\s` and their negations; `set` is already resolved. */
export interface CharClass extends Span {
  type: 'class';
  set: CodePointSet;
}

/** `^`, `$`, `\A`, `\z`, `\b`, `\B`. */
export interface Assertion extends Span {
  type: 'assertion';
  kind: 'line-start' | 'line-end' | 'text-start' | 'text-end' | 'word-boundary' | 'not-word-boundary';
}

/** `(...)`, `(?:...)`, `(?<name>...)`, `(?P<name>...)`. */
export interface Group extends Span {
  type: 'group';
  /** 1-based capture index, or null for `(?:...)`. */
  index: number | null;
  name: string | null;
  body: Alternation;
}

/** `x*`, `x+`, `x?`, `x{n}`, `x{n,}`, `x{n,m}`, each optionally lazy (`?` suffix). `max` is Infinity if unbounded. */
export interface Repeat extends Span {
  type: 'repeat';
  min: number;
  max: number;
  lazy: boolean;
  /** Written with braces (`{n,m}`): RE2 limits the product of nested counted repeats. */
  counted: boolean;
  body: RegexNode;
}

export type RegexNode = Alternation | Sequence | Literal | CharClass | Assertion | Group | Repeat;
