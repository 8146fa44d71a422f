/**
 * The package as a new user gets it: `npm pack` the built dist/ into a temporary directory, install the tarball into
 * a scratch consumer project with minimal dependencies (`--omit=optional --omit=peer`), then use it from there: the
 * installed CLI on the repository's examples/, a plan evaluated from ESM and from CommonJS, and a TypeScript consumer
 * type-checked with no `@types/*` at all (neither `@types/pg` nor `@types/node`).
 *
 * The install reads the npm cache first (`--prefer-offline`) and the registry for what the cache lacks. It prints how
 * long it took; nothing here asserts a duration. Skips, and says so, when dist/ is not built.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'index.cjs'));
if (!built) console.warn('test/dist: dist/ is not built (run `npm run build`); skipping the consumer install test');

interface Manifest {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const examples = join(root, 'examples');
const okta = join(examples, 'okta-saml');
const JANE_ROLES = ['admin', 'editor', 'viewer'];
/**
 * Each test starts several node processes (and tsc) in the consumer project; on a loaded machine that takes a while.
 * A limit against hangs, not a timing assertion.
 */
const SLOW = 300_000;

/**
 * The environment for a child npm: without the `npm_*` variables of an `npm test` run, some of which (the local
 * prefix, the package's own fields) would point the child at this repository instead of the scratch project.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1' };
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function check(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** stdout of the `what` run of a command that must exit 0. */
const out = (r: SpawnSyncReturns<string>, what: string) => check(r, what).stdout;

/** A simulation report without its timing, the one field that differs run to run. */
function withoutTiming(report: string): unknown {
  const { elapsedMs: _elapsed, ...rest } = JSON.parse(report) as Record<string, unknown>;
  return rest;
}

describe.skipIf(!built)('a consumer project installing the packed tarball', () => {
  let dir = '';
  let app = '';
  let tarball = '';
  let packed: { path: string; size: number }[] = [];
  /** Runs a command in the consumer project. */
  const inApp = (file: string, args: string[]) =>
    spawnSync(file, args, { cwd: app, encoding: 'utf8', env: cleanEnv(), maxBuffer: 64 << 20 });
  /** The installed bin, run by this node (the bin is a JS file with a shebang). */
  const cli = (...args: string[]) => inApp(process.execPath, [join(app, 'node_modules', '.bin', 'claimmap'), ...args]);
  /** The same command from this checkout's dist/, to compare with. */
  const repoCli = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, pkg.bin['claimmap']!), ...args], { cwd: app, encoding: 'utf8' });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'claimmap-consumer-'));
    app = join(dir, 'app');
    mkdirSync(app);
    // dist/ is already built (npm test builds it in check:package): pack it as it is, without the prepare build.
    const pack = out(
      spawnSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
        cwd: root,
        encoding: 'utf8',
        env: cleanEnv(),
        shell: process.platform === 'win32',
      }),
      'npm pack',
    );
    const [info] = JSON.parse(pack) as { filename: string; files: { path: string; size: number }[] }[];
    tarball = join(dir, info!.filename);
    packed = info!.files;
    writeFileSync(
      join(app, 'package.json'),
      `${JSON.stringify({ name: 'claimmap-consumer', version: '0.0.0', private: true }, null, 2)}\n`,
    );
    const started = performance.now();
    check(
      spawnSync(
        npm,
        [
          'install',
          tarball,
          '--omit=optional',
          '--omit=peer',
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          '--prefix',
          app,
        ],
        { cwd: app, encoding: 'utf8', env: cleanEnv(), shell: process.platform === 'win32' },
      ),
      'npm install of the tarball',
    );
    const seconds = (performance.now() - started) / 1000;
    const installed = readdirSync(join(app, 'node_modules')).filter((n) => !n.startsWith('.'));
    console.info(
      `test/dist/consumer: npm install of ${info!.filename} took ${seconds.toFixed(1)} s; node_modules holds ${installed.length} entries`,
    );
    // The install can compile a native dependency (better-sqlite3 while it is a hard dependency): allow for it.
  }, 1_200_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, SLOW);

  it('the tarball holds the LICENSE and no source maps, and its types import no @types package', () => {
    const paths = packed.map((f) => f.path);
    expect(paths).toContain('LICENSE');
    expect(paths).toContain('package.json');
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    const types = paths.filter((p) => /\.d\.c?ts$/.test(p));
    expect(types.length).toBeGreaterThan(5);
    const installedRoot = join(app, 'node_modules', 'claimmap');
    for (const t of types) {
      const text = readFileSync(join(installedRoot, t), 'utf8');
      // Statements only: a JSDoc example may well show `import http from 'node:http'`.
      expect(text, t).not.toMatch(/^\s*(?:import|export)\b[^\n]*from ['"](pg|better-sqlite3|node:[a-z_]+)['"]/m);
      expect(text, t).not.toMatch(/^\s*import\(?['"](pg|better-sqlite3|node:[a-z_]+)['"]/m);
    }
  }, SLOW);

  it('installs no peer or optional dependency of claimmap', () => {
    const skipped = Object.keys({ ...pkg.peerDependencies, ...pkg.optionalDependencies }).filter(
      (name) => !pkg.dependencies?.[name],
    );
    expect(skipped.length).toBeGreaterThan(0);
    for (const name of skipped) expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
  }, SLOW);

  it('the installed CLI lints, compiles and simulates the examples as this checkout does', () => {
    expect(out(cli('--version'), 'claimmap --version').trim()).toContain(pkg.version);

    const lint = cli('lint', examples);
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    expect(lint.stdout).toBe(repoCli('lint', examples).stdout);

    const plan = out(cli('compile', join(okta, 'acme.claimmap')), 'claimmap compile');
    expect(JSON.parse(plan)).toEqual(JSON.parse(out(repoCli('compile', join(okta, 'acme.claimmap')), 'repo compile')));
    writeFileSync(join(app, 'acme.plan.json'), plan);

    const samples = ['jane.saml.xml', 'jane.later.saml.xml', 'sam.no-employee-type.saml.xml'].map((f) => join(okta, f));
    const args = ['simulate', join(okta, 'acme.claimmap'), ...samples, '--format', 'json'];
    const report = out(cli(...args), 'claimmap simulate');
    expect(withoutTiming(report)).toEqual(withoutTiming(out(repoCli(...args), 'repo simulate')));
    expect((JSON.parse(report) as { samples: unknown[] }).samples).toHaveLength(samples.length);
  }, SLOW);

  it('a plan evaluates from ESM (claimmap/runtime, with a memory store) and from CommonJS (claimmap)', () => {
    const claims = join(okta, 'jane.saml.xml');
    const planFile = join(app, 'acme.plan.json');
    if (!existsSync(planFile)) writeFileSync(planFile, out(repoCli('compile', join(okta, 'acme.claimmap')), 'compile'));
    writeFileSync(
      join(app, 'login.mjs'),
      `import { readFileSync } from 'node:fs';
import { readSaml } from 'claimmap/claims';
import { evaluate, loadPlan, MemoryStore, provision } from 'claimmap/runtime';

const plan = loadPlan(readFileSync(process.argv[2], 'utf8'));
const claims = readSaml(readFileSync(process.argv[3]));
const store = new MemoryStore();
try {
  const result = await provision(plan, claims, { store });
  console.log(JSON.stringify({ roles: evaluate(plan, claims).roles, action: result.action }));
} finally {
  await store.close();
}
`,
    );
    writeFileSync(
      join(app, 'evaluate.cjs'),
      `const { readFileSync } = require('node:fs');
const { compile, evaluate } = require('claimmap');
const { readSaml } = require('claimmap/claims');

const { plan, diagnostics } = compile(readFileSync(process.argv[2], 'utf8'), { filename: 'acme.claimmap' });
if (!plan) throw new Error(JSON.stringify(diagnostics));
console.log(JSON.stringify({ roles: evaluate(plan, readSaml(readFileSync(process.argv[3]))).roles }));
`,
    );
    const esm = JSON.parse(out(inApp(process.execPath, ['login.mjs', planFile, claims]), 'login.mjs'));
    expect(esm).toEqual({ roles: JANE_ROLES, action: 'created' });
    const cjs = JSON.parse(
      out(inApp(process.execPath, ['evaluate.cjs', join(okta, 'acme.claimmap'), claims]), 'evaluate.cjs'),
    );
    expect(cjs).toEqual({ roles: JANE_ROLES });
  }, SLOW);

  it('a TypeScript consumer type-checks, as ESM and as CommonJS, without @types/pg or @types/node', () => {
    const ts = join(app, 'ts');
    mkdirSync(ts, { recursive: true });
    writeFileSync(
      join(ts, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          lib: ['es2022'],
          types: [],
          noEmit: true,
          skipLibCheck: false,
        },
        include: ['*.mts', '*.cts'],
      }),
    );
    const body = `
const connection: PostgresConnectionOptions = {
  host: 'db.internal',
  database: 'app',
  password: async () => 'from-a-secret-store',
  ssl: { ca: 'PEM', rejectUnauthorized: true },
  application_name: 'app',
};
export async function login(planJson: string, xml: string): Promise<readonly string[]> {
  const plan = loadPlan(planJson);
  const store = await PostgresStore.open(connection, { poolSize: 5, schema: 'claimmap' });
  try {
    const result = await provision(plan, readSaml(xml), { store });
    return (result.account?.grants ?? []).filter((g) => g.kind === 'role').map((g) => g.name);
  } catch (e) {
    if (isRuntimeError(e, 'store/busy')) return [];
    if (e instanceof ClaimmapError) throw new Error(e.code);
    throw e;
  } finally {
    await store.close();
  }
}
export const roles = (planJson: string, xml: string): string[] => evaluate(loadPlan(planJson), readSaml(xml)).roles;
`;
    const imports = (from: 'import' | 'require') =>
      from === 'import'
        ? `import { ClaimmapError } from 'claimmap';
import { readSaml } from 'claimmap/claims';
import { evaluate, isRuntimeError, loadPlan, PostgresStore, provision, type PostgresConnectionOptions } from 'claimmap/runtime';
`
        : `import claimmap = require('claimmap');
import claims = require('claimmap/claims');
import runtime = require('claimmap/runtime');
const { ClaimmapError } = claimmap;
const { readSaml } = claims;
const { evaluate, isRuntimeError, loadPlan, PostgresStore, provision } = runtime;
type PostgresConnectionOptions = runtime.PostgresConnectionOptions;
`;
    writeFileSync(join(ts, 'consumer.mts'), imports('import') + body);
    writeFileSync(join(ts, 'consumer.cts'), imports('require') + body);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const clean = inApp(process.execPath, [tsc, '-p', ts]);
    expect(clean.stdout + clean.stderr).toBe('');
    expect(clean.status).toBe(0);

    // The check is not vacuous: an option PostgresConnectionOptions does not declare is a type error.
    writeFileSync(
      join(ts, 'wrong.mts'),
      `import { PostgresStore } from 'claimmap/runtime';
export const open = () => PostgresStore.open({ host: 'db', types: {} });
`,
    );
    const wrong = inApp(process.execPath, [tsc, '-p', ts]);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.mts\(2,\d+\): error TS2353: .*'types'/);
    rmSync(join(ts, 'wrong.mts'));
  }, SLOW);
});

