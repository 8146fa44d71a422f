/**
 * What the built CLI loads to start (issue #12: "a CLI that starts like a native tool"). Each case runs
 * dist/cli/main.js in a child process with loader hooks that log every module Node loads (test/dist/load-log/), then
 * asks the source maps of the loaded files which sources they hold. Nothing here is timed: the start-up times are in
 * `npm run bench -- cli`. Needs the build (`npx tsup`); skips, and says so, without it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { VERSION } from '../../src/version.js';

const root = join(import.meta.dirname, '..', '..');
const cliDir = join(root, 'dist', 'cli');
const main = join(cliDir, 'main.js');
const built = existsSync(main);
if (!built) console.warn('test/dist/cli-startup: dist/cli/main.js is not built (run `npx tsup`); skipping');

const register = join(import.meta.dirname, 'load-log', 'register.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'claimmap-startup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const MAPPING = 'examples/keycloak-oidc/acme.claimmap';

interface Started {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Absolute paths of the JavaScript files the process loaded (built-in `node:` modules left out). */
  files: string[];
  /** The sources (from the source maps) of those files, as paths relative to the repository, `/`-separated. */
  sources: string[];
}

let runs = 0;
function start(...args: string[]): Started {
  const log = join(tmp, `load-${runs++}.log`);
  const r = spawnSync(process.execPath, ['--import', register, main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CLAIMMAP_LOAD_LOG: log, NO_COLOR: '1' },
  });
  const urls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const files = [...new Set(urls.filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u)))];
  const sources = new Set<string>();
  const slashed = (p: string): string => p.split(sep).join('/');
  for (const f of files) {
    // A file read from a package (an unbundled build) counts as a source of that package.
    const nmFile = slashed(f).lastIndexOf('/node_modules/');
    if (nmFile >= 0) sources.add(slashed(f).slice(nmFile + 1));
    if (!existsSync(`${f}.map`)) continue;
    const map = JSON.parse(readFileSync(`${f}.map`, 'utf8')) as { sources: string[] };
    for (const s of map.sources) {
      const abs = slashed(join(f, '..', s));
      // Packages resolve through the node_modules symlink: keep the part from node_modules/ on.
      const nm = abs.lastIndexOf('/node_modules/');
      sources.add(nm >= 0 ? abs.slice(nm + 1) : abs.slice(slashed(root).length + 1));
    }
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, files, sources: [...sources].sort() };
}

/**
 * What `--version` and `--help` may load: argument dispatch and the command list (main), the version, colour
 * selection and "did you mean" (with the edit distance and the invariant helper it uses; both apply to every command line, so they cannot wait for a command). Whatever else
 * sneaks into their path shows here by name; the byte limit catches a chunk that grows (the five files are ~7 KB).
 */
const DISPATCH_SOURCES = new Set([
  'src/cli/main.ts',
  'src/cli/commands/index.ts',
  'src/version.ts',
  'src/cli/color.ts',
  'src/cli/command.ts',
  'src/cli/suggest.ts',
  'src/names/edit-distance.ts', // the distance suggest.ts ranks names by
  'src/model/invariant.ts', // defined(): the checked invariant edit-distance.ts uses
]);
const DISPATCH_MAX_BYTES = 16 * 1024;
const loadedBytes = (s: Started): number => s.files.reduce((n, f) => n + statSync(f).size, 0);

const commandSources = (s: Started): string[] =>
  s.sources.filter((p) => p.startsWith('src/cli/commands/') && p !== 'src/cli/commands/index.ts');
const fromPackage = (s: Started, pkg: string): string[] =>
  s.sources.filter((p) => p.startsWith(`node_modules/${pkg}/`));
const under = (s: Started, dir: string): string[] => s.sources.filter((p) => p.startsWith(dir));

describe.skipIf(!built)('built CLI start-up: what each command loads', () => {
  it('every file loaded is one of the CLI bundle: no package is read from node_modules', () => {
    for (const s of [start('--version'), start('lint', MAPPING)]) {
      expect(s.status).toBe(0);
      expect(s.files.length).toBeGreaterThan(0);
      expect(s.files.filter((f) => !f.startsWith(cliDir + sep))).toEqual([]);
    }
  });

  it('--version loads the entry and a few small shared chunks (dispatch, colour, suggestions): no command, no parser', () => {
    const s = start('--version');
    expect(s.status).toBe(0);
    expect(s.stdout).toBe(`${VERSION}\n`);
    expect(s.sources.filter((p) => !DISPATCH_SOURCES.has(p))).toEqual([]);
    expect(loadedBytes(s)).toBeLessThanOrEqual(DISPATCH_MAX_BYTES);
    expect(commandSources(s)).toEqual([]);
    expect(fromPackage(s, 'chevrotain')).toEqual([]);
    expect(under(s, 'src/syntax/')).toEqual([]);
    expect(under(s, 'src/check/')).toEqual([]);
  });

  it('--help lists every command without loading one', () => {
    const s = start('--help');
    expect(s.status).toBe(0);
    for (const c of COMMANDS) expect(s.stdout).toContain(c.summary);
    expect(commandSources(s)).toEqual([]);
    expect(s.sources.filter((p) => !DISPATCH_SOURCES.has(p))).toEqual([]);
    expect(loadedBytes(s)).toBeLessThanOrEqual(DISPATCH_MAX_BYTES);
  });

  it('lint loads its own command, the parser and the checker, but no other command, store, simulator or XML/YAML/JSON-schema reader', () => {
    const s = start('lint', MAPPING);
    expect(s.stderr).toBe('');
    expect(s.status).toBe(0);
    expect(commandSources(s)).toEqual(['src/cli/commands/lint.ts']);
    // A handful of bundled files (10 when written), where the unbundled CLI read 705 (695 from node_modules).
    expect(s.files.length).toBeLessThanOrEqual(20);
    expect(fromPackage(s, 'chevrotain').length).toBeGreaterThan(0);
    expect(under(s, 'src/check/').length).toBeGreaterThan(0);
    expect(under(s, 'src/runtime/')).toEqual([]);
    expect(under(s, 'src/simulate/')).toEqual([]);
    expect(under(s, 'src/claims/')).toEqual([]);
    for (const pkg of ['ajv', 'yaml', 'fast-xml-parser', 'better-sqlite3', 'pg', 'diff']) {
      expect(fromPackage(s, pkg), pkg).toEqual([]);
    }
  });

  it('fmt --check loads the parser and formatter but not the checker (nor re2js)', () => {
    const s = start('fmt', '--check', MAPPING);
    expect(s.status, s.stderr).toBe(0);
    expect(commandSources(s)).toEqual(['src/cli/commands/fmt.ts']);
    expect(under(s, 'src/syntax/').length).toBeGreaterThan(0);
    expect(under(s, 'src/check/')).toEqual([]);
    expect(fromPackage(s, 're2js')).toEqual([]);
    expect(under(s, 'src/runtime/')).toEqual([]);
  });

  it('compile loads only its own command module, and no store, simulation or claim reader', () => {
    const s = start('compile', MAPPING);
    expect(s.status, s.stderr).toBe(0);
    expect(commandSources(s)).toEqual(['src/cli/commands/compile.ts']);
    expect(under(s, 'src/runtime/')).toEqual([]);
    expect(under(s, 'src/simulate/')).toEqual([]);
    expect(under(s, 'src/claims/')).toEqual([]);
    for (const pkg of ['better-sqlite3', 'pg', 'yaml', 'diff', 'fast-xml-parser']) {
      expect(fromPackage(s, pkg), pkg).toEqual([]);
    }
  });

  it('each command is a chunk of its own: loading one command loads no other command module', () => {
    for (const c of COMMANDS) {
      const s = start(c.name, '--help');
      expect(s.status, c.name).toBe(0);
      expect(commandSources(s), c.name).toEqual([`src/cli/commands/${c.name}.ts`]);
    }
  }, 120_000);
});
