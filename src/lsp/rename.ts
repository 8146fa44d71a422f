/**
 * Renaming a claim or a role everywhere it is written. A rename that would merge two symbols (the new name is
 * already a claim, or already a role), that is not a valid name, or that would make the mapping report an error
 * it did not report before, is refused with a message: the edit is checked by analysing the renamed text.
 */
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { describeNameProblem, nameProblem, quoteName } from '../names/name.js';
import { RESERVED_WORDS } from '../syntax/tokens.js';
import { type Analysis, analyze } from './analysis.js';
import { spanRange } from './convert.js';
import { type Occurrence, occurrenceAt, occurrences, sameSymbol } from './symbols.js';

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** A name that can be written without quotes. */
export function isBareName(name: string): boolean {
  return BARE_NAME.test(name) && !RESERVED_WORDS.has(name);
}

/** Writes a string literal of the language (its escapes are JSON's, which nameProblem keeps printable). */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}

export type RenameResult = { edits: TextEdit[] } | { refused: string };

/** The symbol at `offset` that can be renamed, or undefined. */
export function renameTarget(a: Analysis, offset: number): Occurrence | undefined {
  return a.model ? occurrenceAt(occurrences(a.model), offset) : undefined;
}

function invalidName(kind: Occurrence['kind'], newName: string): string | undefined {
  if (kind === 'claim') {
    if (!BARE_NAME.test(newName))
      return `'${newName}' is not a claim name (letters, digits, _ and -, not first a digit)`;
    if (RESERVED_WORDS.has(newName)) return `'${newName}' is a reserved word`;
    return undefined;
  }
  const problem = nameProblem(newName);
  return problem === null ? undefined : `the role name ${quoteName(newName)} ${describeNameProblem(problem)}`;
}

/** The text of one occurrence after the rename: a role keeps its quotes, and gets them when the name needs them. */
function written(o: Occurrence, newName: string): string {
  if (o.kind === 'role' && (o.quoted || !isBareName(newName))) return stringLiteral(newName);
  return newName;
}

/**
 * The edits renaming the claim or role at `offset` to `newName`, or why it is refused.
 *
 * @example
 * ```ts
 * const r = renameSymbol(analysis, doc, doc.offsetAt(position), 'groups_all');
 * if ('refused' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.refused);
 * ```
 */
export function renameSymbol(a: Analysis, doc: TextDocument, offset: number, newName: string): RenameResult {
  if (!a.model) return { refused: 'the mapping does not parse: fix the syntax errors first' };
  const all = occurrences(a.model);
  const target = occurrenceAt(all, offset);
  if (!target) return { refused: 'only claims and roles can be renamed' };
  if (newName === target.name) return { edits: [] };
  const invalid = invalidName(target.kind, newName);
  if (invalid) return { refused: invalid };
  if (sameSymbol(all, { kind: target.kind, name: newName }).length)
    return { refused: `a ${target.kind} named ${quoteName(newName)} already exists: renaming would merge the two` };
  const places = sameSymbol(all, target);
  const edits = places.map((o) => ({ range: spanRange(doc, o.span), newText: written(o, newName) }));
  const after = applyEdits(a.text, places, newName);
  const introduced = newErrors(a, analyze(after, doc.uri, -1));
  if (introduced.length)
    return { refused: `renaming to ${quoteName(newName)} would introduce ${introduced.join(', ')}` };
  return { edits };
}

/** The error codes `after` reports more often than `before`. */
function newErrors(before: Analysis, after: Analysis): string[] {
  const count = (a: Analysis): Map<string, number> => {
    const m = new Map<string, number>();
    for (const d of a.diagnostics) if (d.severity === 'error') m.set(d.code, (m.get(d.code) ?? 0) + 1);
    return m;
  };
  const b = count(before);
  return [...count(after)].filter(([code, n]) => n > (b.get(code) ?? 0)).map(([code]) => code);
}

function applyEdits(text: string, places: readonly Occurrence[], newName: string): string {
  let out = '';
  let at = 0;
  for (const o of [...places].sort((x, y) => x.span.start - y.span.start)) {
    out += text.slice(at, o.span.start) + written(o, newName);
    at = o.span.end;
  }
  return out + text.slice(at);
}
