/**
 * Group 7, CLI start-up: whole-process wall time of the built CLI (dist/cli/main.js), against `node -e 0` (the
 * floor: Node starting and exiting). Issue #12 asks for a CLI that starts like a native tool: `claimmap --version`
 * within 1.5x and `claimmap lint FILE` within 2.5x of `node -e 0`. Each run is one child process; the candidates run
 * in interleaved rounds (A B C, B C A, ...) after a warm-up run each, so that background load and the file cache hit
 * them alike. Wall clock, not CPU time: what a user waits for, start-up included. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../../src/version.js';
import { BENCH_DIR } from '../lib/paths.js';
import type { MeasureOptions, Stats } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';

const ROOT = join(BENCH_DIR, '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const MAPPING = 'examples/okta-saml/acme.claimmap';
const BASELINE = 'node -e 0';

interface Proc {
  name: string;
  args: string[];
}

const PROCS: readonly Proc[] = [
  { name: BASELINE, args: ['-e', '0'] },
  { name: 'claimmap --version', args: [MAIN, '--version'] },
  { name: 'claimmap --help', args: [MAIN, '--help'] },
  { name: `claimmap lint ${MAPPING}`, args: [MAIN, 'lint', MAPPING] },
  { name: `claimmap fmt --check ${MAPPING}`, args: [MAIN, 'fmt', '--check', MAPPING] },
  { name: `claimmap compile ${MAPPING}`, args: [MAIN, 'compile', MAPPING] },
];

/** Runs one process to completion; returns its wall time in ns, or throws when it fails. */
function timeRun(p: Proc): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, p.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ns = Number(process.hrtime.bigint() - t0);
  if (r.status !== 0) throw new Error(`cli: ${p.name} exited ${r.status}: ${r.stderr.slice(0, 300)}`);
  return ns;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** The newest modification time of a file under `dir`, in ms. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export async function runCli(options: MeasureOptions): Promise<GroupResult> {
  if (!existsSync(MAIN)) {
    return {
      group: 'cli',
      rows: [],
      notes: ['skipped: dist/cli/main.js is not built (run `npm run build`, then `npm run bench -- cli`)'],
      targets: [],
    };
  }
  const stale = newest(join(ROOT, 'src')) > statSync(MAIN).mtimeMs;
  // Before timing: each command does its job (the version, a clean lint, an already formatted file, a plan).
  const check = (p: Proc): string => spawnSync(process.execPath, p.args, { cwd: ROOT, encoding: 'utf8' }).stdout ?? '';
  const [, version, , lint, fmt, compile] = PROCS as [Proc, Proc, Proc, Proc, Proc, Proc];
  if (check(version) !== `${VERSION}\n`) throw new Error('cli: --version does not print the version');
  if (!/no problems/.test(check(lint))) throw new Error(`cli: ${MAPPING} does not lint clean`);
  if (!/already formatted/.test(check(fmt))) throw new Error(`cli: ${MAPPING} is not formatted`);
  if (!(JSON.parse(check(compile)) as { format?: string }).format) throw new Error('cli: compile printed no plan');

  // 5 rounds of 300 ms per candidate (the defaults) become 5 rounds of 5 runs; --quick (2 of 100 ms) 2 rounds of 2.
  const rounds = options.rounds ?? 5;
  const perRound = Math.max(2, Math.round((options.budgetMs ?? 300) / 60));
  const samples = new Map<string, number[]>(PROCS.map((p) => [p.name, []]));
  for (const p of PROCS) timeRun(p); // warm-up: file cache, the first compile of each module
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < perRound; i++) {
      for (let k = 0; k < PROCS.length; k++) {
        const p = PROCS[(k + r * perRound + i) % PROCS.length] as Proc;
        samples.get(p.name)?.push(timeRun(p));
      }
    }
  }
  const stats: Stats[] = PROCS.map((p) => {
    const xs = samples.get(p.name) ?? [];
    const med = median(xs);
    return {
      name: p.name,
      medianNs: med,
      minNs: Math.min(...xs),
      maxNs: Math.max(...xs),
      opsPerSec: 1e9 / med,
      samples: xs.length,
      iterationsPerSample: 1,
    };
  });
  const rows = toRows('cli', stats, BASELINE, 'runs/s', 1);
  const ratio = (name: string): number => rows.find((r) => r.name === name)?.ratio ?? Number.NaN;
  const bytes = readFileSync(join(ROOT, MAPPING)).length;
  return {
    group: 'cli',
    rows,
    notes: [
      `wall time of whole processes (spawnSync), ${stats[0]?.samples} runs each in ${rounds} interleaved rounds after one warm-up run; ${MAPPING} is ${bytes} bytes`,
      `the built CLI: ${MAIN.slice(ROOT.length + 1)}${stale ? ' -- OLDER THAN src/: run `npm run build` and measure again' : ''}`,
    ],
    targets: [
      {
        name: 'claimmap --version vs node -e 0 (ratio)',
        value: ratio('claimmap --version'),
        target: '<= 1.5x',
        met: ratio('claimmap --version') <= 1.5,
      },
      {
        name: 'claimmap lint FILE vs node -e 0 (ratio)',
        value: ratio(`claimmap lint ${MAPPING}`),
        target: '<= 2.5x',
        met: ratio(`claimmap lint ${MAPPING}`) <= 2.5,
      },
    ],
  };
}
