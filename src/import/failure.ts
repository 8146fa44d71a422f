/**
 * An import that produced no mapping, and the one guard every importer runs behind: an importer is pure and must not
 * throw on any input text (types.ts), so an exception inside one is a bug of the importer. The guard turns it into an
 * `import/internal` error note on the file as a whole, never a crash of `claimmap import` and never a silent empty
 * result.
 */
import { note } from './notes.js';
import type { ImportKind, ImportNote, ImportOptions, ImportResult, Importer } from './types.js';

/**
 * The result of an import that translated nothing: no source, no semantics, only the notes saying why.
 *
 * @example
 * ```ts
 * return failedImport('vault', [note('import/no-idp', 'the file holds no role', fileStart(file))]);
 * ```
 */
export function failedImport(kind: ImportKind, notes: ImportNote[]): ImportResult {
  return { kind, source: '', notes, semantics: null };
}

/**
 * Wraps an importer's body: what it throws becomes an `import/internal` note (`the Vault importer failed: ...`) on
 * the file, with no mapping.
 *
 * @example
 * ```ts
 * export const importer = guardImporter('vault', 'Vault', importVault);
 * ```
 */
export function guardImporter(
  kind: ImportKind,
  product: string,
  run: (text: string, options: ImportOptions) => ImportResult,
): Importer {
  return (text, options) => {
    try {
      return run(text, options);
    } catch (e) {
      return failedImport(kind, [
        note(
          'import/internal',
          `the ${product} importer failed: ${e instanceof Error ? e.message : String(e)}`,
          { file: options.file, line: 0, column: 0 },
          { hint: 'This is a bug of the importer: please report it with the input file.' },
        ),
      ]);
    }
  };
}
