/**
 * Group 3, lint: parse + check throughput of lint() — what `claimmap lint` runs per file — on a generated 1 MiB
 * mapping, against JSON.parse of 1 MiB of JSON as the ceiling reference; compile() (lint + plan) for comparison;
 * lint() of 1,000 small files (3.4 KB each, issue #17) against JSON.parse of 1,000 texts of the same size; and
 * compile() µs per KiB from 16 KiB to 4 MiB, which must not grow with the size (compile is linear).
 */
import { compile, lint } from '../../src/compile/compile.js';
import { getParser } from '../../src/syntax/parser.js';
import { lex } from '../../src/syntax/tokens.js';
import { generateMapping, generateSmallMapping } from '../fixtures/generate.js';
import { cpuNowNs, keep, type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

const MIB = 1024 * 1024;

function jsonOfSize(bytes: number): string {
  const rows: string[] = [];
  let length = 2;
  for (let i = 0; length < bytes; i++) {
    const row = JSON.stringify({
      id: i,
      rule: `grant role${i} when "team-${i}" in groups`,
      tags: ['a', 'b', i % 7],
      ok: i % 2 === 0,
    });
    rows.push(row);
    length += row.length + (i > 0 ? 1 : 0);
  }
  return `[${rows.join(',')}]`;
}

/**
 * compile() µs of CPU per KiB at each size, the sizes interleaved in `rounds` rounds (median per size). Each call of
 * a size is timed alone; a round runs every size for about 2 MiB of text (a 4 MiB mapping once).
 */
function compileScaling(sizes: readonly number[], rounds: number): number[] {
  const texts = sizes.map((n) => generateMapping(n));
  const perKiB: number[][] = sizes.map(() => []);
  for (const t of texts) compile(t, { filename: 'scale.claimmap' }); // warm-up
  for (let r = 0; r < rounds; r++) {
    for (const [i, text] of texts.entries()) {
      const calls = Math.max(1, Math.round((2 * MIB) / text.length));
      for (let k = 0; k < calls; k++) {
        const t0 = cpuNowNs();
        keep(compile(text, { filename: 'scale.claimmap' }));
        defined(perKiB[i]).push((cpuNowNs() - t0) / 1e3 / (Buffer.byteLength(text) / 1024));
      }
    }
  }
  return perKiB.map((xs) => defined([...xs].sort((a, b) => a - b)[xs.length >> 1]));
}

/** The "1,000 files of 3.4 KB" case of issue #17. */
const FILES = 1000;
const FILE_BYTES = 3400;

export async function runLint(options: MeasureOptions): Promise<GroupResult> {
  const source = generateMapping(MIB);
  const files = Array.from({ length: FILES }, (_, i) => generateSmallMapping(i, FILE_BYTES));
  const filesBytes = files.reduce((n, f) => n + Buffer.byteLength(f), 0);
  // JSON texts of the same sizes, one per file.
  const jsonFiles = files.map((f) => jsonOfSize(Buffer.byteLength(f)));
  const jsonFilesBytes = jsonFiles.reduce((n, f) => n + Buffer.byteLength(f), 0);
  for (const [i, f] of files.entries()) {
    const errors = lint(f, { filename: `file-${i}.claimmap` }).filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new Error(`lint: generated file ${i} has errors: ${errors[0]?.code}`);
  }
  const sourceBytes = Buffer.byteLength(source);
  const json = jsonOfSize(MIB);
  const jsonBytes = Buffer.byteLength(json);
  const first = compile(source, { filename: 'bench-lint.claimmap' });
  if (first.plan === null || first.diagnostics.some((d) => d.severity === 'error')) {
    throw new Error(
      `lint: the generated mapping does not compile: ${first.diagnostics
        .slice(0, 3)
        .map((d) => d.code)
        .join(', ')}`,
    );
  }
  const stats = await measureGroup(
    [
      { name: 'JSON.parse (1 MiB)', run: () => JSON.parse(json) },
      { name: 'claimmap lint() (1 MiB mapping)', run: () => lint(source, { filename: 'bench-lint.claimmap' }) },
      { name: 'claimmap compile() (lint + plan)', run: () => compile(source, { filename: 'bench-lint.claimmap' }) },
      // One file after the other, as `claimmap lint *.claimmap` does: only the last result is kept (keeping all
      // 1,000 parsed JSON values alive would make JSON.parse pay for garbage collection a linter never does).
      {
        name: 'JSON.parse (1,000 texts of 3.4 KB)',
        run: () => {
          let last: unknown;
          for (const j of jsonFiles) last = JSON.parse(j);
          return last;
        },
      },
      {
        name: 'claimmap lint() (1,000 files of 3.4 KB)',
        run: () => {
          let last: unknown;
          for (const [i, f] of files.entries()) last = lint(f, { filename: `file-${i}.claimmap` });
          return last;
        },
      },
      // Where lint's time goes: the chevrotain stages alone, on the same text.
      { name: 'stage: lexer alone (chevrotain + keywords)', run: () => lex(source) },
      {
        name: 'stage: lexer + parser (AST, no checks)',
        run: () => {
          const parser = getParser();
          parser.input = lex(source).tokens;
          return parser.mapping();
        },
      },
    ],
    { ...options, sampleMs: Math.max(options.sampleMs ?? 4, 20) },
  );
  const sizes: Record<string, number> = {
    'JSON.parse (1 MiB)': jsonBytes,
    'JSON.parse (1,000 texts of 3.4 KB)': jsonFilesBytes,
    'claimmap lint() (1,000 files of 3.4 KB)': filesBytes,
  };
  const rows = toRows('lint', stats, 'JSON.parse (1 MiB)', 'MiB/s', (s) => (sizes[s.name] ?? sourceBytes) / MIB);
  const row = (prefix: string) => defined(rows.find((r) => r.name.startsWith(prefix)));
  // The many-files rows are compared with JSON.parse of as many texts of the same sizes, byte for byte.
  const jsonFilesRow = row('JSON.parse (1,000');
  const filesRow = row('claimmap lint() (1,000');
  for (const r of [jsonFilesRow, filesRow]) {
    r.ratio = (r.medianNs * jsonFilesBytes) / (jsonFilesRow.medianNs * defined(sizes[r.name]));
    r.baseline = jsonFilesRow.name;
    r.note = 'ratio: per byte, to the 1,000 JSON texts';
  }
  const ours = row('claimmap lint() (1 MiB');
  const perByte = (ours.medianNs * jsonBytes) / (row('JSON.parse (1 MiB)').medianNs * sourceBytes);
  // Compile is linear: µs per KiB from 16 KiB to 4 MiB (the generator's 40-claim header alone is 3 KiB).
  const scaleSizes = [16 * 1024, 256 * 1024, MIB, 4 * MIB];
  const scale = compileScaling(scaleSizes, (options.rounds ?? 5) > 2 ? 3 : 2);
  // Linear = flat from 256 KiB on. Below, a compile's objects die before the first young-generation collection, so
  // none is copied: 16 KiB costs less per KiB than any size whose AST outlives a collection (noted, not a target).
  const growth = defined(scale[scale.length - 1]) / defined(scale[1]);
  return {
    group: 'lint',
    rows,
    notes: [
      `mapping ${sourceBytes} bytes, ${first.plan.roles.rules.length} role and ${first.plan.entitlements.rules.length} entitlement rules, 0 errors; JSON ${jsonBytes} bytes`,
      `lint() of 1 MiB: ${perByte.toFixed(1)}x the time of JSON.parse per byte; 1,000 files: ${filesBytes} bytes, 0 errors; JSON ${jsonFilesBytes} bytes`,
      `compile() µs of CPU per KiB at 16 KiB, 256 KiB, 1 MiB, 4 MiB: ${scale.map((x) => x.toFixed(0)).join(' → ')} (sizes interleaved, median of each)`,
    ],
    targets: [
      { name: 'lint throughput (MiB/s)', value: ours.throughput, target: '>= 20 MiB/s', met: ours.throughput >= 20 },
      {
        name: 'lint of 1,000 files of 3.4 KB (MiB/s)',
        value: filesRow.throughput,
        target: '>= 20 MiB/s',
        met: filesRow.throughput >= 20,
      },
      { name: 'lint vs JSON.parse, time per byte', value: perByte, target: '<= 15x', met: perByte <= 15 },
      {
        name: 'compile µs/KiB growth 256 KiB → 4 MiB (linear)',
        value: growth,
        target: '<= 1.25x',
        met: growth <= 1.25,
      },
    ],
  };
}
