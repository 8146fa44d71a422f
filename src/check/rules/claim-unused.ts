import type { Rule } from '../rule.js';

/** Declared claims that nothing reads. */
export const claimUnused: Rule = {
  name: 'claim-unused',
  codes: [
    {
      code: 'claim/unused',
      severity: 'warning',
      summary: 'A claim is declared but no key, profile field or rule reads it.',
    },
  ],
  check(m) {
    const used = new Set(m.refs.map((r) => r.name.name));
    for (const [name, c] of m.claims) {
      if (used.has(name)) continue;
      m.sink.warning('claim/unused', `the claim '${name}' is declared but never used`, c.decl.name.span, {
        hint:
          c.decl.presence?.value === 'required'
            ? 'use it (a login gate is written require <condition>), or remove it: a required claim nobody uses ' +
              'still refuses logins that lack it'
            : 'remove it, or use it in the profile or a rule',
      });
    }
  },
};
