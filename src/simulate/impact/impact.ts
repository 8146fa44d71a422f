/**
 * planImpact(): what a mapping change would do to real accounts. Each subject's next login (its last-seen claims)
 * runs through the real provision() twice, under the old and under the new plan, each on a MemoryStore holding a
 * copy of the stored account; the two results are compared. So manual grants, `add` mode, `sync create` / `fill`
 * profile fields, lifecycle state and key changes all count exactly as they will at the next login.
 */
import { randomUUID } from 'node:crypto';
import type { JsonValue } from '../../model/claim-set.js';
import type { Plan } from '../../model/plan.js';
import { jsonEqual } from '../../json/equal.js';
import { provision } from '../../runtime/provision/login.js';
import type { AccountRecord } from '../../runtime/store.js';
import { MemoryStore } from '../../runtime/stores/memory.js';
import type { AccountImpact, GrantTotal, ImpactReport, ImpactSubject, LoginOutcome, MappingRef } from './types.js';
import { defined } from '../../model/invariant.js';

/**
 * Options of {@link planImpact}.
 *
 * @example
 * ```ts
 * const options: PlanImpactOptions = { now: '2026-12-01T00:00:00Z' };
 * const report = await planImpact(oldPlan, newPlan, subjects, options);
 * ```
 */
export interface PlanImpactOptions {
  /** The time of the simulated logins. Default: now. */
  now?: Date | string;
}

const ALLOWED = new Set(['created', 'updated', 'unchanged']);

/**
 * How reports name a plan.
 *
 * @example
 * ```ts
 * mappingRef(plan) // { name: 'acme-okta', version: '2026-11-29', digest: '9be3…' }
 * ```
 */
export const mappingRef = (p: Plan): MappingRef => ({ name: p.name, version: p.version, digest: p.digest });

/**
 * The outcome of a subject's next login under `plan`, computed on a private MemoryStore (nothing is written
 * anywhere else).
 *
 * @example
 * ```ts
 * const out = await simulateLogin(plan, subject); // { action: 'updated', roles: ['viewer'], ... }
 * ```
 */
export async function simulateLogin(
  plan: Plan,
  s: ImpactSubject,
  now?: Date | string,
): Promise<LoginOutcome & { newAccount: boolean }> {
  if (!s.lastSeenClaims) throw new TypeError(`simulateLogin: subject ${s.key} has no lastSeenClaims`);
  const store = new MemoryStore();
  const a = s.account;
  if (a) {
    const at = a.lastIssuedAt ?? new Date(0).toISOString();
    const record: AccountRecord = {
      id: randomUUID(),
      issuer: a.issuer,
      subject: a.subject,
      status: a.status,
      profile: Object.assign(Object.create(null) as Record<string, JsonValue>, s.profile),
      lastSeenClaims: null,
      mappingDigest: a.mappingDigest,
      mappingVersion: a.mappingVersion,
      lastLoginAt: null,
      lastIssuedAt: a.lastIssuedAt,
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await store.transaction(async (tx) => {
      await tx.insertAccount(record);
      await tx.replaceGrants(record.id, structuredClone(s.grants));
    });
  }
  const r = await provision(plan, s.lastSeenClaims, now === undefined ? { store } : { store, now });
  const allowed = ALLOWED.has(r.action);
  const held = (kind: 'role' | 'entitlement') =>
    allowed ? [...new Set((r.account?.grants ?? []).filter((g) => g.kind === kind).map((g) => g.name))].sort() : [];
  const refusal = r.reason
    ? r.decision.refusals[0]
      ? `${r.reason.code} (${r.decision.refusals[0].code})`
      : r.reason.code
    : null;
  return {
    action: r.action,
    refusal,
    roles: held('role'),
    entitlements: held('entitlement'),
    profile: allowed && r.account ? { ...r.account.profile } : { ...s.profile },
    newAccount: a !== undefined && r.action === 'created',
  };
}

const minus = (a: string[], b: string[]) => {
  const set = new Set(b);
  return a.filter((x) => !set.has(x));
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Previews a mapping change on a population: per account, the roles, entitlements and profile values its next
 * login would gain or lose under `newPlan` compared with `oldPlan`, and totals such as
 * `would remove admin from 12 accounts`. Subjects without last-seen claims are listed in `skipped`.
 *
 * @example
 * ```ts
 * const accounts = await listAccounts(store, { issuer: oldPlan.idp.issuer });
 * const report = await planImpact(oldPlan, newPlan, subjectsFromAccounts(accounts, oldPlan));
 * report.totals.text // ['would remove admin (privileged) from 12 accounts', 'would add editor to 3 accounts']
 * ```
 */
export async function planImpact(
  oldPlan: Plan,
  newPlan: Plan,
  subjects: readonly ImpactSubject[],
  options: PlanImpactOptions = {},
): Promise<ImpactReport> {
  if (!oldPlan?.digest || !newPlan?.digest)
    throw new TypeError('planImpact: oldPlan and newPlan must be compiled plans');
  const perAccount: AccountImpact[] = [];
  const skipped: ImpactReport['skipped'] = [];
  let previewed = 0;
  for (const s of subjects) {
    if (!s.lastSeenClaims) {
      skipped.push({ key: s.key, reason: 'never logged in: no last-seen claims to re-evaluate' });
      continue;
    }
    previewed++;
    const before = await simulateLogin(oldPlan, s, options.now);
    const after = await simulateLogin(newPlan, s, options.now);
    const wasAllowed = ALLOWED.has(before.action);
    const isAllowed = ALLOWED.has(after.action);
    const profile: AccountImpact['profile'] = [];
    if (wasAllowed && isAllowed) {
      for (const field of [...new Set([...Object.keys(before.profile), ...Object.keys(after.profile)])].sort()) {
        const from = Object.hasOwn(before.profile, field) ? defined(before.profile[field]) : null;
        const to = Object.hasOwn(after.profile, field) ? defined(after.profile[field]) : null;
        if (!jsonEqual(from, to)) profile.push({ field, from, to });
      }
    }
    const impact: AccountImpact = {
      key: s.key,
      old: { action: before.action, refusal: before.refusal },
      new: { action: after.action, refusal: after.refusal },
      access: wasAllowed === isAllowed ? (isAllowed ? 'kept' : 'none') : isAllowed ? 'gained' : 'lost',
      roles: { gained: minus(after.roles, before.roles), lost: minus(before.roles, after.roles) },
      entitlements: {
        gained: minus(after.entitlements, before.entitlements),
        lost: minus(before.entitlements, after.entitlements),
      },
      profile,
      newAccount: after.newAccount && !before.newAccount,
      notes: s.notes ?? [],
    };
    if (s.label !== undefined) impact.label = s.label;
    const changed =
      impact.access === 'lost' ||
      impact.access === 'gained' ||
      impact.newAccount ||
      impact.roles.gained.length +
        impact.roles.lost.length +
        impact.entitlements.gained.length +
        impact.entitlements.lost.length >
        0 ||
      profile.length > 0;
    if (changed) perAccount.push(impact);
  }
  perAccount.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    old: mappingRef(oldPlan),
    new: mappingRef(newPlan),
    subjects: previewed,
    skipped,
    perAccount,
    totals: totalsOf(perAccount, newPlan, oldPlan),
  };
}

function totalsOf(perAccount: AccountImpact[], newPlan: Plan, oldPlan: Plan): ImpactReport['totals'] {
  const privileged = new Set([...oldPlan.roles.privileged, ...newPlan.roles.privileged]);
  const counts = new Map<string, GrantTotal>();
  const bump = (change: GrantTotal['change'], kind: GrantTotal['kind'], name: string) => {
    const k = `${change}\u0000${kind}\u0000${name}`;
    const t = counts.get(k) ?? {
      change,
      kind,
      name,
      privileged: kind === 'role' && privileged.has(name),
      accounts: 0,
      text: '',
    };
    t.accounts++;
    counts.set(k, t);
  };
  const profileCounts = new Map<string, number>();
  for (const a of perAccount) {
    for (const n of a.roles.lost) bump('remove', 'role', n);
    for (const n of a.roles.gained) bump('add', 'role', n);
    for (const n of a.entitlements.lost) bump('remove', 'entitlement', n);
    for (const n of a.entitlements.gained) bump('add', 'entitlement', n);
    for (const p of a.profile) profileCounts.set(p.field, (profileCounts.get(p.field) ?? 0) + 1);
  }
  const grants = [...counts.values()];
  for (const t of grants) {
    const what = `${t.kind === 'entitlement' ? 'entitlement ' : ''}${t.name}${t.privileged ? ' (privileged)' : ''}`;
    t.text = `would ${t.change} ${what} ${t.change === 'add' ? 'to' : 'from'} ${plural(t.accounts, 'account')}`;
  }
  // Most severe first: privileged removals and additions, then removals, then additions; larger counts first.
  const rank = (t: GrantTotal) => (t.privileged ? 0 : 2) + (t.change === 'remove' ? 0 : 1);
  grants.sort(
    (a, b) => rank(a) - rank(b) || b.accounts - a.accounts || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const access = {
    lost: perAccount.filter((a) => a.access === 'lost').length,
    gained: perAccount.filter((a) => a.access === 'gained').length,
  };
  const newAccounts = perAccount.filter((a) => a.newAccount).length;
  const profile = [...profileCounts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([field, accounts]) => ({ field, accounts, text: `would change ${field} on ${plural(accounts, 'account')}` }));
  const text: string[] = [];
  if (access.lost) text.push(`would refuse the next login of ${plural(access.lost, 'account')} that can log in today`);
  if (newAccounts)
    text.push(`would create a second account for ${plural(newAccounts, 'person', 'people')} (the key changed)`);
  if (access.gained) text.push(`would let ${plural(access.gained, 'account')} log in that are refused today`);
  text.push(...grants.map((t) => t.text), ...profile.map((p) => p.text));
  return { grants, access, profile, newAccounts, text };
}
