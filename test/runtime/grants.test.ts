/**
 * grantManual / revokeManual against every store: MemoryStore, SqliteStore and (when CLAIMMAP_TEST_PG is set)
 * PostgresStore, through the same parameterised suite, like store-suite.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from './stores/pg-schemas.js';
import {
  deprovision,
  getAccount,
  grantManual,
  listAudit,
  MemoryStore,
  PostgresStore,
  provision,
  revokeManual,
  type RuntimeError,
  SqliteStore,
  suspend,
  validateManualGrant,
  type ManualGrantInput,
  type Store,
} from '../../src/runtime/index.js';
import { at, failingStore, grantNames, ISSUER, makeClaims, makePlan, rejectsWith, T0 } from './fixtures.js';
import { notice } from './notice.js';

const KEY = { issuer: ISSUER, subject: '00u1' };

const names = grantNames;

/** A store whose first `findByKey` lets a concurrent writer bump the account's version right after the read. */
function racingStore(inner: Store): Store {
  let raced = false;
  return {
    kind: inner.kind,
    close: () => inner.close(),
    transaction: (fn) =>
      inner.transaction((tx) =>
        fn(
          new Proxy(tx, {
            get(target, prop, receiver) {
              const v = Reflect.get(target, prop, receiver) as unknown;
              if (prop !== 'findByKey' || typeof v !== 'function') return v;
              return async (issuer: string, subject: string) => {
                const a = await target.findByKey(issuer, subject);
                if (a && !raced) {
                  raced = true;
                  const { grants: _g, ...rec } = a;
                  await target.updateAccount({ ...rec, version: a.version + 1 }, a.version);
                }
                return a;
              };
            },
          }),
        ),
      ),
  };
}

const admin = (over: Partial<ManualGrantInput> = {}): ManualGrantInput => ({
  kind: 'role',
  name: 'admin',
  actor: 'runbook:jane',
  note: 'INC-114',
  now: at(10),
  ...over,
});
/** A grant input with no note at all. */
const noNote = ({ note: _note, ...input }: ManualGrantInput): Omit<ManualGrantInput, 'note'> => input;

function grantSuite(name: string, open: () => Promise<Store>): void {
  describe(`${name}: manual grants`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('grants a manual role that a later login in replace mode keeps, while it removes the mapping grants', async () => {
      const plan = makePlan();
      const created = await provision(plan, makeClaims({ groups: ['eng', 'admins'] }), { store, now: T0 });
      expect(names(created.account, 'role')).toEqual(['admin/mapping', 'dev/mapping']);

      const r = await grantManual(store, KEY, admin());
      expect(r.action).toBe('granted');
      expect(r.grant).toEqual({
        kind: 'role',
        name: 'admin',
        grantedAt: at(10),
        source: 'manual',
        actor: 'runbook:jane',
        note: 'INC-114',
      });
      expect(r.changes).toEqual([{ field: 'role', op: 'add', name: 'admin', rules: ['manual'] }]);
      // The mapping grant of the same name stays: they are two grants.
      expect(names(r.account, 'role')).toEqual(['admin/manual', 'admin/mapping', 'dev/mapping']);
      expect(r.account.version).toBe(created.account!.version + 1);
      expect(r.account.updatedAt).toBe(at(10));
      expect(await getAccount(store, KEY)).toEqual(r.account);
      await grantManual(store, KEY, noNote(admin({ kind: 'entitlement', name: 'billing:read' })));

      const later = await provision(plan, makeClaims({ groups: ['sales'] }), { store, now: at(20) });
      expect(later.action).toBe('updated');
      expect(later.changes).toEqual([
        { field: 'role', op: 'remove', name: 'admin', rules: ['roles[0]'] },
        { field: 'role', op: 'remove', name: 'dev', rules: ['roles[1]'] },
        { field: 'entitlement', op: 'remove', name: 'repo:write', rules: ['entitlements[0]'] },
      ]);
      expect(names(later.account, 'role')).toEqual(['admin/manual']);
      expect(names(later.account, 'entitlement')).toEqual(['billing:read/manual']);
      const kept = later.account!.grants.find((g) => g.name === 'admin');
      expect(kept).toEqual(r.grant);
      // The mapping grants it again: still two grants, the manual one untouched.
      const again = await provision(plan, makeClaims({ groups: ['admins'] }), { store, now: at(30) });
      expect(names(again.account, 'role')).toEqual(['admin/manual', 'admin/mapping']);
    });

    it('writes an audit event with the actor and the note for each grant and revocation', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const g = await grantManual(store, KEY, admin());
      const v = await revokeManual(store, KEY, admin({ actor: 'runbook:sam', note: 'INC-114 closed', now: at(11) }));
      const n = await grantManual(store, KEY, noNote(admin({ kind: 'entitlement', name: 'x', now: at(12) })));
      const events = await listAudit(store, { key: KEY });
      expect(events.map((e) => [e.id, e.action, e.actor, e.at, e.accountId, e.reason])).toEqual([
        [
          n.eventId,
          'granted',
          'runbook:jane',
          at(12),
          n.account.id,
          { code: 'grant/granted', message: 'entitlement x granted manually' },
        ],
        [
          v.eventId,
          'revoked',
          'runbook:sam',
          at(11),
          v.account.id,
          { code: 'grant/revoked', message: 'INC-114 closed' },
        ],
        [g.eventId, 'granted', 'runbook:jane', at(10), g.account.id, { code: 'grant/granted', message: 'INC-114' }],
        [expect.any(String), 'created', 'login', T0, g.account.id, null],
      ]);
      expect(events[1]!.changes).toEqual([{ field: 'role', op: 'remove', name: 'admin', rules: ['manual'] }]);
      expect(events[2]!.changes).toEqual([{ field: 'role', op: 'add', name: 'admin', rules: ['manual'] }]);
      expect(events[0]!.mapping).toBeNull();
      expect(events[0]!.rules).toEqual([]);
    });

    it('is idempotent: a duplicate manual grant is unchanged, keeps the first provenance, and is still audited', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const first = await grantManual(store, KEY, admin());
      const dup = await grantManual(store, KEY, admin({ actor: 'runbook:sam', note: 'again', now: at(11) }));
      expect(dup.action).toBe('unchanged');
      expect(dup.changes).toEqual([]);
      expect(dup.grant).toEqual(first.grant);
      expect(dup.account).toEqual(first.account);
      const stored = await getAccount(store, KEY);
      expect(stored).toEqual(first.account);
      expect(stored!.grants.filter((x) => x.source === 'manual')).toHaveLength(1);
      const [ev] = await listAudit(store, { key: KEY, limit: 1 });
      expect(ev).toMatchObject({ id: dup.eventId, action: 'granted', actor: 'runbook:sam', changes: [] });
      expect(ev!.reason).toEqual({ code: 'grant/already-granted', message: 'again' });
    });

    it('revokes only the manual grant, keeping a mapping grant of the same name and every other grant', async () => {
      const created = await provision(makePlan(), makeClaims({ groups: ['eng', 'admins'] }), { store, now: T0 });
      await grantManual(store, KEY, admin());
      await grantManual(store, KEY, admin({ name: 'auditor' }));
      const r = await revokeManual(store, KEY, admin({ now: at(11) }));
      expect(r.action).toBe('revoked');
      expect(r.grant).toMatchObject({ kind: 'role', name: 'admin', source: 'manual', actor: 'runbook:jane' });
      expect(names(r.account, 'role')).toEqual(['admin/mapping', 'auditor/manual', 'dev/mapping']);
      expect(r.account.grants.filter((g) => g.source === 'mapping')).toEqual(created.account!.grants);
      expect(r.account.version).toBe(created.account!.version + 3);
      expect(await getAccount(store, KEY)).toEqual(r.account);
      // a second revocation has nothing left to revoke
      await rejectsWith(revokeManual(store, KEY, admin({ now: at(12) })), 'grant/not-found');
    });

    it('refuses to revoke a manual grant that is not there, writing nothing', async () => {
      await provision(makePlan(), makeClaims({ groups: ['admins'] }), { store, now: T0 });
      await grantManual(store, KEY, admin({ name: 'auditor' }));
      const before = await getAccount(store, KEY);
      const auditBefore = await listAudit(store);
      const cases: { input: ManualGrantInput; mappingHint: boolean }[] = [
        { input: admin({ name: 'ghost' }), mappingHint: false },
        // held only through the mapping: the hint says so
        { input: admin({ name: 'admin' }), mappingHint: true },
        // the same name of the other kind
        { input: admin({ kind: 'entitlement', name: 'auditor' }), mappingHint: false },
        // names are exact: no case folding
        { input: admin({ name: 'Auditor' }), mappingHint: false },
      ];
      for (const c of cases) {
        const e = await rejectsWith(revokeManual(store, KEY, c.input), 'grant/not-found');
        expect(e.hint !== undefined).toBe(c.mappingHint);
      }
      expect(await getAccount(store, KEY)).toEqual(before);
      expect(await listAudit(store)).toEqual(auditBefore);
    });

    it('refuses a grant on a deprovisioned account (audited as refused), but lets a revocation through', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      await grantManual(store, KEY, admin({ name: 'auditor' }));
      await deprovision(store, KEY, { reason: 'left', actor: 'scim', now: at(11) });
      const before = await getAccount(store, KEY);
      const e = await rejectsWith(grantManual(store, KEY, admin({ now: at(12) })), 'runtime/account-deprovisioned');
      expect(e.hint).toBeDefined();
      expect(await getAccount(store, KEY)).toEqual(before);
      const [refused] = await listAudit(store, { key: KEY, limit: 1 });
      expect(refused).toMatchObject({
        action: 'refused',
        actor: 'runbook:jane',
        at: at(12),
        changes: [],
        reason: { code: 'runtime/account-deprovisioned' },
      });
      expect(refused!.reason!.message).toMatch(/^role admin: /);

      const r = await revokeManual(store, KEY, admin({ name: 'auditor', now: at(13) }));
      expect(r.action).toBe('revoked');
      expect(r.account.status).toBe('deprovisioned');
      expect(names(r.account, 'role')).toEqual(['dev/mapping']);
    });

    it('grants to a suspended account, whose logins stay refused', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      await suspend(store, KEY, { reason: 'incident', now: at(1) });
      const r = await grantManual(store, KEY, admin());
      expect(r.action).toBe('granted');
      expect(r.account.status).toBe('suspended');
      const login = await provision(makePlan(), makeClaims(), { store, now: at(20) });
      expect(login.reason?.code).toBe('runtime/account-suspended');
    });

    it('fails with runtime/account-not-found for an unknown key, writing nothing', async () => {
      await rejectsWith(grantManual(store, { issuer: ISSUER, subject: 'ghost' }, admin()), 'runtime/account-not-found');
      await rejectsWith(
        revokeManual(store, { issuer: ISSUER, subject: 'ghost' }, admin()),
        'runtime/account-not-found',
      );
      // the key is scoped by issuer
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      await rejectsWith(
        grantManual(store, { issuer: 'https://other.example.com', subject: '00u1' }, admin()),
        'runtime/account-not-found',
      );
      expect((await listAudit(store)).map((e) => e.action)).toEqual(['created']);
    });

    it('fails with store/conflict when the account changes between read and write, writing nothing', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const before = await getAccount(store, KEY);
      await rejectsWith(grantManual(racingStore(store), KEY, admin()), 'store/conflict');
      expect(await getAccount(store, KEY)).toEqual(before);
      expect((await listAudit(store)).map((e) => e.action)).toEqual(['created']);
      // the revocation path does the same optimistic check
      await grantManual(store, KEY, admin());
      const granted = await getAccount(store, KEY);
      await rejectsWith(revokeManual(racingStore(store), KEY, admin()), 'store/conflict');
      expect(await getAccount(store, KEY)).toEqual(granted);
    });

    it('loses no grant to concurrent grants and logins on the same account', async () => {
      const plan = makePlan();
      await provision(plan, makeClaims({ groups: ['eng'] }), { store, now: T0 });
      const grants = Array.from({ length: 8 }, (_, i) =>
        grantManual(store, KEY, admin({ name: `r${i}`, now: at(10 + i) })),
      );
      const logins = Array.from({ length: 4 }, (_, i) =>
        provision(plan, makeClaims({ groups: i % 2 ? ['eng'] : ['sales'] }), { store, now: at(20 + i) }),
      );
      const settled = await Promise.allSettled([...grants, ...logins]);
      const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
      // Stores serialise writers on the account row, so none should fail; a failure may only be a store/conflict.
      for (const f of failed) expect((f.reason as RuntimeError).code).toBe('store/conflict');
      const ok = settled.slice(0, 8).flatMap((s, i) => (s.status === 'fulfilled' ? [`r${i}/manual`] : []));
      const a = await getAccount(store, KEY);
      expect(names(a, 'role').filter((n) => n.endsWith('/manual'))).toEqual(ok.sort());
      expect(a!.version).toBe(1 + settled.length - failed.length);
    });

    it('writes nothing when the store fails mid-call (store/write-failed)', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const before = await getAccount(store, KEY);
      await rejectsWith(grantManual(failingStore(store, 'appendAudit'), KEY, admin()), 'store/write-failed');
      expect(await getAccount(store, KEY)).toEqual(before);
      await rejectsWith(grantManual(failingStore(store, 'replaceGrants'), KEY, admin()), 'store/write-failed');
      expect(await getAccount(store, KEY)).toEqual(before);
      expect(await listAudit(store)).toHaveLength(1);
    });

    it('stores a note with line breaks and non-ASCII text exactly', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const note = 'Ticket INC-114\n\tapproved by Zoë (CISO) — 批准 👍🏽';
      await grantManual(store, KEY, admin({ name: 'rôle:ñ', note }));
      const g = (await getAccount(store, KEY))!.grants.find((x) => x.source === 'manual');
      expect(g).toMatchObject({ name: 'rôle:ñ', note });
    });

    // Untrusted input: each case fails with its code and field, before anything is read or written.
    const invalid: {
      name: string;
      input: Partial<ManualGrantInput> | Record<string, unknown>;
      code: string;
      path: string;
    }[] = [
      { name: 'an unknown kind', input: { kind: 'group' }, code: 'grant/invalid-kind', path: 'kind' },
      { name: 'a missing name', input: { name: undefined }, code: 'grant/invalid-name', path: 'name' },
      { name: 'a non-string name', input: { name: 42 }, code: 'grant/invalid-name', path: 'name' },
      { name: 'an empty name', input: { name: '' }, code: 'grant/invalid-name', path: 'name' },
      { name: 'a blank name', input: { name: ' \t ' }, code: 'grant/invalid-name', path: 'name' },
      {
        name: 'a padded name (lookalike of admin)',
        input: { name: 'admin ' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      { name: 'a 257-character name', input: { name: 'a'.repeat(257) }, code: 'grant/invalid-name', path: 'name' },
      { name: 'a name with a NUL', input: { name: 'adm\u0000in' }, code: 'grant/invalid-name', path: 'name' },
      {
        name: 'a name with an ANSI escape',
        input: { name: 'admin\u001b[2J' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a name with a newline (log injection)',
        input: { name: 'admin\ngranted role root' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a name with a bidi override (trojan source)',
        input: { name: 'nimda\u202e' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a name with a zero-width space',
        input: { name: 'ad\u200bmin' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a name with a lone surrogate',
        input: { name: 'admin\ud800' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a name with a line separator',
        input: { name: 'admin\u2028' },
        code: 'grant/invalid-name',
        path: 'name',
      },
      { name: 'a missing actor', input: { actor: undefined }, code: 'grant/invalid-actor', path: 'actor' },
      { name: 'an empty actor', input: { actor: '' }, code: 'grant/invalid-actor', path: 'actor' },
      { name: 'a blank actor', input: { actor: '   ' }, code: 'grant/invalid-actor', path: 'actor' },
      {
        name: 'an actor with an ANSI escape',
        input: { actor: 'jane\u001b[31m' },
        code: 'grant/invalid-actor',
        path: 'actor',
      },
      { name: 'a 257-character actor', input: { actor: 'j'.repeat(257) }, code: 'grant/invalid-actor', path: 'actor' },
      { name: 'a 1025-character note', input: { note: 'n'.repeat(1025) }, code: 'grant/invalid-note', path: 'note' },
      { name: 'a note with an ANSI escape', input: { note: 'ok\u001b[2J' }, code: 'grant/invalid-note', path: 'note' },
      { name: 'a note with a bidi override', input: { note: 'ok\u2066' }, code: 'grant/invalid-note', path: 'note' },
      { name: 'a non-string note', input: { note: { text: 'x' } }, code: 'grant/invalid-note', path: 'note' },
      {
        name: 'a name over a lowered limit',
        input: { name: 'abcdef', maxNameLength: 5 },
        code: 'grant/invalid-name',
        path: 'name',
      },
      {
        name: 'a note over a lowered limit',
        input: { note: 'abcdef', maxNoteLength: 5 },
        code: 'grant/invalid-note',
        path: 'note',
      },
    ];
    for (const c of invalid) {
      it(`refuses ${c.name} with ${c.code}, writing nothing`, async () => {
        await provision(makePlan(), makeClaims(), { store, now: T0 });
        const before = await getAccount(store, KEY);
        const input = { ...admin(), ...c.input } as ManualGrantInput;
        for (const op of [grantManual, revokeManual]) {
          const e = await rejectsWith(op(store, KEY, input), c.code);
          expect(e.position?.path).toBe(c.path);
        }
        expect(await getAccount(store, KEY)).toEqual(before);
        expect(await listAudit(store)).toHaveLength(1);
      });
    }

    it('accepts names and notes at the limits', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      const r = await grantManual(
        store,
        KEY,
        admin({ name: 'a'.repeat(256), actor: 'j'.repeat(256), note: 'n'.repeat(1024) }),
      );
      expect(r.action).toBe('granted');
      const big = await grantManual(store, KEY, admin({ name: 'b'.repeat(300), maxNameLength: 300 }));
      expect(big.grant.name).toHaveLength(300);
    });

    it('rejects caller mistakes with TypeError', async () => {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      await expect(grantManual(store, KEY, admin({ now: 'not a date' }))).rejects.toBeInstanceOf(TypeError);
      await expect(grantManual(store, KEY, admin({ maxNameLength: 0 }))).rejects.toBeInstanceOf(TypeError);
      await expect(grantManual(store, KEY, admin({ maxNoteLength: 1.5 }))).rejects.toBeInstanceOf(TypeError);
      await expect(grantManual(store, null as never, admin())).rejects.toBeInstanceOf(TypeError);
      await expect(revokeManual(store, { issuer: ISSUER } as never, admin())).rejects.toBeInstanceOf(TypeError);
      await expect(grantManual(store, KEY, null as never)).rejects.toBeInstanceOf(TypeError);
    });
  });
}

describe('validateManualGrant', () => {
  it('returns the checked request, dropping a blank note', () => {
    expect(validateManualGrant({ kind: 'entitlement', name: 'repo:write', actor: 'ops', note: '  ', now: T0 })).toEqual(
      {
        kind: 'entitlement',
        name: 'repo:write',
        actor: 'ops',
        note: undefined,
        nowIso: T0,
      },
    );
  });
});

grantSuite('MemoryStore', async () => new MemoryStore());

const dir = mkdtempSync(join(tmpdir(), 'claimmap-grants-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
grantSuite('SqliteStore', () => SqliteStore.open(join(dir, `g${++n}.db`)));

const url = process.env.CLAIMMAP_TEST_PG;
if (!url) {
  notice(
    '[claimmap] PostgresStore manual-grant tests SKIPPED: CLAIMMAP_TEST_PG is not set (eval "$(.ci/postgres.sh)").',
  );
  describe.skip('PostgresStore: manual grants (CLAIMMAP_TEST_PG not set)', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  const run = randomBytes(4).toString('hex');
  const schemas: string[] = [];
  const adminPool = new pg.Pool({ connectionString: url, max: 2 });
  afterAll(async () => {
    await dropSchemas(adminPool, schemas);
    await adminPool.end();
  }, DROP_HOOK_TIMEOUT_MS);
  grantSuite('PostgresStore', () => {
    const schema = `cm_grants_${run}_${schemas.length + 1}`;
    schemas.push(schema);
    return PostgresStore.open(url, { schema, poolSize: 10 });
  });
}
