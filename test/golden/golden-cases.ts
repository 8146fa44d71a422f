/**
 * The golden diagnostic cases: one minimal mapping per diagnostic code under test/golden/diagnostics/, named after
 * the code with '/' replaced by '__' (`key/mutable-claim` → `key__mutable-claim.claimmap`). A case may have a
 * sidecar `<name>.options.json` with compile options (small limits for `syntax/too-large`,
 * `diagnostics/too-many`). Shared by the golden test and scripts/gen-diagnostics-doc.ts.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileOptions } from '../../src/compile/compile.js';

/** The folder holding the golden cases. */
export const GOLDEN_DIR = fileURLToPath(new URL('./diagnostics/', import.meta.url));

/** Compile options a sidecar may set: only the documented limits. */
const OPTION_KEYS = ['maxLength', 'maxNesting', 'maxDiagnostics'] as const;

export interface GoldenCase {
  /** File stem, e.g. `key__mutable-claim`. */
  name: string;
  /** The diagnostic code the case must trigger, e.g. `key/mutable-claim`. */
  code: string;
  /** The file name used in diagnostics (`<name>.claimmap`). */
  filename: string;
  /** The raw bytes of the mapping. */
  bytes: Uint8Array;
  /** The text (lossily decoded when the bytes are not valid UTF-8). */
  text: string;
  /** True when the bytes are not valid UTF-8: the case is compiled as a Uint8Array. */
  binary: boolean;
  /** Options from the sidecar `<name>.options.json`, with the file name. */
  options: CompileOptions;
}

/**
 * The diagnostic code a golden file stem stands for.
 *
 * @example
 * ```ts
 * codeOfCase('key__mutable-claim'); // 'key/mutable-claim'
 * ```
 */
export function codeOfCase(name: string): string {
  return name.replace(/__/g, '/');
}

/**
 * The golden file stem for a diagnostic code.
 *
 * @example
 * ```ts
 * caseOfCode('syntax/too-large'); // 'syntax__too-large'
 * ```
 */
export function caseOfCode(code: string): string {
  return code.replace(/\//g, '__');
}

function readOptions(name: string): Record<string, number> {
  const path = join(GOLDEN_DIR, `${name}.options.json`);
  if (!existsSync(path)) return {};
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new TypeError(`${name}.options.json must hold an object`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!(OPTION_KEYS as readonly string[]).includes(k)) throw new TypeError(`${name}.options.json: unknown option '${k}' (allowed: ${OPTION_KEYS.join(', ')})`);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new TypeError(`${name}.options.json: '${k}' must be a non-negative integer`);
    out[k] = v;
  }
  return out;
}

/**
 * Every golden case, sorted by name.
 *
 * @example
 * ```ts
 * for (const c of loadGoldenCases()) compile(c.binary ? c.bytes : c.text, c.options);
 * ```
 */
export function loadGoldenCases(): GoldenCase[] {
  return readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.claimmap'))
    .sort()
    .map((file): GoldenCase => {
      const name = file.slice(0, -'.claimmap'.length);
      const bytes = new Uint8Array(readFileSync(join(GOLDEN_DIR, file)));
      let text: string;
      let binary = false;
      try {
        text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
        binary = true;
      }
      return { name, code: codeOfCase(name), filename: file, bytes, text, binary, options: { ...readOptions(name), filename: file } };
    });
}

/** Every file in the golden folder that is not a case, a sidecar or a golden output of an existing case. */
export function strayGoldenFiles(): string[] {
  const names = new Set(loadGoldenCases().map((c) => c.name));
  return readdirSync(GOLDEN_DIR).filter((f) => {
    const m = /^(.*?)(\.claimmap|\.options\.json|\.txt)$/.exec(f);
    return !m || !names.has(m[1]!);
  });
}
