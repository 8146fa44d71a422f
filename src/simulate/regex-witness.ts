/**
 * Witnesses of an inexact privileged test: a few values the test accepts that no exact reading of it names. For
 * `any groups matches /^.*\/admins$/` they are `x/admins`, `xx/admins` and `/sandbox/admins` (an `admins` group
 * under any parent); for `/^gh-[a-z]+$/`, `gh-x` and `gh-xx` (any team); for the unanchored `/admins/`, `xadminsx`
 * and `x-admins-x`; for `starts_with "admin"`, `adminx`. The `regex-witness` operator plants them (mutations.ts), so
 * `simulate` shows what lint's `privileged/inexact-match` and `privileged/leaf-name-match` predict.
 *
 * Which tests have witnesses is the checker's decision, not re-made here: exactly those `classifyLeaf`
 * (src/check/exact-path.ts) gives the reason `inexact-match` or `leaf-name-match`. A regex naming a small fixed set
 * of values (`/^(admins|root)$/`, `/^ops-[0-3]$/`) has none.
 *
 * Generation walks the parsed regex (src/regex/parse.ts) once per variant: a literal is itself, a class its
 * representative character (`x` when it has it, else the first lower-case letter, digit, upper-case letter,
 * printable character...), an alternation its most open alternative (one with an unbounded repeat, else one with a
 * choice), a repeat its body repeated `min + 1` (then `min + 2`) times, capped at `max` (and at `min` when that
 * would pass {@link MAX_WITNESS_LENGTH}: nested repeats multiply); a top-level alternative not
 * anchored at an end gets `x` (then `x-`, `-x`) there. For a leaf-name match a third variant fills an unbounded
 * repeat with a path segment (`/sandbox` or `sandbox`, when its characters fit). Linear in the pattern; every
 * candidate is checked with the plan's own matcher (after the claim's normalisers) and dropped if it does not match.
 */
import { classifyLeaf, fromPlanCond } from '../check/exact-path.js';
import type { Cond, RegexPlan } from '../model/plan.js';
import { REGEX_LIMITS } from '../regex/analyze.js';
import type { RegexNode } from '../regex/ast.js';
import type { CodePointSet } from '../regex/charset.js';
import { compileMatcher } from '../regex/matcher.js';
import { parseRegex } from '../regex/parse.js';
import { defined } from '../model/invariant.js';

/** At most this many witnesses per test (and per claim, see `privilegedLiterals`). */
export const MAX_WITNESSES = 4;

/** A candidate longer than this is not generated (`[a-z]{1000}` still is: 1000 characters). */
export const MAX_WITNESS_LENGTH = 1024;

/** Top-level alternatives tried, most open first. */
const MAX_ALTERNATIVES = 8;

interface Variant {
  /** Repetitions of an unbounded repeat beyond its minimum. */
  extra: number;
  /** Added where a top-level alternative is not anchored. */
  prefix: string;
  suffix: string;
  /** Fill unbounded repeats with a path segment (leaf-name matches only). */
  segment: boolean;
}

const VARIANTS: readonly Variant[] = [
  { extra: 1, prefix: 'x', suffix: 'x', segment: false },
  { extra: 2, prefix: 'x-', suffix: '-x', segment: false },
  { extra: 1, prefix: '/sandbox', suffix: '', segment: true },
];

/** Path segments tried, in order, for an unbounded repeat of one character class in the segment variant. */
const SEGMENTS = ['/sandbox', 'sandbox'];

/**
 * Where a representative character is looked for, in order: `x`, lower-case letters, digits, upper-case letters,
 * other printable ASCII, space, then any non-surrogate code point from U+00A0, then a control character.
 */
const PREFERRED: readonly (readonly [number, number])[] = [
  [0x78, 0x78],
  [0x61, 0x7a],
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x21, 0x7e],
  [0x20, 0x20],
  [0xa0, 0xd7ff],
  [0xe000, 0x10ffff],
  [0, 0x9f],
];

function firstIn(set: CodePointSet, lo: number, hi: number): number | null {
  for (const [a, b] of set) {
    const x = Math.max(a, lo);
    if (x <= Math.min(b, hi)) return x;
  }
  return null;
}

function representative(set: CodePointSet): number | null {
  for (const [lo, hi] of PREFERRED) {
    const cp = firstIn(set, lo, hi);
    if (cp !== null) return cp;
  }
  return null;
}

const inSet = (set: CodePointSet, cp: number): boolean => firstIn(set, cp, cp) !== null;

/** The node itself (not its children) offers a choice: a class of several characters, a repeat with a range. */
function hasChoice(n: RegexNode): boolean {
  if (n.type === 'class')
    return n.set.length > 1 || (n.set.length === 1 && defined(n.set[0])[0] !== defined(n.set[0])[1]);
  return n.type === 'repeat' && n.max !== n.min;
}

/**
 * How open each node is: 2 when it holds an unbounded repeat, 1 when it holds a choice (a class, a repeat range,
 * an alternation), 0 for a fixed string. Computed once, bottom-up, so choosing alternatives stays linear.
 */
function openness(root: RegexNode): Map<RegexNode, number> {
  const out = new Map<RegexNode, number>();
  const visit = (n: RegexNode): number => {
    let score = n.type === 'repeat' && n.max === Infinity ? 2 : hasChoice(n) ? 1 : 0;
    const kids =
      n.type === 'alternation'
        ? n.alternatives
        : n.type === 'sequence'
          ? n.items
          : n.type === 'group' || n.type === 'repeat'
            ? [n.body]
            : [];
    for (const k of kids) score = Math.max(score, visit(k));
    if (n.type === 'alternation' && n.alternatives.length > 1) score = Math.max(score, 1);
    out.set(n, score);
    return score;
  };
  visit(root);
  return out;
}

/** The most open of several nodes (the first on a tie). */
function mostOpen<N extends RegexNode>(nodes: readonly N[], score: ReadonlyMap<RegexNode, number>): N | undefined {
  let best: N | undefined;
  for (const n of nodes) if (best === undefined || defined(score.get(n)) > defined(score.get(best))) best = n;
  return best;
}

/** One string the node matches under the variant, or null (an empty class, too long). `free` is set on a choice. */
function generate(
  n: RegexNode,
  v: Variant,
  score: ReadonlyMap<RegexNode, number>,
  state: { free: boolean },
): string | null {
  switch (n.type) {
    case 'literal':
      return String.fromCodePoint(n.codePoint);
    case 'assertion':
      return '';
    case 'class': {
      const cp = representative(n.set);
      if (cp === null) return null;
      if (hasChoice(n)) state.free = true;
      return String.fromCodePoint(cp);
    }
    case 'group':
      return generate(n.body, v, score, state);
    case 'alternation': {
      const alt = mostOpen(n.alternatives, score);
      return alt === undefined ? '' : generate(alt, v, score, state);
    }
    case 'sequence': {
      let out = '';
      for (const item of n.items) {
        const s = generate(item, v, score, state);
        if (s === null || out.length + s.length > MAX_WITNESS_LENGTH) return null;
        out += s;
      }
      return out;
    }
    case 'repeat': {
      if (hasChoice(n)) state.free = true;
      if (v.segment && n.max === Infinity && n.body.type === 'class') {
        const set = n.body.set;
        const seg = SEGMENTS.find(
          (s) => s.length >= n.min && [...s].every((ch) => inSet(set, defined(ch.codePointAt(0)))),
        );
        if (seg !== undefined) return seg;
      }
      const body = generate(n.body, v, score, state);
      if (body === null) return null;
      // Nested repeats multiply: past the length cap, fall back to the minimum count.
      const times = [Math.min(n.min + v.extra, n.max), n.min].find((t) => body.length * t <= MAX_WITNESS_LENGTH);
      return times === undefined ? null : body.repeat(times);
    }
  }
}

/** `s` with the regex metacharacters escaped: a regex matching exactly `s`. */
function escapeRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}/]/g, '\\$&');
}

/**
 * Witnesses of one test of a plan condition (`matches`, `starts_with`, `ends_with`): at most `max` distinct,
 * non-empty values the test accepts (after `normalize`, the claim's normalisers) that its exact reading does not
 * name; none when the checker reads the test as exact. Deterministic.
 *
 * @example
 * ```ts
 * testWitnesses({ op: 'starts_with', quantifier: 'any', claim: 'groups', value: 'admin' }) // ['adminx', 'admin-x']
 * ```
 */
export function testWitnesses(c: Cond, normalize: (s: string) => string = (s) => s, max = MAX_WITNESSES): string[] {
  if (c.op !== 'matches' && c.op !== 'starts_with' && c.op !== 'ends_with') return [];
  const tree = fromPlanCond(c);
  if (tree.op !== 'leaf') return [];
  const reasons = classifyLeaf(tree.test, false, undefined);
  const leafName = reasons.includes('leaf-name-match');
  if (!leafName && !reasons.includes('inexact-match')) return [];
  let source: string;
  let accepts: (s: string) => boolean;
  if (c.op === 'matches') {
    source = c.regex.source;
    const m = compileMatcher(c.regex);
    accepts = (s) => m.test(s);
  } else {
    const lit = c.value;
    source = c.op === 'starts_with' ? `^${escapeRegex(lit)}` : `${escapeRegex(lit)}$`;
    accepts = c.op === 'starts_with' ? (s) => s.startsWith(lit) : (s) => s.endsWith(lit);
  }
  const parsed = parseRegex(source, { maxNodes: REGEX_LIMITS.maxNodes, maxDepth: REGEX_LIMITS.maxDepth });
  if (parsed.issues.length > 0) return [];
  const score = openness(parsed.root);
  const alternatives = [...parsed.root.alternatives]
    .sort((a, b) => defined(score.get(b)) - defined(score.get(a)))
    .slice(0, MAX_ALTERNATIVES);
  const out: string[] = [];
  const keep = (s: string): boolean => {
    if (s === '' || s.length > MAX_WITNESS_LENGTH || out.includes(s) || !accepts(normalize(s))) return false;
    out.push(s);
    return true;
  };
  for (const alt of alternatives) {
    for (const v of VARIANTS) {
      if (out.length >= max) return out;
      if (v.segment && !leafName) continue;
      const state = { free: false };
      const core = generate(alt, v, score, state);
      if (core === null) continue;
      // The string itself when it made a choice an exact reading lacks (a repeat, a class); else decorated at an
      // unanchored end (the matcher decides which ends are).
      const decorated = [v.prefix + core + v.suffix, v.prefix + core, core + v.suffix];
      const candidates = state.free ? [core, ...decorated] : decorated;
      candidates.some(keep);
    }
  }
  return out.slice(0, max);
}

/**
 * Witnesses of a regex as a privileged `matches` test would use it (see {@link testWitnesses}); none for an exact
 * regex, an invalid one, or one the checker reads as a small fixed set.
 *
 * @example
 * ```ts
 * regexWitnesses('^.*\\/admins$') // ['x/admins', 'xx/admins', '/sandbox/admins']
 * regexWitnesses('^gh-[a-z]+$')   // ['gh-x', 'gh-xx']
 * regexWitnesses('^(admins|root)$') // []
 * ```
 */
export function regexWitnesses(source: string, flags: '' | 'i' = '', max = MAX_WITNESSES): string[] {
  const parsed = parseRegex(source, { maxNodes: REGEX_LIMITS.maxNodes, maxDepth: REGEX_LIMITS.maxDepth });
  if (source === '' || parsed.issues.length > 0) return [];
  const regex: RegexPlan = { source, flags, engine: 're2', groups: parsed.groups, names: parsed.names };
  return testWitnesses({ op: 'matches', quantifier: 'any', claim: '', regex }, undefined, max);
}
