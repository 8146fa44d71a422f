/**
 * The `--store` option of the commands that touch accounts (login, accounts, audit, plan): opening the store,
 * reporting its typed errors, and closing it whatever happens.
 */
import { ClaimmapError } from '../errors.js';
import { listAccounts, openStore, type AccountKey, type Store } from '../runtime/index.js';
import { redactStoreSpec } from '../runtime/stores/open.js';

export { redactStoreSpec };
import { UsageError, type CliIO } from './command.js';
import { defined } from '../model/invariant.js';

/** The default `--store` when neither the option nor CLAIMMAP_STORE is given. */
export const DEFAULT_STORE_SPEC = 'sqlite:./claimmap.db';

/** The `--store` option, shared by login, accounts and audit. */
export const STORE_HELP = `  --store <spec>  sqlite:PATH (default ${DEFAULT_STORE_SPEC}, relative to the working directory),
                  postgres://USER:PASSWORD@HOST/DB, or memory: (empty, for dry runs). Also read from
                  the CLAIMMAP_STORE environment variable.`;

/** A store failure already printed; the command exits with `exitCode`. */
export class StoreFailure extends Error {
  constructor(readonly exitCode: number) {
    super('store failure');
  }
}

/**
 * Prints a typed error as `error <code>: <message>` and returns the exit code (2 for store/I/O, 1 otherwise).
 *
 * @example
 * ```ts
 * try { await provision(plan, claims, { store }) } catch (e) { return reportRuntimeError(e, io) }
 * ```
 */
export function reportRuntimeError(e: unknown, io: CliIO): number {
  if (e instanceof ClaimmapError) {
    io.stderr(`error ${e.code}: ${e.message}${e.position?.path ? ` (at ${e.position.path})` : ''}\n`);
    if (e.hint) io.stderr(`  hint: ${e.hint}\n`);
    return e.code.startsWith('store/') ? 2 : 1;
  }
  throw e;
}

/** How a command opens its store. */
export interface CliStoreOptions {
  /**
   * Read commands (accounts list/show/dormant, audit, plan --store) open read-only: they never create a file or a
   * schema, never migrate, and a store that does not exist is `error store/not-found` (exit 2).
   */
  readOnly?: boolean;
}

/**
 * Opens the store named by `--store`, `CLAIMMAP_STORE` or the default.
 *
 * @example
 * ```ts
 * const store = await openCliStore(values.store, io); // sqlite:./claimmap.db in io.cwd by default
 * const reader = await openCliStore(values.store, io, { readOnly: true });
 * ```
 */
export async function openCliStore(spec: string | undefined, io: CliIO, options: CliStoreOptions = {}): Promise<Store> {
  const chosen = spec ?? io.env.CLAIMMAP_STORE ?? DEFAULT_STORE_SPEC;
  try {
    return await openStore(chosen, { cwd: io.cwd, readOnly: options.readOnly ?? false });
  } catch (e) {
    if (e instanceof TypeError) throw new UsageError(e.message);
    io.stderr(`claimmap: cannot open store ${redactStoreSpec(chosen)}\n`);
    throw new StoreFailure(reportRuntimeError(e, io));
  }
}

/**
 * Resolves KEY (a subject) to an account key: with `--issuer` directly; without, the one account with that subject
 * (a usage error when several issuers have it). Returns null when no account has it.
 *
 * @example
 * ```ts
 * const key = await resolveKey(store, '00u1', values.issuer); // { issuer, subject: '00u1' } | null
 * ```
 */
export async function resolveKey(
  store: Store,
  subject: string,
  issuer: string | undefined,
): Promise<AccountKey | null> {
  if (issuer !== undefined) return { issuer, subject };
  const found = await listAccounts(store, { subject, limit: 100 });
  if (found.length === 0) return null;
  const issuers = [...new Set(found.map((a) => a.issuer))];
  if (issuers.length > 1) {
    throw new UsageError(
      `subject "${subject}" exists at several issuers; choose one with --issuer: ${issuers.join(', ')}`,
    );
  }
  return { issuer: defined(issuers[0]), subject };
}

/**
 * Opens the store, runs `fn`, closes the store. Store and runtime errors are printed (`error <code>: ...`) and give
 * the exit code; usage errors propagate to main. `onError` may handle an error first (return a code, or undefined).
 *
 * @example
 * ```ts
 * return withStore(values.store, io, async (store) => { ...; return 0; });
 * return withStore(values.store, io, read, undefined, { readOnly: true });
 * ```
 */
export async function withStore(
  spec: string | undefined,
  io: CliIO,
  fn: (store: Store) => Promise<number>,
  onError?: (e: unknown) => number | undefined,
  options: CliStoreOptions = {},
): Promise<number> {
  let store: Store;
  try {
    store = await openCliStore(spec, io, options);
  } catch (e) {
    if (e instanceof StoreFailure) return e.exitCode;
    throw e;
  }
  try {
    return await fn(store);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    return onError?.(e) ?? reportRuntimeError(e, io);
  } finally {
    await store.close();
  }
}
