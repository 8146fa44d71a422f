/**
 * sweep(): the scheduled offboarding of dormant accounts, against MemoryStore, SqliteStore and (when
 * CLAIMMAP_TEST_PG is set) PostgresStore, through one parameterised suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from './stores/pg-schemas.js';
import {
  getAccount,
  listAudit,
  MemoryStore,
  PostgresStore,
  provision,
  SqliteStore,
  suspend,
  sweep,
  type Store,
} from '../../src/runtime/index.js';
import type { Plan } from '../../src/model/plan.js';
import { ISSUER, makeClaims, makePlan, T0 } from './fixtures.js';
import { notice } from './notice.js';

const DAY = 86_400_000;
const day = (n: number) => new Date(Date.parse(T0) + n * DAY).toISOString();
const key = (subject: string) => ({ issuer: ISSUER, subject });

/** The test plan (dormant_after 90d) with a declared dormant action. */
function planWith(action: 'suspend' | 'deprovision' | undefined, days: number | null = 90): Plan {
  const p = makePlan();
  return { ...p, lifecycle: { ...p.lifecycle, dormantAfterDays: days, ...(action ? { dormantAction: action } : {}) } };
}

async function login(store: Store, subject: string, now: string): Promise<void> {
  const r = await provision(makePlan(), makeClaims({ sub: subject, email: `${subject}@example.com` }), { store, now });
  expect(r.action === 'created' || r.action === 'updated' || r.action === 'unchanged').toBe(true);
}

function sweepSuite(name: string, open: () => Promise<Store>): void {
  describe(`${name}: sweep`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      // u-old: last login day 0; u-mid: day 20; u-new: day 95; u-never: created day 1, never logged in again.
      await login(store, 'u-old', day(0));
      await login(store, 'u-mid', day(0));
      await login(store, 'u-mid', day(20));
      await login(store, 'u-new', day(95));
    });
    afterEach(() => store.close());

    it('suspends exactly the accounts with no login for dormant_after, each with its audit event', async () => {
      const r = await sweep(store, planWith(undefined), { now: day(105), actor: 'cron:nightly' });
      expect(r.action).toBe('suspend');
      expect(r.cutoff).toBe(day(15));
      expect(r.changed.map((c) => [c.subject, c.from, c.to])).toEqual([['u-old', 'active', 'suspended']]);
      expect((await getAccount(store, key('u-old')))?.status).toBe('suspended');
      expect((await getAccount(store, key('u-mid')))?.status).toBe('active');
      const events = await listAudit(store, { key: key('u-old'), limit: 5 });
      const event = events[0];
      expect(event?.action).toBe('suspended');
      expect(event?.actor).toBe('cron:nightly');
      expect(event?.reason?.code).toBe('lifecycle/dormant');
      expect(event?.id).toBe(r.changed[0]?.eventId);
      expect(event?.changes).toEqual([
        { field: 'status', op: 'change', name: 'status', from: 'active', to: 'suspended' },
      ]);
    });

    it('is idempotent: a second run changes nothing and writes no event', async () => {
      await sweep(store, planWith(undefined), { now: day(200) });
      const before = (await listAudit(store, { limit: 1000 })).length;
      const again = await sweep(store, planWith(undefined), { now: day(200) });
      expect(again.changed).toEqual([]);
      expect((await listAudit(store, { limit: 1000 })).length).toBe(before);
    });

    it('a dry run reports what the real run then does, and writes nothing', async () => {
      const before = (await listAudit(store, { limit: 1000 })).length;
      const dry = await sweep(store, planWith(undefined), { now: day(150), dryRun: true });
      expect(dry.dryRun).toBe(true);
      expect(dry.changed.every((c) => c.eventId === null)).toBe(true);
      expect((await listAudit(store, { limit: 1000 })).length).toBe(before);
      expect((await getAccount(store, key('u-old')))?.status).toBe('active');
      const real = await sweep(store, planWith(undefined), { now: day(150) });
      expect(real.changed.map((c) => c.subject)).toEqual(dry.changed.map((c) => c.subject));
      expect(real.changed.map((c) => c.subject).sort()).toEqual(['u-mid', 'u-old']);
    });

    it('deprovisions active and suspended dormant accounts when the mapping says deprovision', async () => {
      await suspend(store, key('u-mid'), { reason: 'INC-1', now: day(21) });
      const r = await sweep(store, planWith('deprovision'), { now: day(150) });
      expect(r.action).toBe('deprovision');
      expect(r.changed.map((c) => [c.subject, c.from]).sort()).toEqual([
        ['u-mid', 'suspended'],
        ['u-old', 'active'],
      ]);
      for (const s of ['u-old', 'u-mid']) expect((await getAccount(store, key(s)))?.status).toBe('deprovisioned');
      expect((await getAccount(store, key('u-new')))?.status).toBe('active');
    });

    it('only touches the plan issuer, and walks every page', async () => {
      for (let i = 0; i < 7; i++) await login(store, `bulk-${i}`, day(1));
      const other = makeClaims({ sub: 'elsewhere', issuer: 'https://other.example.com', email: 'x@example.com' });
      const otherPlan = { ...makePlan(), idp: { protocol: 'oidc' as const, issuer: other.issuer, aliases: [] } };
      expect((await provision(otherPlan, other, { store, now: day(0) })).action).toBe('created');
      const r = await sweep(store, planWith(undefined), { now: day(200), pageSize: 2 });
      expect(r.changed.length).toBe(10);
      expect(r.changed.every((c) => c.issuer === ISSUER)).toBe(true);
      expect((await getAccount(store, { issuer: other.issuer, subject: 'elsewhere' }))?.status).toBe('active');
    });

    it('skips an account that logged in after it was listed', async () => {
      let listed = false;
      const racing: Store = {
        kind: store.kind,
        close: () => store.close(),
        transaction: async (fn) => {
          const r = await store.transaction(fn);
          if (!listed) {
            listed = true; // the first transaction is the listing; the login lands before any update
            await login(store, 'u-old', day(104));
          }
          return r;
        },
      };
      const r = await sweep(racing, planWith(undefined), { now: day(105) });
      expect(r.changed).toEqual([]);
      expect(r.skipped).toBe(1);
      expect((await getAccount(store, key('u-old')))?.status).toBe('active');
    });

    it('refuses a plan without dormant_after (a caller mistake)', async () => {
      await expect(sweep(store, planWith(undefined, null))).rejects.toThrow(TypeError);
      await expect(sweep(store, planWith(undefined), { pageSize: 0 })).rejects.toThrow(TypeError);
    });
  });
}

sweepSuite('MemoryStore', async () => new MemoryStore());

const dir = mkdtempSync(join(tmpdir(), 'claimmap-sweep-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));
sweepSuite('SqliteStore', () => SqliteStore.open(join(dir, `s${++n}.db`)));

const url = process.env.CLAIMMAP_TEST_PG;
if (!url) {
  notice('[claimmap] PostgresStore sweep tests SKIPPED: CLAIMMAP_TEST_PG is not set (eval "$(.ci/postgres.sh)").');
  describe.skip('PostgresStore: sweep (CLAIMMAP_TEST_PG not set)', () => {
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
  sweepSuite('PostgresStore', () => {
    const schema = `cm_sweep_${run}_${schemas.length + 1}`;
    schemas.push(schema);
    return PostgresStore.open(url, { schema, poolSize: 4 });
  });
}
