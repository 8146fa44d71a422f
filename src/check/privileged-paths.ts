/**
 * The checker's view of privileged grants: which rules grant a privileged role, and the exact-path analysis
 * (exact-path.ts) of each, computed once per rule and shared by the `privileged` and `unsafe` rules.
 */
import type { CondNode, RuleNode } from '../syntax/ast.js';
import { analyzeGrant, type ClaimFacts, fromAstCond, type GrantAnalysis } from './exact-path.js';
import { userEditable } from './identity-claims.js';
import type { CheckModel } from './model.js';

/** The grant rules of the roles section whose target is declared privileged. */
export function privilegedGrantRules(m: CheckModel): RuleNode[] {
  const priv = new Set((m.roles?.privileged ?? []).map((p) => p.value));
  if (!priv.size) return [];
  return m.rules.filter(
    (r) => r.section === 'roles' && r.effect === 'grant' && r.target !== null && priv.has(r.target.value),
  );
}

/** A claim's normalisers and source, for the analysis. */
export function claimFacts(m: CheckModel): (name: string) => ClaimFacts | undefined {
  return (name) => {
    const c = m.claims.get(name);
    return (
      c && {
        normalize: c.decl.normalize.map((n) => n.name),
        source: c.decl.source.map((s) => s.value),
        editable: userEditable(m, c.decl)?.reason,
      }
    );
  };
}

const cache = new WeakMap<RuleNode, GrantAnalysis<CondNode>>();

/** The exact-path analysis of a rule's condition (computed once per rule node). */
export function ruleAnalysis(m: CheckModel, r: RuleNode): GrantAnalysis<CondNode> {
  let a = cache.get(r);
  if (!a) {
    a = analyzeGrant(r.when ? fromAstCond(r.when) : undefined, claimFacts(m));
    cache.set(r, a);
  }
  return a;
}

/** Whether a privileged grant has an inexact path (an unconditional grant has one). */
export function hasInexactPath(a: GrantAnalysis<unknown>): boolean {
  return !a.exact;
}

/** The reason of a rule's `unsafe` override, or null when there is none or it is blank (it overrides nothing). */
export function ruleUnsafeReason(r: RuleNode): string | null {
  const reason = r.unsafe?.value;
  return reason !== undefined && reason.trim() !== '' ? reason : null;
}
