/**
 * Group 3, lint: parse + check throughput of lint() — what `claimmap lint` runs per file — on a generated 1 MiB
 * mapping, against JSON.parse of 1 MiB of JSON as the ceiling reference; compile() (lint + plan) for comparison.
 */
import { compile, lint } from '../../src/compile/compile.js';
import { getParser } from '../../src/syntax/parser.js';
import { lex } from '../../src/syntax/tokens.js';
import { generateMapping } from '../fixtures/generate.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

const MIB = 1024 * 1024;

function jsonOfSize(bytes: number): string {
  const rows: unknown[] = [];
  let text = '[]';
  for (let i = 0; text.length < bytes; i++) {
    rows.push({ id: i, rule: `grant role${i} when "team-${i}" in groups`, tags: ['a', 'b', i % 7], ok: i % 2 === 0 });
    if (i % 256 === 0) text = JSON.stringify(rows);
  }
  return JSON.stringify(rows);
}

export async function runLint(options: MeasureOptions): Promise<GroupResult> {
  const source = generateMapping(MIB);
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
  const rows = toRows(
    'lint',
    stats,
    'JSON.parse (1 MiB)',
    'MiB/s',
    (s) => (s.name.startsWith('JSON') ? jsonBytes : sourceBytes) / MIB,
  );
  const ours = defined(rows.find((r) => r.name.startsWith('claimmap lint')));
  return {
    group: 'lint',
    rows,
    notes: [
      `mapping ${sourceBytes} bytes, ${first.plan.roles.rules.length} role and ${first.plan.entitlements.rules.length} entitlement rules, 0 errors; JSON ${jsonBytes} bytes`,
    ],
    targets: [
      { name: 'lint throughput (MiB/s)', value: ours.throughput, target: '>= 10 MiB/s', met: ours.throughput >= 10 },
    ],
  };
}
