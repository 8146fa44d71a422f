/**
 * The conditions of every rule of a plan generated as one JavaScript function (per plan), for the login hot path:
 * no closure call per condition or per set element, and call sites that see one kind of value each, which the
 * shared closures of conditions.ts cannot give (one closure body serves every plan, so V8 neither inlines nor
 * specialises across it). The same three-valued semantics as {@link compileCond}, checked by a differential
 * property test (test/evaluate/generate-rules.test.ts).
 *
 * Nothing of the plan is ever written into the source: literals, regex matchers, literal lists and membership probes
 * are passed in as an array of constants and read by index (`k3`), claims are read by slot (`v[2]`), and every name
 * in the source (`t4`, `k3`, `b1`) is made here from a counter. So no plan, however hostile its text, can change
 * what the generated code does; test/evaluate/generate-rules.test.ts checks the source of random plans holds only
 * these tokens. Where `new Function` is refused (a Content-Security-Policy without 'unsafe-eval'), the generator
 * returns null and evaluation uses the closures.
 */
import type { Cond, Literal } from '../model/plan.js';
import { compileMatcher } from '../regex/matcher.js';
import type { ClaimIndex, MembershipIndex } from './conditions.js';
import type { ClaimState } from './decision.js';
import { literal } from './intern.js';

/** Writes the truth value (0 false, 1 unknown, 2 true) of every role rule's and entitlement rule's condition. */
export type RulesFn = (v: readonly ClaimState[], roleTruth: Uint8Array, entTruth: Uint8Array) => void;

/** One rule's condition and where it is (for the TypeError of an invalid plan). */
export interface RuleCond {
  when: Cond | undefined;
  where: string;
}

/** The generated source and its constants (exposed for tests). */
export interface GeneratedRules {
  source: string;
  constants: readonly unknown[];
}

/** The string literals the generated source may contain (type tags and the claim state); nothing else. */
export const GENERATED_STRINGS: readonly string[] = ['use strict', 'present', 'string', 'number', 'boolean'];

/**
 * Rules per generated function. One function per plan would grow with the plan until V8 gives up optimizing it
 * (its bytecode size limit) and spends long compiling it meanwhile; functions of a few rules are optimized soon
 * after the first logins, each within the limit.
 */
export const RULES_PER_FUNCTION = 8;

class Writer {
  lines: string[] = [];
  readonly constants: unknown[] = [];
  private temps = 0;
  private labels = 0;

  constructor(
    private readonly index: ClaimIndex,
    private readonly members: MembershipIndex,
  ) {}

  /** A new constant; returns its identifier (`k<n>`). */
  constant(value: unknown): string {
    this.constants.push(value);
    return `k${this.constants.length - 1}`;
  }

  temp(): string {
    return `t${this.temps++}`;
  }

  /** Ends the current function: its statements, after a declaration of its temporaries; starts a new one. */
  endFunction(): string[] {
    const temps = Array.from({ length: this.temps }, (_, n) => `, t${n} = 0`).join('');
    const body = [`let s, x, y, a, u${temps};`, ...this.lines];
    this.lines = [];
    this.temps = 0;
    return body;
  }

  label(): string {
    return `b${this.labels++}`;
  }

  /** Loads claim slot `name` into `s` (a checked non-negative integer, never a name). */
  load(name: string, where: string): void {
    const i = this.index(name, where);
    if (!Number.isSafeInteger(i) || i < 0) throw new TypeError(`invalid plan: ${where} claim slot`);
    this.lines.push(`s = v[${i}];`);
  }

  /** Emits the statements of a condition; returns the temporary that holds its truth value. */
  cond(c: Cond | undefined, where: string): string {
    const t = this.temp();
    if (c === undefined) {
      this.lines.push(`${t} = 2;`);
      return t;
    }
    switch (c.op) {
      case 'and':
      case 'or': {
        const and = c.op === 'and';
        this.lines.push(`${t} = ${and ? 2 : 0};`);
        if (c.args.length === 0) return t;
        const b = this.label();
        this.lines.push(`${b}: {`);
        for (const a of c.args) {
          const x = this.cond(a, where);
          // Kleene: `and` stops at false and keeps the least, `or` stops at true and keeps the greatest.
          this.lines.push(
            and
              ? `if (${x} === 0) { ${t} = 0; break ${b}; } if (${x} < ${t}) ${t} = ${x};`
              : `if (${x} === 2) { ${t} = 2; break ${b}; } if (${x} > ${t}) ${t} = ${x};`,
          );
        }
        this.lines.push('}');
        return t;
      }
      case 'not': {
        const x = this.cond(c.arg, where);
        this.lines.push(`${t} = 2 - ${x};`);
        return t;
      }
      case 'contains': {
        const probe = this.members.probe(this.index(c.claim, where));
        const n = probe.add(literal(c.value));
        if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`invalid plan: ${where} literal number`);
        const p = this.constant(probe);
        const lit = this.constant(literal(c.value));
        this.load(c.claim, where);
        this.lines.push(
          `${t} = s.state !== 'present' || !Array.isArray(s.value) ? 1 : ${p}.has(s.value, ${n}, ${lit}) ? 2 : 0;`,
        );
        return t;
      }
      case 'one_of': {
        const lits = this.constant(c.values.map(literal) as readonly Literal[]);
        this.load(c.claim, where);
        this.lines.push(
          `x = s.value; ${t} = s.state !== 'present' || !${isLiteral('x')} ? 1 : ${lits}.includes(x) ? 2 : 0;`,
        );
        return t;
      }
      case 'eq':
      case 'ne': {
        const lit = this.constant(literal(c.value));
        const [eq, ne] = c.op === 'eq' ? [2, 0] : [0, 2];
        this.load(c.claim, where);
        this.lines.push(
          `x = s.value; ${t} = s.state !== 'present' || !${isLiteral('x')} ? 1 : x === ${lit} ? ${eq} : ${ne};`,
        );
        return t;
      }
      case 'truthy': {
        this.load(c.claim, where);
        this.lines.push(`${t} = s.state !== 'present' || typeof s.value !== 'boolean' ? 1 : s.value ? 2 : 0;`);
        return t;
      }
      case 'matches':
      case 'starts_with':
      case 'ends_with': {
        let test: string;
        if (c.op === 'matches') test = `${this.constant(compileMatcher(c.regex))}.test(y)`;
        else test = `y.${c.op === 'starts_with' ? 'startsWith' : 'endsWith'}(${this.constant(literal(c.value))})`;
        this.load(c.claim, where);
        const text = `y = typeof x === 'string' ? x : typeof x === 'number' ? String(x) : undefined;`;
        if (c.quantifier === 'one') {
          this.lines.push(
            `if (s.state !== 'present') ${t} = 1; else { x = s.value; ${text} ${t} = y === undefined ? 1 : ${test} ? 2 : 0; }`,
          );
          return t;
        }
        if (c.quantifier !== 'any' && c.quantifier !== 'all') {
          throw new TypeError(`invalid plan: unknown quantifier in ${where}`);
        }
        const all = c.quantifier === 'all';
        // A decisive element ends the loop; otherwise an element that is not text makes it unknown, and `all` over
        // the empty set is unknown (no vacuous truth), as in conditions.ts.
        this.lines.push(
          `if (s.state !== 'present' || !Array.isArray(s.value)) ${t} = 1; else { a = s.value; u = false; ${t} = 3;`,
          `for (let j = 0; j < a.length; j++) { x = a[j]; ${text} if (y === undefined) u = true; else if (${test} !== ${all}) { ${t} = ${all ? 0 : 2}; break; } }`,
          `if (${t} === 3) ${t} = u ? 1 : ${all ? '(a.length === 0 ? 1 : 2)' : '0'}; }`,
        );
        return t;
      }
      default:
        throw new TypeError(`invalid plan: unknown condition op in ${where}`);
    }
  }
}

function isLiteral(x: string): string {
  return `(typeof ${x} === 'string' || typeof ${x} === 'number' || typeof ${x} === 'boolean')`;
}

/**
 * The source and constants of the rules function of a plan (role rules write `rt[j]`, entitlement rules `et[j]`).
 * Throws TypeError for an invalid plan, like compileCond.
 *
 * @example
 * ```ts
 * const g = generateRulesSource([{ when: c, where: 'roles[0]' }], [], index, members);
 * g.source // "'use strict'; const k0 = K[0]; function c0(v, rt, et) { ... } return function rules(v, rt, et) { c0(v, rt, et); };"
 * ```
 */
export function generateRulesSource(
  roleConds: readonly RuleCond[],
  entConds: readonly RuleCond[],
  index: ClaimIndex,
  members: MembershipIndex,
): GeneratedRules {
  const w = new Writer(index, members);
  const all = [
    ...roleConds.map((r, j) => ({ r, out: `rt[${j}]` })),
    ...entConds.map((r, j) => ({ r, out: `et[${j}]` })),
  ];
  const functions: string[] = [];
  const calls: string[] = [];
  for (let from = 0; from < all.length; from += RULES_PER_FUNCTION) {
    for (const { r, out } of all.slice(from, from + RULES_PER_FUNCTION))
      w.lines.push(`${out} = ${w.cond(r.when, r.where)};`);
    functions.push(`function c${calls.length}(v, rt, et) {`, ...w.endFunction(), '}');
    calls.push(`c${calls.length}(v, rt, et);`);
  }
  const consts = w.constants.map((_, n) => `k${n} = K[${n}]`);
  const source = [
    "'use strict';",
    consts.length > 0 ? `const ${consts.join(', ')};` : '',
    ...functions,
    'return function rules(v, rt, et) {',
    ...calls,
    '};',
  ].join('\n');
  return { source, constants: w.constants };
}

/**
 * The rules function of a plan, or null where the environment refuses to compile code (then the closures of
 * conditions.ts evaluate the rules).
 *
 * @example
 * ```ts
 * const rules = generateRules(roleConds, entConds, index, members); // null under a strict CSP
 * rules?.(states, roleTruth, entTruth);
 * ```
 */
export function generateRules(
  roleConds: readonly RuleCond[],
  entConds: readonly RuleCond[],
  index: ClaimIndex,
  members: MembershipIndex,
): RulesFn | null {
  const g = generateRulesSource(roleConds, entConds, index, members);
  let make: (K: readonly unknown[]) => RulesFn;
  try {
    // The source holds no text of the plan (see the file comment): only our identifiers, indices and operators.
    make = new Function('K', g.source) as (K: readonly unknown[]) => RulesFn;
  } catch {
    return null; // EvalError under a Content-Security-Policy: the closures do the work
  }
  return make(g.constants);
}
