import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderTextReport } from '../../diagnostics/render.js';
import { formatSource } from '../../syntax/format.js';
import { decodeSource } from '../../syntax/source.js';
import { parseCommandArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { findFiles } from '../files.js';

export const command: Command = {
  name: 'fmt',
  summary: 'format mapping files canonically, keeping every comment (--check for CI, --write to rewrite)',
  help: `Usage: claimmap fmt [paths or globs...] [--check | --write]

Formats .claimmap files: two-space indentation, one declaration per line, claims and profile fields
aligned in columns. Every comment is kept, and CRLF files stay CRLF. The result is parsed again and
compared with the source: a file whose meaning would change is never written. Files with syntax
errors are reported and left alone.

  (no flag)   print the formatted text of one file to stdout
  --check     list the files that are not formatted; exit 1 if any (for pre-commit and CI)
  --write     rewrite the files that are not formatted

Exit codes: 0 done (or all formatted), 1 files to format or files with errors, 2 usage or I/O error.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { check: { type: 'boolean' }, write: { type: 'boolean' } });
    if (values.check && values.write) throw new UsageError('--check and --write exclude each other');
    const { files, missing } = findFiles(positionals, io.cwd);
    if (missing.length) {
      io.stderr(`claimmap fmt: no such file or no match: ${missing.join(', ')}\n`);
      return 2;
    }
    if (!files.length) {
      io.stderr('claimmap fmt: no .claimmap files found\n');
      return 2;
    }
    if (!values.check && !values.write && files.length !== 1) {
      throw new UsageError('give one file to print, or use --check or --write for several');
    }
    let failed = false;
    let unformatted = 0;
    for (const f of files) {
      let text: string;
      try {
        const decoded = decodeSource(readFileSync(resolve(io.cwd, f)));
        if (decoded.invalidAt >= 0) {
          io.stderr(`${f}: error syntax/invalid-utf8: the file is not valid UTF-8\n`);
          failed = true;
          continue;
        }
        text = decoded.text;
      } catch (e) {
        io.stderr(`claimmap fmt: cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return 2;
      }
      const r = formatSource(text, { filename: f });
      if (r.text === null) {
        io.stderr(
          renderTextReport(
            r.diagnostics.filter((d) => d.severity === 'error'),
            { sources: new Map([[f, text]]) },
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
        io.stdout(`would reformat ${f}\n`);
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
          ? `${unformatted} of ${files.length} files would be reformatted\n`
          : `${files.length} files already formatted\n`,
      );
    return failed || (values.check && unformatted > 0) ? 1 : 0;
  },
};
