/**
 * Conditions compiled to closures over the per-login claim states, in three-valued (Kleene) logic. Internally a
 * truth value is a small integer ordered false < unknown < true, so `and` is min, `or` is max and `not` is 2 - x.
 * A test over an absent or malformed claim is unknown; so is a test whose operand has a type the test cannot
 * apply to (a plan/claim mismatch fails closed), and an `all` test over an empty set (no vacuous truth).
 */
import type { Cond, Literal, Quantifier } from '../model/plan.js';
import { type Matcher, compileMatcher } from '../regex/matcher.js';
import type { ClaimState, Truth } from './decision.js';
import { literal } from './intern.js';
import { defined, present } from '../model/invariant.js';

export const F = 0;
export const U = 1;
export const T = 2;
/** Kleene truth value: 0 false, 1 unknown, 2 true. */
export type Tri = 0 | 1 | 2;

const TRUTH_NAMES: readonly Truth[] = ['false', 'unknown', 'true'];

/**
 * The public name of a truth value.
 *
 * @example
 * ```ts
 * truthName(U) // 'unknown'
 * ```
 */
export function truthName(t: Tri): Truth {
  return defined(TRUTH_NAMES[t]);
}

/** A compiled condition: reads claim states by index. */
export type CondFn = (v: readonly ClaimState[]) => Tri;

/** Resolves a claim name used by a condition to its index; throws TypeError for an undeclared one. */
export type ClaimIndex = (name: string, where: string) => number;

const ALWAYS_TRUE: CondFn = () => T;

/**
 * Compiles a condition. `refs` receives the name of every claim the condition reads (for traces).
 *
 * @example
 * ```ts
 * const f = compileCond({ op: 'contains', claim: 'groups', value: 'eng' }, () => 0, 'roles[0]', new Set());
 * f([{ state: 'present', value: ['eng'] }]) // 2 (true)
 * ```
 */
export function compileCond(
  c: Cond | undefined,
  index: ClaimIndex,
  where: string,
  refs: Set<string>,
  members?: MembershipIndex,
): CondFn {
  if (c === undefined) return ALWAYS_TRUE;
  const slot = (name: string): number => {
    refs.add(name);
    return index(name, where);
  };
  switch (c.op) {
    case 'and':
    case 'or': {
      return junction(
        c.op,
        c.args.map((a) => compileCond(a, index, where, refs, members)),
      );
    }
    case 'not': {
      const f = compileCond(c.arg, index, where, refs, members);
      return (v) => (2 - f(v)) as Tri;
    }
    case 'contains': {
      const i = slot(c.claim);
      const lit = literal(c.value);
      if (members !== undefined) {
        const probe = members.probe(i);
        const k = probe.add(lit);
        return (v) => {
          const s = defined(v[i]);
          if (s.state !== 'present' || !Array.isArray(s.value)) return U;
          return probe.has(s.value, k, lit) ? T : F;
        };
      }
      return (v) => {
        const s = defined(v[i]);
        if (s.state !== 'present' || !Array.isArray(s.value)) return U;
        return s.value.includes(lit) ? T : F;
      };
    }
    case 'one_of': {
      const i = slot(c.claim);
      const lits: readonly Literal[] = c.values.map(literal);
      return (v) => {
        const s = defined(v[i]);
        if (s.state !== 'present' || !isLiteral(s.value)) return U;
        return lits.includes(s.value) ? T : F;
      };
    }
    case 'eq':
    case 'ne': {
      const i = slot(c.claim);
      const lit = literal(c.value);
      const eq = c.op === 'eq' ? T : F;
      const ne = c.op === 'eq' ? F : T;
      return (v) => {
        const s = defined(v[i]);
        if (s.state !== 'present' || !isLiteral(s.value)) return U;
        return s.value === lit ? eq : ne;
      };
    }
    case 'truthy': {
      const i = slot(c.claim);
      return (v) => {
        const s = defined(v[i]);
        if (s.state !== 'present' || typeof s.value !== 'boolean') return U;
        return s.value ? T : F;
      };
    }
    case 'matches':
      return quantified(slot(c.claim), c.quantifier, MATCHES, '', compileMatcher(c.regex));
    case 'starts_with':
      return quantified(slot(c.claim), c.quantifier, STARTS_WITH, literal(c.value), null);
    case 'ends_with':
      return quantified(slot(c.claim), c.quantifier, ENDS_WITH, literal(c.value), null);
    default:
      throw new TypeError(
        `invalid plan: unknown condition op ${JSON.stringify((c as { op?: unknown }).op)} in ${where}`,
      );
  }
}

/** `and` / `or` over compiled operands: Kleene logic, short-circuit on the deciding value, unrolled for two. */
function junction(op: 'and' | 'or', fs: CondFn[]): CondFn {
  if (fs.length === 0) return op === 'and' ? ALWAYS_TRUE : () => F;
  if (fs.length === 1) return defined(fs[0]);
  if (op === 'and') {
    if (fs.length === 2) {
      const [a, b] = fs as [CondFn, CondFn];
      return (v) => {
        const x = a(v);
        if (x === F) return F;
        const y = b(v);
        return Math.min(x, y) as Tri; // Kleene and: the lesser of F < U < T
      };
    }
    return (v) => {
      let r: Tri = T;
      for (const f of fs) {
        const x = f(v);
        if (x === F) return F;
        if (x < r) r = x;
      }
      return r;
    };
  }
  if (fs.length === 2) {
    const [a, b] = fs as [CondFn, CondFn];
    return (v) => {
      const x = a(v);
      if (x === T) return T;
      const y = b(v);
      return Math.max(x, y) as Tri; // Kleene or: the greater of F < U < T
    };
  }
  return (v) => {
    let r: Tri = F;
    for (const f of fs) {
      const x = f(v);
      if (x === T) return T;
      if (x > r) r = x;
    }
    return r;
  };
}

function isLiteral(v: unknown): v is Literal {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** A string test as applied to a value: strings as they are, integers in decimal; anything else is unknown. */
/** A claim element as text: strings as they are, numbers in decimal, anything else none. */
export function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** The string tests of `matches`, `starts_with` and `ends_with`. */
const MATCHES = 0;
const STARTS_WITH = 1;
const ENDS_WITH = 2;
type StringTest = typeof MATCHES | typeof STARTS_WITH | typeof ENDS_WITH;

/**
 * One string test applied to one text. The test is a constant of the condition, so the branch is predicted and each
 * call site (`startsWith`, `endsWith`, the matcher's `test`) sees one kind of receiver: no closure call per element.
 */
function stringTest(kind: StringTest, lit: string, m: Matcher | null, t: string): boolean {
  return kind === STARTS_WITH ? t.startsWith(lit) : kind === ENDS_WITH ? t.endsWith(lit) : present(m).test(t);
}

function quantified(i: number, q: Quantifier, kind: StringTest, lit: string, m: Matcher | null): CondFn {
  if (q === 'one') {
    return (v) => {
      const s = defined(v[i]);
      if (s.state !== 'present') return U;
      const t = textOf(s.value);
      return t === undefined ? U : stringTest(kind, lit, m, t) ? T : F;
    };
  }
  if (q !== 'any' && q !== 'all') throw new TypeError(`invalid plan: unknown quantifier ${JSON.stringify(q)}`);
  const all = q === 'all';
  return (v) => {
    const s = defined(v[i]);
    if (s.state !== 'present' || !Array.isArray(s.value)) return U;
    const arr = s.value;
    let unknown = false;
    for (let k = 0; k < arr.length; k++) {
      const t = textOf(arr[k]);
      if (t === undefined) unknown = true;
      else if (stringTest(kind, lit, m, t) !== all) return all ? F : T; // a decisive element
    }
    // `any` over the empty set is false. `all` over the empty set is unknown, not (vacuously) true: an IdP that sends
    // `groups: []` must not pass `all groups matches /.../` (fail closed: no grant, a deny fires, a require refuses).
    return unknown ? U : all ? (arr.length === 0 ? U : T) : F;
  };
}

/**
 * Set membership without a scan per test: per claim slot, every literal that a `contains` test of the plan looks
 * for gets a number. The first few tests of one claim value scan it (`includes`: about a nanosecond per element,
 * cheaper than hashing for a few tests); the next one passes over the value once, looking each element up in the
 * map of literals, and records which literals it holds; every later test of that value reads a bit. So a value of
 * n elements costs at most (SCANS_BEFORE_INDEX + 1) passes, however many rules test it. Built once per plan
 * (compiledPlan); the index is filled at most once per claim value per evaluation.
 */
export class MembershipIndex {
  private readonly probes = new Map<number, MembershipProbe>();

  /** Passes over claim values so far, over every slot: scans and index fills (for tests that count work). */
  work(): { scans: number; fills: number } {
    let scans = 0;
    let fills = 0;
    for (const p of this.probes.values()) {
      scans += p.work.scans;
      fills += p.work.fills;
    }
    return { scans, fills };
  }

  /** The probe of one claim slot (created on first use). */
  probe(slot: number): MembershipProbe {
    let p = this.probes.get(slot);
    if (p === undefined) {
      p = new MembershipProbe();
      this.probes.set(slot, p);
    }
    return p;
  }
}

/** Scans of one claim value before it is indexed (a hash lookup costs about as much as 10-20 compares). */
export const SCANS_BEFORE_INDEX = 8;

/** The literals looked for in one claim slot, and what is known of the last value tested. */
export class MembershipProbe {
  private readonly numbers = new Map<Literal, number>();
  /** The value `scans` and `hits` describe (by identity: a claim reader returns a new array for every read). */
  private of: readonly unknown[] | null = null;
  private scans = 0;
  private indexed = false;
  private hits = new Uint8Array(0);
  /** Work counters for tests (passes over values: scans and index fills). */
  readonly work = { scans: 0, fills: 0 };

  /** Registers a literal (at plan compile time); returns its number. */
  add(lit: Literal): number {
    let k = this.numbers.get(lit);
    if (k === undefined) {
      k = this.numbers.size;
      this.numbers.set(lit, k);
      this.hits = new Uint8Array(k + 1);
      this.of = null;
    }
    return k;
  }

  /** Whether `values` holds literal number `k` (`lit`), by a scan or by the value's index (see MembershipIndex). */
  has(values: readonly unknown[], k: number, lit: Literal): boolean {
    if (values !== this.of) {
      this.of = values;
      this.scans = 0;
      this.indexed = false;
    }
    if (this.indexed) return this.hits[k] === 1;
    if (++this.scans <= SCANS_BEFORE_INDEX) {
      this.work.scans++;
      return values.includes(lit);
    }
    const hits = this.hits;
    hits.fill(0);
    const numbers = this.numbers;
    for (let j = 0; j < values.length; j++) {
      const n = numbers.get(values[j] as Literal);
      if (n !== undefined) hits[n] = 1;
    }
    this.indexed = true;
    this.work.fills++;
    return hits[k] === 1;
  }
}
