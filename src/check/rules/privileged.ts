import type { CondNode, RuleNode, Span } from '../../syntax/ast.js';
import { type InexactReason, type LeafVerdict, FOLDING_NORMALIZERS } from '../exact-path.js';
import { claimFacts, privilegedGrantRules, ruleAnalysis, ruleUnsafeReason } from '../privileged-paths.js';
import type { CheckModel } from '../model.js';
import type { CodeInfo, Rule } from '../rule.js';
import { present } from '../../model/invariant.js';

const CODES: readonly CodeInfo[] = [
  {
    code: 'privileged/unconditional-grant',
    severity: 'error',
    summary: 'A privileged role is granted to everyone, with no condition.',
  },
  {
    code: 'privileged/negated-test',
    severity: 'error',
    summary:
      'A privileged role is granted by a negated test (`not "Contractors" in groups`): everyone the test does ' +
      'not match gets it, an emptied claim included.',
  },
  {
    code: 'privileged/not-equal',
    severity: 'error',
    summary: 'A privileged role is granted by a `!=` test: every other value gets it.',
  },
  {
    code: 'privileged/all-quantifier',
    severity: 'error',
    summary:
      'A privileged role is granted by an `all` test, which passes on values it does not name (a truncated or ' +
      'single-value list).',
  },
  {
    code: 'privileged/regex-flags',
    severity: 'error',
    summary:
      'A privileged role is granted by a regex with the `i` flag: case folding matches other spellings and ' +
      'look-alikes (U+017F ſ for s, U+212A K for k).',
  },
  {
    code: 'privileged/inexact-match',
    severity: 'error',
    summary:
      'A privileged role is granted by an unanchored, prefix, suffix or substring regex, an open family of ' +
      'values, or a starts_with / ends_with test.',
  },
  {
    code: 'privileged/leaf-name-match',
    severity: 'error',
    summary:
      'A privileged role is granted by matching the last segment of a group path (`/.*\\/admins$/`, ends_with ' +
      '"/admins"): any group of that name under any parent matches.',
  },
  {
    code: 'privileged/folded-claim',
    severity: 'error',
    summary:
      'A privileged role compares a claim normalised with lower or nfkc: look-alike values (fullwidth, other ' +
      'case) fold into the granted one.',
  },
  {
    code: 'privileged/user-editable-claim',
    severity: 'error',
    summary: 'A privileged role is granted from a claim users can often edit themselves (name, title, email...).',
  },
];

const ROLE = (r: RuleNode) => `the privileged role '${present(r.target).value}'`;

/** The message, hint and span of one reason on one test. */
function describe(
  m: CheckModel,
  r: RuleNode,
  v: LeafVerdict<CondNode>,
  reason: InexactReason,
): { message: string; hint: string; span: Span } {
  const c = v.leaf;
  const role = ROLE(r);
  const claimSpan = c.kind === 'contains' || c.kind === 'test' ? c.claim.span : c.span;
  const regex = c.kind === 'test' && c.comparison.op === 'matches' && c.comparison.regex ? c.comparison.regex : null;
  switch (reason) {
    case 'negated-test':
      return {
        message:
          `${role} is granted when this test is false: everyone it does not match gets the role, ` +
          `including users whose claim is empty`,
        hint:
          `grant on a positive exact test and use not only to narrow it: grant ${present(r.target).value} ` +
          `when "<group>" in groups and not "<excluded>" in groups`,
        span: c.span,
      };
    case 'not-equal':
      return {
        message: `${role} is granted by a != test: every other value gets the role`,
        hint: 'use == with the one value that grants it, or in [...] with the values',
        span: c.span,
      };
    case 'all-quantifier':
      return {
        message:
          `${role} is granted by an 'all' test: it passes for any user whose values all match, a ` +
          `truncated or one-value list included`,
        hint: 'grant on membership of the exact group: "<group>" in groups (or any <claim> matches /^(a|b)$/)',
        span: c.kind === 'test' && c.quantifier ? c.quantifier.span : c.span,
      };
    case 'regex-flags':
      return {
        message:
          `${role} is granted by a case-insensitive regex: it also matches other spellings and Unicode ` +
          `look-alikes (U+017F ſ matches s)`,
        hint: 'remove the i flag and list the exact spellings the IdP sends: /^(vault-admins|Vault-Admins)$/',
        span: regex?.span ?? c.span,
      };
    case 'inexact-match':
      if (c.kind === 'test' && (c.comparison.op === 'starts_with' || c.comparison.op === 'ends_with')) {
        return {
          message: `${role} is granted by a ${c.comparison.op} test`,
          hint: 'use an exact membership test or an anchored regex /^...$/',
          span: c.span,
        };
      }
      return {
        message:
          `${role} is granted by a regex that also matches other values (unanchored, prefix, suffix, ` +
          `substring or an open family)`,
        hint: 'anchor it and name the values: /^(admins|root)$/',
        span: regex?.span ?? c.span,
      };
    case 'leaf-name-match':
      return {
        message: `${role} is granted by the last segment of a group path: a group of that name under any parent matches`,
        hint: 'compare the full path: "/corp/admins" in groups, or /^\\/corp\\/admins$/',
        span: regex?.span ?? c.span,
      };
    case 'folded-claim': {
      const name = c.kind === 'contains' || c.kind === 'test' ? c.claim.name : '';
      const folds =
        m.claims
          .get(name)
          ?.decl.normalize.filter((n) => FOLDING_NORMALIZERS.has(n.name))
          .map((n) => n.name) ?? [];
      return {
        message:
          `${role} compares '${name}', which is normalised with ${folds.join(', ')}: look-alike values ` +
          `fold into the granted one`,
        hint:
          `declare another claim from the same source without ${folds.join(' or ')} (trim is fine) and ` +
          `grant from it`,
        span: claimSpan,
      };
    }
    case 'user-editable-claim': {
      const name = c.kind === 'contains' || c.kind === 'test' ? c.claim.name : '';
      const why = claimFacts(m)(name)?.editable; // the reason the analysis classified this test by
      return {
        message: `${role} depends on '${name}', which users can often edit`,
        hint:
          `${why ? `${why}; ` : ''}grant privileged roles from IdP-managed groups or roles, or declare the ` +
          `claim trusted "<why>" if users cannot edit it`,
        span: claimSpan,
      };
    }
  }
}

/**
 * Privileged roles are granted only on exact paths (src/check/exact-path.ts): each test on an inexact path is
 * reported with its reason. A rule's `unsafe "<reason>"` turns these errors into warnings (the `unsafe` rule adds
 * `unsafe/override`).
 */
export const privileged: Rule = {
  name: 'privileged',
  codes: [...CODES],
  check(m) {
    for (const r of privilegedGrantRules(m)) {
      const reason = ruleUnsafeReason(r);
      const sev = reason ? 'warning' : 'error';
      const accepted = reason ? `accepted because of unsafe "${reason}"` : undefined;
      const a = ruleAnalysis(m, r);
      if (a.unconditional) {
        m.sink.report(sev, 'privileged/unconditional-grant', `${ROLE(r)} is granted to everyone`, r.span, {
          hint:
            accepted ?? `grant it only on an exact group: grant ${present(r.target).value} when "<group>" in groups`,
        });
        continue;
      }
      for (const v of a.inexact) {
        for (const why of v.reasons) {
          const d = describe(m, r, v, why);
          m.sink.report(sev, `privileged/${why}`, d.message, d.span, { hint: accepted ?? d.hint });
        }
      }
    }
  },
};
