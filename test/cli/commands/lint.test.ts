import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../fake-io.js';

const BAD =
  'mapping "bad" {\n  idp saml "urn:idp"\n  key nameid emailAddress\n  claims { groups : set<string> from "groups" optional normalize lower }\n  roles { grant admin when "Admins" in groups }\n}\n';
/** One warning (lifecycle/no-offboarding), no error. */
const WARN = 'mapping "w" { idp oidc "https://id.example.com" key sub }\n';
const tmp = (files: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), 'claimmap-lint-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
};
const ESC = '\x1b[';

describe('claimmap lint - (standard input)', () => {
  it('lints standard input as <stdin>, or as --stdin-filename', async () => {
    const r = await cli(['lint', '-'], { stdin: BAD });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('<stdin>:5:28: error literal/never-matches: ');
    expect(r.stdout).toContain('\n      roles { grant admin when "Admins" in groups }\n');
    expect(r.stdout).toMatch(/ in 1 file\n$/);
    const named = await cli(['lint', '-', '--stdin-filename', 'maps/acme.claimmap', '--format', 'json'], {
      stdin: BAD,
    });
    expect(JSON.parse(named.stdout)[0].file).toBe('maps/acme.claimmap');
    expect((await cli(['lint', '-'], { stdin: WARN })).code).toBe(0);
  });

  it('refuses - with other paths, and --stdin-filename without -', async () => {
    const a = await cli(['lint', '-', 'a.claimmap'], { stdin: BAD });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('cannot be combined');
    const b = await cli(['lint', 'examples/', '--stdin-filename', 'x.claimmap']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--stdin-filename needs -');
  });
});

describe('claimmap lint --quiet and --max-warnings (as ESLint)', () => {
  it('--quiet hides warnings and exits 0 when there are no errors', async () => {
    const dir = tmp({ 'w.claimmap': WARN });
    const r = await cli(['lint', 'w.claimmap', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('lifecycle/no-offboarding');
  });

  it('with --quiet, warnings are not reported but still count for --max-warnings', async () => {
    const dir = tmp({ 'w.claimmap': WARN });
    const r = await cli(['lint', 'w.claimmap', '--quiet', '--max-warnings', '0'], { cwd: dir });
    expect(r.stdout).not.toContain('lifecycle/no-offboarding');
    expect(r.stderr).toBe('claimmap lint: 1 warning (not shown: --quiet), over --max-warnings 0\n');
    expect(r.code).toBe(1);
    expect((await cli(['lint', 'w.claimmap', '--quiet', '--max-warnings', '1'], { cwd: dir })).code).toBe(0);
  });

  it('counts in correct English', async () => {
    const dir = tmp({ 'w.claimmap': WARN, 'v.claimmap': WARN });
    const one = await cli(['lint', 'w.claimmap', '--max-warnings', '0'], { cwd: dir });
    expect(one.stdout).toMatch(/\n0 errors, 1 warning in 1 file\n$/);
    expect(one.stderr).toBe('claimmap lint: 1 warning, over --max-warnings 0\n');
    const two = await cli(['lint', '.', '--max-warnings', '1'], { cwd: dir });
    expect(two.stdout).toMatch(/\n0 errors, 2 warnings in 2 files\n$/);
    expect(two.stderr).toBe('claimmap lint: 2 warnings, over --max-warnings 1\n');
  });
});

describe('claimmap lint inputs', () => {
  it('a missing file is error input/not-found with the path as typed, exit 2', async () => {
    const dir = tmp({ 'a.claimmap': WARN });
    const r = await cli(['lint', 'a.claimmap', 'maps/gone.claimmap'], { cwd: dir });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'error input/not-found: maps/gone.claimmap: no such file or directory\n',
    });
  });

  it('a pattern that matches nothing is error input/no-match, unless --no-error-on-unmatched-pattern', async () => {
    const dir = tmp({ 'a.claimmap': WARN });
    const r = await cli(['lint', 'maps/**/*.claimmap'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error input\/no-match: maps\/\*\*\/\*\.claimmap: /);
    const ok = await cli(['lint', 'maps/**/*.claimmap', '--no-error-on-unmatched-pattern'], { cwd: dir });
    expect(ok).toEqual({ code: 0, stdout: 'no problems in 0 files\n', stderr: '' });
    const some = await cli(['lint', 'maps/*.claimmap', 'a.claimmap', '--no-error-on-unmatched-pattern'], { cwd: dir });
    expect(some.code).toBe(0);
    expect(some.stdout).toMatch(/in 1 file\n$/);
  });

  it('brace globs, ! exclusions, .claimmapignore, --ignore-path and --ignore-pattern', async () => {
    const dir = tmp({
      'maps/okta.claimmap': WARN,
      'maps/entra.claimmap': WARN,
      'maps/legacy/bad.claimmap': BAD,
      '.claimmapignore': 'legacy/\n',
      'other.ignore': 'entra.claimmap\n',
    });
    const files = async (...args: string[]) => {
      const r = await cli(['lint', ...args, '--format', 'json'], { cwd: dir });
      return [r.code, [...new Set((JSON.parse(r.stdout) as { file: string }[]).map((d) => d.file))]];
    };
    expect(await files()).toEqual([0, ['maps/entra.claimmap', 'maps/okta.claimmap']]);
    expect(await files('maps/{okta,legacy/bad}.claimmap')).toEqual([0, ['maps/okta.claimmap']]);
    expect(await files('--ignore-path', 'other.ignore')).toEqual([
      1,
      ['maps/legacy/bad.claimmap', 'maps/okta.claimmap'],
    ]);
    expect(await files('--ignore-path', 'other.ignore', '!maps/legacy/**')).toEqual([0, ['maps/okta.claimmap']]);
    // A named file that an ignore pattern matches is skipped; a directory whose files are all ignored matches nothing.
    expect(await files('--ignore-pattern', 'okta.*', 'maps/okta.claimmap')).toEqual([0, []]);
    const none = await cli(['lint', 'maps', '--ignore-pattern', '*.claimmap'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error input\/no-match: maps: /);
  });

  it('an unknown option suggests the closest one', async () => {
    const r = await cli(['lint', '--quite', 'examples/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("claimmap lint: Unknown option '--quite'. Did you mean '--quiet'?\n");
  });
});

describe('claimmap lint colour', () => {
  const dir = tmp({ 'bad.claimmap': BAD });
  const colored = async (args: string[], opts: { tty?: boolean; env?: Record<string, string> }) =>
    (await cli(['lint', 'bad.claimmap', ...args], { cwd: dir, ...opts })).stdout.includes(ESC);

  it('follows --color/--no-color > FORCE_COLOR > NO_COLOR > terminal', async () => {
    expect(await colored([], { tty: true })).toBe(true);
    expect(await colored([], { tty: false })).toBe(false);
    expect(await colored([], { tty: true, env: { NO_COLOR: '1' } })).toBe(false);
    expect(await colored([], { tty: false, env: { FORCE_COLOR: '1' } })).toBe(true);
    expect(await colored([], { tty: true, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(await colored(['--no-color'], { tty: true, env: { FORCE_COLOR: '1' } })).toBe(false);
    expect(await colored(['--color'], { tty: false, env: { NO_COLOR: '1' } })).toBe(true);
    // Global: before the command too.
    expect((await cli(['--color', 'lint', 'bad.claimmap'], { cwd: dir })).stdout).toContain(ESC);
  });

  it('never colours machine formats', async () => {
    expect(await colored(['--color', '--format', 'json'], {})).toBe(false);
    expect(await colored(['--color', '--format', 'sarif'], {})).toBe(false);
  });
});

describe('claimmap lint --format sarif', () => {
  it("links each rule to its code's documentation", async () => {
    const dir = tmp({ 'bad.claimmap': BAD });
    const r = await cli(['lint', 'bad.claimmap', '--format', 'sarif'], { cwd: dir });
    const rules = JSON.parse(r.stdout).runs[0].tool.driver.rules as { id: string; helpUri: string }[];
    expect(rules.find((x) => x.id === 'literal/never-matches')!.helpUri).toBe(
      'https://github.com/claimmap/claimmap/blob/main/docs/diagnostics.md#literal-never-matches',
    );
  });
});
