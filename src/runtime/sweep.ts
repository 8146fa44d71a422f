/**
 * The scheduled half of offboarding: `sweep()` applies a mapping's `lifecycle { dormant_after 90d }` to every
 * account of its issuer that has not logged in (or, never logged in, was created) before the cutoff. Run it from
 * cron or a Kubernetes CronJob (`claimmap accounts sweep`). Each account changes in its own transaction with its own
 * audit event, after re-reading it under the row lock: an account that logged in while the sweep ran is skipped.
 */
import type { Plan } from '../model/plan.js';
import { defined } from '../model/invariant.js';
import { RuntimeError } from './errors.js';
import { inTx, toDate, type ListAccountsQuery, type Store } from './store.js';
import { writeStatus } from './lifecycle.js';
import type { Account, AccountKey, AccountStatus } from './types.js';

/**
 * What a sweep does to a dormant account.
 *
 * @example
 * ```ts
 * const action: SweepAction = plan.lifecycle.dormantAction ?? 'suspend';
 * ```
 */
export type SweepAction = 'suspend' | 'deprovision';

/**
 * Options of {@link sweep}.
 *
 * @example
 * ```ts
 * const options: SweepOptions = { dryRun: true, now: '2026-12-01T00:00:00Z' };
 * const result = await sweep(store, plan, options);
 * ```
 */
export interface SweepOptions {
  /** Report what would change and write nothing. */
  dryRun?: boolean;
  /** The reference time (default: now). */
  now?: Date | string;
  /** Recorded as the audit actor. Default `sweep`. */
  actor?: string;
  /** Accounts read per transaction. Default 500, at most 10000. */
  pageSize?: number;
}

/**
 * One account a sweep changed (or, in a dry run, would change).
 *
 * @example
 * ```ts
 * for (const c of result.changed) console.log(c.subject, c.from, '→', c.to, c.lastActiveAt);
 * ```
 */
export interface SweepChange extends AccountKey {
  accountId: string;
  from: AccountStatus;
  to: AccountStatus;
  /** The last login, or the creation time of an account that never logged in. */
  lastActiveAt: string;
  /** The audit event, or null in a dry run. */
  eventId: string | null;
}

/**
 * The summary of a sweep.
 *
 * @example
 * ```ts
 * const { changed, skipped, cutoff } = await sweep(store, plan);
 * console.log(`${changed.length} suspended, ${skipped} logged in meanwhile; cutoff ${cutoff}`);
 * ```
 */
export interface SweepResult {
  issuer: string;
  action: SweepAction;
  dormantAfterDays: number;
  /** Accounts whose last activity is strictly before this instant are dormant. */
  cutoff: string;
  dryRun: boolean;
  changed: SweepChange[];
  /** Accounts listed as dormant that had logged in or changed status by the time the sweep reached them. */
  skipped: number;
}

/** The statuses a sweep moves from: suspending touches active accounts; deprovisioning, suspended ones too. */
function fromStatuses(action: SweepAction): AccountStatus[] {
  return action === 'suspend' ? ['active'] : ['active', 'suspended'];
}

/** The action a plan declares for dormant accounts (`dormant_after 90d deprovision`); suspend by default. Internal. */
export function dormantAction(plan: Plan): SweepAction {
  return plan.lifecycle.dormantAction === 'deprovision' ? 'deprovision' : 'suspend';
}

function lastActive(a: Account): string {
  return a.lastLoginAt ?? a.createdAt;
}

async function* dormantAccounts(
  store: Store,
  query: Omit<ListAccountsQuery, 'after' | 'limit'>,
  pageSize: number,
): AsyncGenerator<Account> {
  let after: AccountKey | undefined;
  for (;;) {
    const page = await inTx(store, (tx) => tx.listAccounts({ ...query, limit: pageSize, ...(after ? { after } : {}) }));
    yield* page;
    if (page.length < pageSize) return;
    const last = defined(page[page.length - 1]);
    after = { issuer: last.issuer, subject: last.subject };
  }
}

/**
 * Suspends (or deprovisions, as the mapping declares with `dormant_after 90d deprovision`) every account of the
 * plan's issuer with no login for `dormant_after`. Idempotent: a second run finds nothing to do. Each change is one
 * transaction and one audit event (action `suspended` or `deprovisioned`, reason `lifecycle/dormant`); an account
 * that logged in after it was listed is re-read under the lock and skipped. Throws TypeError when the plan declares
 * no `dormant_after` (a caller mistake), `store/*` errors when the store fails (changes already made stay made and
 * audited; running the sweep again completes it).
 *
 * @example
 * ```ts
 * const result = await sweep(store, plan, { actor: 'cron:nightly' });
 * console.log(`${result.changed.length} accounts ${result.action === 'suspend' ? 'suspended' : 'deprovisioned'}`);
 * ```
 */
export async function sweep(store: Store, plan: Plan, options: SweepOptions = {}): Promise<SweepResult> {
  if (!plan || typeof plan !== 'object' || !plan.lifecycle) throw new TypeError('sweep: expected a compiled plan');
  const days = plan.lifecycle.dormantAfterDays;
  if (days === null) throw new TypeError('sweep: the mapping declares no lifecycle { dormant_after }');
  const pageSize = options.pageSize ?? 500;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 10_000)
    throw new TypeError('sweep: pageSize must be an integer from 1 to 10000');
  const now = toDate(options.now, 'sweep');
  const nowIso = now.toISOString();
  const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString();
  const action = dormantAction(plan);
  const to: AccountStatus = action === 'suspend' ? 'suspended' : 'deprovisioned';
  const actor = options.actor ?? 'sweep';
  const issuer = plan.idp.issuer;
  const result: SweepResult = {
    issuer,
    action,
    dormantAfterDays: days,
    cutoff,
    dryRun: options.dryRun === true,
    changed: [],
    skipped: 0,
  };
  for (const status of fromStatuses(action)) {
    for await (const listed of dormantAccounts(store, { issuer, status, lastActiveBefore: cutoff }, pageSize)) {
      if (result.dryRun) {
        result.changed.push(change(listed, to, null));
        continue;
      }
      const done = await inTx(store, async (tx) => {
        const account = await tx.findByKey(listed.issuer, listed.subject);
        // Logged in, reactivated or offboarded since it was listed: the sweep leaves it alone.
        if (!account || account.status !== status || !(lastActive(account) < cutoff)) return null;
        const { eventId } = await writeStatus(tx, account, to, to, {
          at: nowIso,
          actor,
          reason: {
            code: 'lifecycle/dormant',
            message: `no login since ${lastActive(account)} (dormant_after ${days}d, cutoff ${cutoff})`,
          },
          mapping: { name: plan.name, version: plan.version, digest: plan.digest },
        });
        return change(account, to, eventId);
      }).catch((e: unknown) => {
        // A concurrent login won the row: the account is no longer dormant.
        if (e instanceof RuntimeError && e.code === 'store/conflict') return null;
        throw e;
      });
      if (done) result.changed.push(done);
      else result.skipped++;
    }
  }
  return result;
}

function change(a: Account, to: AccountStatus, eventId: string | null): SweepChange {
  return {
    issuer: a.issuer,
    subject: a.subject,
    accountId: a.id,
    from: a.status,
    to,
    lastActiveAt: lastActive(a),
    eventId,
  };
}
