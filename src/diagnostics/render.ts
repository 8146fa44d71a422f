/**
 * Renderers for diagnostics: text (file:line:col: severity code: message, source line, caret), JSON, SARIF 2.1.0
 * and GitHub Actions workflow commands.
 */
import type { Diagnostic } from './diagnostic.js';
import { diagnosticHelpUri } from './docs-link.js';
import { LineCounter } from './line-counter.js';
import { plural } from './plural.js';
import { defined } from '../model/invariant.js';

/**
 * Options of {@link renderText} and {@link renderTextReport}: the sources to quote, and ANSI colour.
 *
 * @example
 * ```ts
 * const options: TextRenderOptions = { sources: new Map([['acme.claimmap', text]]), color: process.stderr.isTTY };
 * process.stderr.write(renderTextReport(diagnostics, options));
 * ```
 */
export interface TextRenderOptions {
  /** File contents by file name, to show the source line and a caret. */
  sources?: ReadonlyMap<string, string>;
  color?: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

/** Expands tabs so the caret lines up, and shows control characters visibly. */
function visible(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: C0 controls and DEL in a source line are shown as a dot
  return line.replace(/\t/g, '    ').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '\u00b7');
}

/**
 * Renders one diagnostic as text, cel-go / yaml style:
 * ```
 * okta.claimmap:12:24: error literal/never-matches: "Okta-Admins" can never match 'groups': ...
 *     grant admin when "Okta-Admins" in groups
 *                      ^~~~~~~~~~~~~
 *   hint: write "okta-admins"
 * ```
 *
 * @example
 * ```ts
 * console.error(renderText(diagnostics[0]!, { sources: new Map([['acme.claimmap', text]]) }));
 * ```
 */
export function renderText(
  d: Diagnostic<string>,
  options: TextRenderOptions = {},
  cache = new Map<string, LineCounter>(),
): string {
  const c = options.color ?? false;
  const sevColor = d.severity === 'error' ? '31;1' : d.severity === 'warning' ? '33;1' : '36;1';
  const { line, column } = d.range.start;
  let out =
    `${paint(c, '1', `${d.file}:${line}:${column}`)}: ${paint(c, sevColor, d.severity)} ` +
    `${paint(c, '2', d.code)}: ${d.message}`;
  const src = options.sources?.get(d.file);
  if (src !== undefined) {
    let lc = cache.get(d.file);
    if (!lc) {
      lc = new LineCounter(src);
      cache.set(d.file, lc);
    }
    const text = lc.lineText(src, line);
    if (text.length <= 400) {
      const before = visible(text.slice(0, column - 1));
      const sameLine = d.range.end.line === line;
      const width = Math.max(
        1,
        sameLine
          ? visible(text.slice(column - 1, d.range.end.column - 1)).length
          : visible(text.slice(column - 1)).length,
      );
      out +=
        `\n    ${visible(text)}\n    ` +
        `${' '.repeat(before.length)}${paint(c, sevColor, `^${'~'.repeat(Math.max(0, width - 1))}`)}`;
    }
  }
  if (d.hint) out += `\n  ${paint(c, '36', 'hint')}: ${d.hint}`;
  for (const r of d.related ?? [])
    out += `\n  ${paint(c, '2', `${r.file}:${r.range.start.line}:${r.range.start.column}`)}: ${r.message}`;
  return out;
}

/**
 * Renders every diagnostic as text, followed by a summary line.
 *
 * @example
 * ```ts
 * const { diagnostics } = compile(text, { filename: 'acme.claimmap' });
 * process.stderr.write(renderTextReport(diagnostics));
 * ```
 */
export function renderTextReport(
  ds: readonly Diagnostic<string>[],
  options: TextRenderOptions & { files?: number } = {},
): string {
  const cache = new Map<string, LineCounter>();
  const parts = ds.map((d) => renderText(d, options, cache));
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.filter((d) => d.severity === 'warning').length;
  const files = options.files !== undefined ? ` in ${plural(options.files, 'file')}` : '';
  parts.push(
    ds.length === 0 ? `no problems${files}` : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}${files}`,
  );
  return `${parts.join('\n\n')}\n`;
}

/**
 * JSON: an array of diagnostics exactly as the API returns them.
 *
 * @example
 * ```ts
 * writeFileSync('lint.json', renderJson(diagnostics));
 * ```
 */
export function renderJson(ds: readonly Diagnostic<string>[]): string {
  return `${JSON.stringify(ds, null, 2)}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/**
 * SARIF 2.1.0, one run, for code-scanning uploads. Each rule (a code used by the diagnostics) has its summary, its
 * default level, and a `helpUri` to its section of docs/diagnostics.md; each result points at its rule by index.
 *
 * @example
 * ```ts
 * writeFileSync('lint.sarif', renderSarif(diagnostics, diagnosticCatalogue(), VERSION));
 * ```
 */
export function renderSarif(
  ds: readonly Diagnostic<string>[],
  rules: readonly { code: string; summary: string; severity?: Diagnostic['severity'] }[],
  version: string,
): string {
  const used = [...new Set(ds.map((d) => d.code))].sort();
  const info = new Map(rules.map((r) => [r.code, r]));
  const index = new Map(used.map((id, i) => [id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'claimmap',
            version,
            informationUri: 'https://www.npmjs.com/package/claimmap',
            rules: used.map((id) => {
              const r = info.get(id);
              return {
                id,
                shortDescription: { text: r?.summary ?? id },
                helpUri: diagnosticHelpUri(id),
                ...(r?.severity ? { defaultConfiguration: { level: SARIF_LEVEL[r.severity] } } : {}),
              };
            }),
          },
        },
        results: ds.map((d) => ({
          ruleId: d.code,
          ruleIndex: defined(index.get(d.code)),
          level: SARIF_LEVEL[d.severity],
          message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file.replace(/\\/g, '/') },
                region: {
                  startLine: d.range.start.line,
                  startColumn: d.range.start.column,
                  endLine: d.range.end.line,
                  endColumn: d.range.end.column,
                },
              },
            },
          ],
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`).
 *
 * @example
 * ```ts
 * process.stdout.write(renderGithub(diagnostics)); // ::error file=acme.claimmap,line=3,col=5::...
 * ```
 */
export function renderGithub(ds: readonly Diagnostic<string>[]): string {
  return ds
    .map((d) => {
      const kind = d.severity === 'info' ? 'notice' : d.severity;
      const props = `file=${escapeProp(d.file)},line=${d.range.start.line},col=${d.range.start.column},endLine=${d.range.end.line},endColumn=${d.range.end.column},title=${escapeProp(d.code)}`;
      return `::${kind} ${props}::${escapeData(d.hint ? `${d.message} (hint: ${d.hint})` : d.message)}\n`;
    })
    .join('');
}
