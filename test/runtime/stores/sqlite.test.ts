import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { provision, SqliteStore, type AccountRecord, type Store } from '../../../src/runtime/index.js';
import { ISSUER, T0, at, makeClaims, makePlan } from '../fixtures.js';
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
  openReadOnly: (store) => SqliteStore.open(paths.get(store)!, { readOnly: true }),
  async corrupt(store, accountId, column, value) {
    const raw = new Database(paths.get(store)!);
    try {
      raw.prepare(`UPDATE accounts SET ${column} = ? WHERE id = ?`).run(value, accountId);
    } finally {
      raw.close();
    }
  },
});

describe('SqliteStore: writes only what changed', () => {
  const base: AccountRecord = {
    id: 'acc-1',
    issuer: ISSUER,
    subject: 's0',
    status: 'active',
    profile: { email: 'a@example.com' },
    lastSeenClaims: null,
    mappingDigest: 'd1',
    mappingVersion: 'v1',
    lastLoginAt: T0,
    lastIssuedAt: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  };
  // Each update changes a random subset of the columns; the row read back is always exactly the record written.
  const change = fc.record(
    {
      subject: fc.constantFrom('s0', 's1'),
      status: fc.constantFrom('active', 'suspended', 'deprovisioned') as fc.Arbitrary<AccountRecord['status']>,
      profile: fc.constantFrom<AccountRecord['profile'][]>(
        { email: 'a@example.com' },
        { email: 'b@example.com', n: [1, 2] },
        {},
      ),
      lastSeenClaims: fc.constantFrom<AccountRecord['lastSeenClaims'][]>(null, {
        protocol: 'oidc',
        issuer: ISSUER,
        subject: 's0',
        issuedAt: null,
        claims: { a: 'x' },
      }),
      mappingDigest: fc.constantFrom('d1', 'd2', null),
      mappingVersion: fc.constantFrom('v1', null),
      lastLoginAt: fc.constantFrom(T0, at(1), null),
      lastIssuedAt: fc.constantFrom(null, at(2)),
      updatedAt: fc.constantFrom(T0, at(3)),
    },
    { requiredKeys: [] },
  );

  it('reads back every update exactly, whichever columns it changes (property)', async () => {
    const store = await SqliteStore.open(join(dir, `p${++n}.db`));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.tuple(change, fc.boolean()), { minLength: 1, maxLength: 6 }), async (steps) => {
          await store.transaction(async (tx) => {
            const old = await tx.findById('acc-1');
            if (old) await tx.updateAccount({ ...base, version: old.version + 1 }, old.version);
            else await tx.insertAccount(base);
          });
          const { grants: _, ...first } = (await store.transaction((tx) => tx.findById('acc-1')))!;
          let want: AccountRecord = first;
          for (const [patch, readFirst] of steps) {
            const next = { ...want, ...patch, version: want.version + 1 };
            await store.transaction(async (tx) => {
              if (readFirst) await tx.findById('acc-1');
              await tx.updateAccount(next, want.version);
            });
            want = next;
            const got = await store.transaction((tx) => tx.findById('acc-1'));
            expect(JSON.parse(JSON.stringify({ ...got, grants: undefined }))).toEqual(JSON.parse(JSON.stringify(want)));
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      await store.close();
    }
  });

  it('gives audit events time-ordered UUIDv7 ids', async () => {
    const store = await SqliteStore.open(join(dir, `v${++n}.db`));
    try {
      const before = Date.now();
      const r1 = await provision(makePlan(), makeClaims(), { store, now: T0 });
      const r2 = await provision(makePlan(), makeClaims(), { store, now: at(1) });
      for (const id of [r1.eventId, r2.eventId]) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
        expect(ms).toBeGreaterThanOrEqual(before);
        expect(ms).toBeLessThanOrEqual(Date.now());
      }
      expect(r1.eventId).not.toBe(r2.eventId);
      expect(r1.eventId.slice(0, 13) <= r2.eventId.slice(0, 13)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reads neither grants nor unique rows back on a first login (insertAccount records the new, empty row)', async () => {
    const store = await SqliteStore.open(join(dir, `r${++n}.db`));
    try {
      const stmts = (
        store as unknown as { s: Record<'grantsOf' | 'uniqueOf', { all: (...a: unknown[]) => unknown[] }> }
      ).s;
      const grantReads = vi.spyOn(stmts.grantsOf, 'all');
      const uniqueReads = vi.spyOn(stmts.uniqueOf, 'all');
      const r = await provision(makePlan(), makeClaims({ groups: ['admins', 'eng'] }), { store, now: T0 });
      expect(r.action).toBe('created');
      expect(grantReads).not.toHaveBeenCalled();
      expect(uniqueReads).not.toHaveBeenCalled();
      // What was written is what a fresh read finds.
      const again = await provision(makePlan(), makeClaims({ groups: ['admins', 'eng'] }), { store, now: at(1) });
      expect(again.action).toBe('unchanged');
      expect(again.account!.grants).toEqual(r.account!.grants);
    } finally {
      await store.close();
    }
  });

  it('rewrites neither the key index nor an unchanged snapshot on a returning login', async () => {
    const path = join(dir, `w${++n}.db`);
    const store = await SqliteStore.open(path);
    const raw = new Database(path);
    try {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const row = () =>
        raw.prepare('SELECT subject, last_seen_claims, version FROM accounts').get() as Record<string, unknown>;
      const before = row();
      // A trigger records which columns an UPDATE sets (`UPDATE OF` fires only for columns in its SET list).
      raw.exec(`CREATE TABLE seen (col TEXT);
        CREATE TRIGGER t_subject AFTER UPDATE OF subject ON accounts BEGIN INSERT INTO seen VALUES ('subject'); END;
        CREATE TRIGGER t_snapshot AFTER UPDATE OF last_seen_claims ON accounts BEGIN INSERT INTO seen VALUES ('snapshot'); END;
        CREATE TRIGGER t_login AFTER UPDATE OF last_login_at ON accounts BEGIN INSERT INTO seen VALUES ('last_login_at'); END;`);
      expect((await provision(makePlan(), makeClaims(), { store, now: at(1) })).action).toBe('unchanged');
      expect(raw.prepare('SELECT col FROM seen ORDER BY col').pluck().all()).toEqual(['last_login_at']);
      expect(row()).toEqual({ ...before, version: 2 });
    } finally {
      raw.close();
      await store.close();
    }
  });
});
