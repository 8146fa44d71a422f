/**
 * Where the benchmark's files are. `npm run bench` runs a build of bench/ (bench/.build/run.js, made by tsup like
 * dist/), and vitest runs the sources (bench/lib/, bench/fixtures/): both are one level below bench/, so a path
 * relative to this module's parent is right in either case.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** A file under bench/, e.g. `benchPath('fixtures/evaluate.claimmap')`. */
export const benchPath = (relative: string): string => join(BENCH_DIR, relative);
