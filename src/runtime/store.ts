/**
 * The Store interface: small and transactional. Every login and lifecycle call runs inside one `transaction()`:
 * either all of its writes land, or none. Implementations: MemoryStore, SqliteStore, PostgresStore.
 */
import { ClaimmapError } from '../errors.js';
import { RuntimeError } from './errors.js';
import { checkKeyText } from './normalise.js';
import type { ScimStoreTx } from './scim/store-types.js';
import type {
  Account,
  AccountKey,
  AccountStatus,
  AccountSummary,
  AuditEvent,
  Grant,
  NewAuditEvent,
  ScimTokenRecord,
  UniqueEntry,
} from './types.js';

/**
 * The account columns a write sets (grants and unique entries are written separately).
 *
 * @example
 * ```ts
 * // A Store implementation writes the account row apart from its grants:
 * async insertAccount(account: AccountRecord): Promise<void> {
 *   this.accounts.set(account.id, { ...account, grants: [] });
 * }
 * ```
 */
export type AccountRecord = Omit<Account, 'grants'>;

/**
 * Filters of {@link StoreTx.listAccounts}.
 *
 * @example
 * ```ts
 * const query: ListAccountsQuery = { issuer, status: 'active', limit: 100 };
 * const page = await store.transaction((tx) => tx.listAccounts(query));
 * ```
 */
export interface ListAccountsQuery {
  issuer?: string;
  subject?: string;
  status?: AccountStatus;
  /** Only accounts whose last login (or creation, if never logged in) is strictly before this ISO instant. */
  lastActiveBefore?: string;
  /** Only accounts after this key in (issuer, subject) order: the last key of the previous page (keyset paging). */
  after?: AccountKey;
  /** At most this many, ordered by issuer, subject. */
  limit: number;
}

/**
 * Filters of {@link StoreTx.listAudit}.
 *
 * @example
 * ```ts
 * const query: ListAuditQuery = { key: { issuer, subject }, limit: 20 };
 * const events = await store.transaction((tx) => tx.listAudit(query));
 * ```
 */
export interface ListAuditQuery {
  key?: { issuer: string; subject: string };
  /** At most this many, newest first. */
  limit: number;
}

/**
 * The operations available inside a transaction. Lookups of a login use `findByKey` only; `findByUnique` is for the
 * conflict check and never identifies the account being logged in.
 *
 * @example
 * ```ts
 * const account = await store.transaction(async (tx: StoreTx) => tx.findByKey(issuer, subject));
 * ```
 */
export interface StoreTx extends ScimStoreTx {
  /** The account with this durable key, with its grants, or null. Locks the row for the transaction where it can. */
  findByKey(issuer: string, subject: string): Promise<Account | null>;
  /** The account with this id, with its grants, or null (used to follow a unique-index hit). */
  findById(id: string): Promise<Account | null>;
  /** The account id and entry holding a normalised unique value for this issuer, or null. */
  findByUnique(issuer: string, field: string, value: string): Promise<{ accountId: string; entry: UniqueEntry } | null>;
  /** Inserts a new account. A duplicate (issuer, subject) throws `store/conflict`. */
  insertAccount(account: AccountRecord): Promise<void>;
  /**
   * Overwrites an account's columns if its stored version is `expectedVersion` (the record carries the new version);
   * otherwise throws `store/conflict`.
   */
  updateAccount(account: AccountRecord, expectedVersion: number): Promise<void>;
  /** Replaces all grants of an account. */
  replaceGrants(accountId: string, grants: Grant[]): Promise<void>;
  /** Replaces the unique-index entries of an account. A value held by another account throws `store/conflict`. */
  replaceUnique(accountId: string, issuer: string, entries: UniqueEntry[]): Promise<void>;
  /** Appends an audit event and returns its id. */
  appendAudit(event: NewAuditEvent): Promise<string>;
  listAccounts(query: ListAccountsQuery): Promise<Account[]>;
  /**
   * The same accounts as {@link StoreTx.listAccounts} with the same query (filters, order, keyset paging, limit),
   * as summaries: only the columns a table shows and the role names, with no JSON column of the account decoded. A
   * malformed row among them is `store/corrupt-record`; columns a summary does not read are not checked.
   */
  listAccountSummaries(query: ListAccountsQuery): Promise<AccountSummary[]>;
  listAudit(query: ListAuditQuery): Promise<AuditEvent[]>;
  /** Stores a new SCIM token record. A name or hash already stored (revoked or not) throws `store/conflict`. */
  insertScimToken(token: ScimTokenRecord): Promise<void>;
  /** Sets `revokedAt` of the named token if it is not revoked yet; returns whether a row changed. */
  revokeScimToken(name: string, at: string): Promise<boolean>;
  /** Every stored SCIM token record, revoked ones included, ordered by name. */
  listScimTokens(): Promise<ScimTokenRecord[]>;
}

/**
 * The operations of a transaction that a login uses (provision() and its steps): what a store must offer to run
 * logins. Every {@link StoreTx} has them; the simulator's scratch store (src/simulate/scratch-store.ts) has only these.
 *
 * @example
 * ```ts
 * const existing = await (tx as LoginTx).findByKey(key.issuer, key.subject);
 * ```
 */
export type LoginTx = Pick<
  StoreTx,
  | 'findByKey'
  | 'findById'
  | 'findByUnique'
  | 'insertAccount'
  | 'updateAccount'
  | 'replaceGrants'
  | 'replaceUnique'
  | 'appendAudit'
  | 'findScimUserByAccount'
  | 'scimGroupsOf'
>;

/**
 * What runs a login's transaction: every {@link Store}, and the simulator's scratch store.
 *
 * @example
 * ```ts
 * const store: LoginStore = new MemoryStore();
 * ```
 */
export interface LoginStore {
  transaction<T>(fn: (tx: LoginTx) => Promise<T>): Promise<T>;
}

/**
 * A transactional account store.
 *
 * @example
 * ```ts
 * const store = await SqliteStore.open('claimmap.db');
 * const n = await store.transaction(async (tx) => (await tx.listAccounts({ limit: 10 })).length);
 * await store.close();
 * ```
 */
export interface Store {
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** True when the store was opened read-only: every write fails with `store/read-only`. */
  readonly readOnly?: boolean;
  /**
   * Runs `fn` in one transaction: commits when it resolves, rolls back when it throws (and rethrows). Stores may
   * run `fn` more than once to resolve a race (PostgreSQL serialization failures), so `fn` must only write
   * through `tx`. Failures of the store itself surface as `RuntimeError` with a `store/*` code.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Releases connections. Further calls fail with `store/unavailable`. */
  close(): Promise<void>;
}

/**
 * Runs `fn` in one store transaction; a failure that is not a typed claimmap error becomes `store/write-failed`
 * (nothing was written). Internal to the runtime (provision, lifecycle, manual grants); not exported by the package.
 *
 * @example
 * ```ts
 * const account = await inTx(store, (tx) => tx.findByKey(issuer, subject));
 * ```
 */
export function inTx<T>(store: Store, fn: (tx: StoreTx) => Promise<T>, what = 'The store failed'): Promise<T> {
  return typedFailure(() => store.transaction(fn), what);
}

/**
 * {@link inTx} for the transaction of a login, on any {@link LoginStore} (a Store, or the simulator's scratch store).
 *
 * @example
 * ```ts
 * const result = await inLoginTx(store, (tx) => run(tx, login), 'The store failed during the login');
 * ```
 */
export function inLoginTx<T>(store: LoginStore, fn: (tx: LoginTx) => Promise<T>, what: string): Promise<T> {
  return typedFailure(() => store.transaction(fn), what);
}

/** The transaction's result; a failure that is not a typed claimmap error becomes `store/write-failed`. */
async function typedFailure<T>(transaction: () => Promise<T>, what: string): Promise<T> {
  try {
    return await transaction();
  } catch (e) {
    if (e instanceof ClaimmapError) throw e;
    throw new RuntimeError('store/write-failed', `${what}; nothing was written.`, { cause: e });
  }
}

/**
 * The `now` option of a runtime call as a Date (the current time when absent). Throws TypeError (a caller mistake)
 * when it is not a valid date. Internal to the runtime.
 *
 * @example
 * ```ts
 * toDate('2026-11-01T09:00:00Z', 'suspend').toISOString() // '2026-11-01T09:00:00.000Z'
 * ```
 */
export function toDate(now: Date | string | undefined, what: string): Date {
  const d = now === undefined ? new Date() : new Date(now);
  if (Number.isNaN(d.getTime())) throw new TypeError(`${what}: now is not a valid date`);
  return d;
}

/**
 * Checks that a caller passed an account key `{ issuer: string, subject: string }`; throws TypeError otherwise (a
 * caller mistake, never a store error), and `runtime/invalid-key` when either holds a lone surrogate or U+0000 (no
 * store reads such a key the same way). Internal to the runtime.
 *
 * @example
 * ```ts
 * checkKey({ issuer: 'https://idp.example.com', subject: '00u1' }, 'getAccount') // ok
 * checkKey(null as never, 'getAccount') // throws TypeError
 * ```
 */
export function checkKey(key: AccountKey, what: string): void {
  if (!key || typeof key !== 'object' || typeof key.issuer !== 'string' || typeof key.subject !== 'string') {
    throw new TypeError(`${what}: key must be { issuer, subject } strings`);
  }
  checkKeyText(key.issuer, 'issuer', '/issuer');
  checkKeyText(key.subject, 'subject', '/subject');
}
