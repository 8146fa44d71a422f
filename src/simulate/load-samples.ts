/**
 * loadSamples(): sample logins from files and directories, for `claimmap simulate` and `claimmap test`.
 *
 * - `.xml`, `.b64`, `.jwt`: read by the claim readers (`readClaims`).
 * - `.json`: a claim-set JSON (`{ protocol, issuer, subject, claims }`, validated), else OIDC claims JSON.
 * - `.yaml` / `.yml`: `{ name?, claims: <ClaimSet> }` or a list of them.
 * Directories are walked recursively in sorted order; inside a directory, files of other kinds, `*.plan.json`, and
 * YAML files that are not sample files (scenario files, configuration) are skipped. A file named explicitly must be
 * a sample.
 */
import { readdirSync, readFileSync, type Stats, statSync } from 'node:fs';
import { basename, extname, relative, resolve, sep } from 'node:path';
import type { ClaimSet } from '../model/claim-set.js';
import type { ReadClaimsOptions } from '../claims/options.js';
import { ClaimmapError } from '../errors.js';
import { validateClaimSet } from '../compile/validate-claimset.js';
import { LineCounter } from '../diagnostics/line-counter.js';
import { describeClaimSetErrors, readClaimsFile } from './claims-file.js';
import { SimulateError } from './errors.js';
import type { Sample } from './types.js';
import { readYamlData } from './yaml-data.js';
import { defined } from '../model/invariant.js';

/**
 * Limits of {@link loadSamples}.
 *
 * @example
 * ```ts
 * const options: LoadSamplesOptions = { maxSamples: 200, claims: { maxBytes: 65_536 } };
 * const samples = loadSamples(['samples/'], process.cwd(), options);
 * ```
 */
export interface LoadSamplesOptions {
  /** Most samples in total. Default 1000; more is `simulate/too-many-samples`. */
  maxSamples?: number;
  /** Largest sample file in bytes. Default 1 MiB; larger is `simulate/sample-too-large`. */
  maxFileBytes?: number;
  /** Deepest directory walk. Default 8 (deeper directories are not read). */
  maxDepth?: number;
  /** Most YAML alias dereferences in one sample file (the billion-laughs guard). Default 100; more is `simulate/invalid-yaml`. */
  maxAliasCount?: number;
  /** Limits passed to the claim readers (`maxBytes`, `maxClaims`, ...); their documented defaults otherwise. */
  claims?: ReadClaimsOptions;
}

/**
 * Defaults of {@link LoadSamplesOptions}.
 *
 * @example
 * ```ts
 * const samples = loadSamples(['samples/'], process.cwd(), { maxSamples: LOAD_SAMPLES_DEFAULTS.maxSamples * 5 });
 * ```
 */
export const LOAD_SAMPLES_DEFAULTS = Object.freeze({
  maxSamples: 1000,
  maxFileBytes: 1 << 20,
  maxDepth: 8,
  maxAliasCount: 100,
});

/**
 * Options of {@link readSampleFile}: the per-file limits of {@link LoadSamplesOptions}, and how the file was named.
 *
 * @example
 * ```ts
 * const options: ReadSampleFileOptions = { explicit: true };
 * const samples = readSampleFile('/srv/samples/jane.json', 'jane.json', options);
 * ```
 */
export interface ReadSampleFileOptions extends Pick<LoadSamplesOptions, 'maxFileBytes' | 'maxAliasCount' | 'claims'> {
  /**
   * Whether the file was named explicitly (default true). Found by a directory walk (false), a YAML file of another
   * shape (a scenario file) yields no sample instead of `simulate/invalid-sample`.
   */
  explicit?: boolean;
}

/** The extensions a directory walk reads. A file named explicitly is read whatever its extension. */
const SAMPLE_EXTENSIONS = new Set(['.xml', '.b64', '.jwt', '.json', '.yaml', '.yml']);

/** Files a directory walk skips: compiled plans and golden outputs of the claims tests. */
const NOT_SAMPLES = /\.(plan|expected|expected-error)\.json$/i;

/** Directories a walk never enters (besides dot-directories). */
const SKIP_DIRS = new Set(['node_modules']);

/**
 * The sample files under a directory, recursively and in sorted order (by code unit, at every level): the
 * {@link SAMPLE_EXTENSIONS}, without `*.plan.json`, `*.expected.json`, `*.expected-error.json`, dot-files,
 * dot-directories and node_modules. Directories deeper than `maxDepth` are not read. Throws
 * `simulate/unreadable-sample` when `dir` itself cannot be listed; an entry that vanishes meanwhile is skipped.
 */
function sampleFilesIn(dir: string, maxDepth: number, cwd: string): string[] {
  const out: string[] = [];
  const walk = (abs: string, depth: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch (e) {
      throw new SimulateError('simulate/unreadable-sample', `cannot read directory ${relative(cwd, abs) || abs}`, {
        cause: e,
      });
    }
    for (const entry of entries) {
      if (entry.startsWith('.') || SKIP_DIRS.has(entry)) continue;
      const child = resolve(abs, entry);
      let st: Stats;
      try {
        st = statSync(child);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < maxDepth) walk(child, depth + 1);
      } else if (st.isFile() && SAMPLE_EXTENSIONS.has(extname(entry).toLowerCase()) && !NOT_SAMPLES.test(entry)) {
        out.push(child);
      }
    }
  };
  walk(dir, 1);
  return out;
}

/**
 * Reads the samples of one file (one, or several for a YAML list). `file` names it in errors and in `Sample.file`.
 * Inside a directory walk (`explicit` false) a YAML file of another shape (a scenario file) yields no sample;
 * named explicitly it is `simulate/invalid-sample`. Throws {@link SimulateError} for anything unreadable or invalid:
 * `simulate/unreadable-sample`, `simulate/sample-too-large`, `simulate/invalid-yaml`, `simulate/invalid-sample`
 * (with the claim reader's code in `readerCode`).
 *
 * @example
 * ```ts
 * const [sample] = readSampleFile('/abs/examples/okta-saml/jane.saml.xml', 'jane.saml.xml');
 * sample.claimSet.protocol // 'saml'
 * ```
 */
export function readSampleFile(abs: string, file: string, options: ReadSampleFileOptions = {}): Sample[] {
  const maxFileBytes = options.maxFileBytes ?? LOAD_SAMPLES_DEFAULTS.maxFileBytes;
  const maxAliasCount = options.maxAliasCount ?? LOAD_SAMPLES_DEFAULTS.maxAliasCount;
  let bytes: Buffer;
  try {
    if (statSync(abs).size > maxFileBytes) {
      throw new SimulateError(
        'simulate/sample-too-large',
        `${file} is larger than ${maxFileBytes} bytes (maxFileBytes)`,
        { file },
      );
    }
    bytes = readFileSync(abs);
  } catch (e) {
    if (e instanceof SimulateError) throw e;
    throw new SimulateError(
      'simulate/unreadable-sample',
      `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`,
      { file, cause: e },
    );
  }
  const ext = extname(abs).toLowerCase();
  const name = basename(abs, extname(abs));
  if (ext === '.yaml' || ext === '.yml')
    return yamlSamples(bytes.toString('utf8'), file, name, options.explicit ?? true, maxAliasCount);
  return [{ name, file, claimSet: readSampleBytes(bytes, ext, file, options.claims ?? {}) }];
}

function limitsOf(
  options: LoadSamplesOptions,
): Required<Omit<LoadSamplesOptions, 'claims'>> & Pick<LoadSamplesOptions, 'claims'> {
  return {
    maxSamples: options.maxSamples ?? LOAD_SAMPLES_DEFAULTS.maxSamples,
    maxFileBytes: options.maxFileBytes ?? LOAD_SAMPLES_DEFAULTS.maxFileBytes,
    maxDepth: options.maxDepth ?? LOAD_SAMPLES_DEFAULTS.maxDepth,
    maxAliasCount: options.maxAliasCount ?? LOAD_SAMPLES_DEFAULTS.maxAliasCount,
    ...(options.claims ? { claims: options.claims } : {}),
  };
}

/**
 * Reads sample logins from files and directories (paths relative to `cwd`), failing on the first bad one: what
 * `claimmap simulate` and `claimmap test` run. Sample names are the file name without its extension (or the YAML
 * `name`); the `file` of each is the path relative to `cwd`.
 * Throws {@link SimulateError} on unreadable or invalid input, never anything else for bad file content.
 *
 * @example
 * ```ts
 * const samples = loadSamples(['examples/okta-saml/'], process.cwd());
 * const result = await simulate(plan, samples);
 * ```
 */
export function loadSamples(paths: readonly string[], cwd: string, options: LoadSamplesOptions = {}): Sample[] {
  const { maxSamples, maxDepth, ...perFile } = limitsOf(options);
  const out: Sample[] = [];
  const names = new Set<string>();
  const add = (s: Sample): void => {
    if (out.length >= maxSamples) {
      throw new SimulateError('simulate/too-many-samples', `more than ${maxSamples} samples (maxSamples)`, {
        ...(s.file !== undefined ? { file: s.file } : {}),
      });
    }
    // Names identify samples in reports: a repeated name is replaced by the file path (and an index).
    let name = s.name;
    if (names.has(name)) name = s.file && !names.has(s.file) ? s.file : `${s.file ?? name}#${out.length + 1}`;
    names.add(name);
    out.push({ ...s, name });
  };
  const readOne = (abs: string, explicit: boolean): void => {
    for (const s of readSampleFile(abs, relative(cwd, abs) || basename(abs), { ...perFile, explicit })) add(s);
  };

  for (const p of paths) {
    if (typeof p !== 'string') throw new TypeError('loadSamples: paths must be strings');
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      throw new SimulateError(
        'simulate/unreadable-sample',
        `cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e)}`,
        { file: p, cause: e },
      );
    }
    if (isDir) for (const f of sampleFilesIn(abs, maxDepth, cwd)) readOne(f, false);
    else readOne(abs, true);
  }
  if (out.length === 0)
    throw new SimulateError('simulate/no-samples', `no sample files in ${paths.join(', ') || '(no paths)'}`);
  return out;
}

/**
 * A sample file that {@link readSampleDir} could not read: the file (relative to the directory), a code, why.
 *
 * @example
 * ```ts
 * const { problems } = readSampleDir('samples/');
 * for (const p of problems) console.warn(`${p.file}: ${p.code}: ${p.message}`);
 * ```
 */
export interface SampleProblem {
  file: string;
  /** The claim reader's code (`json/malformed`, `saml/...`), or a `simulate/` code of {@link SimulateError}. */
  code: string;
  message: string;
}

/**
 * Reads the samples of a directory like {@link loadSamples}, but reports each file it cannot read as a problem and
 * goes on: what `claimmap plan --samples DIR` runs, where one bad file must not hide the others. Sample names are
 * the paths relative to `dir`. Past `maxSamples`, one `simulate/too-many-samples` problem and the rest are not read.
 *
 * @example
 * ```ts
 * const { samples, problems } = readSampleDir('examples/okta-saml');
 * samples.map((s) => s.name) // ['jane.later.saml.xml', 'jane.saml.xml', 'sam.no-employee-type.saml.xml']
 * ```
 */
export function readSampleDir(
  dir: string,
  options: LoadSamplesOptions = {},
): { samples: Sample[]; problems: SampleProblem[] } {
  const { maxSamples, maxDepth, ...perFile } = limitsOf(options);
  const problemOf = (file: string, e: unknown): SampleProblem => {
    if (!(e instanceof SimulateError)) throw e;
    return { file, code: e.readerCode ?? e.code, message: e.message };
  };
  let files: string[];
  try {
    if (!statSync(dir).isDirectory())
      throw new SimulateError('simulate/unreadable-sample', `${dir} is not a directory`, { file: dir });
    files = sampleFilesIn(dir, maxDepth, dir);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? new SimulateError('simulate/unreadable-sample', `no such directory ${dir}`, { file: dir })
        : e;
    return { samples: [], problems: [problemOf(dir, reason)] };
  }
  const samples: Sample[] = [];
  const problems: SampleProblem[] = [];
  for (const abs of files) {
    const file = relative(dir, abs).split(sep).join('/');
    let read: Sample[];
    try {
      read = readSampleFile(abs, file, { ...perFile, explicit: false });
    } catch (e) {
      problems.push(problemOf(file, e));
      continue;
    }
    for (const s of read) {
      if (samples.length >= maxSamples) {
        problems.push({
          file,
          code: 'simulate/too-many-samples',
          message: `more than ${maxSamples} samples; the rest are not read (maxSamples)`,
        });
        return { samples, problems };
      }
      samples.push({ ...s, name: read.length === 1 ? file : `${file}#${s.name}` });
    }
  }
  return { samples, problems };
}

function invalid(file: string, e: unknown): SimulateError {
  const code = e instanceof ClaimmapError ? String(e.code) : undefined;
  const msg = e instanceof Error ? e.message : String(e);
  return new SimulateError('simulate/invalid-sample', `${file}: ${code ? `${code}: ` : ''}${msg}`, {
    file,
    ...(code ? { readerCode: code } : {}),
    ...(e instanceof ClaimmapError && e.position ? { position: e.position } : {}),
    cause: e,
  });
}

function readSampleBytes(bytes: Buffer, ext: string, file: string, claims: ReadClaimsOptions): ClaimSet {
  const as = ext === '.json' ? 'json' : ext === '.jwt' ? 'jwt' : ext === '.xml' || ext === '.b64' ? 'saml' : undefined;
  try {
    return readClaimsFile(bytes, as ? { ...claims, as } : claims);
  } catch (e) {
    throw invalid(file, e);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Whether a YAML value has the shape of a sample document (an object with `claims`, or a list of them). */
function looksLikeSamples(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0 && v.every((x) => isRecord(x) && 'claims' in x);
  return isRecord(v) && 'claims' in v;
}

function yamlSamples(
  text: string,
  file: string,
  fallbackName: string,
  explicit: boolean,
  maxAliasCount: number,
): Sample[] {
  const yaml = readYamlData(text, { maxAliasCount, multiDocument: true });
  if (!yaml.ok) {
    const first = defined(yaml.problems[0]);
    const more = yaml.problems.length > 1 ? ` (and ${yaml.problems.length - 1} more)` : '';
    const { offset, line, column } = new LineCounter(text).position(first.start);
    throw new SimulateError('simulate/invalid-yaml', `${file}: ${first.message}${more}`, {
      file,
      position: { offset, line, column },
      ...(first.kind === 'to-data'
        ? { hint: `raise maxAliasCount (now ${maxAliasCount}) if the file is legitimate` }
        : {}),
    });
  }
  const values = yaml.values;
  const top = values.length === 1 ? values[0] : values;
  if (!looksLikeSamples(top)) {
    if (!explicit) return [];
    throw new SimulateError('simulate/invalid-sample', `${file}: expected { name?, claims } or a list of them`, {
      file,
    });
  }
  const items = Array.isArray(top) ? top : [top];
  return items.map((item, i) => {
    const rec = item as Record<string, unknown>;
    const name =
      typeof rec.name === 'string' && rec.name !== ''
        ? rec.name
        : items.length > 1
          ? `${fallbackName}#${i + 1}`
          : fallbackName;
    const r = validateClaimSet(rec.claims);
    if (!r.ok) {
      throw new SimulateError(
        'simulate/invalid-sample',
        `${file}: sample ${JSON.stringify(name)} is not a claim set: ${describeClaimSetErrors(r.errors)}`,
        { file },
      );
    }
    return { name, file, claimSet: r.value };
  });
}
