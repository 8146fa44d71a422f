#!/usr/bin/env node
// The entry of the pre-commit hooks in .pre-commit-hooks.yaml (`language: script`): runs the claimmap installed in
// the project being committed to, so that pre-commit needs no network and no npm install of its own.
//
//   scripts/pre-commit-hook.mjs lint FILE...          (hook claimmap-lint)
//   scripts/pre-commit-hook.mjs fmt --check FILE...   (hook claimmap-fmt)
//
// pre-commit runs hooks from the root of the repository being committed to, and passes only the staged files
// matching the hook's `files` pattern; with none, it skips the hook. The claimmap used is, in order:
// $CLAIMMAP_BIN, ./node_modules/.bin/claimmap, `claimmap` on PATH. Without any, it says how to install it (exit 2).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

const NAME = process.platform === 'win32' ? 'claimmap.cmd' : 'claimmap';

function findClaimmap() {
  if (process.env.CLAIMMAP_BIN) return process.env.CLAIMMAP_BIN;
  const local = resolve('node_modules', '.bin', NAME);
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, NAME))) return join(dir, NAME);
  }
  return undefined;
}

const bin = findClaimmap();
if (bin === undefined) {
  process.stderr.write(
    'claimmap pre-commit hook: claimmap is not installed in this project.\n' +
      '  Install it where the hook can find it (offline, no npm access at commit time):\n' +
      '    npm install --save-dev claimmap      (then ./node_modules/.bin/claimmap is used)\n' +
      '  or put `claimmap` on PATH, or set CLAIMMAP_BIN to its path.\n',
  );
  process.exit(2);
}
const result = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error) {
  process.stderr.write(`claimmap pre-commit hook: cannot run ${bin}: ${result.error.message}\n`);
  process.exit(2);
}
process.exit(result.status ?? 1);
