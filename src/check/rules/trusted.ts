import { isUserEditable, modelIdpKind } from '../identity-claims.js';
import { IDP_KIND_NAMES } from '../idp-kind.js';
import type { Rule } from '../rule.js';

/** Every `trusted "<why>"` on a claim is repeated, so the override is never forgotten (as `unsafe` is). */
export const trusted: Rule = {
  name: 'trusted',
  codes: [
    {
      code: 'trusted/override',
      severity: 'warning',
      summary:
        'A claim users can often edit is declared `trusted "<why>"`, so privileged roles may depend on it; ' +
        'every lint repeats it.',
    },
    {
      code: 'trusted/empty-reason',
      severity: 'error',
      summary: 'A `trusted` claim without a reason (it overrides nothing).',
    },
    {
      code: 'trusted/unneeded',
      severity: 'warning',
      summary:
        'A claim is declared `trusted` but is not user-editable for this IdP anyway: remove it, so the override ' +
        'keeps its meaning.',
    },
  ],
  check(m) {
    const kind = modelIdpKind(m);
    for (const { decl } of m.claims.values()) {
      const t = decl.trusted;
      if (!t) continue;
      if (t.value.trim() === '') {
        m.sink.error('trusted/empty-reason', 'a trusted claim needs a reason', t.span, {
          hint:
            'say why users cannot edit it, e.g. trusted "set by the HR sync only; read-only in the user ' +
            'profile (SEC-42)"',
        });
        continue;
      }
      const why = isUserEditable(
        decl.source.map((s) => s.value),
        kind,
      );
      if (!why) {
        m.sink.warning(
          'trusted/unneeded',
          `'${decl.name.name}' is not user-editable for ${IDP_KIND_NAMES[kind]}: the trusted override is not needed`,
          t.span,
          {
            hint: 'remove trusted "..."',
          },
        );
        continue;
      }
      m.sink.warning('trusted/override', `'${decl.name.name}' trusted as not user-editable: ${t.value}`, t.span, {
        hint: `claimmap would otherwise treat it as ${why.reason}`,
      });
    }
  },
};
