/**
 * A worker thread for service.race.test.ts: opens its own connection to the shared SQLite file, waits at a barrier,
 * then for each key either deactivates its SCIM user or logs it in, and reports what each call returned.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createScimService, provision, SqliteStore } from '../../../src/runtime/index.js';
import { at, makeClaims } from '../fixtures.js';
import { scimPlan } from '../stores/scim-service-suite.js';

const { path, barrier, role, users } = workerData as {
  path: string;
  barrier: SharedArrayBuffer;
  role: 'scim' | 'login';
  users: { sub: string; id: string }[];
};
const flag = new Int32Array(barrier);
const store = await SqliteStore.open(path, { busyTimeoutMs: 30_000 });
try {
  if (Atomics.add(flag, 0, 1) + 1 === 2) {
    Atomics.store(flag, 1, 1);
    Atomics.notify(flag, 1);
  } else {
    Atomics.wait(flag, 1, 0, 30_000);
  }
  const plan = scimPlan();
  const service = createScimService({ store, plan, now: () => at(10) });
  const out: string[] = [];
  for (const u of users) {
    if (role === 'scim') {
      await service.replaceUser({ tokenName: 'okta' }, u.id, {
        userName: `${u.sub}@example.com`,
        externalId: u.sub,
        active: false,
      });
      out.push('deactivated');
    } else {
      out.push(
        (await provision(plan, makeClaims({ sub: u.sub, email: `${u.sub}@example.com` }), { store, now: at(10) }))
          .action,
      );
    }
  }
  parentPort!.postMessage(out);
} catch (e) {
  parentPort!.postMessage({ error: { code: (e as { code?: string }).code, message: (e as Error).message } });
} finally {
  await store.close();
}
