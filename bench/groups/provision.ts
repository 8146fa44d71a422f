/**
 * Group 5, provision: logins per second through provision(), on SqliteStore (a file in WAL mode) and PostgresStore
 * (when CLAIMMAP_TEST_PG is set). Three paths: update (a returning user with the same claims: the account is
 * re-stamped and an `unchanged` event audited; the target's path), update with a change (the department flips, so
 * the profile is rewritten, a role added or removed and an `updated` event audited) and create (a new subject every
 * login). Each login is one store transaction with its audit event, as in an app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ClaimSet } from '../../src/model/claim-set.js';
import type { Plan } from '../../src/model/plan.js';
import { provision } from '../../src/runtime/provision/login.js';
import { PostgresStore } from '../../src/runtime/stores/postgres.js';
import { SqliteStore } from '../../src/runtime/stores/sqlite.js';
import type { Store } from '../../src/runtime/store.js';
import { INPUTS, benchPlan } from '../fixtures/evaluate.js';
import { type Candidate, type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, type Row, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

const USERS = 500;

function login(i: number, flip: boolean): ClaimSet {
  const base = defined(INPUTS[i & 3]);
  const claims = {
    ...(base.claims as Record<string, unknown>),
    sub: `user-${i}`,
    email: `User${i}@Example.com`,
    department: flip ? 'Finance' : 'Engineering',
  };
  return { ...base, subject: { id: `user-${i}` }, claims: claims as ClaimSet['claims'] };
}

async function candidates(plan: Plan, store: Store, label: string): Promise<Candidate[]> {
  for (let i = 0; i < 2 * USERS; i++) {
    const r = await provision(plan, login(i, false), { store });
    if (r.action !== 'created') throw new Error(`provision: seeding ${label} gave ${r.action}`);
  }
  let visit = 0;
  let flips = 0;
  let fresh = 0;
  return [
    {
      // A returning user, same claims as last time: the account is re-stamped (last login, claim snapshot) and an
      // `unchanged` event audited.
      name: `${label} update`,
      async: true,
      run: async () => {
        const r = await provision(plan, login(visit++ % USERS, false), { store });
        if (r.action !== 'unchanged') throw new Error(`provision: update path gave ${r.action}`);
        return r;
      },
    },
    {
      // A returning user whose department changed: profile rewritten, the billing role added or removed.
      name: `${label} update, changed`,
      async: true,
      run: async () => {
        const v = flips++;
        const r = await provision(plan, login(USERS + (v % USERS), Math.floor(v / USERS) % 2 === 0), { store });
        if (r.action !== 'updated') throw new Error(`provision: changed update path gave ${r.action}`);
        return r;
      },
    },
    {
      name: `${label} create`,
      async: true,
      run: async () => {
        const r = await provision(plan, login(1_000_000 + fresh++, false), { store });
        if (r.action !== 'created') throw new Error(`provision: create path gave ${r.action}`);
        return r;
      },
    },
  ];
}

export async function runProvision(options: MeasureOptions): Promise<GroupResult> {
  const plan = benchPlan();
  // PostgreSQL does its part in the server process, which this process's CPU time does not count: wall clock.
  const wall: MeasureOptions = { ...options, clock: 'wall' };
  const notes: string[] = [
    `update paths cycle through ${USERS} existing accounts; every login is one store transaction with an audit event`,
  ];
  const rows: Row[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'claimmap-bench-'));
  const sqlite = await SqliteStore.open(join(dir, 'bench.db'));
  try {
    const list = await candidates(plan, sqlite, 'SqliteStore (file, WAL)');
    // CPU time is the "one core" measure (better-sqlite3 runs in this thread); wall-clock time adds the waits.
    const cpu = await measureGroup(list, options);
    rows.push(
      ...toRows('provision', cpu, 'SqliteStore (file, WAL) update', 'logins/s', 1).map((r) => ({
        ...r,
        note: 'CPU time',
      })),
    );
    const wallStats = await measureGroup(list, wall);
    for (const r of toRows('provision', wallStats, 'SqliteStore (file, WAL) update', 'logins/s', 1)) {
      rows.push({
        ...r,
        note: 'wall clock',
        ratio: r.medianNs / defined(rows[0]).medianNs,
        baseline: defined(rows[0]).name,
      });
    }
  } finally {
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const url = process.env.CLAIMMAP_TEST_PG;
  if (url === undefined || url === '') {
    notes.push('PostgresStore skipped: set CLAIMMAP_TEST_PG (eval "$(bash .ci/postgres.sh)") to include it');
  } else {
    const schema = `bench_${process.pid}`;
    const store = await PostgresStore.open(url, { schema });
    try {
      const stats = await measureGroup(await candidates(plan, store, 'PostgresStore'), wall);
      const sqliteUpdate = defined(rows[0]);
      for (const r of toRows('provision', stats, 'PostgresStore update', 'logins/s', 1)) {
        rows.push({ ...r, note: 'wall clock', ratio: r.medianNs / sqliteUpdate.medianNs, baseline: sqliteUpdate.name });
      }
      notes.push(
        'PostgresStore: local server on 127.0.0.1, one connection in use at a time (logins run one after another)',
      );
    } finally {
      await store.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  }
  const update = defined(rows[0]);
  const wallUpdate = defined(rows.find((r) => r.note === 'wall clock'));
  return {
    group: 'provision',
    rows,
    notes,
    targets: [
      {
        name: 'SQLite update logins/s on one core (CPU time)',
        value: update.throughput,
        target: '>= 5000 logins/s',
        met: update.throughput >= 5000,
      },
      {
        name: 'SQLite update logins/s (wall clock)',
        value: wallUpdate.throughput,
        target: '>= 5000 logins/s',
        met: wallUpdate.throughput >= 5000,
      },
    ],
  };
}
