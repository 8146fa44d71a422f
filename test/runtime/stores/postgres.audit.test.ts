/**
 * The PostgreSQL audit log is append-only against every SQL path (UPDATE, DELETE, ON CONFLICT DO UPDATE, TRUNCATE),
 * and an app that connects as the least-privilege role of docs/runtime.md provisions logins but cannot UPDATE,
 * DELETE or TRUNCATE audit_events at all. Runs only when CLAIMMAP_TEST_PG is set; each test has its own schema, and
 * the role (roles are cluster-wide) has a unique name and is dropped at the end.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DROP_HOOK_TIMEOUT_MS, dropSchemas } from './pg-schemas.js';
import {
  deprovision,
  grantManual,
  listAudit,
  PostgresStore,
  provision,
  revokeManual,
  RuntimeError,
} from '../../../src/runtime/index.js';
import { ISSUER, T0, at, makeClaims, makePlan } from '../fixtures.js';
import { notice } from '../notice.js';

const url = process.env.CLAIMMAP_TEST_PG;

/**
 * The GRANT statements of docs/runtime.md ("PostgreSQL: least privilege"), read from the doc so that it cannot
 * drift from what is tested, for schema `s` and role `r` (the doc's `claimmap` and `claimmap_app`).
 */
function appRoleGrants(s: string, r: string): string {
  const doc = readFileSync(fileURLToPath(new URL('../../../docs/runtime.md', import.meta.url)), 'utf8');
  const section = doc.slice(doc.indexOf('### PostgreSQL: least privilege'));
  const sql = /```sql\n([\s\S]*?)```/.exec(section)?.[1];
  if (!sql) throw new Error('docs/runtime.md has no sql block under "PostgreSQL: least privilege"');
  const grants = sql
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trim())
    .filter((line) => line.startsWith('GRANT '));
  expect(grants.length).toBeGreaterThanOrEqual(6);
  return grants.map((g) => g.replaceAll('claimmap_app', r).replace(/\bclaimmap\b/g, s)).join('\n');
}

if (!url) {
  notice(
    '[claimmap] PostgreSQL audit and least-privilege tests SKIPPED: CLAIMMAP_TEST_PG is not set. Run ' +
      '`eval "$(.ci/postgres.sh)"` to start a local PostgreSQL and set it.',
  );
  describe.skip('PostgreSQL audit log (CLAIMMAP_TEST_PG not set)', () => {
    it('needs a PostgreSQL server', () => undefined);
  });
} else {
  const tag = randomBytes(4).toString('hex');
  const admin = new pg.Pool({ connectionString: url, max: 2 });
  const schemas: string[] = [];
  let n = 0;
  const newSchema = () => {
    const s = `cm_audit_${tag}_${++n}`;
    schemas.push(s);
    return s;
  };
  afterAll(async () => {
    await dropSchemas(admin, schemas);
    await admin.end();
  }, DROP_HOOK_TIMEOUT_MS);

  async function schemaWithEvents(): Promise<string> {
    const schema = newSchema();
    const store = await PostgresStore.open(url!, { schema });
    try {
      await provision(makePlan(), makeClaims(), { store, now: T0 });
      await provision(makePlan(), makeClaims({ name: 'Jane Q. Doe' }), { store, now: at(1) });
    } finally {
      await store.close();
    }
    return schema;
  }

  const COLS = 'id, at, action, issuer, subject, account_id, actor, data';
  /** Statements that would overwrite or remove audit rows, named after the attack; `S` is the schema. */
  const ATTACKS: [string, string][] = [
    ['truncate', 'TRUNCATE S.audit_events'],
    ['truncate.restart-identity', 'TRUNCATE S.audit_events RESTART IDENTITY'],
    ['truncate.cascade-from-accounts', 'TRUNCATE S.accounts, S.audit_events CASCADE'],
    ['update', `UPDATE S.audit_events SET actor = 'attacker'`],
    ['delete.all', 'DELETE FROM S.audit_events'],
    [
      'upsert.on-conflict-id-do-update',
      `INSERT INTO S.audit_events (${COLS}) SELECT id, 'x', 'created', 'i', 's', NULL, 'attacker', '{}' FROM S.audit_events
       ON CONFLICT (id) DO UPDATE SET actor = excluded.actor`,
    ],
    [
      'upsert.on-conflict-seq-do-update',
      `INSERT INTO S.audit_events (seq, ${COLS}) SELECT seq, 'new-' || id, 'x', 'created', 'i', 's', NULL, 'attacker', '{}'
       FROM S.audit_events ON CONFLICT (seq) DO UPDATE SET actor = excluded.actor`,
    ],
  ];

  describe('PostgreSQL audit_events is append-only against every SQL path (even for its owner)', () => {
    it.each(ATTACKS)('%s is refused', async (_name, sql) => {
      const schema = await schemaWithEvents();
      const snapshot = async () => (await admin.query(`SELECT * FROM ${schema}.audit_events ORDER BY seq`)).rows;
      const before = await snapshot();
      expect(before).toHaveLength(2);
      await expect(admin.query(sql.replaceAll('S.', `${schema}.`))).rejects.toThrow(/append-only/);
      expect(await snapshot()).toEqual(before);
    });
  });

  describe('PostgreSQL least-privilege app role', () => {
    it('provisions and administers accounts as the app role, which cannot UPDATE, DELETE or TRUNCATE audit_events', async () => {
      const canCreateRole = await admin.query(
        'SELECT rolcreaterole OR rolsuper AS ok FROM pg_roles WHERE rolname = current_user',
      );
      if (!(canCreateRole.rows[0] as { ok: boolean } | undefined)?.ok) {
        notice(
          '[claimmap] least-privilege test SKIPPED: the test role may not create roles; run `.ci/postgres.sh` again.',
        );
        return;
      }
      const schema = await schemaWithEvents();
      const role = `cm_app_${tag}`;
      const password = randomBytes(12).toString('hex');
      await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
      const appUrl = new URL(url);
      appUrl.username = role;
      appUrl.password = password;
      const app = new pg.Pool({ connectionString: appUrl.toString(), max: 1, options: `-c search_path=${schema}` });
      try {
        // Without the grants, the app role cannot even read the schema version.
        await expect(PostgresStore.open(appUrl.toString(), { schema, migrate: false })).rejects.toBeInstanceOf(
          RuntimeError,
        );
        await admin.query(appRoleGrants(schema, role));

        // migrate: true would need DDL the role does not have; migrate: false only checks the version.
        await expect(PostgresStore.open(appUrl.toString(), { schema })).rejects.toBeInstanceOf(RuntimeError);
        const store = await PostgresStore.open(appUrl.toString(), { schema, migrate: false });
        try {
          expect(
            (await provision(makePlan(), makeClaims({ groups: ['eng', 'admins'] }), { store, now: at(2) })).action,
          ).toBe('updated');
          expect(
            (await provision(makePlan(), makeClaims({ email: 'jane.doe@example.com' }), { store, now: at(3) })).action,
          ).toBe('updated');
          const other = await provision(makePlan(), makeClaims({ sub: '00u2', email: 'joe@example.com' }), {
            store,
            now: at(4),
          });
          expect(other.action).toBe('created');
          const key = { issuer: ISSUER, subject: '00u2' };
          await grantManual(store, key, { kind: 'role', name: 'auditor', actor: 'runbook:jane', now: at(5) });
          await revokeManual(store, key, { kind: 'role', name: 'auditor', actor: 'runbook:jane', now: at(6) });
          await deprovision(store, key, { reason: 'SCIM DELETE', actor: 'scim', now: at(7) });
          expect(await listAudit(store, { limit: 100 })).toHaveLength(8);
        } finally {
          await store.close();
        }

        // The privilege system refuses before any trigger runs (42501), whoever asks through this role.
        for (const sql of [
          'UPDATE audit_events SET actor = $$x$$',
          'DELETE FROM audit_events',
          'TRUNCATE audit_events',
        ]) {
          await expect(app.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        }
        for (const sql of [
          'DROP TRIGGER audit_events_append_only ON audit_events',
          'ALTER TABLE audit_events DISABLE TRIGGER ALL',
        ]) {
          await expect(app.query(sql), sql).rejects.toMatchObject({ code: '42501' });
        }
        const count = await admin.query(`SELECT count(*)::int AS c FROM ${schema}.audit_events`);
        expect((count.rows[0] as { c: number }).c).toBe(8);
      } finally {
        await app.end();
        // Dropping the schema removes the role's privileges on its objects; then the role has no dependencies.
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await admin.query(`DROP ROLE IF EXISTS ${role}`);
      }
    });

    it('migrate: false refuses a schema that is behind (store/schema-too-old) and one that is ahead (store/schema-too-new)', async () => {
      const empty = newSchema();
      await admin.query(`CREATE SCHEMA ${empty}`);
      await expect(PostgresStore.open(url, { schema: empty, migrate: false })).rejects.toMatchObject({
        code: 'store/schema-too-old',
      });
      const behind = await schemaWithEvents();
      await admin.query(
        `DELETE FROM ${behind}.schema_migrations WHERE version = (SELECT MAX(version) FROM ${behind}.schema_migrations)`,
      );
      await expect(PostgresStore.open(url, { schema: behind, migrate: false })).rejects.toMatchObject({
        code: 'store/schema-too-old',
      });
      await admin.query(`INSERT INTO ${behind}.schema_migrations VALUES (1000, 'future', 'x')`);
      await expect(PostgresStore.open(url, { schema: behind, migrate: false })).rejects.toMatchObject({
        code: 'store/schema-too-new',
      });
    });
  });
}
