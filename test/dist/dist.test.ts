/**
 * The published artifact, not the sources: the built CLI binary and the ESM and CJS entry points of every subpath.
 * `npm ci` builds dist/ (the `prepare` script); when it is missing these tests skip and say so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js')) && existsSync(join(root, 'dist', 'runtime.cjs'));
if (!built) console.warn('test/dist: dist/ is not built (run `npm run build`); skipping the tests of the built package');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; bin: Record<string, string> };

describe.skipIf(!built)('built package', () => {
  const bin = join(root, pkg.bin['claimmap']!);
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });

  it('the bin lints the examples and evaluates a SAML response', () => {
    const lint = run('lint', 'examples/');
    expect(lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    const ev = run('eval', 'examples/okta-saml/acme.claimmap', 'examples/okta-saml/jane.saml.xml', '--format', 'json');
    expect(ev.status).toBe(0);
    expect((JSON.parse(ev.stdout) as { roles: string[] }).roles).toEqual(['admin', 'editor', 'viewer']);
  });

  it('the bin exits 2 with usage on bad arguments, without a stack trace', () => {
    const r = run('lint', '--format', 'yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('every subpath loads as ESM and as CJS with the same exports', async () => {
    const require = createRequire(join(root, 'package.json'));
    for (const sub of ['', '/claims', '/runtime', '/simulate', '/testing']) {
      const esm = (await import(`claimmap${sub}`)) as Record<string, unknown>;
      const cjs = require(`claimmap${sub}`) as Record<string, unknown>;
      expect(Object.keys(esm).length, `claimmap${sub}`).toBeGreaterThan(3);
      expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).filter((k) => k !== 'default').sort());
    }
  });

  it('claimmap/runtime loads neither chevrotain nor fast-xml-parser (CJS module cache, ESM import graph)', () => {
    const out = execFileSync(process.execPath, ['-e', "require('claimmap/runtime'); console.log(JSON.stringify(Object.keys(require.cache)))"], { cwd: root, encoding: 'utf8' });
    const loaded = JSON.parse(out) as string[];
    expect(loaded.some((f) => f.includes(`dist${sep}runtime.cjs`))).toBe(true);
    expect(loaded.filter((f) => /chevrotain|fast-xml-parser/.test(f))).toEqual([]);
    // ESM: follow the static imports from dist/runtime.js through its chunks.
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*import\s[^'"]*?['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(join(dirname(file), spec));
        else bare.add(spec);
      }
    };
    visit(join(root, 'dist', 'runtime.js'));
    expect([...bare].filter((b) => /chevrotain|fast-xml-parser/.test(b))).toEqual([]);
  });

  it('loads and runs without the optional drivers: store/driver-missing only when a store needs one', () => {
    // A Node whose module resolution finds neither better-sqlite3 nor pg, as in an install with --omit=peer:
    // an ESM resolve hook (import) and a CJS preload (require) fail them the way Node fails a missing package.
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-nodrivers-'));
    try {
      writeFileSync(
        join(dir, 'hooks.mjs'),
        `export async function resolve(s, c, next) {
  if (s === 'better-sqlite3' || s === 'pg') {
    throw Object.assign(new Error("Cannot find package '" + s + "' imported from " + c.parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(s, c);
}\n`,
      );
      writeFileSync(join(dir, 'register.mjs'), "import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n");
      writeFileSync(
        join(dir, 'block.cjs'),
        `const Module = require('node:module');
const orig = Module._resolveFilename;
Module._resolveFilename = function (s, ...rest) {
  if (s === 'better-sqlite3' || s === 'pg') throw Object.assign(new Error("Cannot find module '" + s + "'"), { code: 'MODULE_NOT_FOUND' });
  return orig.call(this, s, ...rest);
};\n`,
      );
      const probe = (load: string) => `
const { openStore } = ${load};
const codes = [];
for (const spec of ['sqlite:x.db', 'postgres://app:pw@127.0.0.1:1/app']) {
  try { await openStore(spec, { cwd: ${JSON.stringify(dir)} }); codes.push('opened'); } catch (e) { codes.push(e.code + ' ' + e.message); }
}
const m = await openStore('memory:'); await m.close();
console.log(JSON.stringify(codes));`;
      const esm = spawnSync(
        process.execPath,
        ['--import', join(dir, 'register.mjs'), '--input-type=module', '-e', `await import('claimmap'); ${probe("await import('claimmap/runtime')")}`],
        { cwd: root, encoding: 'utf8' },
      );
      const cjs = spawnSync(
        process.execPath,
        ['-r', join(dir, 'block.cjs'), '-e', `require('claimmap'); (async () => { ${probe("require('claimmap/runtime')")} })()`],
        { cwd: root, encoding: 'utf8' },
      );
      for (const r of [esm, cjs]) {
        expect(r.stderr).toBe('');
        expect(JSON.parse(r.stdout)).toEqual([
          'store/driver-missing The SQLite driver is not installed: run `npm install better-sqlite3@12`.',
          'store/driver-missing The PostgreSQL driver is not installed: run `npm install pg`.',
        ]);
      }
      expect(existsSync(join(dir, 'x.db'))).toBe(false);
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), bin, ...args], { cwd: dir, encoding: 'utf8' });
      const list = cli('accounts', 'list', '--store', 'sqlite:x.db');
      expect(list.status).toBe(2);
      expect(list.stderr).toContain('error store/driver-missing: The SQLite driver is not installed: run `npm install better-sqlite3@12`.');
      expect(list.stderr).not.toMatch(/\n\s+at /);
      const lint = cli('lint', join(root, 'examples/okta-saml/acme.claimmap'));
      expect(lint.stderr).toBe('');
      expect(lint.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000); // four Node processes, each loading the built package

  it('a compiled plan loads and evaluates from dist with the same decision as from source', async () => {
    const { compile, loadPlan, evaluate } = (await import('claimmap')) as unknown as typeof import('../../src/index.js');
    const { readSaml } = (await import('claimmap/claims')) as unknown as typeof import('../../src/claims/index.js');
    const { plan } = compile(readFileSync(join(root, 'examples/okta-saml/acme.claimmap')), { filename: 'acme.claimmap' });
    const loaded = loadPlan(JSON.stringify(plan));
    const claims = readSaml(readFileSync(join(root, 'examples/okta-saml/jane.saml.xml')));
    expect(evaluate(loaded, claims)).toEqual(evaluate(plan!, claims));
  });
});
