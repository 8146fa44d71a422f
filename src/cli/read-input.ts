import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CliIO, Reported } from './command.js';
import { formatInputProblem, readProblem } from './input-errors.js';

/** Reads a file named on the command line; a failure is `error input/not-found: PATH: ...` (exit 2). */
export function readInput(path: string, io: CliIO): Buffer {
  try {
    return readFileSync(resolve(io.cwd, path));
  } catch (e) {
    io.stderr(formatInputProblem(readProblem(path, e)));
    throw new Reported(2);
  }
}
