import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../import/compare.js';
import { IMPORT_KINDS, IMPORTERS, isImportKind } from '../../import/index.js';
import { formatNote, sortNotes } from '../../import/notes.js';
import { isSimulateError } from '../../simulate/errors.js';
import { loadSamples } from '../../simulate/load-samples.js';
import type { Sample } from '../../simulate/types.js';
import { decodeSource } from '../../syntax/source.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type Command } from '../command.js';
import { formatInputProblem, readProblem } from '../input-errors.js';
import { didYouMean } from '../suggest.js';

const width = Math.max(...IMPORT_KINDS.map((k) => k.length));

export const command: Command = {
  name: 'import',
  summary:
    'translate a Keycloak, Grafana, Vault, Argo CD or Kubernetes mapping into claimmap, with a differential report',
  help: `Usage: claimmap import KIND FILE [--idp ALIAS] [-o OUT.claimmap]
       claimmap import KIND FILE -o OUT.claimmap --compare SAMPLES... [--format md|json] [--report OUT]

Reads the mapping configuration of another system and writes the claimmap mapping that does the same,
with a \`// from: FILE:LINE\` comment above each rule. Every construct of the source is translated or
reported (file:line:col, a stable import/* code, why); nothing is dropped silently. The output lints;
where the source keyed accounts on an email, linked by email or granted on a missing claim, the mapping
keys on the durable subject and refuses, and a loud note says so.

Kinds:
${IMPORT_KINDS.map((k) => `  ${k.padEnd(width)}  ${IMPORTERS[k].reads}`).join('\n')}

  --idp ALIAS      which identity provider (Keycloak alias, Vault role, Grafana section, ...) when the file holds several
  -o, --output F   write the mapping to F (default: standard output)
  --compare        the remaining arguments are sample logins (SAML XML, OIDC JSON, JWT, claim-set JSON/YAML,
                   directories): run the original semantics and the imported mapping on each and on every
                   simulator mutation of it, and report every difference by class (docs/migrate.md)
  --format md|json the report's format (default md: a Markdown summary for a migration pull request)
  --report F       write the report to F (default: standard output; then -o is required)

Notes go to standard error. Exit codes: 0 translated, 1 an error note (a construct not translated, the
import failed) or an imported-grants-more difference, 2 usage or I/O error.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      idp: { type: 'string' },
      output: { type: 'string', short: 'o' },
      compare: { type: 'boolean' },
      format: { type: 'string' },
      report: { type: 'string' },
    });
    const [kind, file, ...rest] = positionals;
    if (kind === undefined || file === undefined) throw new UsageError('expected KIND and FILE');
    if (!isImportKind(kind))
      throw new UsageError(
        `unknown kind '${kind}'${didYouMean(kind, IMPORT_KINDS)} (one of ${IMPORT_KINDS.join(', ')})`,
      );
    if (!values.compare && rest.length) throw new UsageError('one FILE only (sample logins go after --compare)');
    if (!values.compare && (values.format !== undefined || values.report !== undefined))
      throw new UsageError('--format and --report apply to --compare');
    if (values.compare && rest.length === 0) throw new UsageError('--compare needs at least one SAMPLES path');
    if (values.compare && values.report === undefined && values.output === undefined)
      throw new UsageError(
        '--compare prints the report to standard output: write the mapping with -o (or the report with --report)',
      );
    const format = oneOf('format', values.format, ['md', 'json'] as const, 'md');
    let bytes: Buffer;
    try {
      bytes = readFileSync(resolve(io.cwd, file));
    } catch (e) {
      io.stderr(formatInputProblem(readProblem(file, e)));
      return EXIT_USAGE;
    }
    const decoded = decodeSource(bytes);
    if (decoded.invalidAt >= 0) {
      io.stderr(`${file}: error import/invalid-input: the file is not valid UTF-8\n`);
      return EXIT_FINDINGS;
    }
    let samples: Sample[] = [];
    if (values.compare) {
      try {
        samples = loadSamples(rest, io.cwd);
      } catch (e) {
        if (!isSimulateError(e)) throw e;
        io.stderr(`error ${e.code}: ${e.message}\n`);
        return e.code === 'simulate/unreadable-sample' || e.code === 'simulate/no-samples' ? EXIT_USAGE : EXIT_FINDINGS;
      }
    }
    const importer = await IMPORTERS[kind].load();
    if (importer === null) {
      io.stderr(`claimmap import: this build has no ${kind} importer\n`);
      return EXIT_USAGE;
    }
    const result = importer(decoded.text, { file, ...(values.idp !== undefined ? { idp: values.idp } : {}) });
    const notes = sortNotes(result.notes);
    io.stderr(notes.map(formatNote).join(''));
    let failed = notes.some((n) => n.severity === 'error');
    if (result.source !== '') {
      if (values.output !== undefined) {
        if (!write(values.output, result.source, io)) return EXIT_USAGE;
        io.stderr(`wrote ${values.output}\n`);
      } else io.stdout(result.source);
    }
    if (values.compare) {
      const report = compareImport(result, samples);
      if (typeof report === 'string') {
        io.stderr(
          report === 'no-semantics'
            ? `claimmap import: nothing was translated, so there is nothing to compare\n`
            : `claimmap import: the imported mapping does not compile, so it cannot be compared\n`,
        );
        return EXIT_FINDINGS;
      }
      const text = format === 'json' ? renderCompareJson(report) : renderCompareMarkdown(report);
      if (values.report !== undefined) {
        if (!write(values.report, text, io)) return EXIT_USAGE;
        io.stderr(`wrote ${values.report}\n`);
      } else io.stdout(text);
      const more = report.counts['imported-grants-more'];
      if (more > 0) {
        io.stderr(
          `claimmap import: the imported mapping grants more than the original on ${more} logins (a bug: please report it)\n`,
        );
        failed = true;
      }
    }
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

function write(path: string, text: string, io: { cwd: string; stderr(t: string): void }): boolean {
  try {
    writeFileSync(resolve(io.cwd, path), text);
    return true;
  } catch (e) {
    io.stderr(`claimmap import: cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return false;
  }
}
