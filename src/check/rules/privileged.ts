import type { CondNode, RuleNode } from '../../syntax/ast.js';
import { userEditable } from '../identity-claims.js';
import { walkCond } from '../model.js';
import type { Rule } from '../rule.js';

/** Privileged roles are granted only by exact or anchored tests on claims users cannot edit. */
export const privileged: Rule = {
  name: 'privileged',
  codes: [
    { code: 'privileged/user-editable-claim', severity: 'error', summary: 'A privileged role is granted from a claim users can often edit themselves (name, title, email...).' },
    { code: 'privileged/inexact-match', severity: 'error', summary: 'A privileged role is granted by an unanchored regex or a prefix/suffix test.' },
    { code: 'privileged/unconditional-grant', severity: 'error', summary: 'A privileged role is granted to everyone, with no condition.' },
  ],
  check(m) {
    const priv = new Set((m.roles?.privileged ?? []).map((p) => p.value));
    if (!priv.size) return;
    const grantsOf = (r: RuleNode) => r.section === 'roles' && r.effect === 'grant' && r.target && priv.has(r.target.value);
    for (const r of m.rules.filter(grantsOf)) {
      const role = r.target!.value;
      if (!r.when) {
        m.sink.error('privileged/unconditional-grant', `the privileged role '${role}' is granted to everyone`, r.span, {
          hint: `grant it only on an exact group: grant ${role} when "<group>" in groups`,
        });
        continue;
      }
      walkCond(r.when, (c: CondNode) => {
        if (c.kind !== 'contains' && c.kind !== 'test') return;
        const claim = m.claims.get(c.claim.name);
        const editable = claim && userEditable(m, claim.decl);
        if (editable) {
          m.sink.error('privileged/user-editable-claim', `the privileged role '${role}' depends on '${c.claim.name}', which users can often edit`, c.claim.span, {
            hint: `${editable.reason}; grant privileged roles from IdP-managed groups or roles, or declare the claim trusted "<why>" if users cannot edit it`,
          });
        }
        if (c.kind !== 'test') return;
        const cmp = c.comparison;
        if (cmp.op === 'starts_with' || cmp.op === 'ends_with') {
          m.sink.error('privileged/inexact-match', `the privileged role '${role}' is granted by a ${cmp.op} test`, c.span, {
            hint: 'use an exact membership test or an anchored regex /^...$/',
          });
        } else if (cmp.op === 'matches' && cmp.regex) {
          const a = m.regexes.get(cmp.regex);
          if (a?.ok && !(a.anchoredStart && a.anchoredEnd)) {
            m.sink.error('privileged/inexact-match', `the privileged role '${role}' is granted by an unanchored regex`, cmp.regex.span, {
              hint: 'anchor it: /^...$/',
            });
          }
        }
      });
    }
  },
};
