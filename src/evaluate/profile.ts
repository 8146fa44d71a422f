/**
 * Profile value expressions compiled to closures. Absent and malformed propagate: `+` of an absent operand is
 * absent, of a malformed one malformed (malformed wins); `??` takes the first present operand; the string functions
 * pass absent and malformed through. A present operand of the wrong JSON type makes the result malformed.
 */
import type { JsonValue } from '../model/claim-set.js';
import type { Expr } from '../model/plan.js';
import { ABSENT } from './claim-values.js';
import type { ClaimIndex } from './conditions.js';
import type { ClaimState } from './decision.js';
import { lower, nfkc, trim } from './normalize.js';
import { defined } from '../model/invariant.js';

/** A compiled profile expression. */
export type ExprFn = (v: readonly ClaimState[]) => ClaimState;

const MALFORMED_OPERAND: ClaimState = Object.freeze({
  state: 'malformed' as const,
  reason: 'wrong-type' as const,
  detail: 'an operand has a type the expression cannot use',
});

function present(value: JsonValue): ClaimState {
  return { state: 'present', value };
}

/** Text of a scalar for `+`: strings as they are, numbers and booleans in their JSON spelling. */
function scalarText(v: JsonValue): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/**
 * Compiles a profile expression.
 *
 * @example
 * ```ts
 * const f = compileExpr({ op: 'call', fn: 'domain', args: [{ op: 'claim', claim: 'email' }] }, () => 0, 'profile.org');
 * f([{ state: 'present', value: 'jane@example.com' }]) // { state: 'present', value: 'example.com' }
 * ```
 */
export function compileExpr(e: Expr, index: ClaimIndex, where: string): ExprFn {
  switch (e.op) {
    case 'claim': {
      const i = index(e.claim, where);
      return (v) => defined(v[i]);
    }
    case 'literal': {
      const s: ClaimState = Object.freeze(present(e.value));
      return () => s;
    }
    case 'concat': {
      const fs = e.args.map((a) => compileExpr(a, index, where));
      return (v) => {
        let out = '';
        let absent = false;
        for (const f of fs) {
          const s = f(v);
          if (s.state === 'malformed') return s;
          if (s.state === 'absent') {
            absent = true;
            continue;
          }
          const t = scalarText(s.value);
          if (t === undefined) return MALFORMED_OPERAND;
          out += t;
        }
        return absent ? ABSENT : present(out);
      };
    }
    case 'coalesce': {
      const fs = e.args.map((a) => compileExpr(a, index, where));
      return (v) => {
        let firstMalformed: ClaimState | undefined;
        for (const f of fs) {
          const s = f(v);
          if (s.state === 'present') return s;
          if (s.state === 'malformed' && firstMalformed === undefined) firstMalformed = s;
        }
        return firstMalformed ?? ABSENT;
      };
    }
    case 'call':
      return compileCall(
        e.fn,
        e.args.map((a) => compileExpr(a, index, where)),
        where,
      );
    default:
      throw new TypeError(
        `invalid plan: unknown expression op ${JSON.stringify((e as { op?: unknown }).op)} in ${where}`,
      );
  }
}

function stringFn(f: (s: string) => string, arg: ExprFn): ExprFn {
  return (v) => {
    const s = arg(v);
    if (s.state !== 'present') return s;
    return typeof s.value === 'string' ? present(f(s.value)) : MALFORMED_OPERAND;
  };
}

function compileCall(fn: string, args: ExprFn[], where: string): ExprFn {
  const arity = fn === 'join' ? 2 : 1;
  if (args.length !== arity) throw new TypeError(`invalid plan: ${fn}() takes ${arity} argument(s) in ${where}`);
  const a0 = defined(args[0]);
  switch (fn) {
    case 'lower':
      return stringFn(lower, a0);
    case 'trim':
      return stringFn(trim, a0);
    case 'nfkc':
      return stringFn(nfkc, a0);
    case 'domain':
      return (v) => {
        const s = a0(v);
        if (s.state !== 'present') return s;
        if (typeof s.value !== 'string') return MALFORMED_OPERAND;
        const at = s.value.lastIndexOf('@');
        return at < 0 || at === s.value.length - 1 ? MALFORMED_OPERAND : present(s.value.slice(at + 1));
      };
    case 'join': {
      const a1 = defined(args[1]);
      return (v) => {
        const s = a0(v);
        const sep = a1(v);
        if (s.state === 'malformed') return s;
        if (sep.state === 'malformed') return sep;
        if (s.state === 'absent' || sep.state === 'absent') return ABSENT;
        if (!Array.isArray(s.value) || typeof sep.value !== 'string') return MALFORMED_OPERAND;
        let out = '';
        for (let k = 0; k < s.value.length; k++) {
          const t = scalarText(defined(s.value[k]));
          if (t === undefined) return MALFORMED_OPERAND;
          out += k === 0 ? t : sep.value + t;
        }
        return present(out);
      };
    }
    default:
      throw new TypeError(`invalid plan: unknown profile function ${JSON.stringify(fn)} in ${where}`);
  }
}
