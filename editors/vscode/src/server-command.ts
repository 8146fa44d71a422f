/**
 * Which `claimmap` executable runs the language server: no `vscode` import, so it is tested without VS Code
 * (test/editors/vscode-server-command.test.ts).
 *
 * Order: the workspace's own CLI (node_modules/.bin/claimmap, only in a trusted workspace: running a binary the
 * workspace ships is running its code), then the `claimmap.path` setting (default `claimmap`: looked up on PATH;
 * a relative path is resolved against the workspace folder). Nothing found is a message that says what to do.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface ServerCommandInput {
  /** The workspace folders' paths on disk, first first. */
  workspaceFolders: readonly string[];
  /** Whether the user trusts the workspace (VS Code's Workspace Trust). */
  trusted: boolean;
  /** The `claimmap.path` setting (VS Code drops a workspace value in an untrusted workspace). */
  configuredPath: string;
  /** `process.env.PATH` and, on Windows, `PATHEXT`. */
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
}

export type ServerCommand =
  | { ok: true; command: string; source: 'workspace' | 'setting'; cwd: string | undefined }
  | { ok: false; message: string };

function isExecutableFile(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    if (platform !== 'win32') accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` and, on Windows, `name` with each PATHEXT extension (claimmap.cmd is what npm writes there). */
function candidates(base: string, input: ServerCommandInput): string[] {
  if (input.platform !== 'win32') return [base];
  const exts = (input.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '');
  return [...exts.map((e) => base + e.toLowerCase()), base];
}

function firstExecutable(bases: readonly string[], input: ServerCommandInput): string | undefined {
  for (const base of bases) {
    for (const file of candidates(base, input)) if (isExecutableFile(file, input.platform)) return file;
  }
  return undefined;
}

/**
 * Finds the CLI that runs `claimmap lsp`.
 *
 * @example
 * ```ts
 * resolveServerCommand({ workspaceFolders: ['/repo'], trusted: true, configuredPath: 'claimmap', env: process.env, platform: process.platform });
 * // { ok: true, command: '/repo/node_modules/.bin/claimmap', source: 'workspace', cwd: '/repo' } when the repo installs claimmap
 * ```
 */
export function resolveServerCommand(input: ServerCommandInput): ServerCommand {
  const cwd = input.workspaceFolders[0];
  if (input.trusted) {
    for (const folder of input.workspaceFolders) {
      const found = firstExecutable([join(folder, 'node_modules', '.bin', 'claimmap')], input);
      if (found !== undefined) return { ok: true, command: found, source: 'workspace', cwd: folder };
    }
  }
  const configured = input.configuredPath.trim() === '' ? 'claimmap' : input.configuredPath.trim();
  const hasSeparator = configured.includes('/') || (input.platform === 'win32' && configured.includes('\\'));
  let bases: string[];
  if (isAbsolute(configured)) bases = [configured];
  else if (hasSeparator) bases = input.workspaceFolders.map((f) => join(f, configured));
  else {
    const dirs = (input.env.PATH ?? input.env.Path ?? '').split(delimiter).filter((d) => d !== '');
    bases = dirs.map((d) => join(d, configured));
  }
  const found = firstExecutable(bases, input);
  if (found !== undefined) return { ok: true, command: found, source: 'setting', cwd };
  const untrustedNote = input.trusted
    ? ''
    : ' The workspace is not trusted, so its node_modules/.bin/claimmap is not used: trust it to use that one.';
  return {
    ok: false,
    message:
      `claimmap: the language server needs the claimmap CLI, and "${configured}" was not found. ` +
      'Install it in the workspace (npm install --save-dev claimmap) or set claimmap.path to the CLI.' +
      untrustedNote,
  };
}
