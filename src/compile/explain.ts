/**
 * Role by role, the conditions of a compiled plan that grant or deny it: what `claimmap explain` prints and what the
 * language server shows when hovering over a role.
 */
import type { Plan, RulePlan } from '../model/plan.js';
import { condClaims, formatCond } from './format-plan.js';

/** One role: its grants, its denies (with the optional claims that also fire them) and the claims it reads. */
export interface RoleExplanation {
  role: string;
  privileged: boolean;
  grants: { rule: string; when: string | null; line: number; unsafe?: string }[];
  denies: { rule: string; when: string | null; alsoWhenUnknown: string[]; line: number }[];
  reads: string[];
}

/** For each role: the claim conditions that grant or deny it, and which claims it depends on. */
export function explainRoles(plan: Plan, only?: string): RoleExplanation[] {
  const roles = only ? [only] : plan.roles.declared;
  return roles.map((role) => {
    const rules = plan.roles.rules.filter((r) => r.target === role);
    const reads = [...new Set(rules.flatMap((r) => condClaims(r.when)))];
    const optional = (r: RulePlan) =>
      condClaims(r.when).filter((c) => !plan.claims.find((x) => x.name === c)?.required);
    return {
      role,
      privileged: plan.roles.privileged.includes(role),
      grants: rules
        .filter((r) => r.effect === 'grant')
        .map((r) => ({
          rule: r.id,
          when: r.when ? formatCond(r.when) : null,
          line: r.loc.line,
          ...(r.unsafe !== undefined ? { unsafe: r.unsafe } : {}),
        })),
      denies: rules
        .filter((r) => r.effect === 'deny')
        .map((r) => ({
          rule: r.id,
          when: r.when ? formatCond(r.when) : null,
          alsoWhenUnknown: optional(r),
          line: r.loc.line,
        })),
      reads,
    };
  });
}
