import { diagnosticCatalogue } from '../../check/catalogue.js';
import { lint } from '../../compile/compile.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { plural } from '../../diagnostics/plural.js';
import { renderGithub, renderJson, renderSarif, renderTextReport } from '../../diagnostics/render.js';
import { sortDiagnostics } from '../../diagnostics/sort.js';
import { VERSION } from '../../version.js';
import { intOption, oneOf, parseCommandArgs } from '../args.js';
import { colorEnabled } from '../color.js';
import type { Command } from '../command.js';
import { findFiles, INPUT_OPTIONS, INPUT_OPTIONS_HELP } from '../files.js';
import { formatInputProblem } from '../input-errors.js';
import { readInput } from '../read-input.js';
import { readStdinText, STDIN_NAME, wantsStdin } from '../stdin.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export const command: Command = {
  name: 'lint',
  summary: 'check mapping files (file:line:col diagnostics; for pre-commit and CI)',
  help: `Usage: claimmap lint [paths, directories or globs...] [options]
       claimmap lint - [--stdin-filename <name>] < mapping.claimmap

Checks .claimmap files: syntax, types, durable keys, fail-closed rules, regex safety,
privileged roles and lifecycle. With no paths, lints every *.claimmap below the current
directory (skipping node_modules, .git and dist). Globs ('maps/**/*.claimmap', {a,b}) are
expanded by claimmap; an argument starting with ! excludes what it matches. Files listed in
./.claimmapignore (.gitignore syntax) are skipped.

Options:
  --format <f>          text (default), json, sarif (code scanning) or github (annotations)
  --max-warnings <n>    exit 1 when there are more than n warnings (default: unlimited)
  --max-diagnostics <n> at most n diagnostics per file (default 100)
  --quiet               report errors only (warnings still count for --max-warnings)
${INPUT_OPTIONS_HELP}
  --color, --no-color   force colour on or off (default: on a terminal, unless NO_COLOR)

Exit codes: 0 clean, 1 errors (or too many warnings), 2 usage or I/O error
(error input/not-found, input/no-match, input/unreadable).

Examples:
  claimmap lint examples/
  claimmap lint 'mappings/**/*.claimmap' '!mappings/legacy/**' --format sarif > claimmap.sarif
  cat acme.claimmap | claimmap lint - --stdin-filename acme.claimmap
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      'max-warnings': { type: 'string' },
      'max-diagnostics': { type: 'string' },
      quiet: { type: 'boolean' },
      ...INPUT_OPTIONS,
    });
    const format = oneOf('format', values.format, FORMATS, 'text');
    const maxWarnings = intOption('max-warnings', values['max-warnings'], { min: 0, dflt: undefined });
    const maxDiagnostics = intOption('max-diagnostics', values['max-diagnostics'], { min: 0, dflt: undefined });
    const lintOptions = maxDiagnostics !== undefined ? { maxDiagnostics } : {};
    const sources = new Map<string, string>();
    let all: Diagnostic[] = [];
    let fileCount: number;
    if (wantsStdin(positionals, values['stdin-filename'])) {
      const name = values['stdin-filename'] ?? STDIN_NAME;
      const bytes = await readStdinText(io.stdin);
      sources.set(name, bytes.toString('utf8'));
      all.push(...lint(bytes, { filename: name, ...lintOptions }));
      fileCount = 1;
    } else {
      const { files, problems } = await findFiles(positionals, {
        cwd: io.cwd,
        ...(values['ignore-path'] !== undefined ? { ignorePath: values['ignore-path'] } : {}),
        ...(values['ignore-pattern'] !== undefined ? { ignorePatterns: values['ignore-pattern'] } : {}),
        errorOnUnmatchedPattern: !values['no-error-on-unmatched-pattern'],
      });
      if (problems.length) {
        io.stderr(problems.map(formatInputProblem).join(''));
        return 2;
      }
      for (const f of files) {
        const bytes = readInput(f, io);
        sources.set(f, bytes.toString('utf8'));
        all.push(...lint(bytes, { filename: f, ...lintOptions }));
      }
      fileCount = files.length;
    }
    // ESLint's --max-warnings: "When used alongside --quiet, this will cause rules marked as warn to still be run,
    // but not reported." (https://eslint.org/docs/latest/use/command-line-interface#--max-warnings). So warnings
    // are counted before --quiet drops them from the report, and too many still fail the run.
    const warnings = all.filter((d) => d.severity === 'warning').length;
    all = sortDiagnostics(values.quiet ? all.filter((d) => d.severity === 'error') : all);
    const color = format === 'text' && colorEnabled(io);
    if (format === 'text') io.stdout(renderTextReport(all, { sources, color, files: fileCount }));
    else if (format === 'json') io.stdout(renderJson(all));
    else if (format === 'sarif') io.stdout(renderSarif(all, diagnosticCatalogue(), VERSION));
    else io.stdout(renderGithub(all));
    if (all.some((d) => d.severity === 'error')) return 1;
    if (maxWarnings !== undefined && warnings > maxWarnings) {
      io.stderr(
        `claimmap lint: ${plural(warnings, 'warning')}${values.quiet ? ' (not shown: --quiet)' : ''}, over --max-warnings ${maxWarnings}\n`,
      );
      return 1;
    }
    return 0;
  },
};
