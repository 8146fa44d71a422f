/**
 * The literals the plan's rules compare each claim against, and the witnesses of the inexact tests: the values the
 * mutation operators derive their mutations from (split out of simulate.ts).
 */
import type { Cond, Plan, RulePlan } from '../model/plan.js';
import { composeNormalizers } from '../evaluate/normalize.js';
import { testWitnesses } from './regex-witness.js';
import type { Witness } from './types.js';

function condLiterals(c: Cond | undefined, claim: string, out: string[]): void {
  if (!c) return;
  switch (c.op) {
    case 'and':
    case 'or':
      for (const a of c.args) condLiterals(a, claim, out);
      return;
    case 'not':
      condLiterals(c.arg, claim, out);
      return;
    case 'contains':
    case 'eq':
    case 'ne':
      if (c.claim === claim && typeof c.value === 'string') out.push(c.value);
      return;
    case 'one_of':
      if (c.claim === claim) for (const v of c.values) if (typeof v === 'string') out.push(v);
      return;
    case 'starts_with':
    case 'ends_with':
      if (c.claim === claim) out.push(c.value);
      return;
    case 'matches': {
      const lit = regexLiteral(c.regex.source);
      if (c.claim === claim && lit !== null) out.push(lit);
      return;
    }
    default:
      return;
  }
}

/**
 * The literal a regex spells out, when it is one (`^okta-admins$`, `okta\\.admins`), or null: anchors dropped, escaped
 * punctuation unescaped, anything else (classes, groups, quantifiers, alternation) makes it not a literal.
 */
function regexLiteral(source: string): string | null {
  const body = source.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  if (!/^(?:[A-Za-z0-9 _@:/,'"=-]|\\[.\-/_@:+*?()[\]{}|^$\\])+$/.test(body)) return null;
  return body.replace(/\\(.)/g, '$1');
}

/**
 * The string literals the plan's rules compare a claim against: those of grant rules for privileged roles or
 * entitlements first, then the others; de-duplicated, at most `max`.
 *
 * @example
 * ```ts
 * ruleLiterals(plan, 'groups', new Set(['admin'])) // ['okta-admins']
 * ```
 */
export function ruleLiterals(plan: Plan, claim: string, privileged: ReadonlySet<string>, max = 4): string[] {
  const first: string[] = [];
  const rest: string[] = [];
  const rules: RulePlan[] = [...plan.roles.rules, ...plan.entitlements.rules];
  for (const r of rules) condLiterals(r.when, claim, r.effect === 'grant' && privileged.has(r.target) ? first : rest);
  return [...new Set([...first, ...rest])].slice(0, max);
}

/** The literals the privileged rules test one claim against, split by what a user gains from them. */
export interface PrivilegedLiterals {
  /** Having the value helps: tested positively by a grant, or under a negation by a deny. */
  positive: string[];
  /** Losing the value helps: tested under a negation by a grant (`not "Contractors" in groups`, `!=`), or by a deny. */
  negated: string[] /**
   * Values the inexact tests a user gains by passing (`any groups matches /^.*\/admins$/`, `starts_with "admin"` in
   * a grant) accept though no exact reading names them: {@link testWitnesses} of each, taken in turn, at most `max`.
   * `all` marks a witness of an `all ... matches` test, which only passes when it is the set's only value.
   */;
  witnesses: Witness[];
}

/**
 * Pushes the literals `c` tests `claim` against into `pos` or `neg`, by polarity (`not` and `!=` flip it), and the
 * string tests of `claim` a user gains by passing (`matches`, `starts_with`, `ends_with`) into `tests`.
 */
function polarLiterals(c: Cond, claim: string, positive: boolean, pos: string[], neg: string[], tests: Cond[]): void {
  const push = (v: unknown, p: boolean): void => {
    if (typeof v === 'string') (p ? pos : neg).push(v);
  };
  if ((c.op === 'matches' || c.op === 'starts_with' || c.op === 'ends_with') && c.claim === claim && positive)
    tests.push(c);
  switch (c.op) {
    case 'and':
    case 'or':
      for (const a of c.args) polarLiterals(a, claim, positive, pos, neg, tests);
      return;
    case 'not':
      polarLiterals(c.arg, claim, !positive, pos, neg, tests);
      return;
    case 'contains':
    case 'eq':
    case 'ne':
      if (c.claim === claim) push(c.value, c.op === 'ne' ? !positive : positive);
      return;
    case 'one_of':
      if (c.claim === claim) for (const v of c.values) push(v, positive);
      return;
    case 'starts_with':
    case 'ends_with':
      if (c.claim === claim) push(c.value, positive);
      return;
    case 'matches':
      if (c.claim === claim) push(regexLiteral(c.regex.source), positive);
      return;
    default:
      return;
  }
}

/**
 * The string literals the rules for privileged roles and entitlements (grants and denies) compare a claim against,
 * split by polarity: `positive` a user gains by holding (`"vault-admins" in groups` in a grant), `negated` a user
 * gains by losing (`not "Contractors" in groups` in a grant, `"Contractors" in groups` in a deny). De-duplicated,
 * at most `max` each, in rule order; and the `witnesses` of the inexact tests a user gains by passing, at most `max`.
 * The look-alike, lost-value, user-edit and regex-witness operators derive their values from these only, so the
 * mutation count grows with the privileged rules, not with the mapping.
 *
 * @example
 * ```ts
 * privilegedLiterals(plan, 'groups', new Set(['admin']))
 * // { positive: ['vault-admins'], negated: ['Contractors'], witnesses: [{ value: 'x/admins', all: false }] }
 * ```
 */
export function privilegedLiterals(
  plan: Plan,
  claim: string,
  privileged: ReadonlySet<string>,
  max = 4,
): PrivilegedLiterals {
  const pos: string[] = [];
  const neg: string[] = [];
  const tests: Cond[] = [];
  for (const r of [...plan.roles.rules, ...plan.entitlements.rules]) {
    if (r.when && privileged.has(r.target)) polarLiterals(r.when, claim, r.effect === 'grant', pos, neg, tests);
  }
  return {
    positive: [...new Set(pos)].slice(0, max),
    negated: [...new Set(neg)].slice(0, max),
    witnesses: witnessesOf(plan, claim, tests, max),
  };
}

/**
 * The witnesses of several tests of one claim, taken in turn (the first of each test, then the second...) so that
 * every test has one before any has two; distinct, at most `max`. Only the first `max` tests with witnesses count.
 */
function witnessesOf(plan: Plan, claim: string, tests: readonly Cond[], max: number): Witness[] {
  const c = plan.claims.find((x) => x.name === claim);
  const norm = (c && composeNormalizers(c.normalize)) ?? ((s: string) => s);
  const per: Witness[][] = [];
  for (const t of tests) {
    if (per.length >= max) break;
    const all = 'quantifier' in t && t.quantifier === 'all';
    const ws = testWitnesses(t, norm).map((value) => ({ value, all }));
    if (ws.length > 0) per.push(ws);
  }
  const out: Witness[] = [];
  for (let i = 0; out.length < max && per.some((ws) => i < ws.length); i++) {
    for (const ws of per) {
      const w = ws[i];
      if (w && out.length < max && !out.some((o) => o.value === w.value && o.all === w.all)) out.push(w);
    }
  }
  return out;
}
