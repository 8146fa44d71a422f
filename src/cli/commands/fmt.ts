import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plural } from '../../diagnostics/plural.js';
import { renderTextReport } from '../../diagnostics/render.js';
import { formatSource } from '../../syntax/format.js';
import { decodeSource } from '../../syntax/source.js';
import { parseCommandArgs } from '../args.js';
import { colorEnabled } from '../color.js';
import { UsageError, type CliIO, type Command } from '../command.js';
import { findFiles, INPUT_OPTIONS, INPUT_OPTIONS_HELP } from '../files.js';
import { formatDiff } from '../format-diff.js';
import { formatInputProblem } from '../input-errors.js';
import { readInput } from '../read-input.js';
import { readStdinText, STDIN_NAME, wantsStdin } from '../stdin.js';

export const command: Command = {
  name: 'fmt',
  summary: 'format mapping files canonically, keeping every comment (--check for CI, --write to rewrite)',
  help: `Usage: claimmap fmt [paths, directories or globs...] [--check | --write]
       claimmap fmt - [--check] [--stdin-filename <name>] < mapping.claimmap

Formats .claimmap files: two-space indentation, one declaration per line, claims and profile fields
aligned in columns. Every comment is kept, and CRLF files stay CRLF. The result is parsed again and
compared with the source: a file whose meaning would change is never written. Files with syntax
errors are reported and left alone. Paths, globs, ! exclusions and .claimmapignore work as for lint.

  (no flag)   print the formatted text of one file (or of standard input, -) to stdout
  --check     print a unified diff of each file that is not formatted; exit 1 if any (for pre-commit and CI)
  --write     rewrite the files that are not formatted

${INPUT_OPTIONS_HELP}

Exit codes: 0 done (or all formatted), 1 files to format or files with errors, 2 usage or I/O error
(error input/not-found, input/no-match, input/unreadable).
`,
  async run(args, io) {
    const { values, positionals } = parseFmtArgs(args);
    if (values.check && values.write) throw new UsageError('--check and --write exclude each other');
    const mode: Mode = values.check ? 'check' : values.write ? 'write' : 'print';
    const inputs = await selectInputs(positionals, values, mode, io);
    if (typeof inputs === 'number') return inputs;
    const { files, stdin } = inputs;
    const color = colorEnabled(io);
    let failed = false;
    let unformatted = 0;
    for (const f of files) {
      const bytes = stdin ?? readInput(f, io);
      const outcome = await formatOne(f, bytes, mode, io, color);
      if (typeof outcome === 'number') return outcome;
      if (outcome === 'failed') failed = true;
      if (outcome === 'changed') unformatted++;
    }
    if (mode === 'check' && !failed)
      io.stdout(
        unformatted
          ? `${unformatted} of ${plural(files.length, 'file')} would be reformatted\n`
          : `${plural(files.length, 'file')} already formatted\n`,
      );
    return failed || (mode === 'check' && unformatted > 0) ? 1 : 0;
  },
};

/** What fmt does with each file: print it (one file or stdin), print a diff (`--check`), rewrite it (`--write`). */
type Mode = 'print' | 'check' | 'write';

type InputValues = ReturnType<typeof parseFmtArgs>['values'];
/** The parsed options' type (a function so the type follows the option table). */
function parseFmtArgs(args: string[]) {
  return parseCommandArgs(args, { check: { type: 'boolean' }, write: { type: 'boolean' }, ...INPUT_OPTIONS });
}

/** The files to format (or standard input, read), or the exit code when there is nothing to do or a problem. */
async function selectInputs(
  positionals: string[],
  values: InputValues,
  mode: Mode,
  io: CliIO,
): Promise<{ files: string[]; stdin?: Buffer } | number> {
  if (wantsStdin(positionals, values['stdin-filename'])) {
    if (mode === 'write')
      throw new UsageError('--write cannot rewrite standard input; fmt - prints the formatted text');
    return { files: [values['stdin-filename'] ?? STDIN_NAME], stdin: await readStdinText(io.stdin) };
  }
  const found = await findFiles(positionals, {
    cwd: io.cwd,
    ...(values['ignore-path'] !== undefined ? { ignorePath: values['ignore-path'] } : {}),
    ...(values['ignore-pattern'] !== undefined ? { ignorePatterns: values['ignore-pattern'] } : {}),
    errorOnUnmatchedPattern: !values['no-error-on-unmatched-pattern'],
  });
  if (found.problems.length) {
    io.stderr(found.problems.map(formatInputProblem).join(''));
    return 2;
  }
  if (mode === 'print' && found.files.length !== 1) {
    if (found.files.length === 0) return 0; // --no-error-on-unmatched-pattern and nothing matched
    throw new UsageError('give one file to print, or use --check or --write for several');
  }
  return { files: found.files };
}

/**
 * Formats one file's bytes and acts on the result for `mode`: `failed` (not UTF-8, or syntax errors: reported),
 * `unchanged`, `changed` (diffed or rewritten), or an exit code when a rewrite fails.
 */
async function formatOne(
  f: string,
  bytes: Buffer,
  mode: Mode,
  io: CliIO,
  color: boolean,
): Promise<'failed' | 'unchanged' | 'changed' | number> {
  const decoded = decodeSource(bytes);
  if (decoded.invalidAt >= 0) {
    io.stderr(`${f}: error syntax/invalid-utf8: the file is not valid UTF-8\n`);
    return 'failed';
  }
  const text = decoded.text;
  const r = formatSource(text, { filename: f });
  if (r.text === null) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    io.stderr(renderTextReport(errors, { sources: new Map([[f, text]]), color }));
    return 'failed';
  }
  if (mode === 'print') {
    io.stdout(r.text);
    return 'unchanged';
  }
  if (!r.changed) return 'unchanged';
  if (mode === 'check') {
    io.stdout(`would reformat ${f}\n${await formatDiff(f, text, r.text, color)}`);
    return 'changed';
  }
  try {
    writeFileSync(resolve(io.cwd, f), r.text);
  } catch (e) {
    io.stderr(`claimmap fmt: cannot write ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  io.stdout(`formatted ${f}\n`);
  return 'changed';
}
