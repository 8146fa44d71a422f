/**
 * editors/vscode/src/server-command.ts: which claimmap CLI the extension runs as `claimmap lsp`. The workspace's
 * own node_modules/.bin/claimmap first, only in a trusted workspace; then claimmap.path (absolute, relative to the
 * workspace, or a name on PATH); otherwise a message that says what to do.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveServerCommand, type ServerCommandInput } from '../../editors/vscode/src/server-command.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-vscode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function executable(path: string, mode = 0o755): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
}

const workspace = join(dir, 'ws');
const workspaceBin = executable(join(workspace, 'node_modules', '.bin', 'claimmap'));
const bare = join(dir, 'bare');
mkdirSync(bare);
const onPath = executable(join(dir, 'global', 'bin', 'claimmap'));
const custom = executable(join(dir, 'custom', 'claimmap-dev'));
const notExecutable = executable(join(dir, 'noexec', 'claimmap'), 0o644);
executable(join(bare, 'tools', 'claimmap'));

const input = (over: Partial<ServerCommandInput>): ServerCommandInput => ({
  workspaceFolders: [workspace],
  trusted: true,
  configuredPath: 'claimmap',
  env: { PATH: [join(dir, 'global', 'bin')].join(delimiter) },
  platform: 'linux',
  ...over,
});

describe.skipIf(process.platform === 'win32')('resolveServerCommand', () => {
  it("runs the workspace's node_modules/.bin/claimmap in a trusted workspace", () => {
    expect(resolveServerCommand(input({}))).toEqual({
      ok: true,
      command: workspaceBin,
      source: 'workspace',
      cwd: workspace,
    });
  });

  it("never runs the workspace's CLI in an untrusted workspace: the setting's command instead", () => {
    expect(resolveServerCommand(input({ trusted: false }))).toEqual({
      ok: true,
      command: onPath,
      source: 'setting',
      cwd: workspace,
    });
  });

  it('looks the setting up on PATH, as an absolute path, or relative to the workspace folder', () => {
    expect(resolveServerCommand(input({ workspaceFolders: [bare] }))).toMatchObject({ command: onPath });
    expect(resolveServerCommand(input({ workspaceFolders: [bare], configuredPath: custom }))).toMatchObject({
      command: custom,
      source: 'setting',
    });
    expect(resolveServerCommand(input({ workspaceFolders: [bare], configuredPath: 'tools/claimmap' }))).toMatchObject({
      command: join(bare, 'tools', 'claimmap'),
    });
    // An empty setting means the default, `claimmap` on PATH.
    expect(resolveServerCommand(input({ workspaceFolders: [bare], configuredPath: '  ' }))).toMatchObject({
      command: onPath,
    });
  });

  it('skips a file that is not executable, and says what to do when nothing is found', () => {
    const result = resolveServerCommand(
      input({ workspaceFolders: [bare], configuredPath: notExecutable, env: { PATH: '' } }),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain('set claimmap.path');
    const untrusted = resolveServerCommand(input({ trusted: false, env: { PATH: '' } }));
    expect(untrusted.ok ? '' : untrusted.message).toContain('not trusted');
  });

  it('finds claimmap.cmd on Windows through PATHEXT', () => {
    const win = executable(join(dir, 'win', 'claimmap.cmd'));
    expect(
      resolveServerCommand(
        input({ workspaceFolders: [bare], platform: 'win32', env: { PATH: join(dir, 'win'), PATHEXT: '.EXE;.CMD' } }),
      ),
    ).toMatchObject({ ok: true, command: win });
  });
});
