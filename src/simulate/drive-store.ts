/**
 * The store-backed driver of a simulation: each sample's baseline is a JIT login into a fresh MemoryStore; each
 * mutation logs in twice through the real provision(), on the update path (a store holding the baseline account) and
 * on the JIT path (an empty store), and is classified by what the store says happened.
 */
import type { ClaimSet } from '../model/claim-set.js';
import { defined, present } from '../model/invariant.js';
import { jsonEqual } from '../json/equal.js';
import { isEmptyValue } from '../runtime/normalise.js';
import { provision } from '../runtime/provision/login.js';
import { MemoryStore } from '../runtime/stores/memory.js';
import type { Account, ProvisionResult } from '../runtime/types.js';
import { errorFinding, grantFindings, profileFinding } from './classify.js';
import type { Coverage } from './coverage.js';
import { baselineFailed, operatorFailed, type Prepared, record, type Run, type Tally } from './run.js';
import type { Finding, Sample } from './types.js';

/**
 * Runs every sample of `samples` and its mutations (`prepared`, per sample) through provision(), into `tally`;
 * every decision made on the update path counts towards `coverage`. Never writes outside its own memory stores.
 *
 * @example
 * ```ts
 * await driveStore(run, samples, samples.map((s) => prepare(run, s)), new Coverage(plan), tally);
 * ```
 */
export async function driveStore(
  run: Run,
  samples: readonly Sample[],
  prepared: readonly (readonly Prepared[])[],
  coverage: Coverage,
  tally: Tally,
): Promise<void> {
  for (let i = 0; i < samples.length; i++)
    await driveSample(run, defined(samples[i]), defined(prepared[i]), coverage, tally);
}

/** One sample: its baseline JIT login, then each of its mutations on both paths. */
async function driveSample(
  run: Run,
  sample: Sample,
  mutations: readonly Prepared[],
  coverage: Coverage,
  tally: Tally,
): Promise<void> {
  let baseline: ProvisionResult;
  try {
    baseline = await provision(run.plan, sample.claimSet, { store: new MemoryStore(), now: run.now });
    tally.evaluations++;
  } catch (e) {
    baselineFailed(tally, sample.name, mutations.length, 'update', e);
    return;
  }
  coverage.add(baseline.decision);
  const acct = baseline.action === 'created' ? baseline.account : null;
  tally.summaries.push({
    sample: sample.name,
    action: baseline.action,
    roles: acct ? rolesOf(acct, 'role') : [],
    entitlements: acct ? rolesOf(acct, 'entitlement') : [],
    refusals: [
      ...baseline.decision.refusals.map((r): string => r.code),
      ...(baseline.reason && baseline.action === 'conflict' ? [baseline.reason.code] : []),
    ],
  });
  for (const p of mutations) {
    const findings =
      p.claimSet === null
        ? [operatorFailed('update', p)]
        : await mutationFindings(run, sample.claimSet, baseline, p.claimSet, coverage, tally);
    record(run, tally, sample.name, p, findings);
  }
}

/** The findings of one mutated login: the update path's, then the JIT path's that do not repeat them. */
async function mutationFindings(
  run: Run,
  baselineCs: ClaimSet,
  baseline: ProvisionResult,
  mutated: ClaimSet,
  coverage: Coverage,
  tally: Tally,
): Promise<Finding[]> {
  const update: Finding[] = [];
  const jit: Finding[] = [];
  try {
    const store = await seeded(run, baselineCs, baseline, tally);
    const r = await provision(run.plan, mutated, { store, now: run.later });
    tally.evaluations++;
    coverage.add(r.decision);
    loginFindings(baseline, r, 'update', run.privileged, update);
  } catch (e) {
    update.push(errorFinding('update', e));
  }
  try {
    const r = await provision(run.plan, mutated, { store: new MemoryStore(), now: run.later });
    tally.evaluations++;
    loginFindings(baseline, r, 'jit', run.privileged, jit);
  } catch (e) {
    jit.push(errorFinding('jit', e));
  }
  return mergePaths(update, jit);
}

/** A fresh store holding the baseline account (the baseline login again), or empty when the baseline created none. */
async function seeded(run: Run, baselineCs: ClaimSet, baseline: ProvisionResult, tally: Tally): Promise<MemoryStore> {
  const store = new MemoryStore();
  if (baseline.action === 'created') {
    await provision(run.plan, baselineCs, { store, now: run.now });
    tally.evaluations++;
  }
  return store;
}

/** The names of an account's grants of one kind, sorted. */
const rolesOf = (a: Account, kind: 'role' | 'entitlement'): string[] =>
  a.grants
    .filter((g) => g.kind === kind)
    .map((g) => g.name)
    .sort();

/** The findings of one login against the baseline, on one path. */
function loginFindings(
  baseline: ProvisionResult,
  r: ProvisionResult,
  path: 'update' | 'jit',
  privileged: ReadonlySet<string>,
  out: Finding[],
): void {
  const base = baseline.action === 'created' ? baseline.account : null;
  if (r.action === 'refused' || r.action === 'conflict') {
    if (base) out.push(refusedFinding(r, path));
    return;
  }
  const acct = present(r.account); // created, updated or unchanged: the account after the login
  if (!base) {
    out.push({
      class: 'escalation',
      path,
      critical: false,
      subject: 'login',
      name: r.action,
      message: 'allowed where the baseline was refused',
    });
    grantFindings('role', [], rolesOf(acct, 'role'), path, privileged, out);
    grantFindings('entitlement', [], rolesOf(acct, 'entitlement'), path, privileged, out);
    return;
  }
  if (path === 'update' && r.action === 'created') out.push(duplicateFinding(base, acct, path));
  grantFindings('role', rolesOf(base, 'role'), rolesOf(acct, 'role'), path, privileged, out);
  grantFindings('entitlement', rolesOf(base, 'entitlement'), rolesOf(acct, 'entitlement'), path, privileged, out);
  if (path === 'update' && r.action !== 'created') profileFindings(base, acct, path, out);
}

/** A login the baseline made that the mutation refused (or that conflicts). */
function refusedFinding(r: ProvisionResult, path: 'update' | 'jit'): Finding {
  const code = r.reason?.code ?? r.action;
  const detail =
    r.action === 'refused' && r.decision.refusals.length ? r.decision.refusals.map((x) => x.code).join(', ') : code;
  return {
    class: 'refused',
    path,
    critical: false,
    subject: 'login',
    name: r.action,
    message: `${r.action}: ${detail}`,
  };
}

/**
 * A second account created next to the baseline's, naming the first mail-like profile field the two share (a
 * non-empty value jsonEqual finds equal) when there is one.
 */
function duplicateFinding(base: Account, acct: Account, path: 'update' | 'jit'): Finding {
  const shared = Object.keys(base.profile).filter(
    (k) => !isEmptyValue(base.profile[k]) && jsonEqual(base.profile[k], acct.profile[k]),
  );
  const email = shared.find((k) => /mail/i.test(k));
  return {
    class: 'duplicate-account',
    path,
    critical: false,
    subject: 'account',
    name: 'created',
    ...(email ? { to: defined(acct.profile[email]) } : {}),
    message: `a second account (${acct.subject}) for the same person${email ? ` with the same ${email}` : ''}`,
  };
}

/** A profile finding for every baseline profile field the updated account no longer holds as it was (jsonEqual). */
function profileFindings(base: Account, acct: Account, path: 'update' | 'jit', out: Finding[]): void {
  for (const name of Object.keys(base.profile).sort()) {
    const from = defined(base.profile[name]);
    const has = Object.hasOwn(acct.profile, name);
    const to = has ? acct.profile[name] : undefined;
    if (!jsonEqual(from, to)) out.push(profileFinding(name, from, to, path));
  }
}

/** Drops JIT findings that repeat an update finding (same class, subject, name and value). */
function mergePaths(update: Finding[], jit: Finding[]): Finding[] {
  const seen = new Set(update.map((f) => `${f.class}\u0000${f.subject}\u0000${f.name}`));
  return [...update, ...jit.filter((f) => !seen.has(`${f.class}\u0000${f.subject}\u0000${f.name}`))];
}
