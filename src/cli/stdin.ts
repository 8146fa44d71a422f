/**
 * Reading `-` (standard input) for `lint -` and `fmt -`, bounded so a runaway pipe cannot exhaust memory.
 */
import { DEFAULT_MAX_LENGTH } from '../syntax/parse.js';
import { UsageError } from './command.js';

/** The name diagnostics give standard input without `--stdin-filename`. */
export const STDIN_NAME = '<stdin>';

/**
 * At most this many bytes are read: four per character of the parser's default `maxLength`, so any text the parser
 * would accept fits, and a longer stream is cut there and reported by the parser as `syntax/too-large`.
 */
export const STDIN_MAX_BYTES = 4 * DEFAULT_MAX_LENGTH + 4;

/** Reads standard input up to {@link STDIN_MAX_BYTES}. */
export async function readStdinText(stdin: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const room = STDIN_MAX_BYTES - size;
    chunks.push(Buffer.from(chunk.subarray(0, room)));
    size += Math.min(chunk.length, room);
    if (size >= STDIN_MAX_BYTES) break;
  }
  return Buffer.concat(chunks);
}

/**
 * Whether the positionals ask for standard input (`-`), checking the combinations `lint` and `fmt` refuse:
 * `-` with other paths, and `--stdin-filename` without `-`.
 */
export function wantsStdin(positionals: readonly string[], stdinFilename: string | undefined): boolean {
  const stdin = positionals.includes('-');
  if (stdin && positionals.length > 1) throw new UsageError('- (standard input) cannot be combined with other paths');
  if (!stdin && stdinFilename !== undefined)
    throw new UsageError('--stdin-filename needs - (standard input) as the path');
  if (stdinFilename === '') throw new UsageError('--stdin-filename must not be empty');
  return stdin;
}
