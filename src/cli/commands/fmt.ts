import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { plural } from '../../diagnostics/plural.js';
import { renderTextReport } from '../../diagnostics/render.js';
import { formatSource } from '../../syntax/format.js';
import { decodeSource } from '../../syntax/source.js';
import { parseCommandArgs } from '../args.js';
import { colorEnabled } from '../color.js';
import { UsageError, type Command } from '../command.js';
import { findFiles, INPUT_OPTIONS, INPUT_OPTIONS_HELP } from '../files.js';
import { formatDiff } from '../format-diff.js';
import { formatInputProblem, readProblem } from '../input-errors.js';
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
    const { values, positionals } = parseCommandArgs(args, {
      check: { type: 'boolean' },
      write: { type: 'boolean' },
      ...INPUT_OPTIONS,
    });
    if (values.check && values.write) throw new UsageError('--check and --write exclude each other');
    const color = colorEnabled(io);
    let files: string[];
    let stdin: Buffer | undefined;
    if (wantsStdin(positionals, values['stdin-filename'])) {
      if (values.write) throw new UsageError('--write cannot rewrite standard input; fmt - prints the formatted text');
      files = [values['stdin-filename'] ?? STDIN_NAME];
      stdin = await readStdinText(io.stdin);
    } else {
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
      files = found.files;
      if (!values.check && !values.write && files.length !== 1) {
        if (files.length === 0) return 0; // --no-error-on-unmatched-pattern and nothing matched
        throw new UsageError('give one file to print, or use --check or --write for several');
      }
    }
    let failed = false;
    let unformatted = 0;
    for (const f of files) {
      let text: string;
      let bytes: Buffer;
      try {
        bytes = stdin ?? readFileSync(resolve(io.cwd, f));
      } catch (e) {
        io.stderr(formatInputProblem(readProblem(f, e)));
        return 2;
      }
      const decoded = decodeSource(bytes);
      if (decoded.invalidAt >= 0) {
        io.stderr(`${f}: error syntax/invalid-utf8: the file is not valid UTF-8\n`);
        failed = true;
        continue;
      }
      text = decoded.text;
      const r = formatSource(text, { filename: f });
      if (r.text === null) {
        io.stderr(
          renderTextReport(
            r.diagnostics.filter((d) => d.severity === 'error'),
            { sources: new Map([[f, text]]), color },
          ),
        );
        failed = true;
        continue;
      }
      if (!values.check && !values.write) {
        io.stdout(r.text);
        continue;
      }
      if (!r.changed) continue;
      unformatted++;
      if (values.check) {
        io.stdout(`would reformat ${f}\n${await formatDiff(f, text, r.text, color)}`);
      } else {
        try {
          writeFileSync(resolve(io.cwd, f), r.text);
        } catch (e) {
          io.stderr(`claimmap fmt: cannot write ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
          return 2;
        }
        io.stdout(`formatted ${f}\n`);
      }
    }
    if (values.check && !failed)
      io.stdout(
        unformatted
          ? `${unformatted} of ${plural(files.length, 'file')} would be reformatted\n`
          : `${plural(files.length, 'file')} already formatted\n`,
      );
    return failed || (values.check && unformatted > 0) ? 1 : 0;
  },
};
