/**
 * The reconcile step of provision(): the grants an account holds after a login, from the grants it held and the
 * roles and entitlements the decision grants, with the changes between the two.
 */
import type { Decision } from '../../evaluate/decision.js';
import { defined } from '../../model/invariant.js';
import type { Plan } from '../../model/plan.js';
import { compareGrants } from '../stores/codec.js';
import type { Change, Grant } from '../types.js';

/** The grants after a login and what changed. */
export interface Reconciled {
  /** In `sortGrants` order (kind, name, source: entitlements before roles), by construction. */
  grants: Grant[];
  /** Role changes, then entitlement changes. */
  changes: Change[];
}

/**
 * The grants of an account after a login whose decision is `decision`: {@link reconcile} for roles, then for
 * entitlements, each in the mode the plan declares for it.
 *
 * @example
 * ```ts
 * const { grants, changes } = reconcileGrants(plan, decision, existing?.grants ?? [], now.toISOString());
 * ```
 */
export function reconcileGrants(plan: Plan, decision: Decision, prior: readonly Grant[], nowIso: string): Reconciled {
  const roles = reconcile('role', plan.roles.mode, prior, decision.roles, decision.grantedBy.roles, plan, nowIso);
  const ents = reconcile(
    'entitlement',
    plan.entitlements.mode,
    prior,
    decision.entitlements,
    decision.grantedBy.entitlements,
    plan,
    nowIso,
  );
  // 'entitlement' sorts before 'role': the two lists, each in order, are the grants in sortGrants order.
  return { grants: ents.grants.concat(roles.grants), changes: roles.changes.concat(ents.changes) };
}

/**
 * Reconciles one kind of grant. Manual grants are kept as they are. In `replace` mode, mapping grants no longer held
 * are removed; in `add` mode they are kept. Held grants are re-stamped with the current mapping digest and rules.
 * The grants come out in `sortGrants` order (name, then source): the granted names are sorted, so only a kind that
 * also keeps manual or `add`-mode grants is sorted again.
 *
 * @example
 * ```ts
 * reconcile('role', 'replace', [], ['viewer'], { viewer: ['r1'] }, plan, '2026-11-01T09:00:00.000Z');
 * // { grants: [{ kind: 'role', name: 'viewer', source: 'mapping', rules: ['r1'], … }],
 * //   changes: [{ field: 'role', op: 'add', name: 'viewer', rules: ['r1'] }] }
 * ```
 */
export function reconcile(
  kind: Grant['kind'],
  mode: 'replace' | 'add',
  prior: readonly Grant[],
  desired: readonly string[],
  grantedBy: Readonly<Record<string, string[]>>,
  plan: Plan,
  nowIso: string,
): Reconciled {
  const grants: Grant[] = [];
  const owned = new Map<string, Extract<Grant, { source: 'mapping' }>>();
  let kept = false;
  for (const g of prior) {
    if (g.kind !== kind) continue;
    if (g.source === 'manual') {
      grants.push(g);
      kept = true;
    } else owned.set(g.name, g);
  }
  const changes: Change[] = [];
  const want = sortedUnique(desired);
  for (const name of want) {
    const ruleIds = sortedUnique(grantedBy[name] ?? []);
    const old = owned.get(name);
    grants.push({
      kind,
      name,
      grantedAt: old?.grantedAt ?? nowIso,
      source: 'mapping',
      rules: ruleIds,
      mappingDigest: plan.digest,
      mappingVersion: plan.version,
    });
    if (!old) changes.push({ field: kind, op: 'add', name, rules: ruleIds });
    else if (!sameStrings(old.rules, ruleIds)) {
      changes.push({ field: kind, op: 'change', name, from: old.rules, to: ruleIds, rules: ruleIds });
    }
  }
  if (owned.size > 0) {
    const wanted = new Set(want);
    for (const [name, old] of owned) {
      if (wanted.has(name)) continue;
      if (mode === 'add') {
        grants.push(old);
        kept = true;
      } else changes.push({ field: kind, op: 'remove', name, rules: old.rules });
    }
  }
  return { grants: kept ? grants.sort(compareGrants) : grants, changes };
}

/**
 * Whether two grant lists, both in `sortGrants` order, hold the same grants with the same provenance: what
 * comparing their canonical JSON tells, field by field (this runs on every returning login).
 *
 * @example
 * ```ts
 * if (!sameGrants(existing.grants, sortGrants(grants))) await tx.replaceGrants(existing.id, grants);
 * ```
 */
export function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = defined(a[i]);
    const y = defined(b[i]);
    if (x.kind !== y.kind || x.name !== y.name || x.grantedAt !== y.grantedAt) return false;
    if (x.source === 'mapping') {
      if (
        y.source !== 'mapping' ||
        x.mappingDigest !== y.mappingDigest ||
        x.mappingVersion !== y.mappingVersion ||
        !sameStrings(x.rules, y.rules)
      ) {
        return false;
      }
    } else if (y.source !== 'manual' || x.actor !== y.actor || x.note !== y.note) {
      return false;
    }
  }
  return true;
}

/** The distinct strings of a list, sorted (a new array; one pass when they already are). */
function sortedUnique(list: readonly string[]): string[] {
  for (let i = 1; i < list.length; i++) {
    if (!(defined(list[i - 1]) < defined(list[i]))) return [...new Set(list)].sort();
  }
  return list.slice();
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
