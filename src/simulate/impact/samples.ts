/**
 * `--samples DIR`: every claims file in a directory (recursively), read as `claimmap eval` reads one. Files that are
 * not claims are reported with the reader's code, never a crash.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ClaimSet } from '../../claims/claim-set.js';
import type { ReadClaimsOptions } from '../../claims/index.js';
import { ClaimmapError } from '../../errors.js';
import { readClaimsFile } from '../claims-file.js';

/** Options of {@link readSampleDir}. */
export interface ReadSampleDirOptions {
  /** Most sample files read. Default 10000; more gives a `samples/too-many` problem and the rest are not read. */
  maxSamples?: number;
  /** Limits passed to the claim readers (their documented defaults otherwise). */
  claims?: ReadClaimsOptions;
}

/** Default limits of {@link readSampleDir}. */
export const SAMPLE_DIR_LIMITS = Object.freeze({ maxSamples: 10_000 });

/** A file that was not read: `samples/unreadable`, `samples/too-many`, or the claim reader's code. */
export interface SampleProblem {
  file: string;
  code: string;
  message: string;
}

/** File names that hold claims: SAML XML or base64 (.xml, .txt, .b64), JWT (.jwt), JSON (.json but not .plan.json). */
const CLAIMS_FILE = /\.(xml|jwt|json|txt|b64)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git']);

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || SKIP_DIRS.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && CLAIMS_FILE.test(e.name) && !/\.plan\.json$/i.test(e.name) && !/\.expected(-error)?\.json$/i.test(e.name)) {
      out.push(p);
    }
  }
}

/**
 * Reads the claims files of `dir` in a stable order. `name` is the path relative to `dir`.
 *
 * @example
 * ```ts
 * const { samples, problems } = readSampleDir('examples/okta-saml');
 * samples.map((s) => s.name) // ['jane.later.saml.xml', 'jane.saml.xml', 'sam.no-employee-type.saml.xml']
 * ```
 */
export function readSampleDir(
  dir: string,
  options: ReadSampleDirOptions = {},
): { samples: { name: string; claimSet: ClaimSet }[]; problems: SampleProblem[] } {
  const max = options.maxSamples ?? SAMPLE_DIR_LIMITS.maxSamples;
  if (!Number.isSafeInteger(max) || max < 0) throw new TypeError('readSampleDir: maxSamples must be a non-negative integer');
  const problems: SampleProblem[] = [];
  const files: string[] = [];
  try {
    if (!statSync(dir).isDirectory()) {
      return { samples: [], problems: [{ file: dir, code: 'samples/unreadable', message: 'not a directory' }] };
    }
    walk(dir, files);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { samples: [], problems: [{ file: dir, code: 'samples/unreadable', message: code === 'ENOENT' ? 'no such directory' : String(code ?? e) }] };
  }
  if (files.length > max) {
    problems.push({ file: dir, code: 'samples/too-many', message: `${files.length} files; only the first ${max} are read (maxSamples)` });
    files.length = max;
  }
  const samples: { name: string; claimSet: ClaimSet }[] = [];
  for (const file of files) {
    const name = relative(dir, file).split(sep).join('/');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      problems.push({ file: name, code: 'samples/unreadable', message: String((e as NodeJS.ErrnoException).code ?? e) });
      continue;
    }
    try {
      samples.push({ name, claimSet: readClaimsFile(bytes, options.claims) });
    } catch (e) {
      if (!(e instanceof ClaimmapError)) throw e;
      problems.push({ file: name, code: e.code, message: e.message });
    }
  }
  return { samples, problems };
}
