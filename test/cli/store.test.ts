/**
 * The CLI's stores: read commands (accounts list/show/dormant, audit, plan --store) open read-only, so a store that
 * does not exist is `error store/not-found` (exit 2) and nothing is created; a store whose driver is not installed
 * is `error store/driver-missing` (exit 2) with the command to run, never a stack trace.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { setDriverImporter, type DriverName } from '../../src/runtime/stores/driver.js';
import { cli } from './fake-io.js';

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const freshDir = () => mkdtempSync(join(root, `case${++n}-`));

const MAPPING = resolve('examples/okta-saml/acme.claimmap');
const CLAIMS = resolve('examples/okta-saml/jane.saml.xml');
/** Every read command, with the store spec appended. */
const READS: [string, string[]][] = [
  ['accounts list', ['accounts', 'list']],
  ['accounts show', ['accounts', 'show', '00u8k2j4h6g8f0d2s4a6']],
  ['accounts dormant', ['accounts', 'dormant', '--after', '90d']],
  ['audit', ['audit']],
  ['audit KEY', ['audit', '00u8k2j4h6g8f0d2s4a6']],
  ['plan MAPPING --store', ['plan', MAPPING]],
  ['plan OLD NEW --store', ['plan', MAPPING, MAPPING]],
];

describe('read commands on a SQLite store that does not exist', () => {
  for (const [name, args] of READS) {
    it(`${name}: error store/not-found, exit 2, and no file is created`, async () => {
      const cwd = freshDir();
      const r = await cli([...args, '--store', 'sqlite:typo.db'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('error store/not-found: No claimmap store at sqlite:typo.db: no such file.\n');
      expect(r.stderr).toContain('hint: ');
      expect(r.stderr).toContain('claimmap login');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(cwd)).toEqual([]);
    });
  }

  it('CLAIMMAP_STORE and the default sqlite:./claimmap.db are not created either', async () => {
    const cwd = freshDir();
    const viaEnv = await cli(['accounts', 'list'], { cwd, env: { CLAIMMAP_STORE: 'sqlite:./env.db' } });
    expect(viaEnv.code).toBe(2);
    expect(viaEnv.stderr).toContain('error store/not-found: No claimmap store at sqlite:./env.db');
    const dflt = await cli(['audit'], { cwd });
    expect(dflt.code).toBe(2);
    expect(dflt.stderr).toContain('error store/not-found: No claimmap store at sqlite:./claimmap.db');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a login creates the store; then the read commands read it and change no file', async () => {
    const cwd = freshDir();
    const login = await cli(['login', MAPPING, CLAIMS, '--store', 'sqlite:app.db', '--now', '2026-12-15T00:00:00Z'], {
      cwd,
    });
    expect(login.code).toBe(0);
    const files = readdirSync(cwd).filter((f) => !/^app\.db-(wal|shm)$/.test(f));
    const before = sha(join(cwd, 'app.db'));
    const list = await cli(['accounts', 'list', '--store', 'sqlite:app.db'], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('00u8k2j4h6g8f0d2s4a6');
    for (const [name, args] of READS) {
      const r = await cli([...args, '--store', 'sqlite:app.db'], { cwd });
      expect(r.code, `${name}: ${r.stderr}`).toBeLessThan(2);
    }
    // The database file is unchanged; SQLite's own WAL sidecars (-wal, -shm) are all a reader may leave.
    expect(sha(join(cwd, 'app.db'))).toBe(before);
    expect(readdirSync(cwd).filter((f) => !/^app\.db-(wal|shm)$/.test(f))).toEqual(files);
  });
});

const url = process.env.CLAIMMAP_TEST_PG;
describe.skipIf(!url)('read commands on a PostgreSQL database without a claimmap schema', () => {
  const schema = `cm_cli_ro_${process.pid}_${Date.now().toString(36)}`;
  const admin = url ? new pg.Pool({ connectionString: url, max: 1 }) : undefined;
  afterAll(async () => {
    await admin!.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin!.end();
  });
  /** The test database, with search_path on a schema that does not exist: a store that is not there. */
  const spec = () => {
    const u = new URL(url!);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  };

  for (const [name, args] of READS) {
    it(`${name}: error store/not-found, exit 2, password redacted, no schema or table created`, async () => {
      const r = await cli([...args, '--store', spec()], { cwd: freshDir() });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('error store/not-found: No claimmap store at postgres');
      const password = decodeURIComponent(new URL(url!).password);
      if (password !== '') expect(r.stderr).not.toContain(`:${password}@`);
      const made = await admin!.query(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'schema_migrations' AND table_schema = $1",
        [schema],
      );
      expect(made.rowCount).toBe(0);
      const schemas = await admin!.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(schemas.rowCount).toBe(0);
    });
  }
});

describe('a store whose driver is not installed', () => {
  afterEach(() => setDriverImporter(undefined));
  const without = (missing: DriverName) =>
    setDriverImporter(async (name) => {
      if (name !== missing) return name === 'pg' ? import('pg') : import('better-sqlite3');
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/node_modules/claimmap/dist`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    });

  it('sqlite: error store/driver-missing with the install command, exit 2, no stack trace, no file', async () => {
    without('better-sqlite3');
    const cwd = freshDir();
    for (const args of [
      ['accounts', 'list'],
      ['login', MAPPING, CLAIMS],
    ]) {
      const r = await cli([...args, '--store', 'sqlite:app.db'], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        'error store/driver-missing: The SQLite driver is not installed: run `npm install better-sqlite3@12`.\n',
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readdirSync(cwd)).toEqual([]);
    // Commands that need no store do not load the driver.
    expect((await cli(['lint', MAPPING], { cwd })).code).toBe(0);
  });

  it('postgres: error store/driver-missing with the install command, exit 2, password not printed', async () => {
    without('pg');
    const r = await cli(['accounts', 'list', '--store', 'postgres://app:s3cret@127.0.0.1:1/app'], { cwd: freshDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error store/driver-missing: The PostgreSQL driver is not installed: run `npm install pg`.\n',
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
