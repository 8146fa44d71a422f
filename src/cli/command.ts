/**
 * The contract between `cli/main.ts` and each `cli/commands/<verb>.ts`. Commands never call `process.exit` or
 * `console.*`: they write through `io` and return an exit code, so tests run them in-process.
 * Exit codes: 0 success, 1 findings or refused input, 2 usage or I/O error.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Working directory for relative paths. */
  cwd: string;
  /** Environment variables (for `NO_COLOR`, `CLAIMMAP_STORE`, `DATABASE_URL`...). */
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (colour, progress bars). */
  isTTY: boolean;
  /**
   * Whether to paint text output, decided once by `main.ts` (`--color` / `--no-color` > `FORCE_COLOR` > `NO_COLOR` >
   * `isTTY`). Commands read it through `colorEnabled(io)` (cli/color.ts), which applies the same rules when absent.
   */
  color?: boolean;
  /** Standard input, chunk by chunk (for `-` as a file name). */
  stdin: AsyncIterable<Uint8Array>;
  /**
   * Stops a long-running command (`serve`) when aborted. Absent in the real CLI, where such a command listens for
   * SIGINT and SIGTERM itself; tests pass one to stop it in-process.
   */
  signal?: AbortSignal;
}

export interface Command {
  name: string;
  /** One line for `claimmap --help`. */
  summary: string;
  /** Full help text for `claimmap <name> --help`. */
  help: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/**
 * One line of the command registry (`cli/commands/index.ts`): what `claimmap --help` lists, and how to load the
 * command's module on demand. `load` imports only that command's code.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Thrown by argument parsing helpers; main prints `claimmap <cmd>: <message>` and the usage hint, exit 2. */
/** A failure already explained to the user: the command (or `main`, which catches it) returns `exitCode`. */
export class Reported extends Error {
  constructor(readonly exitCode: number) {
    super('reported');
  }
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
