import type { Rule } from '../rule.js';
import { defined } from '../../model/invariant.js';

/** Sources: non-empty, and one segment for SAML (attributes are flat). */
export const claimSource: Rule = {
  name: 'claim-source',
  codes: [
    {
      code: 'claim/empty-source',
      severity: 'error',
      summary: 'A claim source (or one segment of its path) is the empty string.',
    },
    {
      code: 'claim/saml-path',
      severity: 'error',
      summary: 'A SAML claim source has several path segments; SAML attributes are flat names.',
    },
  ],
  check(m) {
    for (const { decl } of m.claims.values()) {
      for (const s of decl.source) {
        if (s.value === '') m.sink.error('claim/empty-source', 'a claim source cannot be empty', s.span);
      }
      if (m.protocol === 'saml' && decl.source.length > 1) {
        const [first, ...rest] = decl.source;
        m.sink.error(
          'claim/saml-path',
          'SAML attributes are flat: a source is one attribute Name',
          { start: defined(first).span.start, end: defined(rest[rest.length - 1]).span.end },
          {
            hint: `write the whole Name as one string: "${decl.source.map((x) => x.value).join('.')}"`,
          },
        );
      }
    }
  },
};
