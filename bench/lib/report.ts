/**
 * Benchmark rows, the printed table and bench/results.json.
 */
import type { Stats } from './measure.js';
import { defined } from '../../src/model/invariant.js';

export interface Row {
  group: string;
  name: string;
  note?: string;
  /** Nanoseconds of CPU time per operation: median, min, max over all samples. */
  medianNs: number;
  minNs: number;
  maxNs: number;
  /** Throughput at the median, in `unit`. */
  throughput: number;
  unit: string;
  /** median / baseline median (the baseline is 1.00; lower is faster). */
  ratio: number;
  baseline: string;
  samples: number;
}

export interface GroupResult {
  group: string;
  rows: Row[];
  /** Printed under the group (targets met or missed, skipped parts). */
  notes: string[];
  /** Machine-readable target checks: name → { value, target, met }. */
  targets: { name: string; value: number; target: string; met: boolean }[];
}

/**
 * Builds the rows of a group from measured stats. `perOp` converts one operation to throughput units (e.g. bytes
 * per op for MiB/s, evaluations per op for evaluations/s).
 *
 * @example
 * ```ts
 * toRows('evaluate', stats, 'hand-written JS', 'ops/s', 1)
 * ```
 */
export function toRows(
  group: string,
  stats: readonly Stats[],
  baseline: string,
  unit: string,
  perOp: number | ((s: Stats) => number),
): Row[] {
  const base = stats.find((s) => s.name === baseline);
  if (base === undefined) throw new TypeError(`no baseline ${baseline} in ${group}`);
  return stats.map((s) => {
    const units = typeof perOp === 'number' ? perOp : perOp(s);
    const row: Row = {
      group,
      name: s.name,
      medianNs: s.medianNs,
      minNs: s.minNs,
      maxNs: s.maxNs,
      throughput: (units * 1e9) / s.medianNs,
      unit,
      ratio: s.medianNs / base.medianNs,
      baseline,
      samples: s.samples,
    };
    if (s.note !== undefined) row.note = s.note;
    return row;
  });
}

function time(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

function rate(x: number): string {
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k`;
  return x.toFixed(1);
}

/**
 * The table of one group as text.
 *
 * @example
 * ```ts
 * process.stdout.write(formatGroup(result));
 * ```
 */
export function formatGroup(g: GroupResult): string {
  const head = ['candidate', 'median', 'min … max', 'throughput', `ratio`];
  const lines = g.rows.map((r) => [
    r.name + (r.note ? ` (${r.note})` : ''),
    time(r.medianNs),
    `${time(r.minNs)} … ${time(r.maxNs)}`,
    `${rate(r.throughput)} ${r.unit}`,
    `${r.ratio.toFixed(2)}x`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => defined(l[i]).length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(defined(widths[i])) : c.padStart(defined(widths[i])))).join('  ');
  const base = g.rows[0]?.baseline ?? '';
  let out = `\n## ${g.group}  (ratio = median / median of ${base})\n`;
  out += `${fmt(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`;
  for (const l of lines) out += `${fmt(l)}\n`;
  for (const n of g.notes) out += `  ${n}\n`;
  for (const t of g.targets)
    out += `  target ${t.name}: ${t.met ? 'MET' : 'MISSED'} (${t.target}; measured ${t.value.toFixed(2)})\n`;
  return out;
}
