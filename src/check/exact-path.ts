/**
 * The one definition of an exact path to a privileged role, shared by the checker (rule `privileged`) and
 * `claimmap explain --privileged`.
 *
 * A grant's condition is read as alternative paths (its disjunctive normal form, with `not` pushed down to the
 * tests): `or` gives alternatives, `and` joins tests into one path, `not` flips a test's polarity and `not not`
 * restores it. A path is a conjunction of tests that must all be true for the grant.
 *
 * An exact test is a positive membership or equality (`"g" in groups`, `kind == "x"`, `kind in [...]`, a bool claim,
 * `any/one claim matches /^(a|b)$/` with a regex that names at most {@link MAX_EXACT_NAMES} fixed values and has no
 * flag) on a claim that is neither normalised by a folding normaliser nor user-editable.
 *
 * A path is exact when it holds at least one exact positive test. Its other tests only narrow it (a conjunction is
 * never true where its exact test is false), so `"admins" in groups and not "contractors" in groups` is exact. A path
 * with no exact positive test is an escalation path; every test in it is inexact and is reported with its reason.
 * A grant is exact when all its paths are; an unconditional grant has one empty path, which is inexact.
 *
 * The analysis is linear in the size of the condition (no path enumeration); {@link grantPaths} lists paths for
 * explanations, capped.
 */
import type { Cond, Literal, Plan, Quantifier } from '../model/plan.js';
import { parseRegex } from '../regex/parse.js';
import type { RegexNode as ReNode } from '../regex/ast.js';
import { analyzeRegex, REGEX_LIMITS } from '../regex/analyze.js';
import type * as A from '../syntax/ast.js';
import { isUserEditable } from './identity-claims.js';
import { idpKind } from './idp-kind.js';

/** Why a test is not an exact path to a privileged role; each is the diagnostic code `privileged/<reason>`. */
export type InexactReason =
  | 'negated-test'
  | 'not-equal'
  | 'all-quantifier'
  | 'regex-flags'
  | 'inexact-match'
  | 'leaf-name-match'
  | 'folded-claim'
  | 'user-editable-claim';

/** Every reason, in the order a test's reasons are reported. */
export const INEXACT_REASONS: readonly InexactReason[] = [
  'negated-test',
  'not-equal',
  'all-quantifier',
  'regex-flags',
  'inexact-match',
  'leaf-name-match',
  'folded-claim',
  'user-editable-claim',
];

/** Normalisers that fold distinct values into one: a look-alike (`ＡＤＭＩＮＳ`, `Admins`) then equals the literal. */
export const FOLDING_NORMALIZERS: ReadonlySet<string> = new Set(['lower', 'upper', 'nfkc', 'casefold']);

/** A regex is exact when it names at most this many fixed values (`/^(admins|root)$/`, `/^ops-[0-3]$/`). */
export const MAX_EXACT_NAMES = 256;

/** A test as both the AST and the plan describe it. */
export interface LeafTest {
  op: 'contains' | 'one_of' | 'eq' | 'ne' | 'truthy' | 'matches' | 'starts_with' | 'ends_with';
  quantifier: Quantifier;
  claim: string;
  regex?: { source: string; flags: string };
  /** The literal of `starts_with` / `ends_with`. */
  value?: Literal;
}

/** A condition over tests of type `L` (an AST node or a plan condition). */
export type CondTree<L> =
  | { op: 'and' | 'or'; args: CondTree<L>[] }
  | { op: 'not'; arg: CondTree<L> }
  | { op: 'leaf'; leaf: L; test: LeafTest };

/** What the analysis needs to know about a claim. */
export interface ClaimFacts {
  normalize: readonly string[];
  source: readonly string[];
  /** Why users can edit this claim for the mapping's IdP (identity-claims.ts), or undefined (or `trusted`). */
  editable?: string | undefined;
}

/** A test on a path: `negated` when it sits under an odd number of `not`; `reasons` is empty for an exact test. */
export interface LeafVerdict<L> {
  leaf: L;
  test: LeafTest;
  negated: boolean;
  reasons: InexactReason[];
}

export interface GrantPath<L> {
  leaves: LeafVerdict<L>[];
  exact: boolean;
}

export interface GrantAnalysis<L> {
  /** Every path holds an exact positive test. False for an unconditional grant. */
  exact: boolean;
  /** True when there is no condition (the grant goes to everyone). */
  unconditional: boolean;
  /** Every test that lies on an inexact path, once each (a test in several such paths is listed once), in source order. */
  inexact: LeafVerdict<L>[];
}

/**
 * Whether a regex names a small fixed set of values: its language is finite and has at most {@link MAX_EXACT_NAMES}
 * strings. Returns the kind of inexact match otherwise: `leaf-name-match` when it matches any path ending in a
 * fixed last segment (`.*\/admins$`, `^\/[^/]+\/admins$`, an unanchored `\/admins$`), else `inexact-match`
 * (unanchored, prefix, suffix, substring or an open family). `null` for an invalid pattern (reported elsewhere).
 */
export function regexShape(source: string): 'exact' | 'inexact-match' | 'leaf-name-match' | null {
  const a = analyzeRegex(source, '');
  if (!a.ok) return null;
  const root = parseRegex(source, { maxNodes: REGEX_LIMITS.maxNodes, maxDepth: REGEX_LIMITS.maxDepth }).root;
  // Leaf-name matching: a '/' with an open part before it (an unbounded repeat, or no start anchor).
  const slashes: number[] = [];
  const unbounded: number[] = [];
  walkRegex(root, (n) => {
    if (n.type === 'literal' && n.codePoint === 0x2f) slashes.push(n.start);
    if (n.type === 'repeat' && n.max === Infinity) unbounded.push(n.start);
  });
  const lastSlash = slashes.length ? Math.max(...slashes) : -1;
  if (lastSlash >= 0 && (!a.anchoredStart || unbounded.some((u) => u < lastSlash))) return 'leaf-name-match';
  if (!a.anchoredStart || !a.anchoredEnd) return 'inexact-match';
  return countStrings(root) <= MAX_EXACT_NAMES ? 'exact' : 'inexact-match';
}

function walkRegex(n: ReNode, visit: (n: ReNode) => void): void {
  visit(n);
  switch (n.type) {
    case 'alternation':
      for (const a of n.alternatives) walkRegex(a, visit);
      break;
    case 'sequence':
      for (const a of n.items) walkRegex(a, visit);
      break;
    case 'group':
      walkRegex(n.body, visit);
      break;
    case 'repeat':
      walkRegex(n.body, visit);
      break;
    default:
      break;
  }
}

const CAP = MAX_EXACT_NAMES + 1;

/** How many strings a pattern matches, capped at MAX_EXACT_NAMES + 1 (assertions match the empty string). */
function countStrings(n: ReNode): number {
  switch (n.type) {
    case 'literal':
    case 'assertion':
      return 1;
    case 'class': {
      let size = 0;
      for (const [lo, hi] of n.set) size = Math.min(CAP, size + hi - lo + 1);
      return size;
    }
    case 'group':
      return countStrings(n.body);
    case 'alternation':
      return n.alternatives.reduce((acc, a) => Math.min(CAP, acc + countStrings(a)), 0);
    case 'sequence':
      return n.items.reduce((acc, a) => Math.min(CAP, acc * countStrings(a)), 1);
    case 'repeat': {
      if (n.max === Infinity) return CAP;
      const one = countStrings(n.body);
      let total = 0;
      for (let k = n.min; k <= n.max && total < CAP; k++) total = Math.min(CAP, total + one ** Math.min(k, 64));
      return total;
    }
  }
}

/** The reasons a test, positive or negated, is not exact; empty when it is exact. */
export function classifyLeaf(test: LeafTest, negated: boolean, claim: ClaimFacts | undefined): InexactReason[] {
  if (negated) return ['negated-test'];
  const out: InexactReason[] = [];
  if (test.op === 'ne') out.push('not-equal');
  if (test.quantifier === 'all') out.push('all-quantifier');
  if (test.op === 'matches' && test.regex) {
    if (test.regex.flags !== '') out.push('regex-flags');
    const shape = regexShape(test.regex.source);
    if (shape === 'inexact-match' || shape === 'leaf-name-match') out.push(shape);
  } else if (test.op === 'starts_with' || test.op === 'ends_with') {
    out.push(
      test.op === 'ends_with' && typeof test.value === 'string' && test.value.startsWith('/')
        ? 'leaf-name-match'
        : 'inexact-match',
    );
  }
  if (claim && test.op !== 'truthy' && claim.normalize.some((n) => FOLDING_NORMALIZERS.has(n)))
    out.push('folded-claim');
  if (claim?.editable !== undefined) out.push('user-editable-claim');
  return out;
}

interface Summary<L> {
  /** Every path of this subformula holds an exact positive test. */
  exact: boolean;
  /** Tests on inexact paths of this subformula. */
  inexact: LeafVerdict<L>[];
}

/**
 * Analyses a grant's condition (undefined: unconditional). `claim` looks up a claim's normalisers and source.
 *
 * @example
 * ```ts
 * const a = analyzeGrant(fromPlanCond({ op: 'not', arg: { op: 'contains', claim: 'groups', value: 'Contractors' } }), lookup);
 * a.exact // false; a.inexact[0].reasons // ['negated-test']
 * ```
 */
export function analyzeGrant<L>(
  cond: CondTree<L> | undefined,
  claim: (name: string) => ClaimFacts | undefined,
): GrantAnalysis<L> {
  if (!cond) return { exact: false, unconditional: true, inexact: [] };
  const walk = (c: CondTree<L>, negated: boolean): Summary<L> => {
    if (c.op === 'not') return walk(c.arg, !negated);
    if (c.op === 'leaf') {
      const reasons = classifyLeaf(c.test, negated, claim(c.test.claim));
      return reasons.length
        ? { exact: false, inexact: [{ leaf: c.leaf, test: c.test, negated, reasons }] }
        : { exact: true, inexact: [] };
    }
    const parts = c.args.map((a) => walk(a, negated));
    // Under an odd number of `not`, De Morgan turns `and` into alternatives and `or` into a conjunction.
    const alternatives = (c.op === 'or') !== negated;
    if (alternatives) return { exact: parts.every((p) => p.exact), inexact: parts.flatMap((p) => p.inexact) };
    // A conjunction: its paths join one path of each part; such a path is inexact only when every part's is.
    if (parts.some((p) => p.exact)) return { exact: true, inexact: [] };
    return { exact: false, inexact: parts.flatMap((p) => p.inexact) };
  };
  const s = walk(cond, false);
  const seen = new Set<L>();
  const inexact = s.inexact.filter((v) => {
    if (seen.has(v.leaf)) return false;
    seen.add(v.leaf);
    return true;
  });
  return { exact: s.exact, unconditional: false, inexact };
}

/**
 * The paths of a condition (its disjunctive normal form), at most `limit` of them; `more` counts those left out
 * (capped at Number.MAX_SAFE_INTEGER).
 */
export function grantPaths<L>(
  cond: CondTree<L> | undefined,
  claim: (name: string) => ClaimFacts | undefined,
  limit = 64,
): { paths: GrantPath<L>[]; more: number } {
  if (!cond) return { paths: [{ leaves: [], exact: false }], more: 0 };
  const BIG = Number.MAX_SAFE_INTEGER;
  const count = (c: CondTree<L>, negated: boolean): number => {
    if (c.op === 'not') return count(c.arg, !negated);
    if (c.op === 'leaf') return 1;
    const ns = c.args.map((a) => count(a, negated));
    return (c.op === 'or') !== negated
      ? Math.min(
          BIG,
          ns.reduce((a, b) => a + b, 0),
        )
      : ns.reduce((a, b) => Math.min(BIG, a * b), 1);
  };
  const expand = (c: CondTree<L>, negated: boolean): LeafVerdict<L>[][] => {
    if (c.op === 'not') return expand(c.arg, !negated);
    if (c.op === 'leaf')
      return [[{ leaf: c.leaf, test: c.test, negated, reasons: classifyLeaf(c.test, negated, claim(c.test.claim)) }]];
    if ((c.op === 'or') !== negated) return c.args.flatMap((a) => expand(a, negated)).slice(0, limit);
    let acc: LeafVerdict<L>[][] = [[]];
    for (const a of c.args) {
      const qs = expand(a, negated);
      const next: LeafVerdict<L>[][] = [];
      for (const p of acc) for (const q of qs) if (next.length < limit) next.push([...p, ...q]);
      acc = next;
    }
    return acc;
  };
  const total = count(cond, false);
  const paths = expand(cond, false).map((leaves) => ({ leaves, exact: leaves.some((l) => l.reasons.length === 0) }));
  return { paths, more: Math.max(0, total - paths.length) };
}

/** A plan condition as a tree for the analysis. */
export function fromPlanCond(c: Cond): CondTree<Cond> {
  switch (c.op) {
    case 'and':
    case 'or':
      return { op: c.op, args: c.args.map(fromPlanCond) };
    case 'not':
      return { op: 'not', arg: fromPlanCond(c.arg) };
    case 'matches':
      return {
        op: 'leaf',
        leaf: c,
        test: {
          op: c.op,
          quantifier: c.quantifier,
          claim: c.claim,
          regex: { source: c.regex.source, flags: c.regex.flags },
        },
      };
    case 'starts_with':
    case 'ends_with':
      return { op: 'leaf', leaf: c, test: { op: c.op, quantifier: c.quantifier, claim: c.claim, value: c.value } };
    default:
      return { op: 'leaf', leaf: c, test: { op: c.op, quantifier: 'one', claim: c.claim } };
  }
}

/** An AST condition as a tree for the analysis. */
export function fromAstCond(c: A.CondNode): CondTree<A.CondNode> {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { op: c.kind, args: c.args.map(fromAstCond) };
    case 'not':
      return { op: 'not', arg: fromAstCond(c.arg) };
    case 'contains':
      return { op: 'leaf', leaf: c, test: { op: 'contains', quantifier: 'one', claim: c.claim.name } };
    case 'test': {
      const q: Quantifier = c.quantifier?.value ?? 'one';
      const cmp = c.comparison;
      const base = { quantifier: q, claim: c.claim.name };
      if (cmp.op === 'matches')
        return {
          op: 'leaf',
          leaf: c,
          test: {
            op: 'matches',
            ...base,
            ...(cmp.regex ? { regex: { source: cmp.regex.source, flags: cmp.regex.flags } } : {}),
          },
        };
      if (cmp.op === 'starts_with' || cmp.op === 'ends_with')
        return { op: 'leaf', leaf: c, test: { op: cmp.op, ...base, ...(cmp.value ? { value: cmp.value.value } : {}) } };
      return { op: 'leaf', leaf: c, test: { op: cmp.op, ...base } };
    }
  }
}

/** A plan's claims as the analysis sees them (a compiled plan or a loaded `.plan.json`). */
export function planClaimFacts(plan: Pick<Plan, 'claims' | 'idp'>): (name: string) => ClaimFacts | undefined {
  let byName = factsOfPlan.get(plan);
  if (byName === undefined) {
    const kind = idpKind(plan.idp.issuer, plan.idp.aliases);
    byName = new Map<string, ClaimFacts>();
    for (const c of plan.claims) {
      const editable = c.trusted === undefined ? isUserEditable(c.source, kind)?.reason : undefined;
      byName.set(c.name, { normalize: c.normalize, source: c.source, editable });
    }
    factsOfPlan.set(plan, byName);
  }
  const facts = byName;
  return (name) => facts.get(name);
}

/** planClaimFacts per plan (plans are frozen, so the facts cannot go stale). */
const factsOfPlan = new WeakMap<object, Map<string, ClaimFacts>>();
