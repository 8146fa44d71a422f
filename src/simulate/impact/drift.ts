/**
 * drift(): the clean-up list. Grants that stored accounts hold from the mapping (provenance `mapping`) but that
 * the current plan would not give them from their last-seen claims, and grants stamped by another mapping digest
 * (the account has not logged in since that mapping changed). Manual grants are never drift.
 */
import type { Plan } from '../../model/plan.js';
import type { Grant } from '../../runtime/types.js';
import { evaluate } from '../../evaluate/index.js';
import { mappingRef } from './impact.js';
import type { DriftEntry, DriftReason, DriftReport, ImpactSubject } from './types.js';

/**
 * Lists drifted grants, per account and in total (`3 accounts hold admin that the mapping would not grant`).
 * Pure: evaluates the plan on each subject's last-seen claims, writes nothing.
 *
 * @example
 * ```ts
 * const report = drift(plan, subjectsFromAccounts(await listAccounts(store, { issuer: plan.idp.issuer }), plan));
 * for (const e of report.entries) console.log(e.key, e.kind, e.name, e.reasons.join(','));
 * ```
 */
export function drift(plan: Plan, subjects: readonly ImpactSubject[]): DriftReport {
  if (!plan?.digest) throw new TypeError('drift: plan must be a compiled plan');
  const entries: DriftEntry[] = [];
  const unevaluated: DriftReport['unevaluated'] = [];
  for (const s of subjects) {
    const owned = s.grants.filter((g): g is Extract<Grant, { source: 'mapping' }> => g.source === 'mapping');
    let wanted: { role: Set<string>; entitlement: Set<string> } | null = null;
    let refused = false;
    if (s.lastSeenClaims) {
      const d = evaluate(plan, s.lastSeenClaims);
      refused = d.outcome !== 'allow';
      wanted = { role: new Set(d.roles), entitlement: new Set(d.entitlements) };
    } else if (owned.length) {
      unevaluated.push({ key: s.key, reason: 'never logged in: no last-seen claims to re-evaluate' });
    }
    for (const g of owned) {
      const reasons: DriftReason[] = [];
      if (wanted && refused) reasons.push('refused');
      else if (wanted && !wanted[g.kind].has(g.name)) reasons.push('not-granted');
      if (g.mappingDigest !== plan.digest) reasons.push('older-mapping');
      if (!reasons.length) continue;
      const e: DriftEntry = {
        key: s.key,
        kind: g.kind,
        name: g.name,
        reasons,
        rules: g.rules,
        mappingDigest: g.mappingDigest,
        mappingVersion: g.mappingVersion,
        grantedAt: g.grantedAt,
      };
      if (s.label !== undefined) e.label = s.label;
      entries.push(e);
    }
  }
  entries.sort(
    (a, b) =>
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  return {
    mapping: mappingRef(plan),
    subjects: subjects.length,
    entries,
    unevaluated,
    totals: totalsOf(entries, plan),
  };
}

const REASON_TEXT: Record<DriftReason, string> = {
  'not-granted': 'that the mapping would no longer grant',
  refused: 'but the mapping would refuse their login',
  'older-mapping': 'granted by an older mapping version',
};

function totalsOf(entries: DriftEntry[], plan: Plan): DriftReport['totals'] {
  const counts = new Map<string, DriftReport['totals'][number]>();
  for (const e of entries) {
    for (const reason of e.reasons) {
      const k = `${reason}\u0000${e.kind}\u0000${e.name}`;
      const t = counts.get(k) ?? { kind: e.kind, name: e.name, reason, accounts: 0, text: '' };
      t.accounts++;
      counts.set(k, t);
    }
  }
  const privileged = new Set(plan.roles.privileged);
  const totals = [...counts.values()];
  for (const t of totals) {
    const what = `${t.kind === 'entitlement' ? 'entitlement ' : ''}${t.name}${t.kind === 'role' && privileged.has(t.name) ? ' (privileged)' : ''}`;
    t.text = `${t.accounts} ${t.accounts === 1 ? 'account holds' : 'accounts hold'} ${what} ${REASON_TEXT[t.reason]}`;
  }
  const order: DriftReason[] = ['not-granted', 'refused', 'older-mapping'];
  return totals.sort(
    (a, b) =>
      order.indexOf(a.reason) - order.indexOf(b.reason) ||
      Number(privileged.has(b.name)) - Number(privileged.has(a.name)) ||
      b.accounts - a.accounts ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}
