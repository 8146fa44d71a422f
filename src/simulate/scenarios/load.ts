/**
 * Loading a scenario file from disk: parse and validate it, then read every `sample:` file (relative to the
 * scenario file) through the claim readers. Problems are diagnostics at file:line:col, never exceptions.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ClaimSet } from '../../model/claim-set.js';
import type { ReadClaimsOptions } from '../../claims/index.js';
import type { Diagnostic, Range } from '../../diagnostics/diagnostic.js';
import { sortDiagnostics } from '../../diagnostics/sort.js';
import { ClaimmapError } from '../../errors.js';
import { isSimulateError } from '../errors.js';
import { LOAD_SAMPLES_DEFAULTS, readSampleFile } from '../load-samples.js';
import type { ScenarioCode } from './codes.js';
import { parseScenarios, SCENARIO_LIMITS, type ParseScenariosOptions } from './parse.js';
import type { ScenarioFile } from './types.js';
import { defined } from '../../model/invariant.js';

/**
 * Options of {@link loadScenarioFile}.
 *
 * @example
 * ```ts
 * const options: LoadScenarioOptions = { cwd: 'test/fixtures', maxCases: 100 };
 * const { file, diagnostics } = loadScenarioFile('acme.scenarios.yaml', options);
 * ```
 */
export interface LoadScenarioOptions extends Omit<ParseScenariosOptions, 'filename'> {
  /** Base directory of a relative `path`. Default `process.cwd()`. */
  cwd?: string;
  /** Limits passed to the claim readers for `sample:` files (their documented defaults otherwise). */
  claims?: ReadClaimsOptions;
  /** Largest `sample:` file in bytes. Default 1 MiB (`LOAD_SAMPLES_DEFAULTS.maxFileBytes`); larger is `scenario/sample-invalid`. */
  maxSampleBytes?: number;
}

/**
 * The result of {@link loadScenarioFile}: `source` is the file's text (for rendering diagnostics), '' if unreadable.
 *
 * @example
 * ```ts
 * const { file, diagnostics }: LoadScenarioResult = loadScenarioFile('acme.scenarios.yaml');
 * if (!file) throw new Error(diagnostics.map((d) => d.message).join('\n'));
 * ```
 */
export interface LoadScenarioResult {
  file: ScenarioFile | null;
  diagnostics: Diagnostic<ScenarioCode>[];
  source: string;
}

const START: Range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

function ioMessage(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? String(e));
}

/**
 * Reads, parses and validates a scenario file and the sample files its cases name, as `claimmap simulate` reads
 * samples (`readSampleFile`: size cap, claim readers, claim-set JSON or a one-sample YAML file). On any error
 * `file` is null.
 *
 * @example
 * ```ts
 * const { file, diagnostics, source } = loadScenarioFile('examples/okta-saml/acme.scenarios.yaml');
 * if (!file) process.stderr.write(renderTextReport(diagnostics, { sources: new Map([[path, source]]) }));
 * ```
 */
export function loadScenarioFile(path: string, options: LoadScenarioOptions = {}): LoadScenarioResult {
  const full = resolve(options.cwd ?? process.cwd(), path);
  let source: string;
  const maxBytes = options.maxBytes ?? SCENARIO_LIMITS.maxBytes;
  try {
    if (statSync(full).size > maxBytes) {
      const d: Diagnostic<ScenarioCode> = {
        code: 'scenario/too-large',
        severity: 'error',
        message: `The file is larger than ${maxBytes} bytes.`,
        file: path,
        range: START,
        hint: 'raise maxBytes or split the file',
      };
      return { file: null, diagnostics: [d], source: '' };
    }
    source = readFileSync(full, 'utf8');
  } catch (e) {
    const d: Diagnostic<ScenarioCode> = {
      code: 'scenario/unreadable',
      severity: 'error',
      message: `Cannot read the scenario file: ${ioMessage(e)}.`,
      file: path,
      range: START,
    };
    return { file: null, diagnostics: [d], source: '' };
  }
  const { cwd: _cwd, claims: claimOptions, maxSampleBytes, ...limits } = options;
  const sampleOptions = {
    maxFileBytes: maxSampleBytes ?? LOAD_SAMPLES_DEFAULTS.maxFileBytes,
    maxAliasCount: limits.maxAliasCount ?? SCENARIO_LIMITS.maxAliasCount,
    ...(claimOptions ? { claims: claimOptions } : {}),
  };
  const parsed = parseScenarios(source, { ...limits, filename: path });
  if (!parsed.file) return { file: null, diagnostics: parsed.diagnostics, source };

  const diagnostics = [...parsed.diagnostics];
  const problem = (code: ScenarioCode, message: string, range: Range) =>
    diagnostics.push({ code, severity: 'error', message, file: path, range });
  const cache = new Map<string, ClaimSet | null>();
  for (const c of parsed.file.cases) {
    if (c.input.kind !== 'sample') continue;
    const samplePath = resolve(dirname(full), c.input.path);
    if (!cache.has(samplePath)) {
      let cs: ClaimSet | null = null;
      try {
        const read = readSampleFile(samplePath, c.input.path, sampleOptions);
        if (read.length === 1) cs = defined(read[0]).claimSet;
        else
          problem(
            'scenario/sample-invalid',
            `The sample ${c.input.path} holds ${read.length} samples; a case needs one.`,
            c.input.range,
          );
      } catch (e) {
        if (!isSimulateError(e)) throw e;
        if (e.code === 'simulate/unreadable-sample') {
          problem(
            'scenario/sample-unreadable',
            `Cannot read the sample ${c.input.path}: ${ioMessage(e.cause)}.`,
            c.input.range,
          );
        } else {
          const why =
            e.cause instanceof ClaimmapError
              ? `${String(e.cause.code)}: ${e.cause.message}`
              : `${e.code}: ${e.message}`;
          problem('scenario/sample-invalid', `The sample ${c.input.path} is not a claim set: ${why}.`, c.input.range);
        }
      }
      cache.set(samplePath, cs);
    } else if (cache.get(samplePath) === null) {
      problem('scenario/sample-unreadable', `The sample ${c.input.path} could not be read (see above).`, c.input.range);
    }
    const cs = cache.get(samplePath);
    if (cs) c.input.claimSet = cs;
  }
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { file: ok ? parsed.file : null, diagnostics: sortDiagnostics(diagnostics), source };
}
