/**
 * The stores the SCIM suites run on: MemoryStore, SqliteStore on a temporary file, and PostgresStore in a fresh
 * schema when CLAIMMAP_TEST_PG is set (skipped otherwise, with a notice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { MemoryStore, PostgresStore, SqliteStore, type Store } from '../../src/runtime/index.js';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from '../runtime/stores/pg-schemas.js';
import { notice } from '../runtime/notice.js';

export interface StoreKind {
  name: 'memory' | 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** The `--store` spec of a new, empty store of this kind (for the CLI). */
  spec(): Promise<string>;
}

const pgUrl = process.env.CLAIMMAP_TEST_PG;
const run = randomBytes(4).toString('hex');
const schemas: string[] = [];
let n = 0;
let dir: string | undefined;
let admin: pg.Pool | undefined;

afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (admin) {
    await dropSchemas(admin, schemas);
    await admin.end();
  }
}, DROP_HOOK_TIMEOUT_MS);

function tmp(): string {
  dir ??= mkdtempSync(join(tmpdir(), 'claimmap-scim-'));
  return join(dir, `s${++n}.db`);
}

function newSchema(): string {
  admin ??= new pg.Pool({ connectionString: pgUrl, max: 2 });
  const s = `cm_scim_${run}_${++n}`;
  schemas.push(s);
  return s;
}

/** The store kinds to run on. */
export function storeKinds(): StoreKind[] {
  const kinds: StoreKind[] = [
    { name: 'memory', open: async () => new MemoryStore(), spec: async () => 'memory:' },
    { name: 'sqlite', open: () => SqliteStore.open(tmp()), spec: async () => `sqlite:${tmp()}` },
  ];
  if (pgUrl) {
    kinds.push({
      name: 'postgres',
      open: () => PostgresStore.open(pgUrl, { schema: newSchema(), poolSize: 5 }),
      spec: async () => {
        const schema = newSchema();
        await admin?.query(`CREATE SCHEMA ${schema}`);
        const u = new URL(pgUrl);
        u.searchParams.set('options', `-c search_path=${schema}`);
        return u.toString();
      },
    });
  } else {
    notice('[claimmap] SCIM tests on PostgreSQL SKIPPED: CLAIMMAP_TEST_PG is not set.');
  }
  return kinds;
}
