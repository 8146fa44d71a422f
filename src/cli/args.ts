import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.js';
import { didYouMean } from './suggest.js';

/**
 * `node:util.parseArgs` with errors turned into {@link UsageError} (exit 2) instead of exceptions with stack traces.
 * An unknown option gets a "Did you mean '--quiet'?" when one of the command's options is a small edit away.
 */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  allowPositionals = true,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    const unknown = /^Unknown option '([^']+)'/.exec(msg)?.[1];
    if (unknown === undefined) throw new UsageError(msg);
    const known = Object.entries(options).flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
    throw new UsageError(`${msg}${didYouMean(unknown, [...known, '--help', '--color', '--no-color'])}`);
  }
}

/** Validates a `--format` value against the allowed list. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], dflt: T): T {
  if (value === undefined) return dflt;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')} (got "${value}")`);
}

/** The accepted range of {@link intOption}: `min` and `max` inclusive (no upper bound without `max`). */
export interface IntRange<D extends number | undefined = number | undefined> {
  min: number;
  max?: number;
  /** The value when the flag is absent. */
  dflt: D;
}

/**
 * Parses an integer flag: decimal digits only (so `''`, `0x10`, `1e3`, `-1`, `+5` and ` 5` are refused), a safe
 * integer, within `[min, max]`. Anything else is a {@link UsageError} (exit 2) naming the flag and its range.
 *
 * @example
 * ```ts
 * const limit = intOption('limit', values.limit, { min: 1, max: 10_000, dflt: 100 }); // '--limit 0x10' → UsageError
 * ```
 */
export function intOption<D extends number | undefined>(
  flag: string,
  value: string | undefined,
  range: IntRange<D>,
): number | D {
  if (value === undefined) return range.dflt;
  const n = Number(value);
  if (
    !/^[0-9]+$/.test(value) ||
    !Number.isSafeInteger(n) ||
    n < range.min ||
    (range.max !== undefined && n > range.max)
  ) {
    const what =
      range.max !== undefined
        ? `an integer from ${range.min} to ${range.max}`
        : range.min === 1
          ? 'a positive integer'
          : range.min === 0
            ? 'a non-negative integer'
            : `an integer of at least ${range.min}`;
    throw new UsageError(`--${flag} must be ${what} (got "${value}")`);
  }
  return n;
}
