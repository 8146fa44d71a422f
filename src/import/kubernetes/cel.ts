/**
 * The CEL subset of a Kubernetes AuthenticationConfiguration that maps to claimmap conditions: `claims.x == 'y'`,
 * `!=`, `'g' in claims.groups`, `claims.x in ['a', 'b']`, a bool claim compared with `true`/`false`,
 * `claims.x.startsWith('p')`, `endsWith`, `matches('re')`, `!`, `&&`, `||`, parentheses. Paths are `claims.a.b`
 * or `claims['a']`. Anything else (has(), optionals, macros, arithmetic, other functions) is refused with its
 * offset in the expression. Parsed by @marcbachmann/cel-js, whose AST carries positions.
 */
import { Environment } from '@marcbachmann/cel-js';
import { and, type ClaimTable, type Cond, FALSE, not, or, TRUE } from '../condition.js';

export class CelUnsupported {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

interface CelNode {
  op: string;
  args: unknown;
  pos: number;
}

const env = new Environment({ unlistedVariablesAreDyn: true, enableOptionalTypes: true });

/** Parses a CEL expression (throws CelUnsupported with the parser's position on a syntax error). */
export function parseCel(expression: string): CelNode {
  try {
    return env.parse(expression).ast as unknown as CelNode;
  } catch (e) {
    const node = (e as { node?: { pos?: number } }).node;
    throw new CelUnsupported(node?.pos ?? 0, `not valid CEL: ${(e as Error).message.split('\n')[0]}`);
  }
}

function isNode(x: unknown): x is CelNode {
  return typeof x === 'object' && x !== null && 'op' in x;
}

/** `claims.a.b` → ['a', 'b']; null when the node is not such a path. */
function claimPath(node: CelNode): string[] | null {
  if (node.op === '.' && Array.isArray(node.args)) {
    const [base, field] = node.args as [CelNode, string];
    if (isNode(base) && base.op === 'id' && base.args === 'claims') return [field];
    const inner = isNode(base) ? claimPath(base) : null;
    return inner ? [...inner, field] : null;
  }
  if (node.op === '[]' && Array.isArray(node.args)) {
    const [base, index] = node.args as [CelNode, CelNode];
    if (isNode(index) && index.op === 'value' && typeof index.args === 'string') {
      if (isNode(base) && base.op === 'id' && base.args === 'claims') return [index.args];
      const inner = isNode(base) ? claimPath(base) : null;
      return inner ? [...inner, index.args] : null;
    }
  }
  return null;
}

function value(node: CelNode): string | boolean | number | null {
  if (node.op !== 'value') return null;
  const v = node.args;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER))
    return Number(v);
  return null;
}

/** The claimmap condition of a CEL expression over `claims`. */
export function celCondition(node: CelNode, claims: ClaimTable): Cond {
  const args = node.args as CelNode[];
  switch (node.op) {
    case '||':
      return or(celCondition(args[0] as CelNode, claims), celCondition(args[1] as CelNode, claims));
    case '&&':
      return and(celCondition(args[0] as CelNode, claims), celCondition(args[1] as CelNode, claims));
    case '!_':
      return not(celCondition(node.args as unknown as CelNode, claims));
    case 'value':
      if (typeof node.args === 'boolean') return node.args ? TRUE : FALSE;
      break;
    case '==':
    case '!=': {
      const [l, r] = args as [CelNode, CelNode];
      const [p, v] = claimPath(l) ? [claimPath(l), value(r)] : [claimPath(r), value(l)];
      if (p && v !== null) {
        if (typeof v === 'boolean') {
          const c: Cond = { t: 'bool', claim: claims.use(p, 'bool', { required: false }) };
          return v === (node.op === '==') ? c : not(c);
        }
        const type = typeof v === 'number' ? 'int' : 'string';
        return { t: 'cmp', op: node.op, value: v, claim: claims.use(p, type, { required: false }) };
      }
      break;
    }
    case 'in': {
      const [l, r] = args as [CelNode, CelNode];
      const lv = value(l);
      const rp = claimPath(r);
      if (typeof lv === 'string' && rp)
        return { t: 'in', value: lv, claim: claims.use(rp, 'set<string>', { required: false }) };
      const lp = claimPath(l);
      if (lp && r.op === 'list' && Array.isArray(r.args)) {
        const values = (r.args as CelNode[]).map(value);
        if (values.every((x): x is string => typeof x === 'string')) {
          return { t: 'one-of', claim: claims.use(lp, 'string', { required: false }), values };
        }
      }
      break;
    }
    case 'rcall': {
      const [name, target, callArgs] = node.args as [string, CelNode, CelNode[]];
      const p = isNode(target) ? claimPath(target) : null;
      const arg = callArgs?.[0] ? value(callArgs[0]) : null;
      if (p && typeof arg === 'string' && callArgs.length === 1) {
        if (name === 'startsWith' || name === 'endsWith') {
          return {
            t: 'affix',
            op: name === 'startsWith' ? 'starts_with' : 'ends_with',
            value: arg,
            claim: claims.use(p, 'string', { required: false }),
          };
        }
        if (name === 'matches')
          return { t: 'matches', regex: arg, claim: claims.use(p, 'string', { required: false }) };
      }
      // Point at the method name, after the target and its '.' (a macro's own pos is synthetic).
      const end = (target as unknown as { end?: number }).end;
      throw new CelUnsupported(
        typeof end === 'number' ? end + 1 : Math.max(node.pos, 0),
        `the call ${name}() (only startsWith, endsWith and matches on a claim, with a string literal)`,
      );
    }
    case 'call': {
      const [name] = node.args as [string];
      throw new CelUnsupported(
        node.pos,
        `${name}() (claimmap has no presence test: an absent claim makes a test unknown)`,
      );
    }
  }
  throw new CelUnsupported(node.pos, `the CEL construct '${node.op}'`);
}

/** Evaluates a CEL expression with `vars` bound, as the API server does (a thrown error is an evaluation error). */
export function celEvaluator(expression: string): ((vars: Record<string, unknown>) => unknown) | null {
  try {
    const compiled = env.parse(expression);
    return (vars) => compiled(vars);
  } catch {
    return null;
  }
}
