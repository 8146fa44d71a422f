/**
 * The codes the CLI reports when the files it is asked to read cannot be found: `lint`, `fmt` and every command that
 * reads a mapping or a claims file print `error <code>: <path as typed>: <message>` and exit 2. A closed list: codes
 * are stable API. docs/diagnostics.md ("Input errors") is generated from {@link INPUT_CODES} (`npm run docs`).
 */

/** Every input code, with the one sentence the docs show. */
export const INPUT_CODES = [
  {
    code: 'input/not-found',
    summary:
      'A file named on the command line (or by `--ignore-path`) does not exist. The path is shown as it was typed.',
  },
  {
    code: 'input/no-match',
    summary:
      'A glob or a directory matches no `.claimmap` file (after ignores). `--no-error-on-unmatched-pattern` allows it.',
  },
  {
    code: 'input/unreadable',
    summary: 'A file exists but cannot be read: permission denied, or a directory where a file was expected.',
  },
] as const satisfies readonly { code: `input/${string}`; summary: string }[];

/** `input/not-found`, `input/no-match` or `input/unreadable`. */
export type InputErrorCode = (typeof INPUT_CODES)[number]['code'];

/** One input problem: which argument, which code, and what to say after `error <code>: <arg>: `. */
export interface InputProblem {
  code: InputErrorCode;
  /** The argument as the user typed it (never made absolute). */
  arg: string;
  message: string;
  hint?: string;
}

/**
 * The line the CLI prints for an input problem.
 *
 * @example
 * ```ts
 * formatInputProblem({ code: 'input/not-found', arg: 'maps/a.claimmap', message: 'no such file or directory' });
 * // 'error input/not-found: maps/a.claimmap: no such file or directory\n'
 * ```
 */
export function formatInputProblem(p: InputProblem): string {
  return `error ${p.code}: ${p.arg}: ${p.message}\n${p.hint ? `  hint: ${p.hint}\n` : ''}`;
}

/** The input problem of a failed read (`readFileSync`, `stat`) of `arg`, from the Node error code only. */
export function readProblem(arg: string, e: unknown): InputProblem {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ENOENT' || errno === 'ENOTDIR')
    return { code: 'input/not-found', arg, message: 'no such file or directory' };
  return {
    code: 'input/unreadable',
    arg,
    message:
      errno === 'EISDIR'
        ? 'it is a directory'
        : errno === 'EACCES' || errno === 'EPERM'
          ? 'permission denied'
          : `cannot be read (${errno ?? 'unknown error'})`,
  };
}
