/**
 * The SQLite audit log is append-only against every SQL path, not only UPDATE and DELETE: REPLACE and
 * INSERT OR REPLACE resolve a uniqueness conflict by deleting the old row, and delete triggers do not fire for that
 * (without PRAGMA recursive_triggers). Each attack runs on a raw connection to a store's file, with
 * recursive_triggers off (the default) and on; the audit rows must come out exactly as they went in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { listAudit, provision, SCHEMA_VERSION, SqliteStore } from '../../../src/runtime/index.js';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL } from '../../../src/runtime/stores/migrations.js';
import { T0, at, makeClaims, makePlan } from '../fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `a${++n}.db`);

const COLS = 'id, at, action, issuer, subject, account_id, actor, data';
const FORGED = `'forged', 'x', 'created', 'i', 's', NULL, 'attacker', '{}'`;

/** Statements that would overwrite or remove audit rows, named after the attack. */
const ATTACKS: [string, string][] = [
  [
    'replace-into.same-seq',
    `REPLACE INTO audit_events (seq, ${COLS}) VALUES (1, 'new-id', 'x', 'created', 'i', 's', NULL, 'attacker', '{}')`,
  ],
  [
    'replace-into.same-id',
    `REPLACE INTO audit_events (${COLS}) SELECT id, 'x', 'created', 'i', 's', NULL, 'attacker', '{}' FROM audit_events WHERE seq = 1`,
  ],
  ['insert-or-replace.same-seq', `INSERT OR REPLACE INTO audit_events (seq, ${COLS}) VALUES (2, ${FORGED})`],
  [
    'insert-or-replace-select.every-row',
    `INSERT OR REPLACE INTO audit_events (seq, ${COLS}) SELECT seq, id, at, action, issuer, subject, account_id, 'attacker', data FROM audit_events`,
  ],
  [
    'upsert.on-conflict-id-do-update',
    `INSERT INTO audit_events (${COLS}) SELECT id, 'x', 'created', 'i', 's', NULL, 'attacker', '{}' FROM audit_events WHERE seq = 1 ON CONFLICT (id) DO UPDATE SET actor = excluded.actor`,
  ],
  [
    'upsert.on-conflict-seq-do-update',
    `INSERT INTO audit_events (seq, ${COLS}) VALUES (1, ${FORGED}) ON CONFLICT DO UPDATE SET actor = excluded.actor`,
  ],
  ['update', `UPDATE audit_events SET actor = 'attacker'`],
  ['update-or-replace.move-seq', 'UPDATE OR REPLACE audit_events SET seq = 2 WHERE seq = 1'],
  ['delete.all', 'DELETE FROM audit_events'],
  ['delete.one', 'DELETE FROM audit_events WHERE seq = 1'],
  ['insert.seq-minus-one.blocks-later-inserts', `INSERT INTO audit_events (seq, ${COLS}) VALUES (-1, ${FORGED})`],
  ['insert.seq-zero', `INSERT INTO audit_events (seq, ${COLS}) VALUES (0, ${FORGED})`],
];

async function storeWithEvents(): Promise<string> {
  const path = fresh();
  const store = await SqliteStore.open(path);
  await provision(makePlan(), makeClaims(), { store, now: T0 });
  await provision(makePlan(), makeClaims({ name: 'Jane Q. Doe' }), { store, now: at(1) });
  await store.close();
  return path;
}

const snapshot = (db: Database.Database) => db.prepare('SELECT * FROM audit_events ORDER BY seq').all();

describe('SQLite audit_events is append-only against every SQL path', () => {
  for (const recursive of [false, true]) {
    it.each(ATTACKS)(`%s is refused (recursive_triggers ${recursive ? 'on' : 'off'})`, async (_name, sql) => {
      const path = await storeWithEvents();
      const raw = new Database(path);
      try {
        raw.pragma(`recursive_triggers = ${recursive ? 'ON' : 'OFF'}`);
        const before = snapshot(raw);
        expect(before).toHaveLength(2);
        expect(() => raw.exec(sql)).toThrow(/append-only/);
        expect(snapshot(raw)).toEqual(before);
      } finally {
        raw.close();
      }
      // The store still appends.
      const store = await SqliteStore.open(path);
      try {
        await provision(makePlan(), makeClaims(), { store, now: at(2) });
        expect(await listAudit(store)).toHaveLength(3);
      } finally {
        await store.close();
      }
    });
  }

  it('still accepts plain appends, with seq increasing', async () => {
    const path = await storeWithEvents();
    const raw = new Database(path);
    try {
      raw.exec(`INSERT INTO audit_events (${COLS}) VALUES (${FORGED})`);
      raw.exec(
        `INSERT OR IGNORE INTO audit_events (${COLS}) VALUES ('another', 'x', 'created', 'i', 's', NULL, 'a', '{}')`,
      );
      expect(raw.prepare('SELECT seq FROM audit_events ORDER BY seq').pluck().all()).toEqual([1, 2, 3, 4]);
    } finally {
      raw.close();
    }
  });

  it('migrates a version 3 database to 4: its events kept, REPLACE refused afterwards', async () => {
    const path = fresh();
    const raw = new Database(path);
    raw.exec(MIGRATIONS_TABLE_SQL);
    for (const m of MIGRATIONS.filter((x) => x.version <= 3)) {
      raw.exec(m.sqlite);
      raw
        .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(m.version, m.name, T0);
    }
    raw.exec(`INSERT INTO audit_events (${COLS}) VALUES ('e1', 'x', 'created', 'i', 's', NULL, 'login', '{}')`);
    // What version 3 allowed: REPLACE overwrote the event.
    raw.exec(
      `REPLACE INTO audit_events (seq, ${COLS}) VALUES (1, 'e1', 'x', 'created', 'i', 's', NULL, 'attacker', '{}')`,
    );
    expect(raw.prepare('SELECT actor FROM audit_events').pluck().all()).toEqual(['attacker']);
    raw.close();
    await (await SqliteStore.open(path)).close();
    const after = new Database(path);
    try {
      expect(after.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(SCHEMA_VERSION);
      expect(after.prepare('SELECT id FROM audit_events').pluck().all()).toEqual(['e1']);
      expect(() => after.exec(`REPLACE INTO audit_events (seq, ${COLS}) VALUES (1, ${FORGED})`)).toThrow(/append-only/);
    } finally {
      after.close();
    }
  });
});
