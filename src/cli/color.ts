/**
 * Whether the CLI paints its text output. One decision, made once by `main.ts` and carried in {@link CliIO.color}:
 * `--color` / `--no-color` (anywhere on the command line) > `FORCE_COLOR` > `NO_COLOR` > whether stdout is a terminal.
 * `FORCE_COLOR=0` or `false` turns colour off, any other non-empty value on, as in Node; `NO_COLOR` counts when it
 * is set and not empty (https://no-color.org).
 */
import type { CliIO } from './command.js';

/**
 * The colour decision from its inputs, in order of precedence.
 *
 * @example
 * ```ts
 * resolveColor(undefined, { NO_COLOR: '1' }, true); // false
 * resolveColor(true, { NO_COLOR: '1' }, false); // true: the flag wins
 * ```
 */
export function resolveColor(
  flag: boolean | undefined,
  env: Readonly<Record<string, string | undefined>>,
  isTTY: boolean,
): boolean {
  if (flag !== undefined) return flag;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  const no = env.NO_COLOR;
  if (no !== undefined && no !== '') return false;
  return isTTY;
}

/** Whether to paint: the decision `main.ts` made, or the same rules applied to `io` when it made none (tests). */
export function colorEnabled(io: CliIO): boolean {
  return io.color ?? resolveColor(undefined, io.env, io.isTTY);
}

/**
 * Takes the global `--color` / `--no-color` flags out of `argv` (up to a `--` that ends options); the last one wins.
 *
 * @example
 * ```ts
 * takeColorFlags(['lint', '--no-color', 'a.claimmap']); // { argv: ['lint', 'a.claimmap'], flag: false }
 * ```
 */
export function takeColorFlags(argv: readonly string[]): { argv: string[]; flag: boolean | undefined } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  let flag: boolean | undefined;
  for (const a of head) if (a === '--color' || a === '--no-color') flag = a === '--color';
  const kept = head.filter((a) => a !== '--color' && a !== '--no-color');
  return { argv: end < 0 ? kept : [...kept, ...argv.slice(end)], flag };
}
