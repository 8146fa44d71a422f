import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { SqliteStore, type Store } from '../../src/runtime/index.js';
import { storeSuite } from './store-suite.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-sqlite-'));
const paths = new WeakMap<Store, string>();
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeSuite('SqliteStore', {
  async open() {
    const path = join(dir, `t${++n}.db`);
    const store = await SqliteStore.open(path);
    paths.set(store, path);
    return store;
  },
  async corrupt(store, accountId, column, value) {
    const raw = new Database(paths.get(store)!);
    try {
      raw.prepare(`UPDATE accounts SET ${column} = ? WHERE id = ?`).run(value, accountId);
    } finally {
      raw.close();
    }
  },
});
