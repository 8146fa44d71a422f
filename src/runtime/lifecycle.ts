/**
 * Lifecycle and audit: what a SCIM delete, a directory sync or an offboarding runbook calls, and the read side of
 * the audit trail. Every state change is one transaction with its audit event.
 */
import { RuntimeError } from './errors.js';
import { checkKeyText } from './normalise.js';
import { checkKey, inTx, toDate, type ListAccountsQuery, type Store, type StoreTx } from './store.js';
import type { Account, AccountKey, AccountStatus, AccountSummary, AuditEvent, Change } from './types.js';
import { defined } from '../model/invariant.js';

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a duration such as `90d`, `12h`, `30m`, `2w` or `45s` into milliseconds. Throws TypeError otherwise.
 *
 * @example
 * ```ts
 * parseDuration('90d') // 7_776_000_000
 * ```
 */
export function parseDuration(text: string): number {
  const m = /^(\d{1,6})([smhdw])$/.exec(typeof text === 'string' ? text.trim() : '');
  if (!m)
    throw new TypeError(`invalid duration "${String(text)}": expected a number and one of s, m, h, d, w (e.g. 90d)`);
  return Number(m[1]) * defined(UNITS[defined(m[2])]);
}

/**
 * Largest `limit` a list call accepts.
 *
 * @example
 * ```ts
 * const accounts = await listAccounts(store, { limit: MAX_LIST_LIMIT });
 * ```
 */
export const MAX_LIST_LIMIT = 10_000;

function checkLimit(limit: number | undefined, dflt: number): number {
  const n = limit ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_LIST_LIMIT) {
    throw new TypeError(`limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  return n;
}

/**
 * Options of {@link dormant}.
 *
 * @example
 * ```ts
 * const options: DormantOptions = { after: '90d', issuer: 'https://idp.example.com' };
 * const accounts = await dormant(store, options);
 * ```
 */
export interface DormantOptions {
  /** No login for this long: a duration (`'90d'`) or milliseconds. */
  after: string | number;
  now?: Date | string;
  /** Only accounts of this issuer. */
  issuer?: string;
  /** Default 1000, at most 10000. */
  limit?: number;
}

/**
 * Active accounts with no login (or, if never logged in, created) for longer than `after`.
 *
 * @example
 * ```ts
 * for (const a of await dormant(store, { after: '90d' })) await suspend(store, a, { reason: 'dormant 90 days' });
 * ```
 */
export async function dormant(store: Store, options: DormantOptions): Promise<Account[]> {
  const filter = dormantFilter(options, 'dormant');
  const limit = checkLimit(options.limit, 1000);
  return inTx(store, (tx) => tx.listAccounts({ ...filter, limit }));
}

/** The checked filter of {@link dormant} and {@link eachDormant} (TypeError for a caller mistake). */
function dormantFilter(options: DormantOptions, what: string): Omit<ListAccountsQuery, 'limit'> {
  if (!options || typeof options !== 'object') throw new TypeError(`${what}: expected { after }`);
  const ms = typeof options.after === 'number' ? options.after : parseDuration(options.after);
  if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`${what}: after must be a non-negative duration`);
  const cutoff = new Date(toDate(options.now, what).getTime() - ms).toISOString();
  checkString(options.issuer, `${what}: issuer`);
  checkKeyText(options.issuer, 'issuer', '/issuer');
  return {
    status: 'active',
    lastActiveBefore: cutoff,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
  };
}

/**
 * Options of {@link eachDormant}.
 *
 * @example
 * ```ts
 * const options: EachDormantOptions = { after: '90d', pageSize: 500 };
 * for await (const account of eachDormant(store, options)) console.log(account.subject);
 * ```
 */
export interface EachDormantOptions extends Omit<DormantOptions, 'limit'> {
  /** Accounts read per transaction. Default 1000, at most 10000. */
  pageSize?: number;
}

/**
 * Every dormant account ({@link dormant}'s filter, with no limit), ordered by issuer and subject, read a page per
 * transaction like {@link eachAccount}: memory holds one page however many accounts match. The options are checked
 * when it is called (TypeError), before anything is read; the cutoff is computed once, so every page uses the same.
 *
 * @example
 * ```ts
 * for await (const a of eachDormant(store, { after: '90d' })) await suspend(store, a, { reason: 'dormant 90 days' });
 * ```
 */
export function eachDormant(store: Store, options: EachDormantOptions): AsyncGenerator<Account, void, undefined> {
  const filter = dormantFilter(options, 'eachDormant');
  return items(pages(store, readAccounts, filter, checkLimit(options.pageSize, 1000), undefined));
}

/**
 * {@link eachDormant} as summaries ({@link AccountSummary}: key, status, last login, role names): the same accounts in
 * the same order, read a page per transaction by `listAccountSummaries`, which decodes no JSON column. For a table
 * or a count of many accounts; use eachDormant when you need the profile, the claims or the grants' provenance.
 *
 * @example
 * ```ts
 * for await (const s of eachDormantSummary(store, { after: '90d' })) console.log(s.subject, s.lastLoginAt);
 * ```
 */
export function eachDormantSummary(
  store: Store,
  options: EachDormantOptions,
): AsyncGenerator<AccountSummary, void, undefined> {
  return items(dormantSummaryPages(store, options, 'eachDormantSummary'));
}

/**
 * {@link eachDormantSummary} a page (one transaction's read) at a time: the same summaries, without an await per
 * summary (a walk of 100,000 spends ~1/5 of its time handing items one by one through async generators). The options
 * are checked when it is called. Internal: what `claimmap accounts dormant` prints its table from; not exported by
 * the package.
 *
 * @example
 * ```ts
 * for await (const page of dormantSummaryPages(store, { after: '90d' })) io.stdout(table.page(page));
 * ```
 */
export function dormantSummaryPages(
  store: Store,
  options: EachDormantOptions,
  what = 'dormantSummaryPages',
): AsyncGenerator<AccountSummary[], void, undefined> {
  const filter = dormantFilter(options, what);
  return pages(store, readSummaries, filter, checkLimit(options.pageSize, 1000), undefined);
}

/** The items of `pages`, one by one. */
async function* items<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T, void, undefined> {
  for await (const page of pages) yield* page;
}

/** What reads one page of a walk: `listAccounts` or `listAccountSummaries` of a transaction. */
type PageRead<T> = (tx: StoreTx, query: ListAccountsQuery) => Promise<T[]>;

/**
 * The pages of rows of `filter` after `after`, `pageSize` rows per transaction read by `read`, by keyset paging on
 * the (issuer, subject) key (each page is one index range scan however far the walk has gone). Never an empty page.
 */
async function* pages<T extends AccountKey>(
  store: Store,
  read: PageRead<T>,
  filter: Omit<ListAccountsQuery, 'limit' | 'after'>,
  pageSize: number,
  after: AccountKey | undefined,
): AsyncGenerator<T[], void, undefined> {
  let from = after;
  for (;;) {
    const query: ListAccountsQuery = { ...filter, limit: pageSize, ...(from === undefined ? {} : { after: from }) };
    const page = await inTx(store, (tx) => read(tx, query));
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    const last = defined(page[page.length - 1]);
    from = { issuer: last.issuer, subject: last.subject };
  }
}

const readAccounts: PageRead<Account> = (tx, query) => tx.listAccounts(query);
const readSummaries: PageRead<AccountSummary> = (tx, query) => tx.listAccountSummaries(query);

/**
 * Options of {@link deprovision}, {@link suspend} and {@link reactivate}.
 *
 * @example
 * ```ts
 * const options: LifecycleOptions = { reason: 'left the company', actor: 'hr-sync' };
 * await deprovision(store, { issuer, subject }, options);
 * ```
 */
export interface LifecycleOptions {
  /** Why (recorded in the audit event). Required. */
  reason: string;
  /** Who: `scim`, `directory-sync`, `runbook:jane`. Default `api`. */
  actor?: string;
  now?: Date | string;
}

/**
 * The result of a lifecycle call. `changed` is false when the account already had that status.
 *
 * @example
 * ```ts
 * const { changed, eventId }: LifecycleResult = await suspend(store, key, { reason: 'INC-42' });
 * ```
 */
export interface LifecycleResult {
  account: Account;
  changed: boolean;
  eventId: string;
}

/**
 * Sets an account's status when it differs, inside the caller's transaction, and returns the account as written
 * with the status change (none when it already had that status). The one status write of the runtime: the lifecycle
 * calls, the sweep and SCIM effects all go through it. Internal to the runtime.
 *
 * @example
 * ```ts
 * const { account, changes } = await applyStatus(tx, account, 'suspended', at);
 * ```
 */
export async function applyStatus(
  tx: StoreTx,
  existing: Account,
  to: AccountStatus,
  at: string,
): Promise<{ account: Account; changes: Change[] }> {
  if (existing.status === to) return { account: existing, changes: [] };
  const { grants, ...rec } = existing;
  const next = { ...rec, status: to, updatedAt: at, version: existing.version + 1 };
  await tx.updateAccount(next, existing.version);
  return {
    account: { ...next, grants },
    changes: [{ field: 'status', op: 'change', name: 'status', from: existing.status, to }],
  };
}

/**
 * Sets an account's status (when it differs) and appends the audit event, inside the caller's transaction: the one
 * write of every lifecycle change (suspend, deprovision, reactivate, the sweep). Internal to the runtime.
 *
 * @example
 * ```ts
 * await writeStatus(tx, account, 'suspended', 'suspended', { at, actor: 'sweep', reason, mapping: null });
 * ```
 */
export async function writeStatus(
  tx: StoreTx,
  existing: Account,
  to: AccountStatus,
  action: 'deprovisioned' | 'suspended' | 'reactivated',
  event: { at: string; actor: string; reason: { code: string; message: string }; mapping: AuditEvent['mapping'] },
): Promise<{ account: Account; eventId: string }> {
  const { account, changes } = await applyStatus(tx, existing, to, event.at);
  const eventId = await tx.appendAudit({
    at: event.at,
    action,
    issuer: existing.issuer,
    subject: existing.subject,
    accountId: existing.id,
    actor: event.actor,
    reason: event.reason,
    changes,
    rules: [],
    mapping: event.mapping,
  });
  return { account, eventId };
}

async function setStatus(
  store: Store,
  key: AccountKey,
  to: AccountStatus,
  action: 'deprovisioned' | 'suspended' | 'reactivated',
  options: LifecycleOptions,
  what: string,
): Promise<LifecycleResult> {
  checkKey(key, what);
  if (!options || typeof options.reason !== 'string' || options.reason.trim() === '') {
    throw new TypeError(`${what}: a reason is required`);
  }
  const nowIso = toDate(options.now, what).toISOString();
  return inTx(store, async (tx) => {
    const existing = await tx.findByKey(key.issuer, key.subject);
    if (!existing) {
      throw new RuntimeError('runtime/account-not-found', `No account has the key ${key.issuer} ${key.subject}.`);
    }
    const changed = existing.status !== to;
    const { account, eventId } = await writeStatus(tx, existing, to, action, {
      at: nowIso,
      actor: options.actor ?? 'api',
      reason: { code: `lifecycle/${action}`, message: options.reason },
      mapping: null,
    });
    return { account, changed, eventId };
  });
}

/**
 * Marks an account deprovisioned (offboarded): later logins are refused unless the mapping reactivates. Audited;
 * idempotent (`changed: false` when it already was). Grants are kept for the record; apps must check `status`.
 *
 * @example
 * ```ts
 * await deprovision(store, { issuer, subject }, { reason: 'SCIM DELETE /Users/42', actor: 'scim' });
 * ```
 */
export function deprovision(store: Store, key: AccountKey, options: LifecycleOptions): Promise<LifecycleResult> {
  return setStatus(store, key, 'deprovisioned', 'deprovisioned', options, 'deprovision');
}

/**
 * Suspends an account: later logins are refused unless the mapping reactivates. Audited; idempotent.
 *
 * @example
 * ```ts
 * await suspend(store, { issuer, subject }, { reason: 'security incident 2026-114', actor: 'runbook:jane' });
 * ```
 */
export function suspend(store: Store, key: AccountKey, options: LifecycleOptions): Promise<LifecycleResult> {
  return setStatus(store, key, 'suspended', 'suspended', options, 'suspend');
}

/**
 * Makes a suspended or deprovisioned account active again (an administrator's decision). Audited; idempotent.
 *
 * @example
 * ```ts
 * await reactivate(store, { issuer, subject }, { reason: 'rehired', actor: 'runbook:jane' });
 * ```
 */
export function reactivate(store: Store, key: AccountKey, options: LifecycleOptions): Promise<LifecycleResult> {
  return setStatus(store, key, 'active', 'reactivated', options, 'reactivate');
}

/**
 * Options of {@link listAudit}.
 *
 * @example
 * ```ts
 * const options: ListAuditOptions = { key: { issuer, subject }, limit: 20 };
 * const events = await listAudit(store, options);
 * ```
 */
export interface ListAuditOptions {
  /** Only events of this key. */
  key?: AccountKey;
  /** Default 100, at most 10000. */
  limit?: number;
}

/**
 * Audit events, newest first.
 *
 * @example
 * ```ts
 * const events = await listAudit(store, { key: { issuer, subject }, limit: 20 });
 * ```
 */
export async function listAudit(store: Store, options: ListAuditOptions = {}): Promise<AuditEvent[]> {
  const limit = checkLimit(options.limit, 100);
  if (options.key !== undefined) checkKey(options.key, 'listAudit');
  return inTx(store, (tx) => tx.listAudit({ limit, ...(options.key ? { key: options.key } : {}) }));
}

/**
 * Options of {@link listAccounts}.
 *
 * @example
 * ```ts
 * const options: ListAccountsOptions = { issuer, status: 'active', limit: 100 };
 * const accounts = await listAccounts(store, options);
 * ```
 */
export interface ListAccountsOptions {
  issuer?: string;
  subject?: string;
  status?: AccountStatus;
  /** Only accounts after this key in (issuer, subject) order: pass the last account of the previous page. */
  after?: AccountKey;
  /** Default 1000, at most 10000. */
  limit?: number;
}

/** Throws TypeError unless `v` is undefined or a string (a caller mistake, never a store error). */
function checkString(v: unknown, what: string): void {
  if (v !== undefined && typeof v !== 'string') throw new TypeError(`${what} must be a string`);
}

function accountsQuery(options: Omit<ListAccountsOptions, 'limit'>, limit: number): ListAccountsQuery {
  if (!options || typeof options !== 'object') throw new TypeError('listAccounts: options must be an object');
  for (const k of ['issuer', 'subject', 'status'] as const) checkString(options[k], k);
  for (const k of ['issuer', 'subject'] as const) {
    if (options.after !== undefined && typeof options.after?.[k] !== 'string')
      throw new TypeError(`after.${k} must be a string`);
    // A filter with a lone surrogate or NUL would match differently per store (PostgreSQL reads it as U+FFFD).
    checkKeyText(options[k], k, `/${k}`);
    checkKeyText(options.after?.[k], k, `/after/${k}`);
  }
  return {
    limit,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(options.after === undefined ? {} : { after: { issuer: options.after.issuer, subject: options.after.subject } }),
  };
}

/**
 * One page of accounts, ordered by issuer and subject. For the next page, pass the last account as `after`; or let
 * {@link eachAccount} do it.
 *
 * @example
 * ```ts
 * const suspended = await listAccounts(store, { status: 'suspended' });
 * const next = await listAccounts(store, { status: 'suspended', after: suspended.at(-1) });
 * ```
 */
export async function listAccounts(store: Store, options: ListAccountsOptions = {}): Promise<Account[]> {
  const query = accountsQuery(options, checkLimit(options.limit, 1000));
  return inTx(store, (tx) => tx.listAccounts(query));
}

/**
 * Options of {@link eachAccount}.
 *
 * @example
 * ```ts
 * for await (const account of eachAccount(store, { status: 'active', pageSize: 500 } satisfies EachAccountOptions))
 *   console.log(account.subject);
 * ```
 */
export interface EachAccountOptions extends Omit<ListAccountsOptions, 'limit'> {
  /** Accounts read per transaction. Default 1000, at most 10000. */
  pageSize?: number;
}

/**
 * Every account matching the filters, ordered by issuer and subject, read a page per transaction (keyset paging on
 * the (issuer, subject) key, so each page is one index range scan however far the walk has gone). Not a snapshot:
 * an account created or changed during the walk appears if its key is still ahead of the walk.
 *
 * @example
 * ```ts
 * for await (const account of eachAccount(store, { issuer: 'https://idp.example.com' })) audit(account);
 * ```
 */
export function eachAccount(store: Store, options: EachAccountOptions = {}): AsyncGenerator<Account, void, undefined> {
  return items(walk(store, options, readAccounts));
}

/** The pages of {@link eachAccount} and {@link eachAccountSummary}: options checked on the first read. */
async function* walk<T extends AccountKey>(
  store: Store,
  options: EachAccountOptions,
  read: PageRead<T>,
): AsyncGenerator<T[], void, undefined> {
  const pageSize = checkLimit(options.pageSize, 1000);
  const { after, ...filter } = accountsQuery(options, pageSize);
  yield* pages(store, read, filter, pageSize, after);
}

/**
 * {@link eachAccount} as summaries ({@link AccountSummary}: key, status, last login, role names): the same accounts in
 * the same order with the same options, read a page per transaction by `listAccountSummaries`, which decodes no JSON
 * column (no profile, no claim snapshot, no provenance). What `claimmap accounts list` prints its table from.
 *
 * @example
 * ```ts
 * for await (const s of eachAccountSummary(store, { status: 'active' })) console.log(s.subject, s.roles.join(','));
 * ```
 */
export function eachAccountSummary(
  store: Store,
  options: EachAccountOptions = {},
): AsyncGenerator<AccountSummary, void, undefined> {
  return items(walk(store, options, readSummaries));
}

/**
 * {@link eachAccountSummary} a page (one transaction's read) at a time: the same summaries, without an await per
 * summary. The options are checked on the first read, as eachAccountSummary checks them. Internal: what `claimmap
 * accounts list` prints its table from; not exported by the package.
 *
 * @example
 * ```ts
 * for await (const page of accountSummaryPages(store, { status: 'active' })) io.stdout(table.page(page));
 * ```
 */
export function accountSummaryPages(
  store: Store,
  options: EachAccountOptions = {},
): AsyncGenerator<AccountSummary[], void, undefined> {
  return walk(store, options, readSummaries);
}

/**
 * The account with this durable key, or null.
 *
 * @example
 * ```ts
 * const account = await getAccount(store, { issuer: 'https://idp.example.com', subject: '00u1' });
 * ```
 */
export async function getAccount(store: Store, key: AccountKey): Promise<Account | null> {
  checkKey(key, 'getAccount');
  return inTx(store, (tx) => tx.findByKey(key.issuer, key.subject));
}
