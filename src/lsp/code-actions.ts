/**
 * Quick fixes for the diagnostics whose fix is mechanical: one deterministic edit, computed from the diagnostic's
 * range and the document (never from free text, except the checker's own `did you mean 'x'?` suggestion).
 * The codes fixed are listed in QUICK_FIX_CODES (and in docs/editors.md).
 */
import { type CodeAction, CodeActionKind, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Analysis } from './analysis.js';
import { spanRange, toLspDiagnostic } from './convert.js';

interface Fix {
  title: string;
  edits: { start: number; end: number; text: string }[];
  preferred?: boolean;
}

/** Codes with a quick fix (besides any diagnostic whose hint is the checker's `did you mean 'x'?`). */
export const QUICK_FIX_CODES = [
  'normalize/duplicate',
  'normalize/non-string',
  'type/duplicate-enum-value',
  'claim/saml-path',
  'regex/unanchored',
  'roles/add-mode',
  'trusted/unneeded',
  'unsafe/unneeded',
  'idp/invalid-alias',
  'key/optional-claim',
  'profile/clear-needs-always',
  'absent/not-collection',
  'absent/required',
  'absent/unknown-value',
  'type/quantifier',
  'literal/never-matches',
  'syntax/unterminated-string',
] as const;

/** Moves `start` back over spaces and tabs (and a comma when asked), so a deletion leaves no gap. */
function back(text: string, start: number, comma = false): number {
  let s = start;
  while (s > 0 && /[ \t]/.test(text.charAt(s - 1))) s--;
  if (comma && text.charAt(s - 1) === ',') {
    s--;
    while (s > 0 && /[ \t]/.test(text.charAt(s - 1))) s--;
  }
  return s;
}

/** Deletes `keyword "<string>"` where the diagnostic is on the string. */
function removeKeyword(text: string, d: Diagnostic, keyword: string): Fix | null {
  const s = back(text, d.range.start.offset);
  if (!text.slice(0, s).endsWith(keyword)) return null;
  return {
    title: `Remove ${keyword} "..."`,
    edits: [{ start: back(text, s - keyword.length), end: d.range.end.offset, text: '' }],
    preferred: true,
  };
}

function fixesFor(a: Analysis, d: Diagnostic): Fix[] {
  const text = a.text;
  const start = d.range.start.offset;
  const end = d.range.end.offset;
  const here = text.slice(start, end);
  const replace = (title: string, by: string, preferred = true): Fix[] => [
    { title, edits: [{ start, end, text: by }], preferred },
  ];
  const suggestion = d.hint ? /^did you mean '([^']+)'\?$/.exec(d.hint)?.[1] : undefined;
  if (suggestion !== undefined) return replace(`Change to '${suggestion}'`, suggestion);
  switch (d.code) {
    case 'normalize/duplicate':
    case 'type/duplicate-enum-value':
      return [
        {
          title: `Remove the repeated ${here}`,
          edits: [{ start: back(text, start, true), end, text: '' }],
          preferred: true,
        },
      ];
    case 'normalize/non-string': {
      const decl = [...(a.model?.claims.values() ?? [])].find((c) => c.decl.normalize[0]?.span.start === start)?.decl;
      const last = decl?.normalize.at(-1);
      const s = back(text, start);
      if (!last || !text.slice(0, s).endsWith('normalize')) return [];
      return [
        {
          title: 'Remove normalize',
          edits: [{ start: back(text, s - 'normalize'.length), end: last.span.end, text: '' }],
          preferred: true,
        },
      ];
    }
    case 'claim/saml-path': {
      const m = /"(.*)"$/.exec(d.hint ?? '');
      return m ? replace('Write the source as one attribute name', `"${m[1]}"`) : [];
    }
    case 'regex/unanchored': {
      const m = /^\/(.*)\/([A-Za-z]*)$/s.exec(here);
      if (!m) return [];
      const body = (m[1] ?? '').replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
      return replace('Anchor the regex with ^...$', `/^${body}$/${m[2] ?? ''}`);
    }
    case 'roles/add-mode':
      return here === 'add' ? replace('Use replace', 'replace') : [];
    case 'trusted/unneeded':
      return [removeKeyword(text, d, 'trusted')].filter((f): f is Fix => f !== null);
    case 'unsafe/unneeded':
      return [removeKeyword(text, d, 'unsafe')].filter((f): f is Fix => f !== null);
    case 'idp/invalid-alias':
      return d.hint === 'remove it' ? [removeKeyword(text, d, 'alias')].filter((f): f is Fix => f !== null) : [];
    case 'key/optional-claim': {
      const presence = d.related?.[0]?.range;
      return presence
        ? [
            {
              title: 'Declare the key claim required',
              edits: [{ start: presence.start.offset, end: presence.end.offset, text: 'required' }],
              preferred: true,
            },
          ]
        : [];
    }
    case 'profile/clear-needs-always':
      return [{ title: 'Remove clear', edits: [{ start: back(text, start), end, text: '' }], preferred: true }];
    case 'absent/not-collection':
      return [{ title: 'Remove absent empty', edits: [{ start: back(text, start), end, text: '' }], preferred: true }];
    case 'absent/required': {
      const decl = [...(a.model?.claims.values() ?? [])].find((c) => c.decl.absent?.span.start === start)?.decl;
      const presence = decl?.presence;
      return [
        { title: 'Remove absent empty', edits: [{ start: back(text, start), end, text: '' }] },
        ...(presence
          ? [
              {
                title: 'Declare it optional',
                edits: [{ start: presence.span.start, end: presence.span.end, text: 'optional' }],
              },
            ]
          : []),
      ];
    }
    case 'absent/unknown-value':
      return replace('Write absent empty', 'empty');
    case 'type/quantifier':
      if (here === 'any' || here === 'all')
        return [
          {
            title: `Remove '${here}'`,
            edits: [{ start, end: end + (text.charAt(end) === ' ' ? 1 : 0), text: '' }],
            preferred: true,
          },
        ];
      return [
        { title: 'Match any of the values', edits: [{ start, end: start, text: 'any ' }], preferred: true },
        { title: 'Require all of the values to match', edits: [{ start, end: start, text: 'all ' }] },
      ];
    case 'literal/never-matches': {
      const m = /^write ("(?:[^"\\]|\\.)*")$/.exec(d.hint ?? '');
      return m?.[1] ? replace(`Write ${m[1]}`, m[1]) : [];
    }
    case 'syntax/unterminated-string':
      return [{ title: 'Close the string', edits: [{ start: end, end, text: '"' }], preferred: true }];
    default:
      return [];
  }
}

/**
 * The quick fixes of the diagnostics that touch `[start, end]`.
 *
 * @example
 * ```ts
 * connection.onCodeAction((p) => codeActions(analyses.get(doc), doc, doc.offsetAt(p.range.start), doc.offsetAt(p.range.end)));
 * ```
 */
export function codeActions(a: Analysis, doc: TextDocument, start: number, end: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of a.diagnostics) {
    if (d.range.end.offset < start || d.range.start.offset > end) continue;
    for (const f of fixesFor(a, d)) {
      const edits: TextEdit[] = f.edits.map((e) => ({ range: spanRange(doc, e), newText: e.text }));
      out.push({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [toLspDiagnostic(d, doc)],
        edit: { changes: { [doc.uri]: edits } },
        ...(f.preferred ? { isPreferred: true } : {}),
      });
    }
  }
  return out;
}
