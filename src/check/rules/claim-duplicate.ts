import type { Rule } from '../rule.js';
import { defined } from '../../model/invariant.js';

/** Claim names are unique; two claims reading one source are suspicious. */
export const claimDuplicate: Rule = {
  name: 'claim-duplicate',
  codes: [
    { code: 'claim/duplicate', severity: 'error', summary: 'Two claims are declared with the same name.' },
    {
      code: 'claim/duplicate-source',
      severity: 'warning',
      summary: 'Two claims read the same source attribute or path.',
    },
  ],
  check(m) {
    const bySource = new Map<string, string>();
    for (const block of m.ast.sections) {
      if (block.kind !== 'claims') continue;
      for (const d of block.claims) {
        const first = m.claims.get(d.name.name);
        if (first && first.decl !== d) {
          m.sink.error('claim/duplicate', `the claim '${d.name.name}' is declared twice`, d.name.span, {
            hint: 'rename one of them',
            related: [{ span: first.decl.name.span, message: 'first declared here' }],
          });
          continue;
        }
        if (d.source.length === 0) continue;
        const key = JSON.stringify(d.source.map((s) => s.value));
        const other = bySource.get(key);
        if (other !== undefined) {
          const o = defined(m.claims.get(other));
          m.sink.warning(
            'claim/duplicate-source',
            `'${d.name.name}' reads the same source as '${other}'`,
            defined(d.source[0]).span,
            {
              hint: 'declare the source once, with the type and normalisation every use needs',
              related: [{ span: o.decl.name.span, message: `'${other}' is declared here` }],
            },
          );
        } else bySource.set(key, d.name.name);
      }
    }
  },
};
