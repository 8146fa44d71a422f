/**
 * Group 5, provision: logins per second through provision(), on SqliteStore (a file in WAL mode) and PostgresStore
 * (when CLAIMMAP_TEST_PG is set). Three paths: update (a returning user with the same claims: the account is
 * re-stamped and an `unchanged` event audited; the target's path), update with a change (the department flips, so
 * the profile is rewritten, a role added or removed and an `updated` event audited) and create (a new subject every
 * login). Each login is one store transaction with its audit event, as in an app.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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

const FLOOR = 'bare SQLite transaction (floor)';

/**
 * The floor candidate (see the header) on the store's file: accounts user-2000 … user-2499, seeded through
 * provision() like the others, and the `data` of a stored `unchanged` audit event as its audit payload.
 */
async function floorCandidate(
  plan: Plan,
  store: Store,
  file: string,
): Promise<{ candidate: Candidate; close: () => void }> {
  const first = 4 * USERS;
  for (let i = first; i < first + USERS; i++) {
    const r = await provision(plan, login(i, false), { store });
    if (r.action !== 'created') throw new Error(`provision: seeding the floor gave ${r.action}`);
  }
  const again = await provision(plan, login(first, false), { store });
  if (again.action !== 'unchanged') throw new Error(`provision: floor sample gave ${again.action}`);
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  const { data } = db.prepare('SELECT data FROM audit_events WHERE id = ?').get(again.eventId) as { data: string };
  const select = db.prepare('SELECT * FROM accounts WHERE issuer = ? AND subject = ?');
  const update = db.prepare('UPDATE accounts SET last_login_at = ?, version = ? WHERE id = ? AND version = ?');
  const insert = db.prepare(
    'INSERT INTO audit_events (id, at, action, issuer, subject, account_id, actor, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const issuer = again.account?.issuer ?? '';
  const once = db.transaction((subject: string) => {
    const row = select.get(issuer, subject) as { id: string; version: number } | undefined;
    if (row === undefined) throw new Error(`floor: no account ${subject}`);
    const at = new Date().toISOString();
    if (update.run(at, row.version + 1, row.id, row.version).changes !== 1) throw new Error('floor: update lost');
    insert.run(randomUUID(), at, 'unchanged', issuer, subject, row.id, 'login', data);
    return row.id;
  }).immediate;
  let visit = 0;
  return {
    candidate: { name: FLOOR, run: () => once(`user-${first + (visit++ % USERS)}`) },
    close: () => db.close(),
  };
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
  const file = join(dir, 'bench.db');
  const sqlite = await SqliteStore.open(file);
  let closeFloor = () => {};
  try {
    const list = await candidates(plan, sqlite, 'SqliteStore (file, WAL)');
    const floor = await floorCandidate(plan, sqlite, file);
    closeFloor = floor.close;
    list.push(floor.candidate);
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
    closeFloor();
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
  const floorRow = defined(rows.find((r) => r.name === FLOOR && r.note === 'CPU time'));
  const ofFloor = update.throughput / floorRow.throughput;
  notes.push(
    `SqliteStore update / ${FLOOR}: ${ofFloor.toFixed(2)} of the floor's throughput (CPU time; target >= 0.70)`,
  );
  return {
    group: 'provision',
    rows,
    notes,
    targets: [
      {
        name: 'SQLite update throughput / bare transaction floor (CPU time)',
        value: ofFloor,
        target: '>= 0.70',
        met: ofFloor >= 0.7,
      },
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
