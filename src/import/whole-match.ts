/**
 * Regexes of source systems that match a value as a whole string (Java's `String.matches`, used by Keycloak's
 * mappers): anchored for claimmap as `^(?:...)$`, checked against claimmap's RE2 subset, and refused with the
 * position of the first construct RE2 cannot express (lookaround, backreference, possessive and atomic groups,
 * inline flags, `\p{...}` classes, ...). Also the original engine's match, for `decide()`.
 */
import { analyzeRegex } from '../regex/analyze.js';
import { note } from './notes.js';
import type { ImportNote, SourceLocation } from './types.js';

/** The anchored source, or the notes saying why the regex cannot be translated. */
export type AnchoredRegex = { ok: true; source: string; notes: ImportNote[] } | { ok: false; notes: ImportNote[] };

/**
 * Anchors a whole-string regex (`^(?:re)$`) and checks it is in claimmap's RE2 subset. `at` locates the regex's
 * configuration value; a refusal names the offset in the pattern.
 *
 * @example
 * ```ts
 * anchorWholeMatch('admin|ops', at, 'Keycloak'); // { ok: true, source: '^(?:admin|ops)$', notes: [info] }
 * anchorWholeMatch('(?!guest).*', at, 'Keycloak'); // { ok: false, notes: [import/regex-unsupported] }
 * ```
 */
export function anchorWholeMatch(pattern: string, at: SourceLocation, system: string): AnchoredRegex {
  const source = `^(?:${pattern})$`;
  const a = analyzeRegex(source, '');
  if (!a.ok) {
    const issue = a.issues[0];
    const offset = issue ? Math.max(0, issue.offset - 4) : 0;
    return {
      ok: false,
      notes: [
        note(
          'import/regex-unsupported',
          `the regex ${JSON.stringify(pattern)} cannot be translated: at offset ${offset}, ${issue?.message ?? 'not RE2'} (${issue?.code ?? 'regex/syntax'})`,
          at,
          {
            hint: `rewrite it without lookaround, backreferences, possessive quantifiers or inline flags (RE2 syntax); ${system} matches it as a whole string`,
          },
        ),
      ],
    };
  }
  return {
    ok: true,
    source,
    notes: [
      note(
        'import/regex-anchored',
        `${system} matches ${JSON.stringify(pattern)} against the whole value: written as /${source}/`,
        at,
      ),
    ],
  };
}

/**
 * The original engine's whole-string match (Java `String.matches`), run on V8: null when V8 cannot compile the
 * pattern (a possessive quantifier, `\p{Alpha}`), in which case the original's behaviour is not reproduced and the
 * mapper is treated as never matching.
 *
 * @example
 * ```ts
 * wholeMatcher('adm.*')?.('admins'); // true
 * ```
 */
export function wholeMatcher(pattern: string): ((value: string) => boolean) | null {
  try {
    const rx = new RegExp(`^(?:${pattern})$`, 'u');
    return (v) => rx.test(v);
  } catch {
    try {
      const rx = new RegExp(`^(?:${pattern})$`);
      return (v) => rx.test(v);
    } catch {
      return null;
    }
  }
}
