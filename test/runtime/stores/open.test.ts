/**
 * openStore with readOnly: a read never creates a store (no file, no schema), never migrates, and names a missing
 * store by its spec with the password redacted. Against SQLite always, and PostgreSQL when CLAIMMAP_TEST_PG is set.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { listAccounts, MemoryStore, openStore, provision, SCHEMA_VERSION } from '../../../src/runtime/index.js';
import { makeClaims, makePlan, rejectsWith, T0 } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function seeded(name: string): Promise<string> {
  const store = await openStore(`sqlite:${name}`, { cwd: dir });
  await provision(makePlan(), makeClaims(), { store, now: T0 });
  await store.close();
  return join(dir, name);
}

describe('openStore readOnly: SQLite', () => {
  it('refuses a file that does not exist with store/not-found, naming the spec, and creates nothing', async () => {
    const e = await rejectsWith(openStore('sqlite:typo.db', { cwd: dir, readOnly: true }), 'store/not-found');
    expect(e.message).toBe('No claimmap store at sqlite:typo.db: no such file.');
    expect(e.hint).toMatch(/claimmap login/);
    expect(readdirSync(dir).filter((f) => f.startsWith('typo'))).toEqual([]);
  });

  it('refuses an empty file and a SQLite file without the claimmap schema, and leaves them as they were', async () => {
    writeFileSync(join(dir, 'empty.db'), '');
    const other = new Database(join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    for (const name of ['empty.db', 'other.db']) {
      const before = sha(join(dir, name));
      const e = await rejectsWith(openStore(`sqlite:${name}`, { cwd: dir, readOnly: true }), 'store/not-found');
      expect(e.message).toBe(
        `No claimmap store at sqlite:${name}: the file has no claimmap schema (no schema_migrations table).`,
      );
      expect(sha(join(dir, name))).toBe(before);
    }
  });

  it('refuses a schema older than this claimmap (store/schema-too-old) instead of migrating it', async () => {
    const path = await seeded('old.db');
    const raw = new Database(path);
    raw.prepare('DELETE FROM schema_migrations WHERE version = ?').run(SCHEMA_VERSION);
    raw.close();
    const before = sha(path);
    const e = await rejectsWith(openStore('sqlite:old.db', { cwd: dir, readOnly: true }), 'store/schema-too-old');
    expect(e.message).toContain('a read-only open does not migrate');
    expect(sha(path)).toBe(before);
  });

  it('refuses a schema newer than this claimmap (store/schema-too-new)', async () => {
    const path = await seeded('new.db');
    const raw = new Database(path);
    raw
      .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
      .run(SCHEMA_VERSION + 1, 'future', T0);
    raw.close();
    await rejectsWith(openStore('sqlite:new.db', { cwd: dir, readOnly: true }), 'store/schema-too-new');
  });

  it('reads an existing store without changing its file', async () => {
    const path = await seeded('live.db');
    const before = sha(path);
    const store = await openStore('sqlite:live.db', { cwd: dir, readOnly: true });
    expect(store.readOnly).toBe(true);
    expect((await listAccounts(store)).map((a) => a.subject)).toEqual(['00u1']);
    await rejectsWith(provision(makePlan(), makeClaims({ sub: 'x' }), { store, now: T0 }), 'store/read-only');
    await store.close();
    expect(sha(path)).toBe(before);
  });

  it('sqlite::memory: cannot be read-only (a caller mistake: it is always empty)', async () => {
    await expect(openStore('sqlite::memory:', { readOnly: true })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('openStore readOnly: memory', () => {
  it('is an empty MemoryStore that refuses writes', async () => {
    const store = await openStore('memory:', { readOnly: true });
    expect(store).toBeInstanceOf(MemoryStore);
    expect(store.readOnly).toBe(true);
    expect(await listAccounts(store)).toEqual([]);
    await rejectsWith(provision(makePlan(), makeClaims(), { store, now: T0 }), 'store/read-only');
    expect(await listAccounts(store)).toEqual([]);
  });
});

const url = process.env.CLAIMMAP_TEST_PG;
describe.skipIf(!url)('openStore readOnly: PostgreSQL', () => {
  const run = randomBytes(4).toString('hex');
  const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
  const schemas: string[] = [];
  const fresh = () => {
    const s = `cm_open_${run}_${schemas.length + 1}`;
    schemas.push(s);
    return s;
  };
  const exists = async (schema: string) =>
    (await admin!.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema])).rowCount === 1;
  /** The test URL with a password, so the redaction shows (the password is not checked when trust auth is on). */
  const withPassword = () => {
    const u = new URL(url!);
    if (u.password === '') u.password = 'hunter2';
    return u.toString();
  };
  afterAll(async () => {
    for (const s of schemas) await admin!.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin!.end();
  });

  it('refuses a schema that does not exist with store/not-found, password redacted, and creates nothing', async () => {
    const schema = fresh();
    const spec = withPassword();
    const e = await rejectsWith(openStore(spec, { readOnly: true, postgres: { schema } }), 'store/not-found');
    const password = decodeURIComponent(new URL(spec).password);
    expect(e.message).not.toContain(`:${password}@`);
    expect(e.message).toContain(':***@');
    expect(e.message).toMatch(/no claimmap schema/);
    expect(await exists(schema)).toBe(false);
  });

  it('refuses an older schema (store/schema-too-old) without migrating it', async () => {
    const schema = fresh();
    const writer = await openStore(url!, { postgres: { schema } });
    await writer.close();
    await admin!.query(`DELETE FROM ${schema}.schema_migrations WHERE version = $1`, [SCHEMA_VERSION]);
    await rejectsWith(openStore(url!, { readOnly: true, postgres: { schema } }), 'store/schema-too-old');
    const v = await admin!.query(`SELECT MAX(version) AS v FROM ${schema}.schema_migrations`);
    expect(Number(v.rows[0].v)).toBe(SCHEMA_VERSION - 1);
  });

  it('reads through sessions that are read-only at the server (default_transaction_read_only)', async () => {
    const schema = fresh();
    const writer = await openStore(url!, { postgres: { schema } });
    await provision(makePlan(), makeClaims(), { store: writer, now: T0 });
    await writer.close();
    const store = await openStore(url!, { readOnly: true, postgres: { schema } });
    try {
      expect((await listAccounts(store)).map((a) => a.subject)).toEqual(['00u1']);
      // Past readOnlyTx, the server itself refuses a write: SQLSTATE 25006 maps to store/read-only.
      const e = await rejectsWith(
        store.transaction(async () => {
          const pool = (store as unknown as { pool: pg.Pool }).pool;
          const c = await pool.connect();
          try {
            await c.query(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES (999, 'x', 'x')`);
          } finally {
            c.release();
          }
        }),
        'store/read-only',
      );
      expect(String((e.cause as { code?: string }).code)).toBe('25006');
    } finally {
      await store.close();
    }
  });
});
