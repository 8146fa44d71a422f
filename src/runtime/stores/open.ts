/** Opening a store from a URL-like spec, as the CLI's `--store` and `CLAIMMAP_STORE` take it. */
import { isAbsolute, resolve } from 'node:path';
import type { Store } from '../store.js';
import { MemoryStore } from './memory.js';
import { renameNotFound } from './read-only.js';
import { PostgresStore, type PostgresStoreOptions } from './postgres.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';

/**
 * Options of {@link openStore}.
 *
 * @example
 * ```ts
 * const options: OpenStoreOptions = { cwd: '/srv/app', sqlite: { busyTimeoutMs: 10_000 } };
 * const store = await openStore('sqlite:./claimmap.db', options);
 * ```
 */
export interface OpenStoreOptions {
  /** Base directory for a relative `sqlite:` path. Default `process.cwd()`. */
  cwd?: string;
  sqlite?: SqliteStoreOptions;
  postgres?: PostgresStoreOptions;
  /**
   * Open for reading only (default false): nothing is created or migrated, a store that does not exist is
   * `store/not-found` (its message names the spec, password redacted), and a write is `store/read-only`. For
   * `memory:`, an empty store that refuses writes; `sqlite::memory:` cannot be read-only (TypeError).
   */
  readOnly?: boolean;
}

/**
 * Opens `sqlite:PATH` (relative to `cwd`; `sqlite::memory:` for a private in-memory database),
 * `postgres://...` / `postgresql://...`, or `memory:`. Throws TypeError for any other spec. The driver of the
 * store (better-sqlite3, pg) is loaded here, on first use: `store/driver-missing` when it is not installed.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.CLAIMMAP_STORE ?? 'sqlite:./claimmap.db');
 * const reader = await openStore('sqlite:./claimmap.db', { readOnly: true }); // store/not-found if absent
 * ```
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  if (spec === 'memory:') return new MemoryStore({ readOnly });
  try {
    if (spec.startsWith('sqlite:')) {
      const path = spec.slice('sqlite:'.length);
      if (path === '') throw new TypeError('store spec "sqlite:" needs a path, e.g. sqlite:./claimmap.db');
      if (readOnly && path === ':memory:') {
        throw new TypeError('sqlite::memory: cannot be opened read-only (it is always empty): use memory:');
      }
      const full = path === ':memory:' || isAbsolute(path) ? path : resolve(options.cwd ?? process.cwd(), path);
      return await SqliteStore.open(full, { ...options.sqlite, readOnly });
    }
    if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
      return await PostgresStore.open(spec, { ...options.postgres, readOnly });
    }
  } catch (e) {
    // Name the store as the caller spelled it (not an absolute path), with no password.
    throw renameNotFound(e, redactStoreSpec(spec));
  }
  throw new TypeError(`unsupported store "${spec}": use sqlite:PATH, postgres://... or memory:`);
}

/**
 * The spec with any password replaced by `***`, for printing.
 *
 * @example
 * ```ts
 * redactStoreSpec('postgres://app:secret@db/app') // 'postgres://app:***@db/app'
 * ```
 */
export function redactStoreSpec(spec: string): string {
  return spec.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}
