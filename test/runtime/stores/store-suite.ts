/**
 * The behavioural suite every Store runs: the Store interface itself, then provision() and lifecycle through it.
 * Called from memory.test.ts, sqlite.test.ts and postgres.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountSummary,
  deprovision,
  dormant,
  eachAccountSummary,
  eachDormantSummary,
  getAccount,
  listAccounts,
  eachAccount,
  eachDormant,
  listAudit,
  provision,
  reactivate,
  RuntimeError,
  suspend,
  type Account,
  type AccountRecord,
  type Grant,
  type ListAccountsQuery,
  type Store,
} from '../../../src/runtime/index.js';
import { identitySuite } from './identity-suite.js';
import { ODD_ISSUER, ODD_ROLES, ODD_T0, OTHER_ISSUER, seedOddAccounts } from './odd-accounts.js';
import { scimServiceSuite } from './scim-service-suite.js';
import { scimStoreSuite } from './scim-store-suite.js';
import {
  T0,
  at,
  failingStore,
  grantNames,
  ISSUER,
  makeClaims,
  makePlan,
  rejectsWith,
  type TxMethod,
} from '../fixtures.js';

export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<Store>;
  /** Overwrites a raw column of an account row (SQL stores only), to simulate a corrupt record. */
  corrupt?: (store: Store, accountId: string, column: string, value: string) => Promise<void>;
  /**
   * A second, read-only store on the same data as `store` (SQL stores: the same file or schema). A MemoryStore has
   * no shared data to reopen: its read-only mode (an empty store) is tested in memory.test.ts.
   */
  openReadOnly?: (store: Store) => Promise<Store>;
}

const KEY = { issuer: ISSUER, subject: '00u1' };

function record(over: Partial<AccountRecord> = {}): AccountRecord {
  return {
    id: 'acc-1',
    issuer: ISSUER,
    subject: '00u1',
    status: 'active',
    profile: { email: 'jane@example.com', tags: ['a', 'b'], nested: { x: 1 } },
    lastSeenClaims: null,
    mappingDigest: 'd1',
    mappingVersion: 'v1',
    lastLoginAt: T0,
    lastIssuedAt: null,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
    ...over,
  };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const names = grantNames;

export function storeSuite(name: string, harness: StoreHarness): void {
  describe(`${name}: Store interface`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('inserts and finds an account by its key only', async () => {
      await store.transaction(async (tx) => {
        await tx.insertAccount(record());
      });
      const found = await store.transaction((tx) => tx.findByKey(ISSUER, '00u1'));
      expect(found).toMatchObject({ id: 'acc-1', status: 'active', version: 1, grants: [] });
      expect({ ...found!.profile }).toEqual({ email: 'jane@example.com', tags: ['a', 'b'], nested: { x: 1 } });
      expect(await store.transaction((tx) => tx.findByKey(ISSUER, '00U1'))).toBeNull();
      expect(await store.transaction((tx) => tx.findByKey('https://other.example.com', '00u1'))).toBeNull();
      expect((await store.transaction((tx) => tx.findById('acc-1')))?.subject).toBe('00u1');
    });

    it('refuses a second account with the same (issuer, subject)', async () => {
      await store.transaction((tx) => tx.insertAccount(record()));
      await rejectsWith(
        store.transaction((tx) => tx.insertAccount(record({ id: 'acc-2' }))),
        'store/conflict',
      );
      // the same subject at another issuer is another account
      await store.transaction((tx) => tx.insertAccount(record({ id: 'acc-3', issuer: 'https://other.example.com' })));
    });

    it('updates only at the expected version (optimistic concurrency)', async () => {
      await store.transaction((tx) => tx.insertAccount(record()));
      await store.transaction((tx) => tx.updateAccount(record({ status: 'suspended', version: 2 }), 1));
      await rejectsWith(
        store.transaction((tx) => tx.updateAccount(record({ version: 3 }), 1)),
        'store/conflict',
      );
      expect((await store.transaction((tx) => tx.findByKey(ISSUER, '00u1')))?.status).toBe('suspended');
    });

    // SqliteStore sets only the columns that differ from the row read in the same transaction: every column, a
    // second update of that row, a stale version after the read and a rolled-back update must still behave.
    it('stores every changed column of an update after a read, twice in one transaction and after a rollback', async () => {
      await store.transaction((tx) => tx.insertAccount(record({ lastSeenClaims: null })));
      const moved = record({
        subject: '00u9',
        status: 'suspended',
        profile: { email: 'j@example.com' },
        lastSeenClaims: { protocol: 'oidc', issuer: ISSUER, subject: '00u9', issuedAt: null, claims: { a: 1 } },
        mappingDigest: 'd2',
        mappingVersion: null,
        lastLoginAt: at(5),
        lastIssuedAt: at(4),
        updatedAt: at(5),
        version: 2,
      });
      await store.transaction(async (tx) => {
        expect((await tx.findByKey(ISSUER, '00u1'))?.version).toBe(1);
        await tx.updateAccount(moved, 1);
        await tx.updateAccount({ ...moved, status: 'active', lastSeenClaims: null, version: 3 }, 2);
      });
      const stored = (a: Account | null) => a && { ...a, profile: { ...a.profile }, grants: undefined };
      expect(await store.transaction((tx) => tx.findByKey(ISSUER, '00u1'))).toBeNull();
      const v3 = await store.transaction((tx) => tx.findByKey(ISSUER, '00u9'));
      expect(stored(v3)).toEqual({ ...moved, status: 'active', lastSeenClaims: null, version: 3, grants: undefined });

      const boom = new RuntimeError('store/write-failed', 'boom');
      await expect(
        store.transaction(async (tx) => {
          await tx.findById('acc-1');
          await tx.updateAccount({ ...moved, status: 'deprovisioned', version: 4 }, 3);
          throw boom;
        }),
      ).rejects.toBe(boom);
      await store.transaction(async (tx) => {
        await tx.findById('acc-1');
        await tx.updateAccount({ ...moved, status: 'deprovisioned', version: 4 }, 3);
      });
      expect((await store.transaction((tx) => tx.findById('acc-1')))?.status).toBe('deprovisioned');
      await rejectsWith(
        store.transaction(async (tx) => {
          await tx.findById('acc-1');
          await tx.updateAccount({ ...moved, version: 5 }, 3);
        }),
        'store/conflict',
      );
      expect((await store.transaction((tx) => tx.findById('acc-1')))?.version).toBe(4);
    });

    it('replaces grants twice in one transaction after reading them (the second sees the first)', async () => {
      const g = (name: string, rules: string[]): Grant => ({
        kind: 'role',
        name,
        grantedAt: T0,
        source: 'mapping',
        rules,
        mappingDigest: 'd1',
        mappingVersion: null,
      });
      await store.transaction(async (tx) => {
        await tx.insertAccount(record());
        await tx.replaceGrants('acc-1', [g('a', ['r0']), g('b', ['r1'])]);
      });
      await store.transaction(async (tx) => {
        await tx.findByKey(ISSUER, '00u1');
        await tx.replaceGrants('acc-1', [g('b', ['r2']), g('c', ['r3'])]);
        await tx.replaceGrants('acc-1', [g('a', ['r4']), g('c', ['r3'])]);
      });
      const found = await store.transaction((tx) => tx.findByKey(ISSUER, '00u1'));
      expect(found?.grants.map((x) => `${x.name}:${x.source === 'mapping' ? x.rules.join() : ''}`)).toEqual([
        'a:r4',
        'c:r3',
      ]);
    });

    it('replaces grants and returns them sorted with provenance', async () => {
      await store.transaction(async (tx) => {
        await tx.insertAccount(record());
        await tx.replaceGrants('acc-1', [
          {
            kind: 'role',
            name: 'dev',
            grantedAt: T0,
            source: 'mapping',
            rules: ['roles[1]'],
            mappingDigest: 'd1',
            mappingVersion: null,
          },
          { kind: 'role', name: 'admin', grantedAt: T0, source: 'manual', actor: 'ops' },
          {
            kind: 'entitlement',
            name: 'repo:write',
            grantedAt: T0,
            source: 'mapping',
            rules: ['e[0]'],
            mappingDigest: 'd1',
            mappingVersion: 'v1',
          },
        ]);
      });
      const a = await store.transaction((tx) => tx.findByKey(ISSUER, '00u1'));
      expect(a!.grants.map((g) => `${g.kind}:${g.name}:${g.source}`)).toEqual([
        'entitlement:repo:write:mapping',
        'role:admin:manual',
        'role:dev:mapping',
      ]);
      expect(a!.grants[1]).toEqual({ kind: 'role', name: 'admin', grantedAt: T0, source: 'manual', actor: 'ops' });
      await store.transaction((tx) => tx.replaceGrants('acc-1', []));
      expect((await store.transaction((tx) => tx.findByKey(ISSUER, '00u1')))!.grants).toEqual([]);
    });

    it('keeps a unique index that refuses a value held by another account', async () => {
      await store.transaction(async (tx) => {
        await tx.insertAccount(record());
        await tx.insertAccount(record({ id: 'acc-2', subject: '00u2' }));
        await tx.replaceUnique('acc-1', ISSUER, [{ field: 'email', value: 'jane@example.com', verified: true }]);
      });
      expect(await store.transaction((tx) => tx.findByUnique(ISSUER, 'email', 'jane@example.com'))).toEqual({
        accountId: 'acc-1',
        entry: { field: 'email', value: 'jane@example.com', verified: true },
      });
      expect(
        await store.transaction((tx) => tx.findByUnique('https://other.example.com', 'email', 'jane@example.com')),
      ).toBeNull();
      await rejectsWith(
        store.transaction((tx) =>
          tx.replaceUnique('acc-2', ISSUER, [{ field: 'email', value: 'jane@example.com', verified: true }]),
        ),
        'store/conflict',
      );
      // replacing moves the value: the old one is free again
      await store.transaction((tx) =>
        tx.replaceUnique('acc-1', ISSUER, [{ field: 'email', value: 'j@example.com', verified: false }]),
      );
      await store.transaction((tx) =>
        tx.replaceUnique('acc-2', ISSUER, [{ field: 'email', value: 'jane@example.com', verified: true }]),
      );
      expect((await store.transaction((tx) => tx.findByUnique(ISSUER, 'email', 'jane@example.com')))?.accountId).toBe(
        'acc-2',
      );
    });

    it('appends audit events and lists them newest first, by key, with a limit', async () => {
      const ev = (subject: string, n: number) => ({
        at: at(n),
        action: 'created' as const,
        issuer: ISSUER,
        subject,
        accountId: null,
        actor: 'login',
        reason: null,
        changes: [{ field: 'role' as const, op: 'add' as const, name: 'dev', rules: ['roles[1]'] }],
        rules: ['roles[1]'],
        mapping: { name: 'm', version: null, digest: 'd' },
      });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push(await store.transaction((tx) => tx.appendAudit(ev(i % 2 ? 'b' : 'a', i))));
      expect(new Set(ids).size).toBe(5);
      const all = await store.transaction((tx) => tx.listAudit({ limit: 10 }));
      expect(all.map((e) => e.id)).toEqual([...ids].reverse());
      expect(all[0]).toEqual({ id: ids[4], ...ev('a', 4) });
      const a = await store.transaction((tx) => tx.listAudit({ key: { issuer: ISSUER, subject: 'a' }, limit: 2 }));
      expect(a.map((e) => e.id)).toEqual([ids[4], ids[2]]);
    });

    it('lists accounts by status and inactivity', async () => {
      await store.transaction(async (tx) => {
        await tx.insertAccount(record({ id: 'a', subject: 'a', lastLoginAt: at(0) }));
        await tx.insertAccount(record({ id: 'b', subject: 'b', lastLoginAt: at(100) }));
        await tx.insertAccount(record({ id: 'c', subject: 'c', lastLoginAt: null, createdAt: at(0) }));
        await tx.insertAccount(record({ id: 'd', subject: 'd', status: 'suspended', lastLoginAt: at(0) }));
      });
      const q = (query: ListAccountsQuery) =>
        store.transaction((tx) => tx.listAccounts(query)).then((r) => r.map((x) => x.id));
      expect(await q({ limit: 10 })).toEqual(['a', 'b', 'c', 'd']);
      expect(await q({ limit: 2 })).toEqual(['a', 'b']);
      expect(await q({ limit: 10, status: 'active', lastActiveBefore: at(50) })).toEqual(['a', 'c']);
      expect(await q({ limit: 10, issuer: 'https://other.example.com' })).toEqual([]);
      expect(await q({ limit: 10, subject: 'c' })).toEqual(['c']);
    });

    it('pages by key (after): every account once, in (issuer, subject) order, with filters', async () => {
      const keys: [string, string][] = [];
      for (const iss of ['https://a.example.com', 'https://b.example.com']) {
        for (const sub of ['x', 'x1', 'y', 'é', 'Z', '10', '9']) keys.push([iss, sub]);
      }
      await store.transaction(async (tx) => {
        let n = 0;
        for (const [issuer, subject] of keys) {
          await tx.insertAccount(
            record({ id: `id-${n}`, issuer, subject, status: n % 3 === 0 ? 'suspended' : 'active' }),
          );
          n++;
        }
      });
      const all = await store.transaction((tx) => tx.listAccounts({ limit: 100 }));
      for (const pageSize of [1, 3, 5]) {
        const walked: string[] = [];
        let after: { issuer: string; subject: string } | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const page = await store.transaction((tx) =>
            tx.listAccounts({ limit: pageSize, ...(after ? { after } : {}) }),
          );
          walked.push(...page.map((a) => a.id));
          if (page.length < pageSize) break;
          after = { issuer: page.at(-1)!.issuer, subject: page.at(-1)!.subject };
        }
        expect(walked, `page size ${pageSize}`).toEqual(all.map((a) => a.id));
      }
      const suspendedB = (
        await collect(eachAccount(store, { issuer: 'https://b.example.com', status: 'suspended', pageSize: 1 }))
      ).map((a) => a.id);
      expect(suspendedB).toEqual(
        all.filter((a) => a.issuer === 'https://b.example.com' && a.status === 'suspended').map((a) => a.id),
      );
      expect(suspendedB.length).toBeGreaterThan(1);
      const tail = await listAccounts(store, {
        after: { issuer: 'https://a.example.com', subject: all.at(6)!.subject },
        limit: 100,
      });
      expect(tail.map((a) => a.id)).toEqual(all.slice(7).map((a) => a.id));
      await expect(listAccounts(store, { after: { issuer: 1 } as never })).rejects.toThrow(TypeError);
    });

    it('reads summaries: the same accounts as listAccounts for every query, each its accountSummary', async () => {
      await seedOddAccounts(store);
      const queries: ListAccountsQuery[] = [
        { limit: 100 },
        { limit: 2 },
        { limit: 100, status: 'active' },
        { limit: 100, status: 'suspended' },
        { limit: 100, issuer: OTHER_ISSUER },
        { limit: 100, subject: 'S3' },
        { limit: 100, status: 'active', lastActiveBefore: '2026-02-01T00:00:00.000Z' },
        { limit: 3, after: { issuer: ODD_ISSUER, subject: 'S3' } },
        { limit: 100, status: 'active', after: { issuer: ODD_ISSUER, subject: '\u00fcber' } },
      ];
      for (const query of queries) {
        const [full, summaries] = await store.transaction(async (tx) => [
          await tx.listAccounts(query),
          await tx.listAccountSummaries(query),
        ]);
        expect(summaries, JSON.stringify(query)).toEqual(full.map(accountSummary));
      }
      // Not only equal to the full read: the role names are exactly these (UTF-16 order, duplicate kept, no entitlement).
      const all = await store.transaction((tx) => tx.listAccountSummaries({ limit: 100 }));
      expect(all.find((s) => s.id === 'odd-1')).toEqual({
        id: 'odd-1',
        issuer: ODD_ISSUER,
        subject: 'jane, "the admin"',
        status: 'active',
        lastLoginAt: ODD_T0,
        roles: ODD_ROLES,
      });
      expect(all.find((s) => s.id === 'odd-2')).toMatchObject({ lastLoginAt: null, roles: [] });
      expect(all.find((s) => s.id === 'odd-4')).toMatchObject({ status: 'deprovisioned', roles: [] });
      expect(all.find((s) => s.id === 'odd-5')?.roles).toEqual(['Viewer', 'viewer']);
      // The walks: every page size gives the full walk's accounts, summarised.
      const whole = (await collect(eachAccount(store))).map(accountSummary);
      expect(whole).toHaveLength(7);
      for (const pageSize of [1, 2, 1000]) {
        expect(await collect(eachAccountSummary(store, { pageSize }))).toEqual(whole);
      }
      expect(await collect(eachAccountSummary(store, { status: 'active', issuer: ODD_ISSUER, pageSize: 1 }))).toEqual(
        (await collect(eachAccount(store, { status: 'active', issuer: ODD_ISSUER }))).map(accountSummary),
      );
      const now = '2026-06-15T00:00:00Z';
      const dormantAll = (await collect(eachDormant(store, { after: '90d', now }))).map(accountSummary);
      expect(dormantAll.map((s) => s.id).sort()).toEqual(['odd-1', 'odd-2', 'odd-5', 'odd-6', 'odd-7']);
      for (const pageSize of [1, 3]) {
        expect(await collect(eachDormantSummary(store, { after: '90d', now, pageSize }))).toEqual(dormantAll);
      }
      await expect(collect(eachAccountSummary(store, { status: 1 } as never))).rejects.toThrow(TypeError);
      expect(() => eachDormantSummary(store, { after: '90 days' })).toThrow(TypeError);
    });

    it('reads role names holding any separator-like character as themselves, the empty name too', async () => {
      // SQLite aggregates the names with U+0000 before each (never in a stored name): every other control
      // character, JSON's punctuation, the empty name and the code points around the surrogates decode as stored.
      const names = [
        '',
        ',',
        '"',
        '\\',
        '[',
        ']',
        '\u0001',
        '\u001f',
        ' ',
        '\u007f',
        '\u0085',
        '\u2028',
        '\uD7FF',
        '\uE000',
        '\uFFFF',
        '\u{10000}',
        '\u{10FFFF}',
        'a\u0001b',
        '\u00e9',
      ];
      const grants: Grant[] = names.map((name) => ({ kind: 'role', name, grantedAt: T0, source: 'manual' }));
      await store.transaction(async (tx) => {
        await tx.insertAccount(record());
        await tx.replaceGrants('acc-1', grants);
      });
      const [full, summaries] = await store.transaction(async (tx) => [
        await tx.listAccounts({ limit: 10 }),
        await tx.listAccountSummaries({ limit: 10 }),
      ]);
      expect(summaries).toEqual(full.map(accountSummary));
      expect(summaries[0]?.roles).toEqual([...names].sort());
    });

    if (harness.corrupt) {
      const corrupt = harness.corrupt;
      for (const c of [
        { column: 'status', value: 'superuser' },
        { column: 'last_login_at', value: 'yesterday\u001b[2J' },
      ]) {
        it(`reads a summary with a corrupt ${c.column} as store/corrupt-record naming it`, async () => {
          await seedOddAccounts(store);
          await corrupt(store, 'odd-3', c.column, c.value);
          const e = await rejectsWith(
            store.transaction((tx) => tx.listAccountSummaries({ limit: 100 })),
            'store/corrupt-record',
          );
          expect(e.position?.path).toBe(`accounts/odd-3/${c.column}`);
          await rejectsWith(collect(eachAccountSummary(store)), 'store/corrupt-record');
        });
      }
      it('reads summaries without decoding the JSON columns a summary does not show', async () => {
        await seedOddAccounts(store);
        await corrupt(store, 'odd-3', 'profile', '{"email": "jane@exa');
        await rejectsWith(listAccounts(store), 'store/corrupt-record');
        const summaries = await collect(eachAccountSummary(store));
        expect(summaries.find((x) => x.id === 'odd-3')).toMatchObject({ subject: 'S3', status: 'suspended' });
      });
    }

    it('rolls a failed transaction back entirely', async () => {
      const boom = new RuntimeError('store/write-failed', 'boom');
      await expect(
        store.transaction(async (tx) => {
          await tx.insertAccount(record());
          await tx.replaceUnique('acc-1', ISSUER, [{ field: 'email', value: 'x', verified: true }]);
          await tx.appendAudit({
            at: T0,
            action: 'created',
            issuer: ISSUER,
            subject: '00u1',
            accountId: 'acc-1',
            actor: 'login',
            reason: null,
            changes: [],
            rules: [],
            mapping: null,
          });
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.transaction((tx) => tx.findByKey(ISSUER, '00u1'))).toBeNull();
      expect(await store.transaction((tx) => tx.findByUnique(ISSUER, 'email', 'x'))).toBeNull();
      expect(await store.transaction((tx) => tx.listAudit({ limit: 10 }))).toEqual([]);
    });

    it('fails with store/unavailable once closed', async () => {
      const s = await harness.open();
      await s.close();
      await rejectsWith(
        s.transaction((tx) => tx.findByKey(ISSUER, 'x')),
        'store/unavailable',
      );
    });
  });

  describe(`${name}: provision()`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('creates an account just in time, with profile, grants, provenance and an audit event', async () => {
      const plan = makePlan();
      const r = await provision(plan, makeClaims({ groups: ['eng', 'admins'], issuedAt: T0 }), { store, now: T0 });
      expect(r.action).toBe('created');
      expect(r.reason).toBeNull();
      const a = r.account!;
      expect(a).toMatchObject({
        issuer: ISSUER,
        subject: '00u1',
        status: 'active',
        version: 1,
        mappingDigest: plan.digest,
        mappingVersion: '2026-11',
        lastLoginAt: T0,
        lastIssuedAt: T0,
        createdAt: T0,
      });
      expect({ ...a.profile }).toEqual({
        email: 'jane@example.com',
        name: 'Jane Doe',
        department: 'R&D',
        nickname: 'Jane Doe',
      });
      expect(a.grants.find((g) => g.name === 'admin')).toEqual({
        kind: 'role',
        name: 'admin',
        grantedAt: T0,
        source: 'mapping',
        rules: ['roles[0]'],
        mappingDigest: plan.digest,
        mappingVersion: '2026-11',
      });
      expect(names(a, 'entitlement')).toEqual(['repo:write/mapping']);
      expect(r.changes).toContainEqual({ field: 'role', op: 'add', name: 'admin', rules: ['roles[0]'] });
      expect(r.decision.trace?.length).toBe(3);
      expect(await getAccount(store, KEY)).toEqual(a);
      const [ev] = await listAudit(store, { key: KEY });
      expect(ev).toMatchObject({
        id: r.eventId,
        action: 'created',
        actor: 'login',
        accountId: a.id,
        at: T0,
        rules: ['entitlements[0]', 'roles[0]', 'roles[1]'],
        mapping: { name: 'test', version: '2026-11', digest: plan.digest },
      });
      expect(ev!.changes).toEqual(r.changes);
    });

    it('is idempotent on replay: unchanged, no new grants, one audit event per attempt', async () => {
      const plan = makePlan();
      const cs = makeClaims({ issuedAt: T0 });
      const first = await provision(plan, cs, { store, now: T0 });
      const again = await provision(plan, cs, { store, now: at(5) });
      expect(again.action).toBe('unchanged');
      expect(again.changes).toEqual([]);
      expect(again.account!.grants).toEqual(first.account!.grants);
      expect(again.account!.lastLoginAt).toBe(at(5));
      expect(again.account!.updatedAt).toBe(T0);
      expect((await listAudit(store)).map((e) => e.action)).toEqual(['unchanged', 'created']);
    });

    it('updates by sync mode: always overwrites, create never, fill only when empty, clear removes', async () => {
      const plan = makePlan();
      await provision(plan, makeClaims({ department: undefined }), { store, now: T0 });
      const r = await provision(
        plan,
        makeClaims({ email: 'JANE.DOE@example.com', name: undefined, department: 'Sales' }),
        {
          store,
          now: at(1),
        },
      );
      expect(r.action).toBe('updated');
      expect({ ...r.account!.profile }).toEqual({
        email: 'jane.doe@example.com',
        department: 'Sales',
        nickname: 'Jane Doe',
      });
      expect(r.changes).toEqual([
        { field: 'profile', op: 'add', name: 'department', to: 'Sales' },
        { field: 'profile', op: 'change', name: 'email', from: 'jane@example.com', to: 'jane.doe@example.com' },
        { field: 'profile', op: 'remove', name: 'name', from: 'Jane Doe' },
      ]);
      // fill does not overwrite a value, create never changes, clear: false keeps on absence
      const r2 = await provision(plan, makeClaims({ email: 'jane.doe@example.com', name: 'J', department: 'Ops' }), {
        store,
        now: at(2),
      });
      expect({ ...r2.account!.profile }).toEqual({
        email: 'jane.doe@example.com',
        department: 'Sales',
        nickname: 'Jane Doe',
        name: 'J',
      });
      expect(r2.account!.version).toBe(3);
    });

    it('reconciles roles in replace mode without touching manual grants', async () => {
      const plan = makePlan();
      const created = await provision(plan, makeClaims({ groups: ['eng', 'admins'] }), { store, now: T0 });
      // an operator grants admin by hand too, and a manual entitlement
      await store.transaction(async (tx) => {
        const a = (await tx.findByKey(ISSUER, '00u1'))!;
        await tx.replaceGrants(a.id, [
          ...a.grants,
          { kind: 'role', name: 'admin', grantedAt: T0, source: 'manual', actor: 'ops' },
          { kind: 'entitlement', name: 'billing', grantedAt: T0, source: 'manual' },
        ]);
      });
      const r = await provision(plan, makeClaims({ groups: ['sales'] }), { store, now: at(1) });
      expect(r.action).toBe('updated');
      expect(r.changes).toEqual([
        { field: 'role', op: 'remove', name: 'admin', rules: ['roles[0]'] },
        { field: 'role', op: 'remove', name: 'dev', rules: ['roles[1]'] },
        { field: 'entitlement', op: 'remove', name: 'repo:write', rules: ['entitlements[0]'] },
      ]);
      expect(names(r.account, 'role')).toEqual(['admin/manual']);
      expect(names(r.account, 'entitlement')).toEqual(['billing/manual']);
      expect(created.account!.id).toBe(r.account!.id);
    });

    it('never removes in add mode, and records provenance of newly added grants', async () => {
      const plan = makePlan({ rolesMode: 'add', entitlementsMode: 'add' });
      await provision(plan, makeClaims({ groups: ['admins'] }), { store, now: T0 });
      const r = await provision(plan, makeClaims({ groups: ['eng'] }), { store, now: at(1) });
      expect(r.changes).toEqual([
        { field: 'role', op: 'add', name: 'dev', rules: ['roles[1]'] },
        { field: 'entitlement', op: 'add', name: 'repo:write', rules: ['entitlements[0]'] },
      ]);
      expect(names(r.account, 'role')).toEqual(['admin/mapping', 'dev/mapping']);
      expect(r.account!.grants.find((g) => g.name === 'admin')!.grantedAt).toBe(T0);
    });

    it('re-stamps provenance with a new mapping version without reporting a change', async () => {
      await provision(makePlan({ version: '2026-11' }), makeClaims(), { store, now: T0 });
      const v2 = makePlan({ version: '2026-12' });
      const r = await provision(v2, makeClaims(), { store, now: at(1) });
      expect(r.action).toBe('unchanged');
      expect(r.account!.mappingVersion).toBe('2026-12');
      expect(r.account!.grants.every((g) => g.source === 'mapping' && g.mappingDigest === v2.digest)).toBe(true);
      expect((await getAccount(store, KEY))!.grants).toEqual(r.account!.grants);
    });

    it('moves the email of a key that changed it, and then a new key with that email is a conflict, not a link', async () => {
      const plan = makePlan();
      await provision(plan, makeClaims({ sub: 'a', email: 'old@example.com' }), { store, now: T0 });
      const moved = await provision(plan, makeClaims({ sub: 'a', email: 'new@example.com' }), { store, now: at(1) });
      expect(moved.action).toBe('updated');
      const reuse = await provision(plan, makeClaims({ sub: 'b', email: 'old@example.com' }), { store, now: at(2) });
      expect(reuse.action).toBe('created');
      const clash = await provision(plan, makeClaims({ sub: 'c', email: 'new@example.com' }), { store, now: at(3) });
      expect(clash.action).toBe('conflict');
      expect(clash.reason?.code).toBe('runtime/unique-conflict');
      expect(clash.account).toBeNull();
      expect(await getAccount(store, { issuer: ISSUER, subject: 'c' })).toBeNull();
      const [ev] = await listAudit(store, { key: { issuer: ISSUER, subject: 'c' } });
      expect(ev).toMatchObject({
        id: clash.eventId,
        action: 'conflict',
        accountId: null,
        reason: { code: 'runtime/unique-conflict' },
      });
      // an existing key moving onto an email held by another key is a conflict too
      const onto = await provision(plan, makeClaims({ sub: 'b', email: 'new@example.com' }), { store, now: at(4) });
      expect(onto.action).toBe('conflict');
      expect(onto.account!.profile.email).toBe('old@example.com');
    });

    it('treats an unknown key with a known email as a conflict even if only case differs (normalised index)', async () => {
      const plan = makePlan({ unique: ['email', 'name'] });
      await provision(plan, makeClaims({ sub: 'a', name: 'Jane Doe' }), { store, now: T0 });
      const r = await provision(plan, makeClaims({ sub: 'b', email: 'other@example.com', name: ' JANE DOE ' }), {
        store,
        now: at(1),
      });
      expect(r.action).toBe('conflict');
      expect((await listAccounts(store)).length).toBe(1);
    });

    describe('link_verified', () => {
      const plan = makePlan({ emailConflict: 'link_verified' });
      const cases: {
        name: string;
        storedVerified: boolean;
        newVerified: boolean;
        extra?: Record<string, false | string>;
        action: string;
      }[] = [
        {
          name: 'both verified: links the new key to the holder',
          storedVerified: true,
          newVerified: true,
          action: 'updated',
        },
        { name: 'new claims unverified', storedVerified: true, newVerified: false, action: 'conflict' },
        { name: 'stored value unverified', storedVerified: false, newVerified: true, action: 'conflict' },
        {
          name: 'IdP says email_verified false',
          storedVerified: true,
          newVerified: true,
          extra: { email_verified: false },
          action: 'conflict',
        },
        {
          name: 'IdP says email_verified "false" (SAML-style string)',
          storedVerified: true,
          newVerified: true,
          extra: { email_verified: 'false' },
          action: 'conflict',
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const first = await provision(
            plan,
            makeClaims({ sub: 'old', verified: c.storedVerified, extra: { email_verified: true } }),
            { store, now: T0 },
          );
          const r = await provision(
            plan,
            makeClaims({ sub: 'new', verified: c.newVerified, extra: { email_verified: true, ...c.extra } }),
            {
              store,
              now: at(1),
            },
          );
          expect(r.action).toBe(c.action);
          if (c.action === 'updated') {
            expect(r.account!.id).toBe(first.account!.id);
            expect(r.changes[0]).toEqual({ field: 'subject', op: 'change', name: 'subject', from: 'old', to: 'new' });
            expect(await getAccount(store, { issuer: ISSUER, subject: 'old' })).toBeNull();
          } else {
            expect(await getAccount(store, { issuer: ISSUER, subject: 'new' })).toBeNull();
            expect((await getAccount(store, { issuer: ISSUER, subject: 'old' }))!.id).toBe(first.account!.id);
          }
        });
      }
      it('never links to a deprovisioned holder', async () => {
        await provision(plan, makeClaims({ sub: 'old', extra: { email_verified: true } }), { store, now: T0 });
        await deprovision(store, { issuer: ISSUER, subject: 'old' }, { reason: 'left', now: at(1) });
        const r = await provision(plan, makeClaims({ sub: 'new', extra: { email_verified: true } }), {
          store,
          now: at(2),
        });
        expect(r.action).toBe('conflict');
      });
    });

    const refusals: { name: string; claims: Parameters<typeof makeClaims>[0]; code: string }[] = [
      { name: 'a required claim absent', claims: { email: undefined }, code: 'required-claim-absent' },
      {
        name: 'a required claim malformed',
        claims: { email: ['a@example.com', 'b@example.com'] },
        code: 'required-claim-malformed',
      },
      { name: 'a wrong issuer', claims: { issuer: 'https://evil.example.com' }, code: 'issuer-mismatch' },
    ];
    for (const c of refusals) {
      it(`refuses ${c.name}, writing nothing but the audit event`, async () => {
        const r = await provision(makePlan(), makeClaims(c.claims), { store, now: T0 });
        expect(r.action).toBe('refused');
        expect(r.reason?.code).toBe('runtime/decision-refused');
        expect(r.decision.refusals.map((x) => x.code)).toContain(c.code);
        expect(r.account).toBeNull();
        expect(await listAccounts(store)).toEqual([]);
        const events = await listAudit(store);
        expect(events.map((e) => [e.id, e.action])).toEqual([[r.eventId, 'refused']]);
      });
    }

    it('refuses a key absent, and records the claimed subject in the audit event', async () => {
      const cs = makeClaims();
      cs.subject = { id: '' };
      delete cs.claims.sub;
      const r = await provision(makePlan(), cs, { store, now: T0 });
      expect(r.action).toBe('refused');
      expect((await listAudit(store))[0]).toMatchObject({ action: 'refused', issuer: ISSUER, subject: '' });
    });

    for (const status of ['deprovisioned', 'suspended'] as const) {
      it(`refuses a login for a ${status} account unless the mapping reactivates`, async () => {
        const plan = makePlan();
        await provision(plan, makeClaims(), { store, now: T0 });
        const op = status === 'deprovisioned' ? deprovision : suspend;
        const lc = await op(store, KEY, { reason: 'offboarded', actor: 'scim', now: at(1) });
        expect(lc.changed).toBe(true);
        const r = await provision(plan, makeClaims({ groups: ['admins'] }), { store, now: at(2) });
        expect(r.action).toBe('refused');
        expect(r.reason?.code).toBe(
          status === 'deprovisioned' ? 'runtime/account-deprovisioned' : 'runtime/account-suspended',
        );
        expect(r.account!.status).toBe(status);
        expect(names(await getAccount(store, KEY), 'role')).toEqual(['dev/mapping']);
        const back = await provision(makePlan({ reactivate: true }), makeClaims(), { store, now: at(3) });
        expect(back.action).toBe('updated');
        expect(back.changes[0]).toEqual({ field: 'status', op: 'change', name: 'status', from: status, to: 'active' });
      });
    }

    it('refuses an assertion older than the last one applied, and applies a newer one', async () => {
      const plan = makePlan();
      await provision(plan, makeClaims({ issuedAt: at(10), name: 'New' }), { store, now: at(10) });
      const old = await provision(plan, makeClaims({ issuedAt: at(5), name: 'Old', groups: ['admins'] }), {
        store,
        now: at(11),
      });
      expect(old.action).toBe('refused');
      expect(old.reason?.code).toBe('runtime/older-assertion');
      const a = await getAccount(store, KEY);
      expect(a!.profile.name).toBe('New');
      expect(a!.lastIssuedAt).toBe(at(10));
      expect(names(a, 'role')).toEqual(['dev/mapping']);
      const same = await provision(plan, makeClaims({ issuedAt: at(10), name: 'New' }), { store, now: at(12) });
      expect(same.action).toBe('unchanged');
      const newer = await provision(plan, makeClaims({ issuedAt: at(20), name: 'Newer' }), { store, now: at(21) });
      expect(newer.action).toBe('updated');
      expect(newer.account!.lastIssuedAt).toBe(at(20));
    });

    it('refuses a claim set whose issuedAt is not an instant', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const r = await provision(makePlan(), makeClaims({ issuedAt: 'yesterday' }), { store, now: at(1) });
      expect(r.reason?.code).toBe('runtime/invalid-issued-at');
    });

    it('stores a normalised, size-capped snapshot of the last claims', async () => {
      const big = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`x${String(i).padStart(2, '0')}`, 'v'.repeat(100)]),
      );
      const r = await provision(makePlan(), makeClaims({ extra: big }), { store, now: T0, maxClaimBytes: 2048 });
      const snap = (await getAccount(store, KEY))!.lastSeenClaims!;
      expect(snap).toEqual(r.account!.lastSeenClaims);
      expect(Buffer.byteLength(JSON.stringify(snap))).toBeLessThanOrEqual(2048);
      expect(snap.omitted).toBeGreaterThan(0);
      expect(Object.keys(snap.claims)).toEqual([...Object.keys(snap.claims)].sort());
      expect(snap.claims.department).toBe('R&D');
    });

    const failAt: { method: TxMethod; nth: number; phase: 'create' | 'update' }[] = [
      { method: 'findByKey', nth: 1, phase: 'create' },
      { method: 'insertAccount', nth: 1, phase: 'create' },
      { method: 'replaceGrants', nth: 1, phase: 'create' },
      { method: 'replaceUnique', nth: 1, phase: 'create' },
      { method: 'appendAudit', nth: 1, phase: 'create' },
      { method: 'updateAccount', nth: 1, phase: 'update' },
      { method: 'replaceGrants', nth: 2, phase: 'update' },
      { method: 'appendAudit', nth: 2, phase: 'update' },
    ];
    for (const f of failAt) {
      it(`leaves nothing half-written when ${f.method} fails during ${f.phase}`, async () => {
        const flaky = failingStore(store, f.method, f.nth);
        const plan = makePlan();
        if (f.phase === 'update') await provision(plan, makeClaims(), { store: flaky, now: T0 });
        const before = await getAccount(store, KEY);
        const auditBefore = await listAudit(store);
        const e = await rejectsWith(
          provision(plan, makeClaims({ groups: ['admins'], name: 'X' }), { store: flaky, now: at(1) }),
          'store/write-failed',
        );
        expect((e.cause as Error).message).toBe('injected disk failure');
        expect(await getAccount(store, KEY)).toEqual(before);
        expect(await listAudit(store)).toEqual(auditBefore);
        // the store still works, and no "create new" fallback happened
        const ok = await provision(plan, makeClaims({ groups: ['admins'], name: 'X' }), { store, now: at(2) });
        expect(ok.action).toBe(f.phase === 'create' ? 'created' : 'updated');
        expect((await listAccounts(store)).length).toBe(1);
      });
    }

    it('passes a typed store error through unchanged', async () => {
      const busy = new RuntimeError('store/busy', 'locked');
      const flaky = failingStore(store, 'findByKey', 1, busy);
      await expect(provision(makePlan(), makeClaims(), { store: flaky, now: T0 })).rejects.toBe(busy);
    });

    it('creates exactly one account for 50 concurrent first logins of one key', async () => {
      const plan = makePlan();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => provision(plan, makeClaims({ issuedAt: T0 }), { store, now: T0 })),
      );
      const actions = results.map((r) => r.action);
      expect(actions.filter((a) => a === 'created')).toHaveLength(1);
      expect(
        results.filter((r) => !['created', 'unchanged', 'updated'].includes(r.action)).map((r) => r.reason),
      ).toEqual([]);
      expect(new Set(results.map((r) => r.account!.id)).size).toBe(1);
      expect(await listAccounts(store)).toHaveLength(1);
      expect(await listAudit(store, { limit: 100 })).toHaveLength(50);
    });

    // Not caller mistakes: odd shapes of an untrusted claim set are read as "no claims" / "no aliases", never a store failure.
    const oddClaimSets: { name: string; over: Record<string, unknown> }[] = [
      { name: 'claims null', over: { claims: null } },
      { name: 'claims a string', over: { claims: 'abc' } },
      { name: 'claims an array', over: { claims: [1, 2] } },
      { name: 'aliases a string', over: { aliases: 'abc' } },
      { name: 'aliases null', over: { aliases: null } },
    ];
    for (const c of oddClaimSets) {
      it(`provisions a claim set with ${c.name} (a unique field still checked), not store/write-failed`, async () => {
        const base = makePlan({
          profile: [
            {
              name: 'email',
              expr: { op: 'literal', value: 'Shared@Example.com' },
              sync: 'always',
              clear: false,
              loc: { line: 1, column: 1 },
            },
          ],
        });
        const plan = { ...base, claims: base.claims.map((cl) => ({ ...cl, required: false })) };
        const r = await provision(plan, { ...makeClaims(), ...c.over } as never, { store, now: T0 });
        expect(r.action).toBe('created');
        expect(r.account!.profile).toEqual({ email: 'Shared@Example.com' });
        if ('claims' in c.over) expect({ ...r.account!.lastSeenClaims!.claims }).toEqual({});
        expect(r.account!.lastSeenClaims!.aliases).toBeUndefined();
      });
    }

    it('rejects caller mistakes with TypeError', async () => {
      await expect(provision(makePlan(), makeClaims(), { store, now: 'not a date' })).rejects.toBeInstanceOf(TypeError);
      await expect(provision(makePlan(), makeClaims(), { store, maxClaimBytes: -1 })).rejects.toBeInstanceOf(TypeError);
      await expect(provision(makePlan(), makeClaims(), {} as never)).rejects.toBeInstanceOf(TypeError);
    });

    if (harness.corrupt) {
      const corrupt = harness.corrupt;
      const columns: { column: string; value: string }[] = [
        { column: 'profile', value: '{"email": "jane@exa' },
        { column: 'profile', value: '[1,2]' },
        { column: 'last_seen_claims', value: '{"claims": 1}' },
        { column: 'status', value: 'superuser' },
        { column: 'created_at', value: 'not-a-date' },
      ];
      for (const c of columns) {
        it(`turns a corrupt ${c.column} (${c.value}) into store/corrupt-record, writing nothing`, async () => {
          const r = await provision(makePlan(), makeClaims(), { store, now: T0 });
          await corrupt(store, r.account!.id, c.column, c.value);
          const e = await rejectsWith(
            provision(makePlan(), makeClaims(), { store, now: at(1) }),
            'store/corrupt-record',
          );
          expect(e.position?.path).toBe(`accounts/${r.account!.id}/${c.column}`);
          expect((await listAudit(store)).length).toBe(1);
          await rejectsWith(getAccount(store, KEY), 'store/corrupt-record');
        });
      }
    }
  });

  describe(`${name}: lifecycle and audit`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('lists dormant accounts by last login', async () => {
      const plan = makePlan();
      await provision(plan, makeClaims({ sub: 'a', email: 'a@example.com' }), { store, now: '2026-01-01T00:00:00Z' });
      await provision(plan, makeClaims({ sub: 'b', email: 'b@example.com' }), { store, now: '2026-06-01T00:00:00Z' });
      await provision(plan, makeClaims({ sub: 'c', email: 'c@example.com' }), { store, now: '2026-01-01T00:00:00Z' });
      await suspend(store, { issuer: ISSUER, subject: 'c' }, { reason: 'x' });
      const now = '2026-06-15T00:00:00Z';
      expect((await dormant(store, { after: '90d', now })).map((a) => a.subject)).toEqual(['a']);
      expect((await dormant(store, { after: '1d', now })).map((a) => a.subject)).toEqual(['a', 'b']);
      expect(await dormant(store, { after: '2w', now: '2026-01-02T00:00:00Z' })).toEqual([]);
      await expect(dormant(store, { after: '90 days' })).rejects.toBeInstanceOf(TypeError);
    });

    it('walks dormant accounts a page at a time (eachDormant): the same accounts as dormant(), checked up front', async () => {
      const plan = makePlan();
      for (let i = 0; i < 7; i++) {
        const now = i % 2 === 0 ? '2026-01-01T00:00:00Z' : '2026-06-01T00:00:00Z';
        await provision(plan, makeClaims({ sub: `u${i}`, email: `u${i}@example.com` }), { store, now });
      }
      await suspend(store, { issuer: ISSUER, subject: 'u2' }, { reason: 'x' });
      const now = '2026-06-15T00:00:00Z';
      const whole = (await dormant(store, { after: '90d', now })).map((a) => a.subject);
      expect(whole).toEqual(['u0', 'u4', 'u6']);
      for (const pageSize of [1, 2, 3, 1000]) {
        const walked = (await collect(eachDormant(store, { after: '90d', now, pageSize }))).map((a) => a.subject);
        expect(walked, `page size ${pageSize}`).toEqual(whole);
      }
      expect(await collect(eachDormant(store, { after: '90d', now, issuer: 'https://other.example.com' }))).toEqual([]);
      // Thrown when called, not on the first read: a caller sees the mistake before printing anything.
      expect(() => eachDormant(store, { after: '90 days' })).toThrow(TypeError);
      expect(() => eachDormant(store, { after: '1d', pageSize: 0 })).toThrow(TypeError);
      expect(() => eachDormant(store, { after: '1d', issuer: {} } as never)).toThrow(TypeError);
    });

    it('deprovisions, suspends and reactivates with an audit event each, idempotently', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const d = await deprovision(store, KEY, { reason: 'SCIM DELETE', actor: 'scim', now: at(1) });
      expect(d.account.status).toBe('deprovisioned');
      const again = await deprovision(store, KEY, { reason: 'SCIM DELETE', actor: 'scim', now: at(2) });
      expect(again.changed).toBe(false);
      await reactivate(store, KEY, { reason: 'rehired', now: at(3) });
      await suspend(store, KEY, { reason: 'incident', actor: 'runbook:jane', now: at(4) });
      const events = await listAudit(store, { key: KEY });
      expect(events.map((e) => [e.action, e.actor, e.reason?.message, e.changes.length])).toEqual([
        ['suspended', 'runbook:jane', 'incident', 1],
        ['reactivated', 'api', 'rehired', 1],
        ['deprovisioned', 'scim', 'SCIM DELETE', 0],
        ['deprovisioned', 'scim', 'SCIM DELETE', 1],
        ['created', 'login', undefined, 6],
      ]);
      expect(events[0]!.changes[0]).toEqual({
        field: 'status',
        op: 'change',
        name: 'status',
        from: 'active',
        to: 'suspended',
      });
      expect((await listAudit(store, { limit: 2 })).length).toBe(2);
    });

    it('fails with runtime/account-not-found for an unknown key, and TypeError without a reason', async () => {
      await rejectsWith(
        deprovision(store, { issuer: ISSUER, subject: 'ghost' }, { reason: 'x' }),
        'runtime/account-not-found',
      );
      await expect(suspend(store, KEY, { reason: ' ' })).rejects.toBeInstanceOf(TypeError);
      await expect(listAudit(store, { limit: 0 })).rejects.toBeInstanceOf(TypeError);
      expect(await listAudit(store)).toEqual([]);
    });

    const callerMistakes: { name: string; call: () => Promise<unknown> }[] = [
      { name: 'getAccount(null)', call: () => getAccount(store, null as never) },
      { name: 'getAccount without subject', call: () => getAccount(store, { issuer: ISSUER } as never) },
      {
        name: 'getAccount with a numeric subject',
        call: () => getAccount(store, { issuer: ISSUER, subject: 1 } as never),
      },
      { name: 'listAccounts issuer {}', call: () => listAccounts(store, { issuer: {} } as never) },
      { name: 'listAccounts subject 1', call: () => listAccounts(store, { subject: 1 } as never) },
      { name: 'listAccounts status []', call: () => listAccounts(store, { status: [] } as never) },
      { name: 'eachAccount issuer {}', call: () => collect(eachAccount(store, { issuer: {} } as never)) },
      { name: 'dormant issuer {}', call: () => dormant(store, { after: '1d', issuer: {} } as never) },
      {
        name: 'listAudit key null subject',
        call: () => listAudit(store, { key: { issuer: ISSUER, subject: null } } as never),
      },
      { name: 'suspend(null key)', call: () => suspend(store, null as never, { reason: 'x' }) },
      { name: 'reactivate with options null', call: () => reactivate(store, KEY, null as never) },
      {
        name: 'deprovision with an invalid now',
        call: () => deprovision(store, KEY, { reason: 'x', now: 'not a date' }),
      },
    ];
    for (const c of callerMistakes) {
      it(`rejects ${c.name} with TypeError, not a store error`, async () => {
        await provision(makePlan(), makeClaims(), { store, now: T0 });
        await expect(c.call()).rejects.toBeInstanceOf(TypeError);
        expect(await listAudit(store)).toHaveLength(1);
      });
    }
  });

  if (harness.openReadOnly) readOnlySuite(name, harness as Required<Pick<StoreHarness, 'open' | 'openReadOnly'>>);
  identitySuite(name, harness);
  scimStoreSuite(name, harness);
  scimServiceSuite(name, harness);
}

/** A store opened read-only reads what the writer wrote, and refuses every write without touching the data. */
function readOnlySuite(name: string, harness: Required<Pick<StoreHarness, 'open' | 'openReadOnly'>>): void {
  describe(`${name}: read-only`, () => {
    let store: Store;
    let reader: Store;
    beforeEach(async () => {
      store = await harness.open();
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      reader = await harness.openReadOnly(store);
    });
    afterEach(async () => {
      await reader.close();
      await store.close();
    });

    it('reads accounts and the audit log as the writer stored them', async () => {
      expect(reader.readOnly).toBe(true);
      expect(store.readOnly ?? false).toBe(false);
      expect(await listAccounts(reader)).toEqual(await listAccounts(store));
      expect(await getAccount(reader, KEY)).toEqual(await getAccount(store, KEY));
      expect(await listAudit(reader)).toEqual(await listAudit(store));
      expect(await dormant(reader, { after: '1d', now: at(10 * 24 * 60) })).toHaveLength(1);
    });

    it('refuses every write with store/read-only, and nothing changes', async () => {
      const before = { accounts: await listAccounts(store), audit: await listAudit(store) };
      const account = (await getAccount(store, KEY))!;
      const writes: [string, (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => Promise<unknown>][] = [
        ['insertAccount', (tx) => tx.insertAccount(record({ id: 'acc-ro', subject: 'ro' }))],
        ['updateAccount', (tx) => tx.updateAccount({ ...account, version: account.version + 1 }, account.version)],
        ['replaceGrants', (tx) => tx.replaceGrants(account.id, [])],
        ['replaceUnique', (tx) => tx.replaceUnique(account.id, ISSUER, [])],
        [
          'appendAudit',
          (tx) =>
            tx.appendAudit({
              at: T0,
              action: 'suspended',
              issuer: ISSUER,
              subject: '00u1',
              accountId: account.id,
              actor: 'test',
              reason: 'x',
            } as never),
        ],
      ];
      for (const [what, write] of writes) {
        const e = await rejectsWith(
          reader.transaction((tx) => write(tx)),
          'store/read-only',
        );
        expect(e.message, what).toContain(what);
      }
      // The runtime's own writers fail the same way, before anything is written.
      await rejectsWith(
        provision(makePlan(), makeClaims({ sub: 'new', email: 'new@example.com' }), { store: reader, now: T0 }),
        'store/read-only',
      );
      await rejectsWith(suspend(reader, KEY, { reason: 'x', now: T0 }), 'store/read-only');
      expect({ accounts: await listAccounts(store), audit: await listAudit(store) }).toEqual(before);
    });
  });
}
