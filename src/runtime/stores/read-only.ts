/**
 * Read-only stores: the transaction view that refuses every write before it reaches the database, and the
 * `store/not-found` error of a read-only open that finds no store. Shared by MemoryStore, SqliteStore and
 * PostgresStore, so the three refuse writes the same way.
 */
import { RuntimeError } from '../errors.js';
import type { StoreTx } from '../store.js';

/** The StoreTx methods that write. */
const WRITES = [
  'insertAccount',
  'updateAccount',
  'replaceGrants',
  'replaceUnique',
  'appendAudit',
  'insertScimToken',
  'revokeScimToken',
  'insertScimUser',
  'updateScimUser',
  'deleteScimUser',
  'insertScimGroup',
  'updateScimGroup',
  'deleteScimGroup',
  'addScimMembers',
  'removeScimMembers',
] as const;

/**
 * `tx` with every write method replaced by one that rejects with `store/read-only` and touches nothing.
 *
 * @example
 * ```ts
 * const tx = readOnlyTx(sqliteTx, 'SQLite');
 * await tx.appendAudit(event); // rejects: store/read-only
 * ```
 */
export function readOnlyTx(tx: StoreTx, kind: string): StoreTx {
  const refuse = (name: (typeof WRITES)[number]) => (): Promise<never> =>
    Promise.reject(
      new RuntimeError('store/read-only', `The ${kind} store is open read-only: ${name} was refused.`, {
        hint: 'Open the store without readOnly to change it.',
      }),
    );
  const out: StoreTx = { ...tx };
  for (const name of WRITES) (out as unknown as Record<string, unknown>)[name] = refuse(name);
  return out;
}

const reasons = new WeakMap<RuntimeError, string>();

/**
 * The `store/not-found` error of a read-only open: there is no store to read, and a read-only open creates none.
 * The message is `No claimmap store at WHERE: REASON.`
 *
 * @example
 * ```ts
 * throw storeNotFound('/srv/typo.db', 'no such file');
 * ```
 */
export function storeNotFound(where: string, reason: string): RuntimeError {
  const e = new RuntimeError('store/not-found', `No claimmap store at ${where}: ${reason}.`, {
    hint: 'Check the store spec. A read never creates a store: the first write does (a login through provision(), or `claimmap login MAPPING CLAIMS --store SPEC`).',
  });
  reasons.set(e, reason);
  return e;
}

/**
 * The same `store/not-found` error naming the store as `where` (openStore names it by its spec rather than an
 * absolute path); other errors are returned as they are.
 *
 * @example
 * ```ts
 * throw renameNotFound(e, redactStoreSpec(spec));
 * ```
 */
export function renameNotFound(e: unknown, where: string): unknown {
  const reason = e instanceof RuntimeError ? reasons.get(e) : undefined;
  if (reason === undefined) return e;
  const renamed = storeNotFound(where, reason);
  return renamed;
}
