/**
 * The catalogue of import notes: every code an importer may report, its default severity and what it means. One
 * list for every importer; docs/migrate.md documents each code (a test checks that every code here is there).
 * Codes are stable API (extended, never renamed), kebab-case, prefixed `import/`.
 */
import type { ImportNote, SourceLocation } from './types.js';

/** One entry of {@link IMPORT_NOTES}. */
export interface NoteInfo {
  severity: ImportNote['severity'];
  /** What the code means, one sentence (docs/migrate.md says more). */
  summary: string;
}

/**
 * Every import note code. `error`: a construct was not translated (the mapping would not behave as the source did),
 * or the import failed; `warning`: translated with a difference the user must review; `info`: translated as is, or
 * skipped on purpose (a disabled mapper).
 */
export const IMPORT_NOTES = {
  'import/invalid-input': {
    severity: 'error',
    summary: 'The file could not be read as the expected format (syntax, duplicate key, wrong shape or type).',
  },
  'import/no-idp': {
    severity: 'error',
    summary: 'The file holds no identity provider (role, connection) to import, or not the one --idp names.',
  },
  'import/choose-idp': {
    severity: 'error',
    summary: 'The file holds several identity providers (roles, connections): --idp must name one.',
  },
  'import/internal': {
    severity: 'error',
    summary:
      'The generated mapping does not lint, or the importer failed on the file: a bug in the importer (please report it with the input).',
  },
  'import/lint-warning': {
    severity: 'warning',
    summary: 'The generated mapping lints with a warning, repeated here (stale access, an unsafe key, ...).',
  },
  'import/untranslated': {
    severity: 'error',
    summary: 'A construct claimmap has no equivalent for: left out of the mapping, with why.',
  },
  'import/unknown-construct': {
    severity: 'error',
    summary: 'A construct the importer does not know (an unknown mapper type or key): left out.',
  },
  'import/regex-unsupported': {
    severity: 'error',
    summary: 'A regex uses what RE2 cannot express (lookaround, backreference, possessive): the rule is left out.',
  },
  'import/regex-anchored': {
    severity: 'info',
    summary: 'A regex the source matches as a whole string was anchored (^(?:...)$) to keep that meaning.',
  },
  'import/glob-translated': {
    severity: 'info',
    summary: 'A glob pattern was translated to an anchored regex with the same meaning.',
  },
  'import/keyed-on-email': {
    severity: 'error',
    summary:
      'The source keyed accounts on an email (or another mutable claim); the mapping keys on the durable subject.',
  },
  'import/linked-by-email': {
    severity: 'error',
    summary: 'The source links a login to an existing account by email; the mapping refuses an email conflict instead.',
  },
  'import/case-insensitive': {
    severity: 'warning',
    summary: 'The source compared a value case-insensitively; the mapping compares exactly.',
  },
  'import/substring-match': {
    severity: 'warning',
    summary: 'The source matched a value by substring or prefix; the mapping matches the whole value.',
  },
  'import/grants-on-missing-claim': {
    severity: 'warning',
    summary: 'The source granted something when a claim was missing; the mapping does not.',
  },
  'import/sync-mode': {
    severity: 'warning',
    summary: 'A sync mode of the source was translated to the closest claimmap policy, with the difference stated.',
  },
  'import/hardcoded': {
    severity: 'info',
    summary:
      'A role or value the source gives every login of this identity provider, translated as an unconditional grant or constant.',
  },
  'import/gate': {
    severity: 'info',
    summary: 'A condition the source requires of every login, translated as a `require` gate.',
  },
  'import/disabled': {
    severity: 'info',
    summary: 'A construct disabled in the source, skipped.',
  },
  'import/ignored': {
    severity: 'info',
    summary: 'A setting with no effect on claim mapping (display name, UI order, token lifetimes), skipped.',
  },
  'import/multi-valued': {
    severity: 'warning',
    summary:
      'The source reads a claim that may carry several values differently than claimmap does (first value, any value).',
  },
  'import/issuer-missing': {
    severity: 'error',
    summary: 'No issuer is given or can be derived: the mapping names https://issuer.invalid, which admits no login.',
  },
  'import/issuer-derived': {
    severity: 'warning',
    summary: 'The issuer was derived from another setting (an authorize URL), not given: check it before use.',
  },
  'import/invalid-role': {
    severity: 'warning',
    summary: 'The source can produce a role name that is not one of its roles; the source ignores or refuses it.',
  },
  'import/as-entitlement': {
    severity: 'info',
    summary: 'A per-organisation or prefixed grant became an entitlement, which the application applies.',
  },
  'import/approximated': {
    severity: 'warning',
    summary:
      "A corner of the source system's semantics (a value type, a number's spelling) that the mapping or --compare does not reproduce exactly; the note states the difference.",
  },
} as const satisfies Record<string, NoteInfo>;

/** A code of {@link IMPORT_NOTES}. */
export type ImportNoteCode = keyof typeof IMPORT_NOTES;

/**
 * Builds a note with the catalogue's severity (or `severity` when given).
 *
 * @example
 * ```ts
 * note('import/untranslated', 'the mapper type "x" has no equivalent', doc.at('/identityProviderMappers/2'));
 * ```
 */
export function note(
  code: ImportNoteCode,
  message: string,
  location: SourceLocation,
  extra: { hint?: string | undefined; severity?: ImportNote['severity'] } = {},
): ImportNote {
  return {
    code,
    severity: extra.severity ?? IMPORT_NOTES[code].severity,
    message,
    location,
    ...(extra.hint !== undefined ? { hint: extra.hint } : {}),
  };
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/** Notes in file order (line, column), then by severity and code, so output and golden files are stable. */
export function sortNotes(notes: readonly ImportNote[]): ImportNote[] {
  return [...notes].sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      RANK[a.severity] - RANK[b.severity] ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
}

/** `realm.json:42:7: error import/untranslated: message` (and the hint on the next line). */
export function formatNote(n: ImportNote): string {
  const at = n.location.line > 0 ? `${n.location.file}:${n.location.line}:${n.location.column}` : n.location.file;
  const ptr = n.location.pointer !== undefined && n.location.pointer !== '' ? ` (${n.location.pointer})` : '';
  return `${at}: ${n.severity} ${n.code}: ${n.message}${ptr}\n${n.hint ? `  hint: ${n.hint}\n` : ''}`;
}
