/**
 * The README's commit-hook recipes (pre-commit, husky + lint-staged, lefthook), each run as written in a scratch git
 * repository: a commit with a clean mapping passes, one with a broken mapping is blocked, one that touches no
 * mapping passes. The recipe files are read from README.md (the `<!-- recipe: TOOL PATH -->` markers), so the docs
 * cannot drift. Also runs .ci/pre-commit-try-repo.sh (`pre-commit try-repo` on this repository's hooks).
 *
 * Needs dist/ (`npm run build`; npm ci builds it) and git. The pre-commit cases need `pre-commit` on PATH (or
 * CLAIMMAP_PRE_COMMIT, a list of pre-commit executables separated by ':' to test each); without it they are skipped
 * with a warning, unless CLAIMMAP_REQUIRE_PRE_COMMIT=1 (CI), which makes them fail.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { notice } from '../runtime/notice.js';
import { markedBlocks } from './marked-blocks.js';

const root = join(import.meta.dirname, '..', '..');
const TIMEOUT = 180_000;

const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
if (!built) notice('test/docs/hook-recipes: dist/ is not built (run `npm run build`); SKIPPING the hook recipes');

const requirePreCommit = process.env.CLAIMMAP_REQUIRE_PRE_COMMIT === '1';
const onPath = (cmd: string) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;
const preCommits = (process.env.CLAIMMAP_PRE_COMMIT ?? 'pre-commit').split(delimiter).filter((p) => p !== '');
const availablePreCommits = preCommits.filter(onPath);
if (availablePreCommits.length === 0 && !requirePreCommit) {
  notice(
    `test/docs/hook-recipes: ${preCommits.join(', ')} not found; SKIPPING the pre-commit recipe and try-repo ` +
      '(apt-get install pre-commit; CLAIMMAP_REQUIRE_PRE_COMMIT=1 makes this a failure)',
  );
}

/** The files a recipe writes, from README.md. */
function recipe(tool: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of markedBlocks(readFileSync(join(root, 'README.md'), 'utf8'), 'README.md')) {
    if (block.kind !== 'recipe') continue;
    const [name, path] = block.args.split(/\s+/);
    if (name === tool && path) files.set(path, block.body);
  }
  if (files.size === 0) throw new Error(`README.md has no <!-- recipe: ${tool} ... --> block`);
  return files;
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A fresh git repository in a temp dir, with node_modules/.bin holding claimmap and the hook managers. */
function scratchRepo() {
  const base = mkdtempSync(join(tmpdir(), 'claimmap-hooks-'));
  temps.push(base);
  const repo = join(base, 'repo');
  mkdirSync(join(base, 'home'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: join(base, 'home'),
    PRE_COMMIT_HOME: join(base, 'pre-commit-cache'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'test',
    GIT_AUTHOR_EMAIL: 'test@example.invalid',
    GIT_COMMITTER_NAME: 'test',
    GIT_COMMITTER_EMAIL: 'test@example.invalid',
    npm_config_offline: 'true',
    npm_config_update_notifier: 'false',
  };
  const run = (cmd: string, args: string[], cwd = repo) => {
    const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
    return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  };
  const ok = (cmd: string, args: string[], cwd = repo) => {
    const r = run(cmd, args, cwd);
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.output}`);
    return r.output;
  };
  ok('git', ['init', '-q', '-b', 'main', repo], base);
  // As `npm install --save-dev claimmap husky lint-staged lefthook` would install them (offline, from this checkout).
  const bin = join(repo, 'node_modules', '.bin');
  mkdirSync(bin, { recursive: true });
  const shim = (name: string, script: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
    chmodSync(join(bin, name), 0o755);
  };
  shim('claimmap', join(root, 'dist', 'cli', 'main.js'));
  for (const tool of ['husky', 'lint-staged', 'lefthook'])
    shim(tool, realpathSync(join(root, 'node_modules', '.bin', tool)));
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
  writeFileSync(join(repo, 'package.json'), '{ "name": "scratch", "private": true }\n');
  ok('git', ['add', '.']);
  ok('git', ['commit', '-q', '--no-verify', '-m', 'init']);

  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  /** Stages `files` and commits them with the hooks: the status and output of `git commit`. */
  const commit = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) write(path, text);
    ok('git', ['add', ...Object.keys(files)]);
    const before = ok('git', ['rev-parse', 'HEAD']);
    const r = run('git', ['commit', '-m', 'change']);
    const committed = ok('git', ['rev-parse', 'HEAD']) !== before;
    if (!committed) ok('git', ['reset', '-q', '--hard', 'HEAD']);
    return { ...r, committed };
  };
  return { repo, env, run, ok, write, commit, bin };
}

const clean = readFileSync(join(root, 'examples', 'okta-saml', 'acme.claimmap'), 'utf8');
// Folding group names makes "Okta-Admins" unmatchable (literal/never-matches) and admin reachable by look-alikes.
const broken = clean.replace('from "groups"         optional', 'from "groups"         optional normalize lower');

/** The three commits every recipe must get right, on a repository where the recipe is installed. */
function checkCommits(scratch: ReturnType<typeof scratchRepo>) {
  const none = scratch.commit({ 'notes.txt': 'no mapping here\n' });
  expect(none.output).not.toMatch(/error/i);
  expect(none.status, none.output).toBe(0);
  expect(none.committed).toBe(true);

  const ok = scratch.commit({ 'idp/acme.claimmap': clean });
  expect(ok.status, ok.output).toBe(0);
  expect(ok.committed).toBe(true);

  const bad = scratch.commit({ 'idp/acme.claimmap': broken, 'notes.txt': 'changed\n' });
  expect(bad.status, bad.output).not.toBe(0);
  expect(bad.committed).toBe(false);
  expect(bad.output).toContain('literal/never-matches');
}

describe.skipIf(!built)('README hook recipes', () => {
  it('the broken fixture differs from the clean one', () => {
    expect(broken).not.toBe(clean);
  });

  describe.each(requirePreCommit ? preCommits : availablePreCommits)('pre-commit (%s)', (preCommit) => {
    it(
      'the README recipe: clean passes, broken is blocked, no mapping passes',
      () => {
        const scratch = scratchRepo();
        // The hook repository the recipe names: this checkout's hook files (working tree), committed in a temp repo.
        const hooks = join(dirname(scratch.repo), 'hooks');
        scratch.ok('git', ['init', '-q', '-b', 'main', hooks], dirname(scratch.repo));
        mkdirSync(join(hooks, 'scripts'));
        copyFileSync(join(root, '.pre-commit-hooks.yaml'), join(hooks, '.pre-commit-hooks.yaml'));
        copyFileSync(join(root, 'scripts', 'pre-commit-hook.mjs'), join(hooks, 'scripts', 'pre-commit-hook.mjs'));
        chmodSync(join(hooks, 'scripts', 'pre-commit-hook.mjs'), 0o755);
        scratch.ok('git', ['add', '.'], hooks);
        scratch.ok('git', ['commit', '-q', '-m', 'hooks'], hooks);
        const rev = scratch.ok('git', ['rev-parse', 'HEAD'], hooks).trim();

        const config = recipe('pre-commit').get('.pre-commit-config.yaml');
        expect(config).toMatch(/^ {4}rev: /m);
        // Only the repository's address and revision are replaced: the hooks are as the README lists them.
        const local = config!.replace(/(- repo: ).*/, `$1${hooks}`).replace(/^( {4}rev: ).*/m, `$1${rev}`);
        scratch.write('.pre-commit-config.yaml', local);
        scratch.ok('git', ['add', '.pre-commit-config.yaml']);
        scratch.ok(preCommit, ['install']);
        checkCommits(scratch);
      },
      TIMEOUT,
    );

    it(
      '.ci/pre-commit-try-repo.sh: pre-commit try-repo on this repository',
      () => {
        const r = spawnSync('bash', [join(root, '.ci', 'pre-commit-try-repo.sh')], {
          env: { ...process.env, PRE_COMMIT: preCommit },
          encoding: 'utf8',
        });
        expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
        expect(r.stderr).toContain('ok: clean mapping passes, broken mapping is blocked');
      },
      TIMEOUT,
    );
  });

  it(
    'husky + lint-staged: the README recipe',
    () => {
      const scratch = scratchRepo();
      const files = recipe('husky');
      // `npx husky init` would write .husky/pre-commit and a prepare script; the recipe's own files replace them.
      scratch.ok(join(scratch.bin, 'husky'), []);
      scratch.write('.husky/pre-commit', files.get('.husky/pre-commit')!);
      const pkg = JSON.parse(readFileSync(join(scratch.repo, 'package.json'), 'utf8')) as Record<string, unknown>;
      scratch.write(
        'package.json',
        `${JSON.stringify({ ...pkg, ...JSON.parse(files.get('package.json')!) }, null, 2)}\n`,
      );
      scratch.ok('git', ['add', '.husky/pre-commit', 'package.json']);
      checkCommits(scratch);
    },
    TIMEOUT,
  );

  it(
    'lefthook: the README recipe',
    () => {
      const scratch = scratchRepo();
      scratch.write('lefthook.yml', recipe('lefthook').get('lefthook.yml')!);
      scratch.ok(join(scratch.bin, 'lefthook'), ['install']);
      scratch.ok('git', ['add', 'lefthook.yml']);
      checkCommits(scratch);
    },
    TIMEOUT,
  );
});

describe('scripts/pre-commit-hook.mjs', () => {
  const hook = join(root, 'scripts', 'pre-commit-hook.mjs');
  const inEmptyDir = (env: NodeJS.ProcessEnv) => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-hook-'));
    temps.push(dir);
    // PATH is the empty directory itself: no claimmap anywhere but where `env` says.
    return spawnSync(process.execPath, [hook, 'lint', 'a.claimmap'], {
      cwd: dir,
      env: { PATH: dir, ...env },
      encoding: 'utf8',
    });
  };

  it('without claimmap installed, blocks with exit 2 and says how to install it', () => {
    const r = inEmptyDir({});
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('claimmap is not installed in this project');
    expect(r.stderr).toContain('npm install --save-dev claimmap');
  });

  it('passes its arguments to CLAIMMAP_BIN and exits with its status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-hook-bin-'));
    temps.push(dir);
    const fake = join(dir, 'fake-claimmap');
    writeFileSync(fake, '#!/bin/sh\necho "args: $*"\nexit 3\n');
    chmodSync(fake, 0o755);
    const r = inEmptyDir({ CLAIMMAP_BIN: fake });
    expect(r.stdout).toBe('args: lint a.claimmap\n');
    expect(r.status).toBe(3);
  });
});

if (requirePreCommit && availablePreCommits.length < preCommits.length) {
  describe('pre-commit required (CLAIMMAP_REQUIRE_PRE_COMMIT=1)', () => {
    it('is installed', () => {
      expect(preCommits.filter((p) => !availablePreCommits.includes(p))).toEqual([]);
    });
  });
}
