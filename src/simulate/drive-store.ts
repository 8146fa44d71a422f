/**
 * The store-backed driver of a simulation: each sample's baseline is a JIT login into an empty store; each mutation
 * logs in twice through provision()'s transaction, on the update path (a store holding the baseline account) and on
 * the JIT path (an empty store), and is classified by what the store says happened.
 *
 * Shared work: each sample's claims are read and its rules evaluated once (evaluationBase), and each mutated login
 * is evaluated once, incrementally from that base (evaluateFrom: the decision evaluate() gives; rule coverage from
 * truth counters rather than a trace) and decided once (decideLogin) for both paths. The stores are ScratchStores:
 * the baseline login commits into one, and every mutation's update path runs on a fork of it that discards its
 * writes, which is what a fresh MemoryStore seeded with the baseline login again per mutation would hold. A mutated
 * login equal to an earlier one of its sample in everything its transactions read (DecidedLogins: most mutations of
 * the benchmark leave the decision as another mutation made it) reuses that one's findings. The report counts
 * provision() logins as that straightforward driver makes them (test/simulate/simulate.full-mode.test.ts checks the
 * two give the same result).
 */
import type { EvaluationBase } from '../evaluate/evaluate.js';
import { evaluateFrom, evaluationBase } from '../evaluate/evaluate.js';
import { jsonEqual } from '../json/equal.js';
import type { ClaimSet } from '../model/claim-set.js';
import { defined, present } from '../model/invariant.js';
import { isEmptyValue } from '../runtime/normalise.js';
import { decideLogin, type Login, type LoginEvaluator, type LoginSettings } from '../runtime/provision/decide.js';
import { loginSettings, provisionDecided } from '../runtime/provision/login.js';
import type { Account, ProvisionResult } from '../runtime/types.js';
import { errorFinding, grantFindings, profileFinding } from './classify.js';
import { baselineFailed, operatorFailed, type Prepared, record, type Run, type Tally } from './run.js';
import { DecidedLogins } from './decided-logins.js';
import { ScratchStore } from './scratch-store.js';
import type { BaselineSummary, Finding, Sample } from './types.js';

/** What every sample of a store-backed run shares. */
interface Shared {
  run: Run;
  /** The settings of the baseline login (at `run.now`) and of every mutated login (at `run.later`). */
  atNow: LoginSettings;
  atLater: LoginSettings;
  /** Rule truth counts of the run (the coverage report), and of the decision being made (added once it counts). */
  counts: Uint32Array;
  scratch: Uint32Array;
  /** The empty store of every JIT path (it never commits). */
  empty: ScratchStore;
  tally: Tally;
  /** Mutated logins that reused the outcome of an equal earlier login of their sample (DecidedLogins). */
  reused: number;
}

/** What one mutated login did, kept for equal later logins of the same sample ({@link DecidedLogins}). */
interface Outcome {
  /** Its findings (a copy: record() sorts the ones it is given). */
  findings: readonly Finding[];
  /** The provision() logins it counted. */
  evaluations: number;
  /** Whether its decision counted towards the rule truth counts (its update path did not throw). */
  counted: boolean;
}

/**
 * Runs every sample of `samples` and its mutations (`prepared`, per sample) through provision()'s transaction, into
 * `tally`; every decision made on the update path (and each baseline) counts towards `counts` (rule truth counts,
 * see coverageOf). Never writes outside its own scratch stores. Resolves to the number of mutated logins that
 * reused the outcome of an identical earlier login of their sample instead of running its transactions.
 *
 * @example
 * ```ts
 * await driveStore(run, samples, samples.map((s) => prepare(run, s)), counts, tally);
 * ```
 */
export async function driveStore(
  run: Run,
  samples: readonly Sample[],
  prepared: readonly (readonly Prepared[])[],
  counts: Uint32Array,
  tally: Tally,
): Promise<number> {
  const shared: Shared = {
    run,
    atNow: loginSettings({ now: run.now }),
    // The mutated logins' accounts are never read back: no claim snapshot for them.
    atLater: { ...loginSettings({ now: run.later }), snapshot: false },
    counts,
    scratch: new Uint32Array(counts.length),
    empty: new ScratchStore().fork(),
    tally,
    reused: 0,
  };
  for (let i = 0; i < samples.length; i++) await driveSample(shared, defined(samples[i]), defined(prepared[i]));
  return shared.reused;
}

/** One sample: its baseline JIT login, then each of its mutations on both paths. */
async function driveSample(shared: Shared, sample: Sample, mutations: readonly Prepared[]): Promise<void> {
  const { run, tally } = shared;
  const store = new ScratchStore();
  let base: EvaluationBase;
  let baseline: Baseline;
  shared.scratch.fill(0);
  try {
    base = evaluationBase(run.plan, sample.claimSet);
    const login = decideLogin(run.plan, sample.claimSet, shared.atNow, from(base, shared));
    baseline = baselineOf(await provisionDecided(login, store));
    tally.evaluations++;
  } catch (e) {
    baselineFailed(tally, sample.name, mutations.length, 'update', e);
    return;
  }
  addCounts(shared);
  tally.summaries.push(baselineSummary(sample.name, baseline));
  // The baseline created the account (or, refused, left the store empty): the update path's store, never modified.
  const seeded = store.fork();
  const evaluator = from(base, shared);
  const outcomes = new DecidedLogins<Outcome>();
  for (const p of mutations) {
    const findings =
      p.claimSet === null
        ? [operatorFailed('update', p)]
        : await mutationFindings(shared, baseline, seeded, p.claimSet, evaluator, outcomes);
    record(run, tally, sample.name, p, findings);
  }
}

/** Evaluates a login of the sample of `base` incrementally, its rule truth counts into `shared.scratch`. */
const from =
  (base: EvaluationBase, shared: Shared): LoginEvaluator =>
  (_plan, cs) =>
    evaluateFrom(base, cs, { truthCounts: shared.scratch });

/** Adds the counts of the decision just made to the run's, and clears them. */
function addCounts(shared: Shared): void {
  const { counts, scratch } = shared;
  for (let i = 0; i < scratch.length; i++) counts[i] = defined(counts[i]) + defined(scratch[i]);
  scratch.fill(0);
}

/**
 * The baseline summary of a sample: what its JIT login did, with the grants of the account it created.
 *
 * @example
 * ```ts
 * tally.summaries.push(baselineSummary(sample.name, baselineOf(await provision(plan, cs, { store }))));
 * ```
 */
export function baselineSummary(sample: string, baseline: Baseline): BaselineSummary {
  const r = baseline.result;
  return {
    sample,
    action: r.action,
    roles: [...baseline.roles],
    entitlements: [...baseline.entitlements],
    refusals: [
      ...r.decision.refusals.map((x): string => x.code),
      ...(r.reason && r.action === 'conflict' ? [r.reason.code] : []),
    ],
  };
}

/**
 * The findings of one mutated login: the update path's, then the JIT path's that do not repeat them. The login is
 * decided once; when deciding throws, both paths fail with that error, as two provision() calls would. The
 * update path counts as two logins when the baseline created the account (seeding its store, then the mutation).
 * A login identical to an earlier one of the sample (sameLogin, kept in `outcomes`) reuses its
 * outcome: the same transactions on the same stores would give the same findings.
 */
async function mutationFindings(
  shared: Shared,
  baseline: Baseline,
  seeded: ScratchStore,
  mutated: ClaimSet,
  evaluator: LoginEvaluator,
  outcomes: DecidedLogins<Outcome>,
): Promise<Finding[]> {
  const { run, tally } = shared;
  const update: Finding[] = [];
  const jit: Finding[] = [];
  let login: Login | null = null;
  let failure: unknown = null;
  try {
    login = decideLogin(run.plan, mutated, shared.atLater, evaluator);
  } catch (e) {
    failure = e;
  }
  const earlier = login === null ? undefined : outcomes.get(login);
  if (earlier !== undefined) return reuse(shared, earlier);
  const before = tally.evaluations;
  let counted = false;
  if (baseline.account !== null) tally.evaluations++;
  // When the update path's transaction found nothing in its store, it ran as on the JIT path's empty store: the
  // JIT path's login would give the same result (provision's only other inputs are the login and fresh ids).
  let same: ProvisionResult | null = null;
  try {
    if (login === null) throw failure;
    const r = await provisionDecided(login, seeded);
    tally.evaluations++;
    addCounts(shared);
    counted = true;
    loginFindings(baseline, r, 'update', run.privileged, update);
    if (!seeded.sawState) same = r;
  } catch (e) {
    update.push(errorFinding('update', e));
  }
  shared.scratch.fill(0);
  try {
    if (login === null) throw failure;
    const r = same ?? (await provisionDecided(login, shared.empty));
    tally.evaluations++;
    loginFindings(baseline, r, 'jit', run.privileged, jit);
  } catch (e) {
    jit.push(errorFinding('jit', e));
  }
  const findings = mergePaths(update, jit);
  if (login !== null)
    outcomes.set(login, { findings: findings.slice(), evaluations: tally.evaluations - before, counted });
  return findings;
}

/** The outcome of an earlier identical login, counted again (its logins, its decision's truth counts). */
function reuse(shared: Shared, earlier: Outcome): Finding[] {
  shared.reused++;
  shared.tally.evaluations += earlier.evaluations;
  if (earlier.counted) addCounts(shared);
  else shared.scratch.fill(0);
  return earlier.findings.map((f) => ({ ...f }));
}

/** The names of an account's roles and of its entitlements, each sorted. */
function grantNames(a: Account): { roles: string[]; entitlements: string[] } {
  const roles: string[] = [];
  const entitlements: string[] = [];
  for (const g of a.grants) (g.kind === 'role' ? roles : entitlements).push(g.name);
  return { roles: roles.sort(), entitlements: entitlements.sort() };
}

/**
 * A sample's baseline login, with the grants of the account it created (null when it created none), computed once
 * for every mutation's classification.
 */
export interface Baseline {
  result: ProvisionResult;
  account: Account | null;
  roles: string[];
  entitlements: string[];
  /** The account's profile field names, sorted. */
  profileNames: string[];
}

/**
 * The {@link Baseline} of a baseline login.
 *
 * @example
 * ```ts
 * const baseline = baselineOf(await provision(plan, sample.claimSet, { store }));
 * ```
 */
export function baselineOf(result: ProvisionResult): Baseline {
  const account = result.action === 'created' ? present(result.account) : null;
  return {
    result,
    account,
    ...(account ? grantNames(account) : { roles: [], entitlements: [] }),
    profileNames: account ? Object.keys(account.profile).sort() : [],
  };
}

/**
 * The findings of one login against the baseline, on one path.
 *
 * @example
 * ```ts
 * loginFindings(baseline, await provision(plan, mutated, { store }), 'update', run.privileged, findings);
 * ```
 */
export function loginFindings(
  baseline: Baseline,
  r: ProvisionResult,
  path: 'update' | 'jit',
  privileged: ReadonlySet<string>,
  out: Finding[],
): void {
  const base = baseline.account;
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
    const now = grantNames(acct);
    grantFindings('role', [], now.roles, path, privileged, out);
    grantFindings('entitlement', [], now.entitlements, path, privileged, out);
    return;
  }
  if (path === 'update' && r.action === 'created') out.push(duplicateFinding(base, acct, path));
  const now = grantNames(acct);
  grantFindings('role', baseline.roles, now.roles, path, privileged, out);
  grantFindings('entitlement', baseline.entitlements, now.entitlements, path, privileged, out);
  if (path === 'update' && r.action !== 'created') profileFindings(baseline.profileNames, base, acct, path, out);
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
function profileFindings(
  names: readonly string[],
  base: Account,
  acct: Account,
  path: 'update' | 'jit',
  out: Finding[],
): void {
  for (const name of names) {
    const from = defined(base.profile[name]);
    const has = Object.hasOwn(acct.profile, name);
    const to = has ? acct.profile[name] : undefined;
    if (!jsonEqual(from, to)) out.push(profileFinding(name, from, to, path));
  }
}

/**
 * Drops JIT findings that repeat an update finding (same class, subject, name and value).
 *
 * @example
 * ```ts
 * const findings = mergePaths(updateFindings, jitFindings);
 * ```
 */
export function mergePaths(update: Finding[], jit: Finding[]): Finding[] {
  if (jit.length === 0 || update.length === 0) return update.length === 0 ? jit : update;
  const seen = new Set(update.map((f) => `${f.class}\u0000${f.subject}\u0000${f.name}`));
  return [...update, ...jit.filter((f) => !seen.has(`${f.class}\u0000${f.subject}\u0000${f.name}`))];
}
