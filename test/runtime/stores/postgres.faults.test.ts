/**
 * PostgresStore under connection loss, against a real server: backends terminated mid-login
 * (`pg_terminate_backend`), and the server stopped and restarted mid-load. A lost connection must be a
 * `store/unavailable` (or a transparent re-run where that is safe), never a crash of the process; a login that
 * resolved is committed with its audit event, every audit event belongs to a committed account, and the pool
 * works again once the server is back.
 *
 * Terminating backends needs only CLAIMMAP_TEST_PG_FAULTS (or, failing that, CLAIMMAP_TEST_PG: only this file's own
 * backends are terminated, picked by a unique application_name). Stopping the server needs a disposable cluster:
 * CLAIMMAP_TEST_PG_FAULTS and CLAIMMAP_TEST_PG_FAULTS_CLUSTER (`<version>/<name>`, restarted with pg_ctlcluster),
 * which .ci/postgres.sh creates on port 5433. The shared server of CLAIMMAP_TEST_PG is never stopped.
 *
 * No assertion is timed: the tests count outcomes, and every wait is bounded by a count of attempts.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from './pg-schemas.js';
import { PostgresStore, provision, RuntimeError, type Store } from '../../../src/runtime/index.js';
import { isConnectionError } from '../../../src/runtime/stores/postgres.js';
import { ISSUER, T0, makeClaims, makePlan } from '../fixtures.js';
import { notice } from '../notice.js';

const faultsUrl = process.env.CLAIMMAP_TEST_PG_FAULTS;
const url = faultsUrl ?? process.env.CLAIMMAP_TEST_PG;
const cluster = process.env.CLAIMMAP_TEST_PG_FAULTS_CLUSTER;
const run = promisify(execFile);
/** Vitest timeout of a test under load: a backstop against a hang, not a performance assertion. */
const LOAD_TIMEOUT = 120_000;

/** Uncaught exceptions and unhandled rejections seen while a test ran: a lost connection must never produce one. */
const crashes: unknown[] = [];
const onCrash = (e: unknown) => crashes.push(e);

function expectNoCrash(): void {
  expect(crashes.map((e) => String(e))).toEqual([]);
}

interface Outcome {
  subject: string;
  eventId?: string;
  error?: unknown;
}

/** Runs `n` first logins (subjects `<prefix>-<i>`), `width` at a time; every promise settles into an outcome. */
async function loginLoad(
  store: Store,
  prefix: string,
  n: number,
  width: number,
  onEach?: (i: number) => Promise<void>,
): Promise<Outcome[]> {
  const plan = makePlan();
  const out: Outcome[] = new Array(n);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < n; i = next++) {
      const subject = `${prefix}-${i}`;
      try {
        const r = await provision(plan, makeClaims({ sub: subject, email: `${subject}@example.com` }), {
          store,
          now: T0,
        });
        out[i] = { subject, eventId: r.eventId };
      } catch (error) {
        out[i] = { subject, error };
      }
      if (onEach) await onEach(i);
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return out;
}

/** Every failure is a RuntimeError store/unavailable; returns the failed outcomes. */
function failures(outcomes: Outcome[]): Outcome[] {
  const failed = outcomes.filter((o) => o.error !== undefined);
  for (const o of failed) {
    expect(o.error, String(o.error)).toBeInstanceOf(RuntimeError);
    expect((o.error as RuntimeError).code, String(o.error)).toBe('store/unavailable');
  }
  return failed;
}

/**
 * Committed vs audited, read with a fresh connection: every resolved login has its account and its audit event;
 * every account has exactly one `created` event and every event belongs to an account (nothing audited that was
 * not committed, nothing committed without its audit event). Returns the subjects that are committed.
 */
async function checkCommittedVsAudited(admin: pg.Pool, schema: string, outcomes: Outcome[]): Promise<Set<string>> {
  const accounts = (await admin.query(`SELECT id, subject FROM ${schema}.accounts WHERE issuer = $1`, [ISSUER]))
    .rows as {
    id: string;
    subject: string;
  }[];
  const events = (await admin.query(`SELECT id, action, subject, account_id FROM ${schema}.audit_events`)).rows as {
    id: string;
    action: string;
    subject: string;
    account_id: string | null;
  }[];
  const accountOf = new Map(accounts.map((a) => [a.subject, a.id]));
  const eventIds = new Set(events.map((e) => e.id));
  for (const o of outcomes) {
    if (o.eventId === undefined) continue;
    expect(accountOf.has(o.subject), `resolved login ${o.subject} has no account`).toBe(true);
    expect(eventIds.has(o.eventId), `resolved login ${o.subject} has no audit event`).toBe(true);
  }
  const created = new Map<string, number>();
  for (const e of events) {
    expect(e.account_id, `audit event ${e.id} of ${e.subject} has no committed account`).toBe(accountOf.get(e.subject));
    if (e.action === 'created') created.set(e.subject, (created.get(e.subject) ?? 0) + 1);
  }
  for (const a of accounts) expect(created.get(a.subject), `account ${a.subject}: created events`).toBe(1);
  return new Set(accountOf.keys());
}

describe('isConnectionError', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  it.each([
    [
      '57P01 admin shutdown (pg_terminate_backend)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['57P02 crash shutdown', pgError('57P02')],
    ['57P03 cannot connect now (starting up)', pgError('57P03')],
    ['08006 connection failure', pgError('08006')],
    ['08P01 protocol violation', pgError('08P01')],
    ['ECONNRESET', pgError('ECONNRESET', 'read ECONNRESET')],
    ['ECONNREFUSED', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5433')],
    ['EPIPE', pgError('EPIPE')],
    ['pg: Connection terminated unexpectedly', new Error('Connection terminated unexpectedly')],
    ['pg: not queryable', new Error('Client has encountered a connection error and is not queryable')],
    ['pg-pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped as a cause', new RuntimeError('store/unavailable', 'lost', { cause: pgError('57P01') })],
  ])('%s is a connection error', (_name, e) => {
    expect(isConnectionError(e)).toBe(true);
  });
  it.each([
    ['23505 unique violation', pgError('23505')],
    ['40001 serialization failure', pgError('40001')],
    ['57014 statement timeout (the connection is fine)', pgError('57014')],
    ['42501 insufficient privilege', pgError('42501')],
    ['P0001 raised by a trigger', pgError('P0001', 'audit_events is append-only')],
    ['a TypeError', new TypeError('x')],
    ['null', null],
    ['a string', 'Connection terminated'],
  ])('%s is not a connection error', (_name, e) => {
    expect(isConnectionError(e)).toBe(false);
  });
});

if (!url) {
  notice(
    '[claimmap] PostgresStore connection-loss tests SKIPPED: neither CLAIMMAP_TEST_PG_FAULTS nor CLAIMMAP_TEST_PG is ' +
      'set. Run `eval "$(.ci/postgres.sh)"` to start local PostgreSQL clusters and set them.',
  );
  describe.skip('PostgresStore connection loss (no server)', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  const tag = randomBytes(4).toString('hex');
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  admin.on('error', () => undefined);
  const schemas: string[] = [];
  let n = 0;
  const newSchema = () => {
    const s = `cm_faults_${tag}_${++n}`;
    schemas.push(s);
    return s;
  };

  beforeEach(() => {
    crashes.length = 0;
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });
  afterEach(() => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  });
  afterAll(async () => {
    await dropSchemas(admin, schemas).catch(() => undefined);
    await admin.end();
  }, DROP_HOOK_TIMEOUT_MS);

  /** Terminates every backend of this application name; returns how many. */
  async function terminate(app: string): Promise<number> {
    const r = await admin.query(
      'SELECT pg_terminate_backend(pid) AS t FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [app],
    );
    // Wait (bounded by a count) until the backends are gone, so that the next statement of a victim surely fails.
    for (let i = 0; i < 200; i++) {
      const left = await admin.query('SELECT count(*)::int AS c FROM pg_stat_activity WHERE application_name = $1', [
        app,
      ]);
      if ((left.rows[0] as { c: number }).c === 0) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    return r.rows.filter((x: { t: boolean }) => x.t).length;
  }

  /** A store whose transactions call `hook` before the nth (1-based, counted across transactions) appendAudit. */
  function hooked(inner: Store, hook: (call: number) => Promise<void>): Store {
    let calls = 0;
    return {
      kind: inner.kind,
      close: () => inner.close(),
      transaction: (fn) =>
        inner.transaction((tx) =>
          fn({
            ...tx,
            appendAudit: async (e) => {
              await hook(++calls);
              return tx.appendAudit(e);
            },
          }),
        ),
    };
  }

  const open = (app: string, schema: string, poolSize = 10) =>
    PostgresStore.open(
      { connectionString: url, application_name: app, connectionTimeoutMillis: 5000 },
      { schema, poolSize },
    );

  describe('PostgresStore: a terminated backend', () => {
    it('mid-login (between statements): the login is re-run on a new connection and commits once; no crash', async () => {
      const app = `cm_faults_${tag}_between`;
      const schema = newSchema();
      const inner = await open(app, schema, 2);
      let killed = 0;
      const store = hooked(inner, async (call) => {
        if (call === 1) killed += await terminate(app);
      });
      try {
        const r = await provision(makePlan(), makeClaims(), { store, now: T0 });
        expect(killed).toBe(1);
        expect(r.action).toBe('created');
        await checkCommittedVsAudited(admin, schema, [{ subject: '00u1', eventId: r.eventId }]);
        const events = await admin.query(`SELECT count(*)::int AS c FROM ${schema}.audit_events`);
        expect((events.rows[0] as { c: number }).c).toBe(1);
        // The pool still works: a returning login on the same store.
        expect((await provision(makePlan(), makeClaims(), { store: inner, now: T0 })).action).toBe('unchanged');
        expectNoCrash();
      } finally {
        await inner.close();
      }
    });

    it('on every attempt: store/unavailable after a bounded number of re-runs, nothing written; no crash', async () => {
      const app = `cm_faults_${tag}_every`;
      const schema = newSchema();
      const inner = await open(app, schema, 2);
      let attempts = 0;
      const store = hooked(inner, async () => {
        attempts++;
        await terminate(app);
      });
      try {
        const e = await provision(makePlan(), makeClaims(), { store, now: T0 }).then(
          () => null,
          (err: unknown) => err,
        );
        expect(e).toBeInstanceOf(RuntimeError);
        expect((e as RuntimeError).code).toBe('store/unavailable');
        expect(attempts).toBeGreaterThan(1);
        expect(attempts).toBeLessThanOrEqual(4);
        const accounts = await admin.query(`SELECT count(*)::int AS c FROM ${schema}.accounts`);
        expect((accounts.rows[0] as { c: number }).c).toBe(0);
        expect((await provision(makePlan(), makeClaims(), { store: inner, now: T0 })).action).toBe('created');
        expectNoCrash();
      } finally {
        await inner.close();
      }
    });

    it('during COMMIT: not re-run, and the store/unavailable says the outcome is unknown; no crash', async () => {
      const app = `cm_faults_${tag}_commit`;
      const schema = newSchema();
      const inner = await open(app, schema, 2);
      // A deferred constraint trigger runs inside COMMIT and waits there for an advisory lock the test holds, so
      // the backend can be terminated with COMMIT surely in flight.
      const lock = randomBytes(4).readInt32BE();
      await admin.query(`CREATE FUNCTION ${schema}.wait_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN PERFORM pg_advisory_xact_lock(${lock}); RETURN NULL; END $$;
        CREATE CONSTRAINT TRIGGER wait_at_commit AFTER INSERT ON ${schema}.audit_events
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${schema}.wait_at_commit();`);
      const holder = await admin.connect();
      let attempts = 0;
      const store = hooked(inner, async () => {
        attempts++;
      });
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock($1)', [lock]);
        const login = provision(makePlan(), makeClaims(), { store, now: T0 }).then(
          () => null,
          (err: unknown) => err,
        );
        let waiting = false;
        for (let i = 0; i < 1000 && !waiting; i++) {
          const r = await admin.query(
            `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query = 'COMMIT' AND wait_event_type = 'Lock'`,
            [app],
          );
          waiting = (r.rowCount ?? 0) > 0;
          if (!waiting) await new Promise((r) => setTimeout(r, 10));
        }
        expect(waiting).toBe(true);
        expect(await terminate(app)).toBeGreaterThan(0);
        const e = await login;
        expect(e).toBeInstanceOf(RuntimeError);
        expect((e as RuntimeError).code).toBe('store/unavailable');
        expect((e as RuntimeError).message).toMatch(/may or may not have committed/);
        expect(attempts).toBe(1);
        // Here the server died before the commit record: nothing was written, and the caller was told it may have been.
        const accounts = await admin.query(`SELECT count(*)::int AS c FROM ${schema}.accounts`);
        expect((accounts.rows[0] as { c: number }).c).toBe(0);
        expectNoCrash();
      } finally {
        await holder.query('ROLLBACK').catch(() => undefined);
        holder.release();
        await inner.close();
      }
    });

    it('while idle in the pool: the next login gets a fresh connection; no crash', async () => {
      const app = `cm_faults_${tag}_idle`;
      const schema = newSchema();
      const store = await open(app, schema, 3);
      try {
        await loginLoad(store, 'warm', 6, 3);
        expect(await terminate(app)).toBeGreaterThan(0);
        const outcomes = await loginLoad(store, 'after', 6, 3);
        expect(failures(outcomes)).toEqual([]);
        await checkCommittedVsAudited(admin, schema, outcomes);
        expectNoCrash();
      } finally {
        await store.close();
      }
    });

    it(
      'repeatedly under 200 concurrent logins: committed = audited, every failure is store/unavailable, no hang or crash',
      async () => {
        const app = `cm_faults_${tag}_load`;
        const schema = newSchema();
        const store = await open(app, schema, 8);
        let done = false;
        let killed = 0;
        let rounds = 0;
        // Terminate this store's backends after every 5th settled login, and also in a loop between them, so
        // connections are lost at every phase of a login: at checkout, between statements, at COMMIT, idle.
        const killer = (async () => {
          while (!done) {
            killed += await terminate(app);
            rounds++;
            await new Promise((r) => setTimeout(r, 3));
          }
        })();
        try {
          const outcomes = await loginLoad(store, 'load', 200, 16, async (i) => {
            if (i % 5 === 0) killed += await terminate(app);
          });
          done = true;
          await killer;
          expect(outcomes.every((o) => o !== undefined)).toBe(true);
          expect(killed).toBeGreaterThan(0);
          const failed = failures(outcomes);
          const committed = await checkCommittedVsAudited(admin, schema, outcomes);
          // A failed login either did not commit, or lost its connection while COMMIT was in flight (outcome
          // unknown to the client): then it committed with its audit event, which the check above proved.
          const resolved = outcomes.filter((o) => o.eventId !== undefined);
          expect(committed.size).toBeGreaterThanOrEqual(resolved.length);
          expect(committed.size).toBeLessThanOrEqual(outcomes.length);
          notice(
            `[claimmap] terminate load: ${rounds} kill rounds, ${killed} backends terminated, ${resolved.length} resolved, ` +
              `${failed.length} store/unavailable, ${committed.size - resolved.length} of those committed anyway`,
          );
          // The pool recovers: the failed logins, run again without interference, all succeed.
          const again = await loginLoad(store, 'load', 200, 16);
          expect(failures(again)).toEqual([]);
          for (const o of again) {
            expect(o.eventId).toBeDefined();
          }
          const all = await checkCommittedVsAudited(admin, schema, again);
          expect(all.size).toBe(200);
          expectNoCrash();
        } finally {
          done = true;
          await killer;
          await store.close();
        }
      },
      LOAD_TIMEOUT,
    );
  });

  if (!faultsUrl || !cluster) {
    notice(
      '[claimmap] PostgresStore server-restart tests SKIPPED: CLAIMMAP_TEST_PG_FAULTS and CLAIMMAP_TEST_PG_FAULTS_CLUSTER ' +
        'are not set (a disposable cluster these tests may stop). Run `eval "$(.ci/postgres.sh)"` as root.',
    );
    describe.skip('PostgresStore: server restart (no disposable cluster)', () => {
      it('needs CLAIMMAP_TEST_PG_FAULTS_CLUSTER', () => undefined);
    });
  } else {
    const [version, name] = cluster.split('/') as [string, string];
    const ctl = (action: 'stop' | 'start' | 'restart') =>
      run('pg_ctlcluster', [version, name, action, ...(action === 'start' ? [] : ['-m', 'fast'])]);
    /** Waits (bounded by a count) until the server accepts connections. */
    const ready = async () => {
      for (let i = 0; i < 100; i++) {
        const c = new pg.Client({ connectionString: faultsUrl, connectionTimeoutMillis: 2000 });
        c.on('error', () => undefined);
        try {
          await c.connect();
          await c.query('SELECT 1');
          await c.end();
          return;
        } catch {
          await c.end().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      throw new Error('the faults cluster did not come back');
    };

    describe('PostgresStore: the server stops and returns', () => {
      afterEach(async () => {
        // Leave the cluster running whatever happened.
        await ctl('start').catch(() => undefined);
        await ready();
      }, LOAD_TIMEOUT);

      it(
        'restarted under 150 concurrent logins: committed = audited, failures are store/unavailable, the pool recovers',
        async () => {
          const schema = newSchema();
          const store = await PostgresStore.open(
            { connectionString: faultsUrl, connectionTimeoutMillis: 5000 },
            { schema, poolSize: 8 },
          );
          try {
            let restart: Promise<unknown> | undefined;
            const outcomes = await loginLoad(store, 'restart', 150, 16, async (i) => {
              if (i === 30) restart = ctl('restart');
            });
            await restart;
            await ready();
            const failed = failures(outcomes);
            const admin2 = new pg.Pool({ connectionString: faultsUrl, max: 1 });
            admin2.on('error', () => undefined);
            try {
              const committed = await checkCommittedVsAudited(admin2, schema, outcomes);
              const resolved = outcomes.filter((o) => o.eventId !== undefined).length;
              notice(
                `[claimmap] restart load: ${resolved} resolved, ${failed.length} store/unavailable, ` +
                  `${committed.size - resolved} of those committed anyway`,
              );
              const again = await loginLoad(store, 'restart', 150, 16);
              expect(failures(again)).toEqual([]);
              expect((await checkCommittedVsAudited(admin2, schema, again)).size).toBe(150);
            } finally {
              await admin2.end();
            }
            expectNoCrash();
          } finally {
            await store.close();
          }
        },
        LOAD_TIMEOUT,
      );

      it(
        'stopped: logins fail with store/unavailable (they do not hang); started again: logins succeed',
        async () => {
          const schema = newSchema();
          const store = await PostgresStore.open(
            { connectionString: faultsUrl, connectionTimeoutMillis: 5000 },
            { schema, poolSize: 4 },
          );
          try {
            await loginLoad(store, 'before', 8, 4);
            await ctl('stop');
            const down = await loginLoad(store, 'down', 8, 4);
            expect(failures(down)).toHaveLength(8);
            await ctl('start');
            await ready();
            const up = await loginLoad(store, 'up', 8, 4);
            expect(failures(up)).toEqual([]);
            expectNoCrash();
          } finally {
            await store.close();
          }
        },
        LOAD_TIMEOUT,
      );
    });
  }
}
