import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { isSimulateError } from '../../simulate/errors.js';
import { loadSamples } from '../../simulate/load-samples.js';
import { type PlaygroundLinkOptions, renderHtml } from '../../simulate/report/html.js';
import { renderJson } from '../../simulate/report/json.js';
import { renderMarkdown } from '../../simulate/report/markdown.js';
import { renderText } from '../../simulate/report/text.js';
import { simulate, simulateDecisions } from '../../simulate/simulate.js';
import { OUTCOME_CLASSES, type OutcomeClass, type Sample, type SimulationResult } from '../../simulate/types.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type CliIO, type Command } from '../command.js';
import { loadMappingToSimulate, Reported } from '../load.js';
import { defined } from '../../model/invariant.js';

/** The classes that fail the run unless `--fail-on` says otherwise. */
export const DEFAULT_FAIL_ON: readonly OutcomeClass[] = Object.freeze(['escalation', 'error']);

function parseFailOn(value: string | undefined): Set<OutcomeClass> {
  if (value === undefined) return new Set(DEFAULT_FAIL_ON);
  const out = new Set<OutcomeClass>();
  for (const raw of value.split(',')) {
    const name = raw.trim();
    if (name === '' || name === 'none') continue;
    if (!(OUTCOME_CLASSES as readonly string[]).includes(name)) {
      throw new UsageError(`--fail-on: unknown class "${name}" (one of ${OUTCOME_CLASSES.join(', ')}, or none)`);
    }
    out.add(name as OutcomeClass);
  }
  return out;
}

/** A progress bar drawn on stderr with carriage returns, at most every 2% and on completion. */
function progressBar(io: CliIO): (done: number, total: number) => void {
  let last = -1;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    if (pct === last || (pct - last < 2 && done !== total)) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    io.stderr(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${done}/${total} ` +
        `mutated logins`,
    );
    if (done === total) io.stderr('\n');
  };
}

function render(
  result: SimulationResult,
  format: 'text' | 'json' | 'markdown' | 'html',
  playground?: PlaygroundLinkOptions,
): string {
  switch (format) {
    case 'json':
      return renderJson(result);
    case 'markdown':
      return renderMarkdown(result);
    case 'html':
      return renderHtml(result, playground ? { playground } : {});
    case 'text':
      return renderText(result);
  }
}

export const command: Command = {
  name: 'simulate',
  summary: 'mutate sample logins and report escalations, losses and duplicate accounts',
  help: `Usage: claimmap simulate MAPPING SAMPLES... [--format text|json|markdown|html] [-o FILE]
                         [--fail-on CLASSES] [--privileged NAMES] [--decisions]

Runs every sample login through the mapping, then every mutation of it (absent, empty, padded,
case-changed, wrong type, duplicated, very long, look-alike characters, removed and near-miss set
values, group overage, key and issuer changes), each against a memory store holding the baseline
account (update path) and an empty one (JIT path), and classifies each outcome:
error, escalation, duplicate-account, profile-loss, loss, refused, unchanged.

MAPPING is a .claimmap file or a compiled .plan.json. SAMPLES are files or directories of
.xml / .b64 (SAML), .jwt, .json (claim set or OIDC claims) and .yaml ({ name?, claims } or a list).

Options:
  --format <f>       text (default), json, markdown (for a pull-request comment) or html (self-contained)
  -o, --output FILE  write the report to FILE instead of stdout
  --fail-on <list>   comma-separated classes that make the exit code 1 (default escalation,error; none)
  --privileged <l>   comma-separated role or entitlement names also treated as privileged
  --decisions        evaluate only (no store paths): faster, duplicate accounts inferred from the key
  --playground-url U with --format html: link each listed finding to the playground at U (the mapping and
                     the sample go in the URL fragment, never sent to a server); no links without it

A mapping whose only lint errors are privileged/* (inexact paths to a privileged role) is simulated as if each
flagged grant said unsafe, to show what it lets through; the run then exits 1.

Exit codes: 0 no fail-on class occurred, 1 one did (or the mapping or a sample is invalid, or lint refuses a
privileged grant), 2 usage error.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      format: { type: 'string' },
      output: { type: 'string', short: 'o' },
      'fail-on': { type: 'string' },
      privileged: { type: 'string' },
      decisions: { type: 'boolean' },
      'playground-url': { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json', 'markdown', 'html'] as const, 'text');
    const failOn = parseFailOn(values['fail-on']);
    const privileged = (values.privileged ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    if (positionals.length < 2) throw new UsageError('expected MAPPING and at least one SAMPLES path');
    try {
      const { plan, refused } = loadMappingToSimulate(defined(positionals[0]), io);
      let samples: Sample[];
      try {
        samples = loadSamples(positionals.slice(1), io.cwd);
      } catch (e) {
        if (!isSimulateError(e)) throw e;
        io.stderr(`error ${e.code}: ${e.message}\n`);
        return e.code === 'simulate/unreadable-sample' || e.code === 'simulate/no-samples' ? EXIT_USAGE : EXIT_FINDINGS;
      }
      const options = { privileged, ...(io.isTTY ? { onProgress: progressBar(io) } : {}) };
      const result = values.decisions
        ? simulateDecisions(plan, samples, options)
        : await simulate(plan, samples, options);
      const url = values['playground-url'];
      if (url !== undefined && format !== 'html') throw new UsageError('--playground-url needs --format html');
      const mappingPath = defined(positionals[0]);
      const noSource = mappingPath.endsWith('.json') || mappingPath === '-';
      if (url !== undefined && noSource)
        io.stderr('claimmap simulate: no playground links: they need the mapping source, not a plan or stdin\n');
      const playground =
        url === undefined || noSource
          ? undefined
          : {
              url,
              mapping: readFileSync(resolve(io.cwd, mappingPath), 'utf8'),
              samples,
              deflateRaw: (b: Uint8Array) => deflateRawSync(b, { level: 9 }),
            };
      const text = render(result, format, playground);
      if (values.output) {
        try {
          writeFileSync(resolve(io.cwd, values.output), text);
        } catch (e) {
          io.stderr(
            `claimmap simulate: cannot write ${values.output}: ` +
              `${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`,
          );
          return EXIT_USAGE;
        }
        io.stderr(`wrote ${values.output}\n`);
      } else io.stdout(text);
      const failed = OUTCOME_CLASSES.filter((c) => failOn.has(c) && result.counts[c] > 0);
      if (failed.length > 0) {
        io.stderr(`claimmap simulate: failing on ${failed.map((c) => `${result.counts[c]} ${c}`).join(', ')}\n`);
        return EXIT_FINDINGS;
      }
      return refused > 0 ? EXIT_FINDINGS : EXIT_OK;
    } catch (e) {
      if (e instanceof Reported) return e.exitCode;
      throw e;
    }
  },
};
