import type { ClaimType } from '../../model/plan.js';
import type { ExprNode } from '../../syntax/ast.js';
import { describeType, isCollection, isStringLike, type CheckModel } from '../model.js';
import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';
import { defined } from '../../model/invariant.js';

export const SYNC_MODES = ['always', 'create', 'fill'] as const;
export const PROFILE_FUNCTIONS: Record<string, { arity: number; doc: string }> = {
  lower: { arity: 1, doc: 'lower(x)' },
  trim: { arity: 1, doc: 'trim(x)' },
  nfkc: { arity: 1, doc: 'nfkc(x)' },
  join: { arity: 2, doc: 'join(list, ", ")' },
  domain: { arity: 1, doc: 'domain(email)' },
};

type T = ClaimType | { kind: 'string' } | null;

/** Types an expression, reporting misuse; returns null when unknown. */
function typeOf(e: ExprNode, m: CheckModel): T {
  const bad = (msg: string, span = e.span, hint?: string): null => {
    m.sink.error('profile/type-mismatch', msg, span, { hint });
    return null;
  };
  switch (e.kind) {
    case 'string':
      return { kind: 'string' };
    case 'int':
      return { kind: 'int' };
    case 'bool':
      return { kind: 'bool' };
    case 'ref':
      return m.claims.get(e.name.name)?.type ?? null;
    case 'concat': {
      for (const a of e.args) {
        const t = typeOf(a, m);
        if (t && !isStringLike(t))
          bad(
            `'+' joins strings, but this is ${describeType(t)}`,
            a.span,
            isCollection(t) ? 'use join(list, ", ")' : undefined,
          );
      }
      return { kind: 'string' };
    }
    case 'coalesce': {
      const types = e.args.map((a) => typeOf(a, m));
      const first = types.find((t) => t) ?? null;
      types.forEach((t, i) => {
        if (t && first && isStringLike(t) !== isStringLike(first))
          bad(
            `'??' alternatives must have one type: ${describeType(first)} and ${describeType(t)}`,
            defined(e.args[i]).span,
          );
      });
      return first;
    }
    case 'call': {
      const fn = PROFILE_FUNCTIONS[e.fn.name];
      if (!fn || !Object.hasOwn(PROFILE_FUNCTIONS, e.fn.name)) {
        m.sink.error('profile/unknown-function', `unknown function '${e.fn.name}'`, e.fn.span, {
          hint:
            didYouMean(e.fn.name, Object.keys(PROFILE_FUNCTIONS)) ??
            `available: ${Object.values(PROFILE_FUNCTIONS)
              .map((f) => f.doc)
              .join(', ')}`,
        });
        for (const a of e.args) typeOf(a, m);
        return null;
      }
      if (e.args.length !== fn.arity) {
        m.sink.error(
          'profile/arity',
          `${e.fn.name} takes ${fn.arity} argument${fn.arity > 1 ? 's' : ''}, not ${e.args.length}`,
          e.span,
          { hint: `write ${fn.doc}` },
        );
        return { kind: 'string' };
      }
      const ts = e.args.map((a) => typeOf(a, m));
      const t0 = ts[0] ?? null;
      if (e.fn.name === 'join') {
        if (t0 && !(isCollection(t0) && isStringLike(t0.element)))
          bad(`join needs a set or list of strings, not ${describeType(t0)}`, defined(e.args[0]).span);
        if (e.args[1]?.kind !== 'string')
          bad('the separator of join must be a string literal', defined(e.args[1]).span);
      } else if (e.fn.name === 'domain') {
        if (t0 && t0.kind !== 'email') bad(`domain needs an email, not ${describeType(t0)}`, defined(e.args[0]).span);
      } else if (t0 && !isStringLike(t0)) {
        bad(`${e.fn.name} needs a string, not ${describeType(t0)}`, defined(e.args[0]).span);
      }
      return { kind: 'string' };
    }
  }
}

/** Profile fields: unique names, known sync modes, well-typed expressions, `clear` only with `always`. */
export const profile: Rule = {
  name: 'profile',
  codes: [
    { code: 'profile/duplicate-field', severity: 'error', summary: 'A profile field is defined twice.' },
    { code: 'profile/unknown-sync', severity: 'error', summary: 'A sync mode is not always, create or fill.' },
    {
      code: 'profile/clear-needs-always',
      severity: 'error',
      summary: '`clear` is only meaningful with `sync always`.',
    },
    {
      code: 'profile/unknown-function',
      severity: 'error',
      summary: 'A profile expression calls a function that does not exist.',
    },
    { code: 'profile/arity', severity: 'error', summary: 'A function is called with the wrong number of arguments.' },
    {
      code: 'profile/type-mismatch',
      severity: 'error',
      summary:
        'A profile expression combines values of the wrong type: `+` on a list, `join` on a scalar, `domain` on ' +
        'a non-email.',
    },
  ],
  check(m) {
    const seen = new Map<string, { start: number; end: number }>();
    for (const f of m.profile?.fields ?? []) {
      const prev = seen.get(f.name.name);
      if (prev) {
        m.sink.error('profile/duplicate-field', `the profile field '${f.name.name}' is defined twice`, f.name.span, {
          hint: 'keep one definition; use ?? to fall back from one claim to another',
          related: [{ span: prev, message: 'first defined here' }],
        });
      } else seen.set(f.name.name, f.name.span);
      if (f.sync && !(SYNC_MODES as readonly string[]).includes(f.sync.name)) {
        m.sink.error('profile/unknown-sync', `unknown sync mode '${f.sync.name}'`, f.sync.span, {
          hint:
            didYouMean(f.sync.name, SYNC_MODES) ??
            'use always (every login), create (at JIT only) or fill (only while empty)',
        });
      } else if (f.clear && f.sync?.name !== 'always') {
        m.sink.error(
          'profile/clear-needs-always',
          `'clear' has no effect with sync ${f.sync?.name ?? ''}`.trim(),
          f.clear,
          { hint: 'remove clear, or use sync always clear' },
        );
      }
      if (f.expr) typeOf(f.expr, m);
    }
  },
};
