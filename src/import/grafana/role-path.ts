/**
 * Grafana's `role_attribute_path`: the JMESPath subset people write, read into an ordered list of alternatives
 * (condition → role), and turned into claimmap grants.
 *
 * The subset: `||` and `&&` chains, `!`, parentheses, `contains(path, 'x')`, `starts_with(path, 'x')`,
 * `ends_with(path, 'x')`, `path == literal` and `!=`, a bare path (a bool claim in a test, the role itself where a
 * role name is expected), raw string `'x'` and JSON `` `"x"` `` literals. Paths are field names joined by `.`, with an
 * optional trailing `[*]` or `[]`. Anything else (filters, indexes, pipes, other functions, ordering comparators)
 * is refused with its offset in the expression.
 *
 * Semantics of the chain (JMESPath spec: `a || b` is `a` when truthy, else `b`; `a && b` is `b` when `a` is truthy,
 * else `a`): `c1 && 'Admin' || c2 && 'Editor' || 'Viewer'` picks the role of the FIRST alternative whose condition
 * holds. Grafana gives one role; claimmap grants a set. The import grants each role together with every role
 * below it in Grafana's order (None < Viewer < Editor < Admin < GrafanaAdmin), so the highest role of the set is the
 * role the chain picks and an app that takes the highest role sees what Grafana gave: role k is granted when some
 * alternative that picks k or higher fires and no EARLIER alternative that picks lower than k fired. Earlier
 * alternatives that pick k or higher need no negation, so a chain written highest-first (the usual order) becomes
 * grants with no `not` at all.
 */
import { tokenize } from '@jmespath-community/jmespath';
import type { JsonValue } from '../../model/claim-set.js';
import { and, type ClaimTable, type Cond, FALSE, not, or, TRUE } from '../condition.js';

/** A JMESPath construct outside the subset, at `offset` in the expression. */
export class Unsupported {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

type JNode =
  | { k: 'or' | 'and'; l: JNode; r: JNode; pos: number }
  | { k: 'not'; e: JNode; pos: number }
  | { k: 'lit'; value: JsonValue; pos: number }
  | { k: 'path'; segs: string[]; projected: boolean; pos: number }
  | { k: 'call'; name: string; args: JNode[]; pos: number }
  | { k: 'cmp'; op: '==' | '!='; l: JNode; r: JNode; pos: number };

interface Token {
  type: string;
  value: unknown;
  start: number;
}

/** Parses the subset; throws `Unsupported` (never anything else) on what it does not cover. */
export function parseRolePath(expression: string): JNode {
  let tokens: Token[];
  try {
    tokens = tokenize(expression) as unknown as Token[];
  } catch (e) {
    const m = /position (\d+)|at (\d+)/.exec((e as Error).message);
    throw new Unsupported(Number(m?.[1] ?? m?.[2] ?? 0), `not valid JMESPath: ${(e as Error).message}`);
  }
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const end = expression.length;
  const fail = (t: Token | undefined, what: string): never => {
    throw new Unsupported(t?.start ?? end, what);
  };
  const expect = (type: string): Token => {
    const t = peek();
    if (t?.type !== type) fail(t, `expected ${type} here, found ${t ? `'${String(t.value)}'` : 'the end'}`);
    i++;
    return t as Token;
  };

  const parseOr = (): JNode => {
    let l = parseAnd();
    while (peek()?.type === 'Or') {
      const pos = (peek() as Token).start;
      i++;
      l = { k: 'or', l, r: parseAnd(), pos };
    }
    return l;
  };
  const parseAnd = (): JNode => {
    let l = parseCmp();
    while (peek()?.type === 'And') {
      const pos = (peek() as Token).start;
      i++;
      l = { k: 'and', l, r: parseCmp(), pos };
    }
    return l;
  };
  const parseCmp = (): JNode => {
    const l = parseNot();
    const t = peek();
    if (t?.type === 'EQ' || t?.type === 'NE') {
      i++;
      return { k: 'cmp', op: t.type === 'EQ' ? '==' : '!=', l, r: parseNot(), pos: t.start };
    }
    if (t && ['LT', 'LTE', 'GT', 'GTE'].includes(t.type)) fail(t, `the ordering comparison '${String(t.value)}'`);
    return l;
  };
  const parseNot = (): JNode => {
    const t = peek();
    if (t?.type === 'Not') {
      i++;
      return { k: 'not', e: parseNot(), pos: t.start };
    }
    return parsePrimary();
  };
  const parsePrimary = (): JNode => {
    const t = peek();
    if (!t) return fail(t, 'an expression is missing');
    if (t.type === 'Lparen') {
      i++;
      const e = parseOr();
      expect('Rparen');
      return e;
    }
    if (t.type === 'Literal') {
      i++;
      return { k: 'lit', value: t.value as JsonValue, pos: t.start };
    }
    if (t.type === 'UnquotedIdentifier' && tokens[i + 1]?.type === 'Lparen') {
      const name = String(t.value);
      if (!['contains', 'starts_with', 'ends_with'].includes(name)) fail(t, `the function ${name}()`);
      i += 2;
      const args: JNode[] = [];
      while (peek()?.type !== 'Rparen') {
        args.push(parseOr());
        if (peek()?.type === 'Comma') i++;
        else if (peek()?.type !== 'Rparen') fail(peek(), `expected ',' or ')' in ${name}()`);
      }
      i++;
      return { k: 'call', name, args, pos: t.start };
    }
    if (t.type === 'UnquotedIdentifier' || t.type === 'QuotedIdentifier') return parsePath();
    return fail(t, `'${String(t.value)}'`);
  };
  const parsePath = (): JNode => {
    const first = peek() as Token;
    const segs = [String(first.value)];
    i++;
    while (peek()?.type === 'Dot') {
      i++;
      const t = peek();
      if (t?.type !== 'UnquotedIdentifier' && t?.type !== 'QuotedIdentifier')
        fail(t, 'a path segment that is not a name');
      segs.push(String((t as Token).value));
      i++;
    }
    let projected = false;
    const t = peek();
    if (t?.type === 'Flatten') {
      projected = true;
      i++;
    } else if (t?.type === 'Lbracket' && tokens[i + 1]?.type === 'Star' && tokens[i + 2]?.type === 'Rbracket') {
      projected = true;
      i += 3;
    }
    const after = peek();
    if (after && ['Lbracket', 'Filter', 'Dot', 'Pipe', 'Star', 'Lbrace'].includes(after.type)) {
      fail(after, `'${String(after.value)}' after a path (only a trailing [*] or [] is read)`);
    }
    return { k: 'path', segs, projected, pos: first.start };
  };

  const node = parseOr();
  if (i < tokens.length) fail(peek(), `'${String(peek()?.value)}' after the end of the expression`);
  return node;
}

/** What an alternative picks: a literal role name, or the value of a string claim. */
export type Pick = { kind: 'literal'; role: string } | { kind: 'claim'; claim: string };

export interface Alternative {
  /** When this alternative fires (for a claim pick: includes the claim being present). */
  cond: Cond;
  pick: Pick;
  /** Offset in the expression. */
  offset: number;
}

/** The chain's alternatives in order. Declares the claims they read in `claims`. */
export function alternatives(node: JNode, claims: ClaimTable): Alternative[] {
  switch (node.k) {
    case 'or':
      return [...alternatives(node.l, claims), ...alternatives(node.r, claims)];
    case 'and': {
      const c = condition(node.l, claims);
      return alternatives(node.r, claims).map((a) => ({ ...a, cond: and(c, a.cond) }));
    }
    case 'lit':
      if (typeof node.value === 'string') {
        return node.value === '' ? [] : [{ cond: TRUE, pick: { kind: 'literal', role: node.value }, offset: node.pos }];
      }
      throw new Unsupported(node.pos, `the literal ${JSON.stringify(node.value)} where a role name is expected`);
    case 'path': {
      if (node.projected) throw new Unsupported(node.pos, 'a list where a role name is expected');
      const claim = claims.use(node.segs, 'string', { required: false, comment: 'its value is the Grafana role' });
      return [{ cond: present(claim), pick: { kind: 'claim', claim }, offset: node.pos }];
    }
    default:
      throw new Unsupported(node.pos, 'a test where a role name is expected (it yields true or false, not a role)');
  }
}

/** A string claim that is present (claimmap reads an empty string as malformed, so present means non-empty). */
export function present(claim: string): Cond {
  return { t: 'matches', claim, regex: '^[\\s\\S]+$' };
}

function literalString(node: JNode, what: string): string {
  if (node.k === 'lit' && typeof node.value === 'string') return node.value;
  throw new Unsupported(node.pos, `${what} must be a string literal`);
}

/** A JMESPath test as a claimmap condition. */
export function condition(node: JNode, claims: ClaimTable): Cond {
  switch (node.k) {
    case 'or':
      return or(condition(node.l, claims), condition(node.r, claims));
    case 'and':
      return and(condition(node.l, claims), condition(node.r, claims));
    case 'not':
      return not(condition(node.e, claims));
    case 'lit':
      // JMESPath truthiness: false, null, '', [] and {} are false; everything else is true.
      return isTruthy(node.value) ? TRUE : FALSE;
    case 'path':
      if (node.projected) throw new Unsupported(node.pos, 'a list used as a test (write contains(...))');
      return { t: 'bool', claim: claims.use(node.segs, 'bool', { required: false }) };
    case 'call': {
      const [target, arg] = node.args;
      if (node.args.length !== 2 || !target || !arg || target.k !== 'path') {
        throw new Unsupported(node.pos, `${node.name}() must take a claim path and a string literal`);
      }
      const value = literalString(arg, `the second argument of ${node.name}()`);
      if (node.name === 'contains') {
        return { t: 'in', value, claim: claims.use(target.segs, 'set<string>', { required: false }) };
      }
      if (target.projected) throw new Unsupported(target.pos, `${node.name}() of a list`);
      return {
        t: 'affix',
        op: node.name === 'starts_with' ? 'starts_with' : 'ends_with',
        value,
        claim: claims.use(target.segs, 'string', { required: false }),
      };
    }
    case 'cmp': {
      const [path, lit] = node.l.k === 'path' ? [node.l, node.r] : [node.r, node.l];
      if (path.k !== 'path' || lit.k !== 'lit') {
        throw new Unsupported(node.pos, `'${node.op}' must compare a claim path with a literal`);
      }
      if (path.projected) throw new Unsupported(path.pos, `'${node.op}' on a list`);
      const v = lit.value;
      if (typeof v === 'boolean') {
        const c: Cond = { t: 'bool', claim: claims.use(path.segs, 'bool', { required: false }) };
        return v === (node.op === '==') ? c : not(c);
      }
      if (typeof v === 'string') {
        return { t: 'cmp', op: node.op, value: v, claim: claims.use(path.segs, 'string', { required: false }) };
      }
      if (typeof v === 'number' && Number.isSafeInteger(v)) {
        return { t: 'cmp', op: node.op, value: v, claim: claims.use(path.segs, 'int', { required: false }) };
      }
      throw new Unsupported(lit.pos, `comparison with ${JSON.stringify(v)}`);
    }
  }
}

function isTruthy(v: JsonValue): boolean {
  if (v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Grafana's org roles in order, and the server-admin flag above them (allow_assign_grafana_admin). */
export const GRAFANA_ROLES = ['None', 'Viewer', 'Editor', 'Admin', 'GrafanaAdmin'] as const;

export interface RoleRules {
  /** The role granted, and when; in Grafana's order, lowest first. None is never granted (it is no role). */
  grants: { role: string; when: Cond }[];
  /** With role_attribute_strict: the login is refused unless this holds (a valid role was picked). */
  require: Cond | null;
}

/**
 * The grants of a chain. `defaultRole` is what Grafana gives when nothing (or an invalid name) is picked
 * (auto_assign_org_role; null with role_attribute_strict, where that login is refused instead).
 */
export function roleRules(alts: Alternative[], defaultRole: string | null, grafanaAdmin: boolean): RoleRules {
  const rank = (name: string): number | null => {
    if (name === 'GrafanaAdmin') return grafanaAdmin ? 4 : 3;
    const r = GRAFANA_ROLES.indexOf(name as (typeof GRAFANA_ROLES)[number]);
    return r >= 0 && r < 4 ? r : null;
  };
  const valid: readonly string[] = GRAFANA_ROLES;
  const d = defaultRole === null ? 0 : (rank(defaultRole) ?? 0);
  // A literal pick with an invalid name counts as the default (or as nothing, when strict: refused then).
  const effective = (a: Alternative): number | null => (a.pick.kind === 'literal' ? (rank(a.pick.role) ?? d) : null);
  const namesWhere = (test: (r: number) => boolean): string[] => valid.filter((n) => test(rank(n) ?? -1));
  const pickIn = (claim: string, names: string[]): Cond =>
    names.length === 0 ? FALSE : { t: 'one-of', claim, values: names };
  const ge = (a: Alternative, k: number): Cond => {
    const e = effective(a);
    if (e !== null) return e >= k ? a.cond : FALSE;
    const claim = (a.pick as { claim: string }).claim;
    return and(
      a.cond,
      or(
        pickIn(
          claim,
          namesWhere((r) => r >= k),
        ),
        d >= k ? not(pickIn(claim, [...valid])) : FALSE,
      ),
    );
  };
  const lt = (a: Alternative, k: number): Cond => {
    const e = effective(a);
    if (e !== null) return e < k ? a.cond : FALSE;
    const claim = (a.pick as { claim: string }).claim;
    return and(
      a.cond,
      or(
        pickIn(
          claim,
          namesWhere((r) => r < k),
        ),
        d < k ? not(pickIn(claim, [...valid])) : FALSE,
      ),
    );
  };
  // Nothing picked: the default (an alternative that always fires, last).
  const chain: Alternative[] =
    defaultRole === null ? alts : [...alts, { cond: TRUE, pick: { kind: 'literal', role: defaultRole }, offset: -1 }];
  const grants: { role: string; when: Cond }[] = [];
  const top = grafanaAdmin ? 4 : 3;
  for (let k = 1; k <= top; k++) {
    const when = or(...chain.map((a, i) => and(ge(a, k), ...chain.slice(0, i).map((b) => not(lt(b, k))))));
    if (when.t === 'const' && !when.value) continue;
    grants.push({ role: GRAFANA_ROLES[k] as string, when });
  }
  let require: Cond | null = null;
  if (defaultRole === null) {
    // Strict: refused unless the first alternative that fires picks a valid role.
    const validPick = (a: Alternative): Cond =>
      a.pick.kind === 'literal'
        ? rank(a.pick.role) === null
          ? FALSE
          : a.cond
        : and(a.cond, pickIn(a.pick.claim, [...valid]));
    require = or(...alts.map((a, i) => and(validPick(a), ...alts.slice(0, i).map((b) => not(b.cond)))));
  }
  return { grants, require };
}
