/**
 * Ordering and races between a SCIM deactivate and a login of the same account (issue #14, item 4): on SQLite (two
 * worker threads, each with its own connection to one file) and on PostgreSQL (two pools on one schema). For every
 * key the two race once; the test counts outcomes, never times them:
 * - the account always ends suspended (a login racing a deactivate never leaves it active);
 * - a refused login is one whose transaction came after the deactivate; an allowed login came before it (the audit
 *   log, in commit order, says which was first).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createScimService,
  getAccount,
  listAudit,
  PostgresStore,
  provision,
  SqliteStore,
  type Store,
} from '../../../src/runtime/index.js';
import { ISSUER, T0, at, makeClaims } from '../fixtures.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { dropSchemas } from '../stores/pg-schemas.js';
import { scimPlan } from '../stores/scim-service-suite.js';

const KEYS = 20;
const dir = mkdtempSync(join(tmpdir(), 'claimmap-scim-race-'));
const cleanup: string[] = [dir];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

/** KEYS accounts created by a login, each linked to an active SCIM user. */
async function setup(store: Store): Promise<{ sub: string; id: string }[]> {
  const plan = scimPlan();
  const service = createScimService({ store, plan, now: () => at(1) });
  const users: { sub: string; id: string }[] = [];
  for (let i = 0; i < KEYS; i++) {
    const sub = `00u-race-${i}`;
    await provision(plan, makeClaims({ sub, email: `${sub}@example.com` }), { store, now: T0 });
    const u = await service.createUser({ tokenName: 'okta' }, { userName: `${sub}@example.com`, externalId: sub });
    users.push({ sub, id: u.id });
  }
  return users;
}

/** Checks every key after the race; returns how many logins were allowed and refused. */
async function verify(store: Store, users: { sub: string }[], logins: string[]) {
  let allowed = 0;
  let refused = 0;
  for (const [i, u] of users.entries()) {
    const key = { issuer: ISSUER, subject: u.sub };
    expect((await getAccount(store, key))?.status).toBe('suspended');
    const events = (await listAudit(store, { key, limit: 10 })).reverse(); // oldest first
    const suspendAt = events.findIndex((e) => e.action === 'suspended');
    const loginAt = events.findIndex((e) => e.actor === 'login' && e.at === at(10));
    expect(suspendAt).toBeGreaterThanOrEqual(0);
    if (logins[i] === 'refused') {
      refused++;
      expect(loginAt).toBeGreaterThan(suspendAt);
    } else {
      allowed++;
      expect(['updated', 'unchanged']).toContain(logins[i]);
      expect(loginAt).toBeLessThan(suspendAt);
    }
  }
  expect(allowed + refused).toBe(users.length);
  return { allowed, refused };
}

async function bundleWorker(): Promise<URL> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const outdir = join(root, 'node_modules', '.cache', 'claimmap-test');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `scim-race-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL('./race-worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'pg'],
    outfile,
    logLevel: 'silent',
  });
  cleanup.push(outfile);
  return pathToFileURL(outfile);
}

describe('a SCIM deactivate racing a login of the same account', () => {
  it('SQLite, two connections on one file: the account always ends suspended; refused logins came after', async () => {
    const path = join(dir, 'race.db');
    const setupStore = await SqliteStore.open(path);
    const users = await setup(setupStore);
    await setupStore.close();
    const url = await bundleWorker();
    const barrier = new SharedArrayBuffer(8);
    const run = (role: 'scim' | 'login') =>
      new Promise<string[]>((resolve, reject) => {
        const w = new Worker(url, { workerData: { path, barrier, role, users } });
        w.once('message', (m: string[] | { error: { code?: string; message: string } }) => {
          if (Array.isArray(m)) resolve(m);
          else reject(new Error(`${m.error.code}: ${m.error.message}`));
        });
        w.once('error', reject);
      });
    const [deactivated, logins] = await Promise.all([run('scim'), run('login')]);
    expect(deactivated).toEqual(Array(KEYS).fill('deactivated'));
    const store = await SqliteStore.open(path);
    try {
      const { allowed, refused } = await verify(store, users, logins);
      expect(allowed + refused).toBe(KEYS);
    } finally {
      await store.close();
    }
  }, 60_000);

  it.skipIf(!process.env.CLAIMMAP_TEST_PG)(
    'PostgreSQL, two pools on one schema: the account always ends suspended; refused logins came after',
    async () => {
      const url = process.env.CLAIMMAP_TEST_PG!;
      const schema = `cm_test_race_${randomBytes(4).toString('hex')}`;
      const a = await PostgresStore.open(url, { schema, poolSize: 10 });
      const b = await PostgresStore.open(url, { schema, poolSize: 10 });
      try {
        const users = await setup(a);
        const plan = scimPlan();
        const service = createScimService({ store: a, plan, now: () => at(10) });
        const results = await Promise.all(
          users.map((u) =>
            Promise.all([
              service.replaceUser({ tokenName: 'okta' }, u.id, {
                userName: `${u.sub}@example.com`,
                externalId: u.sub,
                active: false,
              }),
              provision(plan, makeClaims({ sub: u.sub, email: `${u.sub}@example.com` }), { store: b, now: at(10) }),
            ]),
          ),
        );
        await verify(
          a,
          users,
          results.map(([, login]) => login.action),
        );
      } finally {
        await a.close();
        await b.close();
        const admin = new pg.Pool({ connectionString: url, max: 1 });
        await dropSchemas(admin, [schema]).finally(() => admin.end());
      }
    },
    60_000,
  );
});
