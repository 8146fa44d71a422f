/**
 * The store suite against a real PostgreSQL server. Runs only when CLAIMMAP_TEST_PG is set (CI: .ci/postgres.sh);
 * each store gets a fresh schema, dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from './pg-schemas.js';
import { PostgresStore, provision, listAccounts, type Store } from '../../../src/runtime/index.js';
import { MIGRATIONS } from '../../../src/runtime/stores/migrations.js';
import { T0, at, makeClaims, makePlan } from '../fixtures.js';
import { storeSuite } from './store-suite.js';
import { notice } from '../notice.js';

const url = process.env.CLAIMMAP_TEST_PG;

if (!url) {
  notice(
    '[claimmap] PostgresStore tests SKIPPED: CLAIMMAP_TEST_PG is not set. Run `eval "$(.ci/postgres.sh)"` to start a ' +
      'local PostgreSQL and set it.',
  );
  describe.skip('PostgresStore (CLAIMMAP_TEST_PG not set)', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  const run = randomBytes(4).toString('hex');
  const schemas: string[] = [];
  const schemaOf = new WeakMap<Store, string>();
  let n = 0;
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const newSchema = () => {
    const s = `cm_test_${run}_${++n}`;
    schemas.push(s);
    return s;
  };

  afterAll(async () => {
    await dropSchemas(admin, schemas);
    await admin.end();
  }, DROP_HOOK_TIMEOUT_MS);

  storeSuite('PostgresStore', {
    async open() {
      const schema = newSchema();
      const store = await PostgresStore.open(url, { schema, poolSize: 10 });
      schemaOf.set(store, schema);
      return store;
    },
    openReadOnly: (store) => PostgresStore.open(url, { schema: schemaOf.get(store)!, readOnly: true }),
    async corrupt(store, accountId, column, value) {
      await admin.query(`UPDATE ${schemaOf.get(store)!}.accounts SET ${column} = $1 WHERE id = $2`, [value, accountId]);
    },
  });

  describe('PostgresStore: across pools', () => {
    it('creates exactly one account for 50 concurrent first logins spread over 5 separate pools', async () => {
      const schema = newSchema();
      const stores = await Promise.all(
        Array.from({ length: 5 }, () => PostgresStore.open(url, { schema, poolSize: 10 })),
      );
      try {
        const plan = makePlan();
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            provision(plan, makeClaims({ issuedAt: T0 }), { store: stores[i % 5]!, now: T0 }),
          ),
        );
        expect(results.filter((r) => r.action === 'created')).toHaveLength(1);
        expect(results.every((r) => ['created', 'unchanged', 'updated'].includes(r.action))).toBe(true);
        expect(await listAccounts(stores[0]!)).toHaveLength(1);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('refuses an audit UPDATE (append-only trigger) and records schema_migrations', async () => {
      const schema = newSchema();
      const store = await PostgresStore.open(url, { schema });
      try {
        await provision(makePlan(), makeClaims(), { store, now: T0 });
        await expect(admin.query(`UPDATE ${schema}.audit_events SET actor = 'x'`)).rejects.toThrow(/append-only/);
        const r = await admin.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
        expect(r.rows.map((x: { version: number }) => x.version)).toEqual(MIGRATIONS.map((m) => m.version));
        const idx = await admin.query(
          'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = $2 ORDER BY 1',
          [schema, 'accounts'],
        );
        expect(idx.rows.map((x: { indexname: string }) => x.indexname)).toContain('accounts_status');
        expect(idx.rows.map((x: { indexname: string }) => x.indexname)).not.toContain('accounts_activity');
      } finally {
        await store.close();
      }
    });

    it('gives audit events time-ordered UUIDv7 ids', async () => {
      const store = await PostgresStore.open(url, { schema: newSchema() });
      try {
        const before = Date.now();
        const r1 = await provision(makePlan(), makeClaims(), { store, now: T0 });
        const r2 = await provision(makePlan(), makeClaims(), { store, now: at(1) });
        for (const id of [r1.eventId, r2.eventId]) {
          expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
          const ms = parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
          expect(ms).toBeGreaterThanOrEqual(before);
          expect(ms).toBeLessThanOrEqual(Date.now());
        }
        expect(r1.eventId.slice(0, 13) <= r2.eventId.slice(0, 13)).toBe(true);
      } finally {
        await store.close();
      }
    });

    it('leaves unchanged unique entries in place on a returning login, and rewrites changed ones', async () => {
      const schema = newSchema();
      const store = await PostgresStore.open(url, { schema });
      try {
        await provision(makePlan(), makeClaims(), { store, now: T0 });
        await admin.query(`CREATE TABLE ${schema}.seen (op TEXT);
          CREATE FUNCTION ${schema}.note_unique() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO ${schema}.seen VALUES (TG_OP); RETURN NULL; END $$;
          CREATE TRIGGER t_unique AFTER INSERT OR DELETE ON ${schema}.account_unique
            FOR EACH ROW EXECUTE FUNCTION ${schema}.note_unique();`);
        const seen = async () =>
          (await admin.query(`SELECT op FROM ${schema}.seen ORDER BY op`)).rows.map((r: { op: string }) => r.op);
        expect((await provision(makePlan(), makeClaims(), { store, now: at(1) })).action).toBe('unchanged');
        expect(await seen()).toEqual([]);
        expect(
          (await provision(makePlan(), makeClaims({ email: 'jane.doe@example.com' }), { store, now: at(2) })).action,
        ).toBe('updated');
        expect(await seen()).toEqual(['DELETE', 'INSERT']);
      } finally {
        await store.close();
      }
    });

    it('connects with PostgresConnectionOptions fields: host, port, user, database, a password function', async () => {
      const u = new URL(url);
      let asked = 0;
      const app = `cm_opts_${run}`;
      const store = await PostgresStore.open(
        {
          host: u.hostname,
          port: Number(u.port || 5432),
          user: decodeURIComponent(u.username),
          database: u.pathname.slice(1),
          password: async () => {
            asked++;
            return decodeURIComponent(u.password);
          },
          application_name: app,
          idleTimeoutMillis: 1000,
        },
        { schema: newSchema(), poolSize: 1 },
      );
      try {
        expect((await provision(makePlan(), makeClaims(), { store, now: T0 })).action).toBe('created');
        expect(asked).toBeGreaterThanOrEqual(1);
        const seen = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
          app,
        ]);
        expect((seen.rows[0] as { n: number }).n).toBe(1);
      } finally {
        await store.close();
      }
    });

    it('reports an unreachable server as store/unavailable', async () => {
      const bad = new URL(url);
      bad.port = '1';
      await expect(PostgresStore.open(bad.toString())).rejects.toMatchObject({ code: 'store/unavailable' });
    });
  });
}

describe('PostgresStore.open: connection options (no server needed: refused before connecting)', () => {
  it.each([
    ['types', { connectionString: 'postgres://h/db', types: { getTypeParser: () => String } }],
    ['options', { host: 'h', options: '-c search_path=other' }],
    ['Client', { host: 'h', Client: class {} }],
  ])('refuses the undeclared option %s with a TypeError naming it', async (key, connection) => {
    const open = PostgresStore.open(connection as never);
    await expect(open).rejects.toBeInstanceOf(TypeError);
    await expect(open).rejects.toThrow(`unsupported connection option "${key}"`);
  });

  it.each([null, 42, undefined])(
    'refuses a connection that is neither a URL nor an object (%s)',
    async (connection) => {
      await expect(PostgresStore.open(connection as never)).rejects.toBeInstanceOf(TypeError);
    },
  );
});
