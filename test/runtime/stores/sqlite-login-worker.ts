/**
 * A worker thread for sqlite-concurrency.test.ts: opens its own connection to the shared database file, waits at a
 * barrier until every worker is ready, then starts `perWorker` concurrent first logins and reports their actions.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { provision, SqliteStore } from '../../../src/runtime/index.js';
import { T0, makeClaims, makePlan } from '../fixtures.js';

const { path, barrier, workers, perWorker } = workerData as {
  path: string;
  barrier: SharedArrayBuffer;
  workers: number;
  perWorker: number;
};
const flag = new Int32Array(barrier);

const store = await SqliteStore.open(path, { busyTimeoutMs: 30_000 });
try {
  // Barrier: count in, then wait until the last worker releases everyone.
  if (Atomics.add(flag, 0, 1) + 1 === workers) {
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
  } else {
    Atomics.wait(flag, 1, 0, 30_000);
  }
  const plan = makePlan();
  const results = await Promise.all(
    Array.from({ length: perWorker }, () => provision(plan, makeClaims({ issuedAt: T0 }), { store, now: T0 })),
  );
  parentPort!.postMessage(results.map((r) => ({ action: r.action, accountId: r.account?.id ?? null })));
} catch (e) {
  parentPort!.postMessage({
    error: { name: (e as Error).name, code: (e as { code?: string }).code, message: (e as Error).message },
  });
} finally {
  await store.close();
}
