import type { Rule } from '../rule.js';

/** `roles add` never removes a role: access outlives the reason it was granted. */
export const rolesMode: Rule = {
  name: 'roles-mode',
  codes: [
    {
      code: 'roles/add-mode',
      severity: 'warning',
      summary:
        '`roles add` (or `entitlements add`) never removes what an earlier login granted: stale access accumulates.',
    },
  ],
  check(m) {
    for (const s of [m.roles, m.entitlements]) {
      if (s?.mode?.value !== 'add') continue;
      m.sink.warning(
        'roles/add-mode',
        `${s.kind} add never removes a grant when its condition stops holding`,
        s.mode.span,
        {
          hint: `use ${s.kind} replace, so mapping-owned grants are recomputed at every login (manual grants are kept)`,
        },
      );
    }
  },
};
