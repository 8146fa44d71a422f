import { confusableWith, lookalikeDetail } from '../../names/confusables.js';
import { describeNameProblem, nameProblem, quoteName, templateProblem } from '../../names/name.js';
import type { RoleNameNode } from '../../syntax/ast.js';
import type { Rule } from '../rule.js';
import { parseTemplate } from '../../model/entitlement-template.js';

const INVALID_HINT =
  'write the name without surrounding white space or invisible characters (manual grants refuse such names too)';

/**
 * Role and entitlement names follow the rules manual grants follow (src/names/name.ts), and none looks like a
 * privileged role without being it (src/names/confusables.ts): `"Admin"`, `"аdmin"` (Cyrillic а) or fullwidth
 * `"ａｄｍｉｎ"` next to `privileged admin` is a second role an app comparing loosely, or a reviewer reading
 * quickly, takes for the privileged one.
 */
export const names: Rule = {
  name: 'names',
  codes: [
    {
      code: 'name/invalid',
      severity: 'error',
      summary:
        'A role or entitlement name is empty, too long, has leading or trailing white space, or holds a ' +
        'control, format or invisible character (the rules manual grants follow).',
    },
    {
      code: 'name/confusable-privileged',
      severity: 'error',
      summary:
        'A role or entitlement name looks like a privileged role (another case, fullwidth or NFKC forms, ' +
        'Cyrillic or Greek look-alike letters) without being it.',
    },
  ],
  check(m) {
    const privileged = [...new Set((m.roles?.privileged ?? []).map((p) => p.value))];
    /** Reports a name the name rules refuse; true when it did. */
    const invalid = (n: RoleNameNode, what: 'role' | 'entitlement'): boolean => {
      const problem = nameProblem(n.value);
      if (problem === null) return false;
      m.sink.error('name/invalid', `the ${what} name ${quoteName(n.value)} ${describeNameProblem(problem)}`, n.span, {
        hint: INVALID_HINT,
      });
      return true;
    };
    const lookalike = (n: RoleNameNode, what: 'role' | 'entitlement'): void => {
      if (privileged.includes(n.value)) return;
      const like = confusableWith(n.value, privileged);
      if (like === undefined) return;
      m.sink.error(
        'name/confusable-privileged',
        `the ${what} ${quoteName(n.value)} looks like the privileged role ${quoteName(like)} but is not it: it ` +
          `${lookalikeDetail(n.value, like)}`,
        n.span,
        {
          hint: `write ${quoteName(like)} if that role is meant, or a name that does not look like it`,
        },
      );
    };

    for (const p of m.roles?.privileged ?? []) invalid(p, 'role');
    for (const r of m.roles?.rules ?? []) if (r.target && !invalid(r.target, 'role')) lookalike(r.target, 'role');
    for (const r of m.entitlements?.rules ?? []) {
      const t = r.target;
      if (!t || t.value === '') continue; // entitlement/empty
      const template = r.forEach ? parseTemplate(t.value) : null;
      if (r.forEach && template === null) continue; // entitlement/invalid-template
      const parts = template?.parts ?? [];
      if (!parts.some((p) => typeof p !== 'string')) {
        if (!invalid(t, 'entitlement')) lookalike(t, 'entitlement');
        continue;
      }
      // A template: its literal text follows the name rules (what a capture adds comes from the IdP at each login).
      const problem = templateProblem(parts);
      if (problem !== null) {
        m.sink.error(
          'name/invalid',
          `the entitlement template ${quoteName(t.value)} ${describeNameProblem(problem)}`,
          t.span,
          { hint: INVALID_HINT },
        );
      }
    }
  },
};
