import type { RuleNode } from '../../syntax/ast.js';
import { keyNeedsOverride } from '../model.js';
import { hasInexactPath, privilegedGrantRules, ruleAnalysis } from '../privileged-paths.js';
import type { Rule } from '../rule.js';
import { present } from '../../model/invariant.js';

/** Every `unsafe` override is repeated, so it is never forgotten. */
export const unsafe: Rule = {
  name: 'unsafe',
  codes: [
    {
      code: 'unsafe/override',
      severity: 'warning',
      summary:
        'An explicit `unsafe "<reason>"` override (on the key, or on a rule granting a privileged role on an ' +
        'inexact path) is in force; every lint and report repeats it.',
    },
    {
      code: 'unsafe/empty-reason',
      severity: 'error',
      summary: 'An `unsafe` override without a reason (it overrides nothing).',
    },
    {
      code: 'unsafe/unneeded',
      severity: 'warning',
      summary:
        'An `unsafe` override on a key that needs none, or on a rule with no inexact path to a privileged role: ' +
        'remove it, so the override keeps its meaning.',
    },
  ],
  check(m) {
    const u = m.key?.unsafe;
    if (u) {
      if (u.value.trim() === '') {
        m.sink.error('unsafe/empty-reason', 'an unsafe override needs a reason', u.span, {
          hint: 'say why, e.g. unsafe "legacy IdP sends only emailAddress; ticket SEC-123"',
        });
      } else if (!keyNeedsOverride(m)) {
        m.sink.warning('unsafe/unneeded', 'this key is durable: the unsafe override is not needed', u.span, {
          hint: 'remove unsafe "..."',
        });
      } else {
        m.sink.warning('unsafe/override', `unsafe key accepted: ${u.value}`, u.span);
      }
    }
    const privileged = new Set<RuleNode>(privilegedGrantRules(m));
    for (const r of m.rules) {
      const ru = r.unsafe;
      if (!ru) continue;
      if (ru.value.trim() === '') {
        m.sink.error('unsafe/empty-reason', 'an unsafe override needs a reason', ru.span, {
          hint: 'say why, e.g. unsafe "IdP sends only group names, not paths; ticket SEC-123"',
        });
      } else if (!privileged.has(r) || !hasInexactPath(ruleAnalysis(m, r))) {
        const why = privileged.has(r)
          ? 'every path of this grant is exact'
          : 'this rule does not grant a privileged role';
        m.sink.warning('unsafe/unneeded', `${why}: the unsafe override is not needed`, ru.span, {
          hint: 'remove unsafe "..."',
        });
      } else {
        m.sink.warning(
          'unsafe/override',
          `inexact grant of the privileged role '${present(r.target).value}' accepted: ${ru.value}`,
          ru.span,
        );
      }
    }
  },
};
