/**
 * 50 concurrent first logins for one key against one database file, from 10 worker threads (10 connections racing
 * for the write lock, 5 concurrent calls each): exactly one account; every call returns created or
 * unchanged/updated, none an error. (50 threads work too, but take ~30 s on a 2-core CI machine.)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, expect, it } from 'vitest';
import { listAccounts, listAudit, SqliteStore } from '../../../src/runtime/index.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-sqlite-conc-'));
const cleanup: string[] = [dir];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

type Login = { action: string; accountId: string | null };
type Reply = Login[] | { error: { name: string; code?: string; message: string } };
const WORKERS = 10;
const PER_WORKER = 5;

/**
 * Worker threads do not get vitest's TypeScript transform, so the worker is bundled once with esbuild into
 * node_modules/.cache (where `better-sqlite3`, kept external, still resolves).
 */
async function bundleWorker(): Promise<URL> {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const outdir = join(root, 'node_modules', '.cache', 'claimmap-test');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `sqlite-login-worker-${process.pid}.mjs`);
  await build({
    entryPoints: [fileURLToPath(new URL('./sqlite-login-worker.ts', import.meta.url))],
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

it('creates exactly one account for 50 concurrent first logins from 10 worker threads', async () => {
  const path = join(dir, 'shared.db');
  // Create the schema first so that the race is on the login, not on the migration.
  await (await SqliteStore.open(path)).close();
  const workers = WORKERS;
  const barrier = new SharedArrayBuffer(8);
  const workerUrl = await bundleWorker();
  const replies = await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<Reply>((resolve, reject) => {
          const w = new Worker(workerUrl, {
            workerData: { path, barrier, workers, perWorker: PER_WORKER },
          });
          w.once('message', (m: Reply) => resolve(m));
          w.once('error', reject);
          w.once('exit', (code) => {
            if (code !== 0) reject(new Error(`worker exited with ${code}`));
          });
        }),
    ),
  );
  expect(replies.filter((r) => !Array.isArray(r))).toEqual([]);
  const ok = (replies as Login[][]).flat();
  expect(ok).toHaveLength(WORKERS * PER_WORKER);
  expect(ok.filter((r) => r.action === 'created')).toHaveLength(1);
  expect(ok.filter((r) => !['created', 'unchanged', 'updated'].includes(r.action))).toEqual([]);
  expect(new Set(ok.map((r) => r.accountId)).size).toBe(1);
  const store = await SqliteStore.open(path);
  try {
    expect(await listAccounts(store)).toHaveLength(1);
    expect(await listAudit(store, { limit: 100 })).toHaveLength(WORKERS * PER_WORKER);
  } finally {
    await store.close();
  }
}, 120_000);
