/**
 * The YAML step shared by sample files and scenario files: parse the text, report every syntax error with its
 * offsets, and turn the documents into data with the alias limit applied inside a try (yaml throws a bare
 * ReferenceError past `maxAliasCount`: the billion-laughs guard must become a coded problem, never escape).
 */
import { parseAllDocuments, parseDocument, type Document } from 'yaml';
import { defined } from '../model/invariant.js';

/**
 * One problem of {@link readYamlData}: a one-line message and the offsets `[start, end)` it concerns. `kind` is
 * `syntax` (yaml's errors, duplicate keys included) or `to-data` (converting failed: more than `maxAliasCount`).
 */
export interface YamlProblem {
  kind: 'syntax' | 'to-data';
  message: string;
  start: number;
  end: number;
}

/** Options of {@link readYamlData}. */
export interface ReadYamlDataOptions {
  /** Most alias dereferences while converting to data (yaml's billion-laughs guard). Required: each caller documents its default. */
  maxAliasCount: number;
  /** Accept a stream of several documents (`---`). Default false: a second document is a syntax problem. */
  multiDocument?: boolean;
}

/** The result of {@link readYamlData}: one `documents` and one `values` entry per document, or the problems. */
export type YamlData = { ok: true; documents: Document[]; values: unknown[] } | { ok: false; problems: YamlProblem[] };

/** The first line of a yaml error message, without yaml's own "at line L, column C" suffix. */
export const firstLine = (s: string): string =>
  defined(s.split('\n')[0])
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();

/**
 * Parses YAML text (unique keys, source tokens kept for locating nodes) and converts each document to data.
 * Never throws on the text: syntax errors, duplicate keys and an exceeded alias limit are problems.
 *
 * @example
 * ```ts
 * const r = readYamlData('a: &x [1]\nb: *x\n', { maxAliasCount: 100 });
 * if (r.ok) r.values[0] // { a: [1], b: [1] }
 * ```
 */
export function readYamlData(text: string, options: ReadYamlDataOptions): YamlData {
  const parseOptions = { keepSourceTokens: true, prettyErrors: false, uniqueKeys: true } as const;
  const parsed = options.multiDocument ? parseAllDocuments(text, parseOptions) : [parseDocument(text, parseOptions)];
  const documents: Document[] = Array.isArray(parsed) ? parsed : [parsed];
  const problems: YamlProblem[] = [];
  for (const doc of documents) {
    for (const e of doc.errors)
      problems.push({ kind: 'syntax', message: firstLine(e.message), start: e.pos[0], end: e.pos[1] });
  }
  if (problems.length > 0) return { ok: false, problems };
  const values: unknown[] = [];
  for (const doc of documents) {
    try {
      values.push(doc.toJS({ maxAliasCount: options.maxAliasCount }) as unknown);
    } catch (e) {
      const at = doc.range?.[0] ?? 0;
      return {
        ok: false,
        problems: [
          { kind: 'to-data', message: firstLine(e instanceof Error ? e.message : String(e)), start: at, end: at },
        ],
      };
    }
  }
  return { ok: true, documents, values };
}
