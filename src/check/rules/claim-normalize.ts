import { isCollection, isStringLike } from '../model.js';
import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';
import { defined } from '../../model/invariant.js';

export const NORMALIZERS = ['lower', 'trim', 'nfkc'] as const;

/** Declared normalisers exist, apply to strings, and are not repeated. */
export const claimNormalize: Rule = {
  name: 'claim-normalize',
  codes: [
    { code: 'normalize/unknown', severity: 'error', summary: 'A normaliser is not one of lower, trim, nfkc.' },
    {
      code: 'normalize/non-string',
      severity: 'error',
      summary: 'A normaliser is declared on a claim whose values are not strings (bool, int).',
    },
    {
      code: 'normalize/duplicate',
      severity: 'warning',
      summary: 'A normaliser is listed twice (they are idempotent, so this does nothing).',
    },
  ],
  check(m) {
    for (const { decl, type } of m.claims.values()) {
      const seen = new Set<string>();
      for (const n of decl.normalize) {
        if (!(NORMALIZERS as readonly string[]).includes(n.name)) {
          m.sink.error('normalize/unknown', `unknown normaliser '${n.name}'`, n.span, {
            hint:
              didYouMean(n.name, NORMALIZERS) ??
              `use ${NORMALIZERS.join(', ')}${n.name === 'upper' ? ' (upper-casing is not supported: it is not locale-safe)' : ''}`,
          });
        } else if (seen.has(n.name)) {
          m.sink.warning('normalize/duplicate', `'${n.name}' is listed twice`, n.span, {
            hint: 'normalisers are idempotent: list each once',
          });
        }
        seen.add(n.name);
      }
      const el = isCollection(type) ? type.element : type;
      if (decl.normalize.length && el && !isStringLike(el)) {
        m.sink.error(
          'normalize/non-string',
          `'${decl.name.name}' holds ${el.kind} values, which cannot be normalised`,
          defined(decl.normalize[0]).span,
          {
            hint: 'remove normalize',
          },
        );
      }
    }
  },
};
