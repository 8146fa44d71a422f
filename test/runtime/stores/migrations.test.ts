import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { listAudit, provision, RuntimeError, SCHEMA_VERSION, SqliteStore } from '../../../src/runtime/index.js';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../../src/runtime/stores/migrations.js';
import { ISSUER, T0, makeClaims, makePlan } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `m${++n}.db`);

async function codeOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RuntimeError);
  return (e as RuntimeError).code;
}

describe('SQLite schema migrations', () => {
  it('numbers migrations 1..n without gaps, both dialects filled in', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
    for (const m of MIGRATIONS) expect(m.sqlite.trim() && m.postgres.trim()).toBeTruthy();
  });

  it('records every migration once, and reopening is a no-op that keeps data', async () => {
    const path = fresh();
    const s1 = await SqliteStore.open(path);
    expect(s1.schemaVersion()).toBe(SCHEMA_VERSION);
    await provision(makePlan(), makeClaims(), { store: s1, now: T0 });
    await s1.close();
    const s2 = await SqliteStore.open(path);
    expect(s2.schemaVersion()).toBe(SCHEMA_VERSION);
    await s2.close();
    const raw = new Database(path, { readonly: true });
    expect(raw.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version })),
    );
    expect(raw.prepare('SELECT COUNT(*) AS n FROM accounts').get()).toEqual({ n: 1 });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('enforces UNIQUE (issuer, subject) in the schema itself', async () => {
    const path = fresh();
    await (await SqliteStore.open(path)).close();
    const raw = new Database(path);
    const ins = raw.prepare(
      "INSERT INTO accounts (id, issuer, subject, status, profile, created_at, updated_at, version) VALUES (?, 'i', 's', 'active', '{}', 'x', 'x', 1)",
    );
    ins.run('a');
    expect(() => ins.run('b')).toThrow(/UNIQUE/);
    raw.close();
  });

  it('keeps audit events append-only', async () => {
    const path = fresh();
    const store = await SqliteStore.open(path);
    await provision(makePlan(), makeClaims(), { store, now: T0 });
    await store.close();
    const raw = new Database(path);
    expect(() => raw.prepare("UPDATE audit_events SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    raw.close();
  });

  it('migrates a version 2 database to 3: audit events kept in order, seq still increasing, append-only kept', async () => {
    const path = fresh();
    const raw = new Database(path);
    raw.exec(MIGRATIONS_TABLE_SQL);
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
      raw.exec(m.sqlite);
      raw
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, T0);
    }
    raw.exec(
      "INSERT INTO accounts (id, issuer, subject, status, profile, created_at, updated_at, version) VALUES ('a1', 'i', 's', 'active', '{}', 'x', 'x', 1)",
    );
    const ins = raw.prepare(
      `INSERT INTO audit_events (id, at, action, issuer, subject, account_id, actor, data)
       VALUES (?, ?, 'created', ?, ?, NULL, 'login', '{"reason":null,"changes":[],"rules":[],"mapping":null}')`,
    );
    const old = ['e-old-1', 'e-old-2', 'e-old-3'];
    for (const [i, id] of old.entries()) ins.run(id, T0, ISSUER, `s${i % 2}`);
    raw.close();

    const store = await SqliteStore.open(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    expect((await listAudit(store, { limit: 10 })).map((e) => e.id)).toEqual([...old].reverse());
    expect((await listAudit(store, { key: { issuer: ISSUER, subject: 's0' } })).map((e) => e.id)).toEqual([
      'e-old-3',
      'e-old-1',
    ]);
    const r = await provision(makePlan(), makeClaims(), { store, now: T0 });
    expect((await listAudit(store, { limit: 10 })).map((e) => e.id)).toEqual([r.eventId, ...[...old].reverse()]);
    await store.close();

    const check = new Database(path);
    expect(check.prepare('SELECT seq FROM audit_events ORDER BY seq').pluck().all()).toEqual([1, 2, 3, 4]);
    const sql = (name: string) =>
      check.prepare('SELECT sql FROM sqlite_master WHERE name = ?').pluck().get(name) as string | undefined;
    expect(sql('audit_events')).not.toMatch(/AUTOINCREMENT/i);
    expect(sql('audit_events_key')).toMatch(/\(issuer, subject, seq\)/);
    expect(sql('accounts_activity')).toBeUndefined();
    expect(sql('accounts_status')).toMatch(/\(status\)/);
    expect(check.prepare("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'audit_events'").pluck().get()).toBe(0);
    expect(() => check.prepare("UPDATE audit_events SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => check.prepare("DELETE FROM audit_events WHERE id = 'e-old-3'").run()).toThrow(/append-only/);
    // A duplicate id: the UNIQUE constraint is kept, and since migration 4 a trigger refuses it first.
    expect(sql('audit_events')).toMatch(/\bid\s+TEXT NOT NULL UNIQUE/);
    expect(() =>
      check
        .prepare(
          `INSERT INTO audit_events (id, at, action, issuer, subject, actor, data) VALUES ('e-old-1', 'x', 'created', 'i', 's', 'login', '{}')`,
        )
        .run(),
    ).toThrow(/append-only/);
    check.close();
  });

  it('refuses a database migrated by a newer claimmap (store/schema-too-new)', async () => {
    const path = fresh();
    await (await SqliteStore.open(path)).close();
    const raw = new Database(path);
    raw
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')")
      .run(SCHEMA_VERSION + 1);
    raw.close();
    expect(await codeOf(SqliteStore.open(path))).toBe('store/schema-too-new');
  });

  it('reports a failing migration as store/migration-failed and leaves the previous version', async () => {
    const path = fresh();
    const raw = new Database(path);
    raw.exec(
      'CREATE TABLE audit_events (x TEXT); CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    raw.close();
    expect(await codeOf(SqliteStore.open(path))).toBe('store/migration-failed');
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    expect(check.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'accounts'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('reports a file that is not a database, and a missing directory, as store/unavailable', async () => {
    const junk = fresh();
    writeFileSync(junk, 'this is not sqlite'.repeat(100));
    expect(await codeOf(SqliteStore.open(junk))).toBe('store/unavailable');
    expect(await codeOf(SqliteStore.open(join(dir, 'no', 'such', 'dir', 'x.db')))).toBe('store/unavailable');
  });

  it('reports a held write lock as store/busy after busyTimeoutMs', async () => {
    const path = fresh();
    const store = await SqliteStore.open(path, { busyTimeoutMs: 50 });
    const raw = new Database(path);
    raw.exec('BEGIN IMMEDIATE');
    try {
      expect(await codeOf(provision(makePlan(), makeClaims(), { store, now: T0 }))).toBe('store/busy');
    } finally {
      raw.exec('ROLLBACK');
      raw.close();
    }
    expect((await provision(makePlan(), makeClaims(), { store, now: T0 })).action).toBe('created');
    await store.close();
  });
});
