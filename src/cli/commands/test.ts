/**
 * `claimmap test SCENARIOS.yaml... [--mapping M] [--format text|json|junit]`: runs scenario files (expected
 * action, roles, entitlements and profile for given claims) through provision() on a MemoryStore, like a test runner.
 */
import { dirname, isAbsolute, join } from 'node:path';
import type { Plan } from '../../model/plan.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import { renderTextReport } from '../../diagnostics/render.js';
import type { ScenarioCode } from '../../simulate/scenarios/codes.js';
import { loadScenarioFile } from '../../simulate/scenarios/load.js';
import { formatScenarioJson, formatScenarioJunit, formatScenarioText } from '../../simulate/scenarios/report.js';
import { runScenarios } from '../../simulate/scenarios/run.js';
import type { ScenarioRunResult } from '../../simulate/scenarios/types.js';
import { oneOf, parseCommandArgs } from '../args.js';
import { colorEnabled } from '../color.js';
import { UsageError, type Command } from '../command.js';
import { loadMapping, Reported } from '../load.js';
import { defined } from '../../model/invariant.js';

export const command: Command = {
  name: 'test',
  summary: 'run scenario files: expected action, roles and profile for given claims',
  help: `Usage: claimmap test SCENARIOS.yaml... [--mapping MAPPING] [--format text|json|junit] [--filter TEXT]

Each scenario file lists cases: claims (inline, or a sample file), optionally an existing account,
and the expected outcome of the login (action, refusal, roles, entitlements, profile values).
Every case logs in through the real provision() on a fresh in-memory store. See docs/testing.md.

Options:
  --mapping <m>   the mapping (.claimmap or .plan.json) for every file; default: each file's
                  'mapping:' entry, relative to the scenario file
  --format <f>    text (default), json, or junit (JUnit XML for CI)
  --filter <t>    run only cases whose name contains t
  --color, --no-color  force colour on or off (default: on a terminal, unless NO_COLOR)

Exit codes: 0 every case passed, 1 a case failed, 2 usage error or an invalid scenario file or mapping.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      mapping: { type: 'string' },
      format: { type: 'string' },
      filter: { type: 'string' },
    });
    const format = oneOf('format', values.format, ['text', 'json', 'junit'] as const, 'text');
    if (positionals.length === 0) throw new UsageError('expected at least one SCENARIOS.yaml file');
    const color = format === 'text' && colorEnabled(io);

    const plans = new Map<string, Plan | null>();
    const plan = (path: string): Plan | null => {
      if (!plans.has(path)) {
        try {
          plans.set(path, loadMapping(path, io));
        } catch (e) {
          if (!(e instanceof Reported)) throw e;
          plans.set(path, null);
        }
      }
      return defined(plans.get(path));
    };

    const runs: ScenarioRunResult[] = [];
    const problems: Diagnostic<ScenarioCode>[] = [];
    const sources = new Map<string, string>();
    let invalid = false;
    for (const path of positionals) {
      const loaded = loadScenarioFile(path, { cwd: io.cwd });
      sources.set(path, loaded.source);
      if (!loaded.file) {
        problems.push(...loaded.diagnostics);
        invalid = true;
        continue;
      }
      const mappingPath =
        values.mapping ??
        (loaded.file.mapping === undefined
          ? undefined
          : isAbsolute(loaded.file.mapping)
            ? loaded.file.mapping
            : join(dirname(path), loaded.file.mapping));
      if (mappingPath === undefined) {
        const at = { offset: 0, line: 1, column: 1 };
        problems.push({
          code: 'scenario/no-mapping',
          severity: 'error',
          message: 'The file names no mapping.',
          file: path,
          range: { start: at, end: at },
          hint: "add 'mapping: ./your.claimmap' or pass --mapping",
        });
        invalid = true;
        continue;
      }
      const p = plan(mappingPath);
      if (!p) {
        invalid = true;
        continue;
      }
      runs.push(await runScenarios(p, loaded.file, values.filter === undefined ? {} : { filter: values.filter }));
    }

    if (problems.length) io.stderr(renderTextReport(problems, { sources, color }));
    if (format === 'json') io.stdout(formatScenarioJson(runs));
    else if (format === 'junit') io.stdout(formatScenarioJunit(runs));
    else io.stdout(formatScenarioText(runs, { color }));
    if (invalid) return 2;
    return runs.some((r) => r.failed > 0) ? 1 : 0;
  },
};
