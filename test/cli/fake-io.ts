import { run } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/command.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; stdin?: string; tty?: boolean } = {},
): Promise<CliResult> {
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
    isTTY: options.tty ?? false,
    stdin: (async function* () {
      if (options.stdin !== undefined) yield Buffer.from(options.stdin);
    })(),
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** Standard input with the given text (or none), for hand-made CliIO objects. */
export function stdinOf(text?: string): AsyncIterable<Uint8Array> {
  return (async function* () {
    if (text !== undefined) yield Buffer.from(text);
  })();
}
