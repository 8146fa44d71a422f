import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { diagnosticCatalogue } from '../../check/catalogue.js';
import { lint } from '../../compile/compile.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderGithub, renderJson, renderSarif, renderTextReport } from '../../diagnostics/render.js';
import { sortDiagnostics } from '../../diagnostics/sort.js';
import { VERSION } from '../../version.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { findFiles } from '../files.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export const command: Command = {
  name: 'lint',
  summary: 'check mapping files (file:line:col diagnostics; for pre-commit and CI)',
  help: `Usage: claimmap lint [paths or globs...] [options]

Checks .claimmap files: syntax, types, durable keys, fail-closed rules, regex safety,
privileged roles and lifecycle. With no paths, lints every *.claimmap below the current
directory (skipping node_modules, .git and dist).

Options:
  --format <f>          text (default), json, sarif (code scanning) or github (annotations)
  --max-warnings <n>    exit 1 when there are more than n warnings (default: unlimited)
  --max-diagnostics <n> at most n diagnostics per file (default 100)
  --quiet               report errors only
  --no-color            plain text even on a terminal (also NO_COLOR=1)

Exit codes: 0 clean, 1 errors (or too many warnings), 2 usage or I/O error.

Examples:
  claimmap lint examples/
  claimmap lint 'mappings/**/*.claimmap' --format sarif > claimmap.sarif
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      'max-warnings': { type: 'string' },
      'max-diagnostics': { type: 'string' },
      quiet: { type: 'boolean' },
      'no-color': { type: 'boolean' },
    });
    const format = oneOf('format', values.format, FORMATS, 'text');
    const maxWarnings = intOption('max-warnings', values['max-warnings'], { min: 0, dflt: undefined });
    const maxDiagnostics = intOption('max-diagnostics', values['max-diagnostics'], { min: 0, dflt: undefined });
    const { files, missing } = findFiles(positionals, io.cwd);
    if (missing.length) {
      io.stderr(`claimmap lint: no such file or no match: ${missing.join(', ')}\n`);
      return 2;
    }
    if (!files.length) {
      io.stderr('claimmap lint: no .claimmap files found\n');
      return 2;
    }
    const sources = new Map<string, string>();
    let all: Diagnostic[] = [];
    for (const f of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(resolve(io.cwd, f));
      } catch (e) {
        io.stderr(`claimmap lint: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return 2;
      }
      sources.set(f, bytes.toString('utf8'));
      all.push(...lint(bytes, { filename: f, ...(maxDiagnostics !== undefined ? { maxDiagnostics } : {}) }));
    }
    all = sortDiagnostics(values.quiet ? all.filter((d) => d.severity === 'error') : all);
    const color = format === 'text' && io.isTTY && !values['no-color'] && !io.env.NO_COLOR;
    if (format === 'text') io.stdout(renderTextReport(all, { sources, color, files: files.length }));
    else if (format === 'json') io.stdout(renderJson(all));
    else if (format === 'sarif') io.stdout(renderSarif(all, diagnosticCatalogue(), VERSION));
    else io.stdout(renderGithub(all));
    const errors = all.some((d) => d.severity === 'error');
    const warnings = all.filter((d) => d.severity === 'warning').length;
    if (errors) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr(`claimmap lint: ${warnings} warnings, over --max-warnings ${maxWarnings}\n`);
      return 1;
    }
    return 0;
  },
};
