/**
 * The database drivers, loaded on first use. better-sqlite3 (a native module) and pg are optional peer
 * dependencies: `claimmap/runtime` and the CLI import neither at load time, so a lint-only or PostgreSQL-only install
 * needs no native build. A store that needs a driver that is not installed fails with `store/driver-missing`, whose
 * message and hint say exactly what to install.
 *
 * Dynamic `import()` of a literal specifier works in both builds: the ESM build keeps it, the CJS build turns it into
 * `require()`. Both drivers are CommonJS packages, so the namespace's `default` is the module itself.
 */
import { RuntimeError } from '../errors.js';

/** The driver packages a store may need. */
export type DriverName = 'better-sqlite3' | 'pg';

/** What each driver module is. */
export interface Drivers {
  'better-sqlite3': typeof import('better-sqlite3');
  pg: typeof import('pg');
}

/** The install command, and who needs the driver, for each driver. */
const INSTALL: Record<DriverName, { command: string; store: string; others: string }> = {
  'better-sqlite3': {
    command: 'npm install better-sqlite3@12',
    store: 'the SQLite store (sqlite:PATH, SqliteStore)',
    others: 'PostgreSQL and memory: stores do not',
  },
  pg: {
    command: 'npm install pg',
    store: 'the PostgreSQL store (postgres://..., PostgresStore)',
    others: 'SQLite and memory: stores do not',
  },
};

type Importer = (name: DriverName) => Promise<unknown>;

const nativeImport: Importer = (name) => (name === 'pg' ? import('pg') : import('better-sqlite3'));
let importer: Importer = nativeImport;
const loaded = new Map<DriverName, Promise<unknown>>();

/**
 * Replaces how drivers are imported, for tests that simulate a driver that is not installed; `undefined` restores
 * the real `import()`. Internal: not exported by the package.
 *
 * @example
 * ```ts
 * setDriverImporter(async (name) => { throw Object.assign(new Error(`Cannot find package '${name}'`), { code: 'ERR_MODULE_NOT_FOUND' }) });
 * ```
 */
export function setDriverImporter(f: Importer | undefined): void {
  importer = f ?? nativeImport;
  loaded.clear();
}

/**
 * Whether `e` says that the package `name` itself could not be found (as opposed to a failure inside it, or a
 * dependency of it that is missing).
 *
 * @example
 * ```ts
 * isModuleNotFound(await import('nope').catch((e) => e), 'nope') // true
 * ```
 */
export function isModuleNotFound(e: unknown, name: string): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = e instanceof Error ? e.message : '';
  // Node: "Cannot find package 'pg' imported from ..." (ESM), "Cannot find module 'pg'" (CJS).
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

/**
 * The `store/driver-missing` error for `name`: the message names the package and the command to run.
 *
 * @example
 * ```ts
 * driverMissing('pg').message // 'The PostgreSQL driver is not installed: run `npm install pg`.'
 * ```
 */
export function driverMissing(name: DriverName, cause?: unknown): RuntimeError {
  const i = INSTALL[name];
  const what = name === 'pg' ? 'The PostgreSQL driver' : 'The SQLite driver';
  return new RuntimeError('store/driver-missing', `${what} is not installed: run \`${i.command}\`.`, {
    hint: `${name} is an optional peer dependency of claimmap: ${i.store} needs it, ${i.others}.`,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The `store/driver-missing` error for an installed better-sqlite3 whose native module cannot be loaded (installed
 * with scripts disabled, or built for another Node version).
 *
 * @example
 * ```ts
 * throw nativeModuleMissing(e);
 * ```
 */
export function nativeModuleMissing(cause: unknown): RuntimeError {
  return new RuntimeError(
    'store/driver-missing',
    'The SQLite driver better-sqlite3 is installed but its native module cannot be loaded: run `npm rebuild better-sqlite3`.',
    {
      hint: 'It is built (or downloaded prebuilt) by its install script, which must be allowed to run for this Node version.',
      cause,
    },
  );
}

/**
 * Whether `e` is the error better-sqlite3 throws when its compiled `.node` file is missing or does not load.
 *
 * @example
 * ```ts
 * try { new Database(path) } catch (e) { if (isNativeModuleError(e)) throw nativeModuleMissing(e) }
 * ```
 */
export function isNativeModuleError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_DLOPEN_FAILED') return true;
  return (
    e instanceof Error && /Could not locate the bindings file|NODE_MODULE_VERSION|better_sqlite3\.node/.test(e.message)
  );
}

/**
 * Loads a driver once (later calls reuse it). A driver that is not installed is a `store/driver-missing`; any other
 * failure to load it (a broken install) is a `store/unavailable` with the cause.
 *
 * @example
 * ```ts
 * const Database = await loadDriver('better-sqlite3');
 * ```
 */
export async function loadDriver<N extends DriverName>(name: N): Promise<Drivers[N]> {
  let p = loaded.get(name);
  if (p === undefined) {
    p = importer(name).then(
      (mod) => (mod as { default?: unknown }).default ?? mod,
      (e: unknown) => {
        if (isModuleNotFound(e, name)) throw driverMissing(name, e);
        throw new RuntimeError('store/unavailable', `The driver ${name} is installed but failed to load.`, {
          cause: e,
          hint: `Reinstall it: ${INSTALL[name].command}.`,
        });
      },
    );
    // A failed load is not cached: installing the driver fixes the next call.
    p.catch(() => loaded.delete(name));
    loaded.set(name, p);
  }
  return p as Promise<Drivers[N]>;
}
