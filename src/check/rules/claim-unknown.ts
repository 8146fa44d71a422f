import type { Rule } from '../rule.js';
import { didYouMean } from '../suggest.js';

/** Every claim reference names a declared claim. */
export const claimUnknown: Rule = {
  name: 'claim-unknown',
  codes: [
    {
      code: 'claim/unknown',
      severity: 'error',
      summary: 'A name is used as a claim but no claim of that name is declared.',
    },
  ],
  check(m) {
    for (const r of m.refs) {
      if (m.claims.has(r.name.name)) continue;
      m.sink.error('claim/unknown', `no claim named '${r.name.name}' is declared`, r.name.span, {
        hint:
          didYouMean(r.name.name, m.claims.keys()) ??
          `declare it in claims { ${r.name.name} : string from "<source>" optional }`,
      });
    }
  },
};
