/** Runs one CLI command in-process with a fake io (the commands are not registered in main.ts by this area). */
import type { CliIO, Command } from '../../src/cli/command.js';
import { stdinOf } from './fake-io.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCommand(
  command: Command,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    isTTY: false,
    stdin: stdinOf(),
  };
  const code = await command.run(args, io);
  return { code, stdout, stderr };
}
