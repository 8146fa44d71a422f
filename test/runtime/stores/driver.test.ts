/**
 * The lazy driver loader: a store whose driver is not installed fails with store/driver-missing and says what to
 * install; the drivers are imported once, and only by the store that needs them. The absent driver is simulated by
 * an importer that fails the way Node's own import() fails for a package that is not there.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryStore, openStore, PostgresStore, SqliteStore } from '../../../src/runtime/index.js';
import {
  isModuleNotFound,
  isNativeModuleError,
  loadDriver,
  setDriverImporter,
  type DriverName,
} from '../../../src/runtime/stores/driver.js';
import { rejectsWith } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-driver-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => setDriverImporter(undefined));

/** The error Node's import() gives for a package that cannot be found, captured from a real import. */
async function realNotFound(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name).then(
    () => {
      throw new Error(`${name} unexpectedly exists`);
    },
    (e: unknown) => e,
  );
}

/** An importer for which `missing` is not installed: it fails with Node's own error for an absent package. */
function without(...missing: DriverName[]) {
  const calls: DriverName[] = [];
  setDriverImporter(async (name) => {
    calls.push(name);
    if (!missing.includes(name)) return name === 'pg' ? import('pg') : import('better-sqlite3');
    const e = (await realNotFound('claimmap-no-such-driver')) as Error & { code?: string };
    // The same error, about this package (Node names the package it could not find).
    throw Object.assign(new Error(e.message.replaceAll('claimmap-no-such-driver', name)), { code: e.code });
  });
  return calls;
}

describe('isModuleNotFound', () => {
  it("recognises Node's not-found errors for the package itself, from import() and from require()", async () => {
    const esm = await realNotFound('claimmap-no-such-driver');
    expect((esm as { code?: string }).code).toBe('ERR_MODULE_NOT_FOUND');
    expect(isModuleNotFound(esm, 'claimmap-no-such-driver')).toBe(true);
    let cjs: unknown;
    try {
      createRequire(join(dir, 'x.js'))('claimmap-no-such-driver');
    } catch (e) {
      cjs = e;
    }
    expect((cjs as { code?: string }).code).toBe('MODULE_NOT_FOUND');
    expect(isModuleNotFound(cjs, 'claimmap-no-such-driver')).toBe(true);
  });

  it('does not take a missing dependency of the driver, or another failure, for the driver missing', async () => {
    expect(isModuleNotFound(await realNotFound('claimmap-no-such-driver'), 'pg')).toBe(false);
    expect(isModuleNotFound(new Error("Cannot find package 'pg'"), 'pg')).toBe(false); // no code
    expect(isModuleNotFound(null, 'pg')).toBe(false);
  });
});

describe('store/driver-missing', () => {
  it('sqlite: says to install better-sqlite3@12, and creates no file', async () => {
    without('better-sqlite3');
    const path = join(dir, 'a.db');
    for (const open of [() => openStore(`sqlite:${path}`), () => SqliteStore.open(path)]) {
      const e = await rejectsWith(open(), 'store/driver-missing');
      expect(e.message).toBe('The SQLite driver is not installed: run `npm install better-sqlite3@12`.');
      expect(e.hint).toMatch(/optional peer dependency/);
      expect(isModuleNotFound(e.cause, 'better-sqlite3')).toBe(true);
    }
    // read-only too: the driver is checked before the file
    await rejectsWith(openStore(`sqlite:${path}`, { readOnly: true }), 'store/driver-missing');
    expect(existsSync(path)).toBe(false);
  });

  it('postgres: says to install pg, before any connection is tried', async () => {
    without('pg');
    // Port 1 on localhost: nothing listens; the driver check comes first, so this never times out.
    for (const open of [
      () => openStore('postgres://app:secret@127.0.0.1:1/app'),
      () => PostgresStore.open('postgres://app:secret@127.0.0.1:1/app'),
    ]) {
      const e = await rejectsWith(open(), 'store/driver-missing');
      expect(e.message).toBe('The PostgreSQL driver is not installed: run `npm install pg`.');
      expect(e.message).not.toContain('secret');
    }
  });

  it('the other store and memory: do not need the missing driver', async () => {
    const calls = without('pg');
    const sqlite = await openStore(`sqlite:${join(dir, 'b.db')}`);
    await sqlite.close();
    const memory = await openStore('memory:');
    expect(memory).toBeInstanceOf(MemoryStore);
    await memory.close();
    expect(calls).toEqual(['better-sqlite3']);
  });

  it('an installed better-sqlite3 without its native module: says to rebuild it', async () => {
    setDriverImporter(async () => ({
      default: function Database() {
        throw new Error('Could not locate the bindings file. Tried:\n → /x/build/better_sqlite3.node');
      },
    }));
    const e = await rejectsWith(SqliteStore.open(join(dir, 'c.db')), 'store/driver-missing');
    expect(e.message).toContain('`npm rebuild better-sqlite3`');
    expect(isNativeModuleError(e.cause)).toBe(true);
  });

  it('a driver that is there but fails to load is store/unavailable, with the cause', async () => {
    const broken = new SyntaxError('Unexpected token');
    setDriverImporter(async () => {
      throw broken;
    });
    const e = await rejectsWith(loadDriver('pg'), 'store/unavailable');
    expect(e.cause).toBe(broken);
  });
});

describe('loadDriver', () => {
  it('imports a driver once, and tries again after a failed load', async () => {
    const calls = without('pg');
    await loadDriver('better-sqlite3');
    await loadDriver('better-sqlite3');
    await rejectsWith(loadDriver('pg'), 'store/driver-missing');
    await rejectsWith(loadDriver('pg'), 'store/driver-missing');
    expect(calls).toEqual(['better-sqlite3', 'pg', 'pg']);
  });

  it('gives the module itself (the CommonJS export), not a namespace', async () => {
    const Database = await loadDriver('better-sqlite3');
    const db = new Database(':memory:');
    expect(db.prepare('SELECT 1 AS one').get()).toEqual({ one: 1 });
    db.close();
    expect(typeof (await loadDriver('pg')).Pool).toBe('function');
  });
});
