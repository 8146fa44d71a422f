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
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, relative, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { ClaimSet } from '../claims/claim-set.js';
import { ClaimmapError } from '../errors.js';
import { validateClaimSet } from '../compile/validate-claimset.js';
import { readClaimsFile } from './claims-file.js';
import { SimulateError } from './errors.js';
import type { Sample } from './types.js';

/** Limits of {@link loadSamples}. */
export interface LoadSamplesOptions {
  /** Most samples in total. Default 1000; more is `simulate/too-many-samples`. */
  maxSamples?: number;
  /** Largest sample file in bytes. Default 1 MiB; larger is `simulate/sample-too-large`. */
  maxFileBytes?: number;
  /** Deepest directory walk. Default 8 (deeper directories are not read). */
  maxDepth?: number;
}

/** Defaults of {@link LoadSamplesOptions}. */
export const LOAD_SAMPLES_DEFAULTS = Object.freeze({ maxSamples: 1000, maxFileBytes: 1 << 20, maxDepth: 8 });

const SAMPLE_EXTENSIONS = new Set(['.xml', '.b64', '.jwt', '.json', '.yaml', '.yml']);

/** A file that, inside a directory walk, is not a sample and is skipped. */
class NotASample extends Error {}

/**
 * Reads sample logins from files and directories (paths relative to `cwd`). Sample names are the file name without
 * its extension (or the YAML `name`); the `file` of each is the path relative to `cwd`.
 * Throws {@link SimulateError} on unreadable or invalid input, never anything else for bad file content.
 *
 * @example
 * ```ts
 * const samples = loadSamples(['examples/okta-saml/'], process.cwd());
 * const result = await simulate(plan, samples);
 * ```
 */
export function loadSamples(paths: readonly string[], cwd: string, options: LoadSamplesOptions = {}): Sample[] {
  const maxSamples = options.maxSamples ?? LOAD_SAMPLES_DEFAULTS.maxSamples;
  const maxFileBytes = options.maxFileBytes ?? LOAD_SAMPLES_DEFAULTS.maxFileBytes;
  const maxDepth = options.maxDepth ?? LOAD_SAMPLES_DEFAULTS.maxDepth;
  const out: Sample[] = [];
  const names = new Set<string>();
  const add = (s: Sample): void => {
    if (out.length >= maxSamples) {
      throw new SimulateError('simulate/too-many-samples', `more than ${maxSamples} samples (maxSamples)`, { file: s.file });
    }
    // Names identify samples in reports: a repeated name is replaced by the file path (and an index).
    let name = s.name;
    if (names.has(name)) name = s.file && !names.has(s.file) ? s.file : `${s.file ?? name}#${out.length + 1}`;
    names.add(name);
    out.push({ ...s, name });
  };

  const readOne = (abs: string, explicit: boolean): void => {
    const file = relative(cwd, abs) || basename(abs);
    let bytes: Buffer;
    try {
      if (statSync(abs).size > maxFileBytes) {
        throw new SimulateError('simulate/sample-too-large', `${file} is larger than ${maxFileBytes} bytes (maxFileBytes)`, { file });
      }
      bytes = readFileSync(abs);
    } catch (e) {
      if (e instanceof SimulateError) throw e;
      throw new SimulateError('simulate/unreadable-sample', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file, cause: e });
    }
    const ext = extname(abs).toLowerCase();
    const name = basename(abs, extname(abs));
    try {
      if (ext === '.yaml' || ext === '.yml') {
        for (const s of yamlSamples(bytes.toString('utf8'), file, name, explicit)) add(s);
      } else {
        add({ name, file, claimSet: readSampleBytes(bytes, ext, file) });
      }
    } catch (e) {
      if (e instanceof NotASample && !explicit) return;
      if (e instanceof NotASample) throw new SimulateError('simulate/invalid-sample', `${file}: ${e.message}`, { file });
      throw e;
    }
  };

  const walk = (abs: string, depth: number): void => {
    let entries: string[];
    try {
      entries = readdirSync(abs).sort();
    } catch (e) {
      throw new SimulateError('simulate/unreadable-sample', `cannot read directory ${relative(cwd, abs) || abs}`, { cause: e });
    }
    for (const entry of entries) {
      if (entry.startsWith('.')) continue;
      const child = resolve(abs, entry);
      let st;
      try {
        st = statSync(child);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (depth < maxDepth) walk(child, depth + 1);
      } else if (SAMPLE_EXTENSIONS.has(extname(entry).toLowerCase()) && !entry.endsWith('.plan.json')) {
        readOne(child, false);
      }
    }
  };

  for (const p of paths) {
    if (typeof p !== 'string') throw new TypeError('loadSamples: paths must be strings');
    const abs = resolve(cwd, p);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch (e) {
      throw new SimulateError('simulate/unreadable-sample', `cannot read ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e)}`, { file: p, cause: e });
    }
    if (isDir) walk(abs, 1);
    else readOne(abs, true);
  }
  if (out.length === 0) throw new SimulateError('simulate/no-samples', `no sample files in ${paths.join(', ') || '(no paths)'}`);
  return out;
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

function readSampleBytes(bytes: Buffer, ext: string, file: string): ClaimSet {
  const as = ext === '.json' ? 'json' : ext === '.jwt' ? 'jwt' : ext === '.xml' || ext === '.b64' ? 'saml' : undefined;
  try {
    return readClaimsFile(bytes, as ? { as } : {});
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

function yamlSamples(text: string, file: string, fallbackName: string, explicit: boolean): Sample[] {
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new SimulateError('simulate/invalid-yaml', `${file}: ${err.message.split('\n')[0]}`, {
        file,
        ...(pos ? { position: { offset: err.pos[0], line: pos.line, column: pos.col } } : {}),
      });
    }
    values.push(doc.toJS({ maxAliasCount: 100 }) as unknown);
  }
  const top = values.length === 1 ? values[0] : values;
  if (!looksLikeSamples(top)) {
    if (!explicit) throw new NotASample('not a sample file');
    throw new SimulateError('simulate/invalid-sample', `${file}: expected { name?, claims } or a list of them`, { file });
  }
  const items = Array.isArray(top) ? top : [top];
  return items.map((item, i) => {
    const rec = item as Record<string, unknown>;
    const name = typeof rec['name'] === 'string' && rec['name'] !== '' ? rec['name'] : items.length > 1 ? `${fallbackName}#${i + 1}` : fallbackName;
    const r = validateClaimSet(rec['claims']);
    if (!r.ok) {
      throw new SimulateError('simulate/invalid-sample', `${file}: sample ${JSON.stringify(name)} is not a claim set: ${r.errors.map((x) => `${x.path || '/'} ${x.message}`).slice(0, 3).join('; ')}`, { file });
    }
    return { name, file, claimSet: r.value };
  });
}
