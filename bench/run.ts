/**
 * `npm run bench [-- group...] [--quick]`: runs the benchmark groups (evaluate, matrix, saml, lint, simulate, provision, accounts, regex, cli),
 * prints one table per group and writes bench/results.json (a full run) or bench/results.local.json (some groups, or
 * --quick: git ignores it, so a partial run never replaces the recorded reference run). See bench/README.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchPath } from './lib/paths.js';
import { runAccounts } from './groups/accounts.js';
import { runCli } from './groups/cli.js';
import { runEvaluate } from './groups/evaluate.js';
import { runMatrix } from './groups/matrix.js';
import { runLint } from './groups/lint.js';
import { runLsp } from './groups/lsp.js';
import { runProvision } from './groups/provision.js';
import { runRegex } from './groups/regex.js';
import { runSaml } from './groups/saml.js';
import { runSimulate } from './groups/simulate.js';
import type { MeasureOptions } from './lib/measure.js';
import { type GroupResult, formatGroup } from './lib/report.js';
import { defined } from '../src/model/invariant.js';

const GROUPS: Record<string, (o: MeasureOptions) => Promise<GroupResult>> = {
  evaluate: runEvaluate,
  matrix: runMatrix,
  saml: runSaml,
  lint: runLint,
  lsp: runLsp,
  simulate: runSimulate,
  provision: runProvision,
  accounts: runAccounts,
  regex: runRegex,
  cli: runCli,
};

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const wanted = args.filter((a) => !a.startsWith('--'));
for (const w of wanted) {
  if (!(w in GROUPS)) {
    process.stderr.write(`bench: unknown group ${w} (known: ${Object.keys(GROUPS).join(', ')})\n`);
    process.exit(2);
  }
}
const options: MeasureOptions = quick ? { rounds: 2, budgetMs: 100 } : { rounds: 5, budgetMs: 300 };
const started = Date.now();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
process.stdout.write(
  `claimmap benchmarks — ${new Date().toISOString()} — node ${machine.node}, ${machine.cpu} (${machine.cores} cores)\n` +
    `CPU time per operation (process.cpuUsage), ${options.rounds} interleaved rounds of ${options.budgetMs} ms per candidate\n`,
);
const results: GroupResult[] = [];
for (const name of wanted.length > 0 ? wanted : Object.keys(GROUPS)) {
  const r = await defined(GROUPS[name])(options);
  results.push(r);
  process.stdout.write(formatGroup(r));
}
const seconds = (Date.now() - started) / 1000;
process.stdout.write(`\ntotal ${seconds.toFixed(0)} s\n`);
const out = benchPath(wanted.length === 0 && !quick ? 'results.json' : 'results.local.json');
writeFileSync(
  out,
  `${JSON.stringify({ date: new Date().toISOString(), machine, options, seconds, groups: results }, null, 2)}\n`,
);
process.stdout.write(`wrote ${out}\n`);
