/**
 * Where a construct is in the file an importer reads: JSON and YAML documents read once into data, with a map from
 * every JSON pointer to the offset of its key (or, for an array element, of the element), so a note can name
 * `realm.json:42:7 /identityProviderMappers/3`. JSON is read by the strict reader (duplicate keys refused, as a
 * configuration with two `config` keys would be read differently by two tools) and located by yaml's parser, which
 * reads JSON too; YAML is read by the shared yaml step of the simulator (unique keys, alias limit).
 */
import { isMap, isScalar, isSeq, type Node, type Document } from 'yaml';
import { LineCounter } from '../diagnostics/line-counter.js';
import { jsonPointer, parseStrictJson, toJsonData } from '../json/strict-json.js';
import type { JsonValue } from '../model/claim-set.js';
import { readYamlData } from '../simulate/yaml-data.js';
import { note } from './notes.js';
import type { ImportNote, SourceLocation } from './types.js';

/** Limits on an imported file: configuration files are small, and untrusted all the same. */
export const IMPORT_LIMITS = Object.freeze({ maxDepth: 64, maxAliasCount: 100, maxBytes: 4 << 20 });

/** One document read from a file: its data and the location of every pointer in it. */
export interface LocatedDocument {
  value: JsonValue;
  /** The location of `pointer` (its key, or its element); the closest located ancestor when it has none. */
  at(pointer: string): SourceLocation;
}

/** What {@link readJsonFile} and {@link readYamlFile} return: the documents, or the notes saying why not. */
export type ReadResult = { ok: true; documents: LocatedDocument[] } | { ok: false; notes: ImportNote[] };

/** Builds the pointer → offset table of a yaml document (pairs at their key, sequence items at the item). */
function offsets(doc: Document): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (node: unknown, keys: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const path = [...keys, k];
        const at = (pair.key as Node | null)?.range?.[0];
        if (at !== undefined) out.set(jsonPointer(path), at);
        walk(pair.value, path);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const path = [...keys, i];
        const at = (item as Node | null)?.range?.[0];
        if (at !== undefined) out.set(jsonPointer(path), at);
        walk(item, path);
      });
    }
  };
  const root = doc.contents as Node | null;
  if (root?.range) out.set('', root.range[0]);
  walk(root, []);
  return out;
}

function locator(file: string, lines: LineCounter, table: Map<string, number>): (pointer: string) => SourceLocation {
  return (pointer) => {
    let p = pointer;
    for (;;) {
      const off = table.get(p);
      if (off !== undefined) {
        const pos = lines.position(off);
        return { file, line: pos.line, column: pos.column, pointer };
      }
      if (p === '') return { file, line: 0, column: 0, pointer };
      p = p.slice(0, p.lastIndexOf('/'));
    }
  };
}

function tooLarge(text: string, file: string): ImportNote[] {
  return text.length > IMPORT_LIMITS.maxBytes
    ? [
        note('import/invalid-input', `the file is larger than ${IMPORT_LIMITS.maxBytes} characters`, {
          file,
          line: 0,
          column: 0,
        }),
      ]
    : [];
}

/**
 * Reads a JSON configuration file strictly and locates every pointer in it. Never throws on the text.
 *
 * @example
 * ```ts
 * const r = readJsonFile('{"a": [1, 2]}', 'x.json');
 * if (r.ok) r.documents[0].at('/a/1'); // { file: 'x.json', line: 1, column: 11, pointer: '/a/1' }
 * ```
 */
export function readJsonFile(text: string, file: string): ReadResult {
  const big = tooLarge(text, file);
  if (big.length) return { ok: false, notes: big };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter(body);
  const r = parseStrictJson(body, { maxDepth: IMPORT_LIMITS.maxDepth });
  if (!r.ok) {
    const pos = lines.position(r.problem.offset ?? 0);
    return {
      ok: false,
      notes: [
        note('import/invalid-input', `not valid JSON: ${r.problem.message}`, {
          file,
          line: pos.line,
          column: pos.column,
          pointer: r.problem.path,
        }),
      ],
    };
  }
  // yaml reads JSON; only its positions are used (the value is the strict reader's).
  const y = readYamlData(body, { maxAliasCount: IMPORT_LIMITS.maxAliasCount });
  const table = y.ok && y.documents[0] ? offsets(y.documents[0]) : new Map<string, number>();
  return { ok: true, documents: [{ value: r.value, at: locator(file, lines, table) }] };
}

/**
 * Reads a YAML file (one document, or a `---` stream with `multiDocument`) and locates every pointer in each
 * document. Never throws on the text.
 *
 * @example
 * ```ts
 * const r = readYamlFile('data:\n  policy.csv: |\n    g, admins, role:admin\n', 'rbac.yaml');
 * if (r.ok) r.documents[0].at('/data/policy.csv').line; // 2
 * ```
 */
export function readYamlFile(text: string, file: string, options: { multiDocument?: boolean } = {}): ReadResult {
  const big = tooLarge(text, file);
  if (big.length) return { ok: false, notes: big };
  const lines = new LineCounter(text);
  const y = readYamlData(text, {
    maxAliasCount: IMPORT_LIMITS.maxAliasCount,
    multiDocument: options.multiDocument ?? false,
  });
  if (!y.ok) {
    return {
      ok: false,
      notes: y.problems.map((p) => {
        const pos = lines.position(p.start);
        return note('import/invalid-input', `not valid YAML: ${p.message}`, {
          file,
          line: pos.line,
          column: pos.column,
        });
      }),
    };
  }
  const documents: LocatedDocument[] = [];
  for (let i = 0; i < y.documents.length; i++) {
    const data = toJsonData(y.values[i], { maxDepth: IMPORT_LIMITS.maxDepth });
    const doc = y.documents[i] as Document;
    if (!data.ok) {
      const pos = lines.position(doc.range?.[0] ?? 0);
      return {
        ok: false,
        notes: [
          note('import/invalid-input', `not plain data: ${data.problem.message}`, {
            file,
            line: pos.line,
            column: pos.column,
            pointer: data.problem.path,
          }),
        ],
      };
    }
    documents.push({ value: data.value, at: locator(file, lines, offsets(doc)) });
  }
  return { ok: true, documents };
}

/** The location of the start of a file (for notes about the file as a whole). */
export const fileStart = (file: string): SourceLocation => ({ file, line: 1, column: 1 });

/** `file:line` (or `file` when the line is unknown), as the emitter's `// from:` comments write it. */
export const where = (l: SourceLocation): string => (l.line > 0 ? `${l.file}:${l.line}` : l.file);
