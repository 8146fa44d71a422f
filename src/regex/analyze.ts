/**
 * Static analysis of a mapping regex: is it in claimmap's RE2 subset (see parse.ts), what does it capture, is it
 * anchored, and can it run on V8's RegExp ("native") with linear-time behaviour and exactly RE2's semantics?
 *
 * ## When is a pattern `nativeSafe`?
 * Conservatively, only when every rule below holds; otherwise the re2js engine (linear time) is used.
 * 1. No issue at all.
 * 2. No construct whose meaning differs between RE2 and V8 `u` mode: `.` (V8 also stops at `\r`, U+2028, U+2029),
 *    `\s`/`\S` (RE2: ASCII only), and the RE2-only `\A`, `\z`. (RE2's `(?P<name>...)` means `(?<name>...)`: V8 is
 *    given the pattern with that spelling, see {@link v8Source}.) Under the `i` flag also no
 *    `\w \W \b \B` (V8 folds U+017F and U+212A into them) and no non-ASCII literal or class bound (case folding
 *    tables may differ across Unicode versions).
 * 3. Counted repeats at most {@link REGEX_LIMITS}.maxNativeCount (100).
 * 4. No repeat of something that can match the empty string (`(a*)?`: V8 and RE2 disagree on the captures), and
 *    star height at most 1: the body of a repeat with a maximum above 1 holds no quantifier and no alternation
 *    (`(a+)+`, `(a|aa)*`, `(\w+\s?)*` are refused).
 * 5. A pattern not anchored at the start (`^`) has no unbounded repeat (V8 retries at every offset: quadratic).
 * 6. In every sequence, each variable-width piece (a repeat with min < max, or a group with alternatives) is
 *    followed by something that cannot start with a character the piece can consume: the set of characters that
 *    may come right after it (first characters of the following pieces, up to the first one that cannot be empty)
 *    is disjoint from the piece's own characters. Then where the piece stops is decided by the input alone, so
 *    backtracking over it fails in constant time per position (`^[a-z]+-[a-z]+$` is safe, `^a+a+$` is not).
 */
import type { Alternation, RegexNode, Sequence } from './ast.js';
import {
  type CodePointRange,
  type CodePointSet,
  foldAsciiSet,
  normalizeSet,
  setsOverlap,
  unionSet,
} from './charset.js';
import type { RegexIssue } from './issues.js';
import { parseRegex, regexIssue } from './parse.js';
import { defined } from '../model/invariant.js';

/** Limits on analysed patterns (untrusted: a plan or a mapping). Exceeding one yields `regex/too-complex`. */
export interface AnalyzeOptions {
  /** Longest accepted pattern, in UTF-16 code units. Default 1000. */
  maxLength?: number;
  /** Most syntax nodes (literals, classes, groups, repeats, sequences, ...). Default 1000. */
  maxNodes?: number;
  /** Deepest group nesting. Default 50. */
  maxDepth?: number;
}

/** Default limits of {@link analyzeRegex}; `maxNativeCount` is the largest `{n,m}` count a native pattern may use. */
export const REGEX_LIMITS = Object.freeze({ maxLength: 1000, maxNodes: 1000, maxDepth: 50, maxNativeCount: 100 });

/** The result of {@link analyzeRegex}. */
export interface RegexAnalysis {
  /** No issues (every issue is an error). */
  ok: boolean;
  /** All issues found, in source order. */
  issues: RegexIssue[];
  /** Number of capture groups. */
  groups: number;
  /** Named groups in order (`(?<name>...)` and RE2's `(?P<name>...)`). */
  names: string[];
  /** Every top-level alternative starts with `^` or `\A`. */
  anchoredStart: boolean;
  /** Every top-level alternative ends with `$` or `\z`. */
  anchoredEnd: boolean;
  /** Provably linear on V8 and with the same semantics as RE2 (see the module comment); false when in doubt. */
  nativeSafe: boolean;
  /**
   * Uppercase literal characters every match must contain (plain or escaped literals outside classes, not under
   * `?`, `*`, `{0,n}` or an alternation). Empty under the `i` flag. A claim normalised with `lower` never matches
   * a pattern with one of these.
   */
  requiredUppercase: { offset: number; char: string }[];
  /** The fixed string when the pattern is exactly `^literal$` (or `\A...\z`) without the `i` flag, else null. */
  exactLiteral: string | null;
}

/**
 * Parses and analyses a regex of claimmap's RE2 subset. Never throws on any `source`; throws TypeError when
 * `flags` is not `''` or `'i'` (a caller mistake: the lexer and the plan schema allow nothing else).
 *
 * @example
 * ```ts
 * const a = analyzeRegex('^gh-([a-z0-9-]+)$', '');
 * // a.ok === true, a.groups === 1, a.anchoredStart === true, a.nativeSafe === true
 * analyzeRegex('(a+)+$', '').nativeSafe; // false
 * analyzeRegex('(?=x)', '').issues[0].code; // 'regex/lookaround'
 * ```
 */
export function analyzeRegex(source: string, flags: string, options: AnalyzeOptions = {}): RegexAnalysis {
  if (typeof source !== 'string') throw new TypeError('analyzeRegex: source must be a string');
  if (flags !== '' && flags !== 'i')
    throw new TypeError(`analyzeRegex: flags must be '' or 'i', got ${JSON.stringify(flags)}`);
  const maxLength = options.maxLength ?? REGEX_LIMITS.maxLength;
  const failed = (issue: RegexIssue): RegexAnalysis => ({
    ok: false,
    issues: [issue],
    groups: 0,
    names: [],
    anchoredStart: false,
    anchoredEnd: false,
    nativeSafe: false,
    requiredUppercase: [],
    exactLiteral: null,
  });
  if (source.length === 0) {
    return failed(
      regexIssue(
        'regex/empty',
        0,
        0,
        'The empty pattern matches every value.',
        'Use ^$ to match only the empty string.',
      ),
    );
  }
  if (source.length > maxLength) {
    return failed(
      regexIssue(
        'regex/too-complex',
        maxLength,
        source.length - maxLength,
        `The pattern is longer than ${maxLength} characters.`,
      ),
    );
  }
  const parsed = parseRegex(source, {
    maxNodes: options.maxNodes ?? REGEX_LIMITS.maxNodes,
    maxDepth: options.maxDepth ?? REGEX_LIMITS.maxDepth,
  });
  const issues = [...parsed.issues].sort((a, b) => a.offset - b.offset);
  const ok = issues.length === 0;
  const root = parsed.root;
  const fold = flags === 'i';
  const anchoredStart = ok && root.alternatives.every((s) => sequenceAnchored(s, 'start'));
  const anchoredEnd = ok && root.alternatives.every((s) => sequenceAnchored(s, 'end'));
  const f = parsed.features;
  const nativeSafe =
    ok &&
    !f.dot &&
    !f.perlSpace &&
    !f.textAnchors &&
    !(fold && (f.perlWord || f.wordBoundary || f.nonAscii)) &&
    f.maxCount <= REGEX_LIMITS.maxNativeCount &&
    repeatsSafe(root, anchoredStart) &&
    sequencesUnambiguous(root, fold);
  return {
    ok,
    issues,
    groups: parsed.groups,
    names: parsed.names,
    anchoredStart,
    anchoredEnd,
    nativeSafe,
    requiredUppercase: ok && !fold ? requiredUppercase(root) : [],
    exactLiteral: ok && !fold ? exactLiteral(root) : null,
  };
}

/** Whether `pred` holds for the node or any node under it (depth first, no arrays built on the way). */
function some(node: RegexNode, pred: (n: RegexNode) => boolean): boolean {
  if (pred(node)) return true;
  switch (node.type) {
    case 'alternation':
      for (const s of node.alternatives) if (some(s, pred)) return true;
      return false;
    case 'sequence':
      for (const n of node.items) if (some(n, pred)) return true;
      return false;
    case 'group':
    case 'repeat':
      return some(node.body, pred);
    default:
      return false;
  }
}

/** Whether the node can match the empty string. */
function nullable(node: RegexNode): boolean {
  switch (node.type) {
    case 'literal':
    case 'class':
      return false;
    case 'assertion':
      return true;
    case 'group':
      return nullable(node.body);
    case 'alternation':
      return node.alternatives.some(nullable);
    case 'sequence':
      return node.items.every(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

/** Every character the node can consume. */
function chars(node: RegexNode): CodePointSet {
  switch (node.type) {
    case 'literal':
      return [[node.codePoint, node.codePoint]];
    case 'class':
      return node.set;
    default: {
      const out: CodePointRange[] = [];
      collectChars(node, out);
      return normalizeSet(out);
    }
  }
}

/** Appends the ranges of every literal and class under the node (unsorted; {@link chars} normalises once). */
function collectChars(node: RegexNode, out: CodePointRange[]): void {
  switch (node.type) {
    case 'literal':
      out.push([node.codePoint, node.codePoint]);
      return;
    case 'class':
      for (const r of node.set) out.push(r);
      return;
    case 'assertion':
      return;
    case 'alternation':
      for (const s of node.alternatives) collectChars(s, out);
      return;
    case 'sequence':
      for (const n of node.items) collectChars(n, out);
      return;
    case 'group':
    case 'repeat':
      collectChars(node.body, out);
      return;
  }
}

/** The characters a match of the node can start with. */
function first(node: RegexNode): CodePointSet {
  switch (node.type) {
    case 'literal':
    case 'class':
      return chars(node);
    case 'assertion':
      return [];
    case 'group':
    case 'repeat':
      return first(node.body);
    case 'alternation': {
      const out: CodePointRange[] = [];
      for (const s of node.alternatives) for (const r of first(s)) out.push(r);
      return normalizeSet(out);
    }
    case 'sequence': {
      let out: CodePointSet = [];
      for (const item of node.items) {
        out = unionSet(out, first(item));
        if (!nullable(item)) break;
      }
      return out;
    }
  }
}

/** Inlines groups that are neither quantified nor alternations: `a(b)c` is the sequence `a b c`. */
function flatten(items: readonly RegexNode[]): readonly RegexNode[] {
  // Most sequences contain no single-alternative group: return them as they are, without copying.
  let plain = false;
  for (const n of items) if (isPlainGroup(n)) plain = true;
  if (!plain) return items;
  const out: RegexNode[] = [];
  appendFlat(items, out);
  return out;
}

function appendFlat(items: readonly RegexNode[], out: RegexNode[]): void {
  for (const n of items) {
    if (isPlainGroup(n)) appendFlat(defined(n.body.alternatives[0]).items, out);
    else out.push(n);
  }
}

function isPlainGroup(n: RegexNode): n is Extract<RegexNode, { type: 'group' }> {
  return n.type === 'group' && n.body.alternatives.length === 1;
}

function sequenceAnchored(seq: Sequence, side: 'start' | 'end'): boolean {
  const items = flatten(seq.items);
  const edge = side === 'start' ? items[0] : items[items.length - 1];
  if (edge === undefined) return false;
  return nodeAnchored(edge, side);
}

function nodeAnchored(node: RegexNode, side: 'start' | 'end'): boolean {
  if (node.type === 'assertion') {
    return side === 'start'
      ? node.kind === 'line-start' || node.kind === 'text-start'
      : node.kind === 'line-end' || node.kind === 'text-end';
  }
  if (node.type === 'group') return node.body.alternatives.every((s) => sequenceAnchored(s, side));
  if (node.type === 'repeat' && node.min >= 1) return nodeAnchored(node.body, side);
  return false;
}

/** Rules 4 and 5 of the module comment. */
function repeatsSafe(root: Alternation, anchoredStart: boolean): boolean {
  return !some(root, (n) => {
    if (n.type !== 'repeat') return false;
    if (nullable(n.body)) return true;
    if (!anchoredStart && n.max === Infinity) return true;
    if (n.max > 1) {
      return some(n.body, (m) => m.type === 'repeat' || (m.type === 'alternation' && m.alternatives.length > 1));
    }
    return false;
  });
}

/** Rule 6 of the module comment, on every sequence of the tree. */
function sequencesUnambiguous(root: Alternation, fold: boolean): boolean {
  const norm = (s: CodePointSet): CodePointSet => (fold ? foldAsciiSet(s) : s);
  const variable = (n: RegexNode): boolean =>
    (n.type === 'repeat' && n.min !== n.max) || (n.type === 'group' && n.body.alternatives.length > 1);
  return !some(root, (n) => {
    if (n.type !== 'sequence') return false;
    const items = flatten(n.items);
    for (let i = 0; i < items.length; i++) {
      const piece = defined(items[i]);
      if (!variable(piece)) continue;
      let follow: CodePointSet = [];
      for (let k = i + 1; k < items.length; k++) {
        const next = defined(items[k]);
        follow = unionSet(follow, first(next));
        if (!nullable(next)) break;
      }
      if (setsOverlap(norm(chars(piece)), norm(follow))) return true;
    }
    return false;
  });
}

function requiredUppercase(root: Alternation): { offset: number; char: string }[] {
  const out: { offset: number; char: string }[] = [];
  const visit = (n: RegexNode): void => {
    if (n.type === 'literal') {
      const ch = String.fromCodePoint(n.codePoint);
      if (ch.toLowerCase() !== ch) out.push({ offset: n.start, char: ch });
    } else if (n.type === 'group' && n.body.alternatives.length === 1) {
      defined(n.body.alternatives[0]).items.forEach(visit);
    } else if (n.type === 'repeat' && n.min >= 1) {
      visit(n.body);
    }
  };
  if (root.alternatives.length === 1) defined(root.alternatives[0]).items.forEach(visit);
  return out;
}

function exactLiteral(root: Alternation): string | null {
  if (root.alternatives.length !== 1) return null;
  const items = flatten(defined(root.alternatives[0]).items);
  const head = items[0];
  const tail = items[items.length - 1];
  if (items.length < 2 || head?.type !== 'assertion' || tail?.type !== 'assertion') return null;
  if (head.kind !== 'line-start' && head.kind !== 'text-start') return null;
  if (tail.kind !== 'line-end' && tail.kind !== 'text-end') return null;
  let text = '';
  for (const n of items.slice(1, -1)) {
    if (n.type !== 'literal') return null;
    text += String.fromCodePoint(n.codePoint);
  }
  return text;
}

/**
 * The pattern as V8 reads it: every RE2 `(?P<name>` group opener written `(?<name>` (same group, same name, same
 * number). Only real group openers change (the parser's positions), never `(?P<` inside a class or after `\`.
 *
 * @example
 * ```ts
 * v8Source('^eng-(?P<team>[a-z]+)$'); // '^eng-(?<team>[a-z]+)$'
 * ```
 */
export function v8Source(source: string): string {
  if (!source.includes('(?P<')) return source;
  // The pattern already passed analysis, under whatever limits its caller chose: parse it whole, not under defaults.
  const at = parseRegex(source, { maxNodes: Infinity, maxDepth: Infinity }).features.pythonNameAt;
  let out = '';
  let from = 0;
  for (const p of at) {
    out += source.slice(from, p);
    from = p + 1;
  }
  return out + source.slice(from);
}
