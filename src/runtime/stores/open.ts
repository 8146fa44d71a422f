/** Opening a store from a URL-like spec, as the CLI's `--store` and `CLAIMMAP_STORE` take it. */
import { isAbsolute, resolve } from 'node:path';
import type { Store } from '../store.js';
import { MemoryStore } from './memory.js';
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
}

/**
 * Opens `sqlite:PATH` (relative to `cwd`; `sqlite::memory:` for a private in-memory database),
 * `postgres://...` / `postgresql://...`, or `memory:`. Throws TypeError for any other spec.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.CLAIMMAP_STORE ?? 'sqlite:./claimmap.db');
 * ```
 */
export async function openStore(spec: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (spec === 'memory:') return new MemoryStore();
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (path === '') throw new TypeError('store spec "sqlite:" needs a path, e.g. sqlite:./claimmap.db');
    const full = path === ':memory:' || isAbsolute(path) ? path : resolve(options.cwd ?? process.cwd(), path);
    return SqliteStore.open(full, options.sqlite);
  }
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) {
    return PostgresStore.open(spec, options.postgres);
  }
  throw new TypeError(`unsupported store "${spec}": use sqlite:PATH, postgres://... or memory:`);
}
