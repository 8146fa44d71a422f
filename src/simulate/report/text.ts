/**
 * The terminal summary of a simulation: counts per class, findings (critical first), baselines, coverage and the
 * plan's unsafe overrides. Plain text, deterministic for a given result (the timing line aside, which
 * `showTiming: false` omits).
 */
import { terminalSafe as safe } from '../../runtime/format.js';
import type { SimulationResult } from '../types.js';
import { classCounts, describeOutcome, mappingLine, mutationCount, rankedFindings } from './shared.js';

/** Options of {@link renderText}. */
export interface TextReportOptions {
  /** Most findings listed. Default 25. */
  maxFindings?: number;
  /** Print the evaluations / elapsed time line. Default true. */
  showTiming?: boolean;
}

/**
 * Renders a {@link SimulationResult} as a terminal summary.
 *
 * @example
 * ```ts
 * io.stdout(renderText(await simulate(plan, samples)));
 * ```
 */
export function renderText(result: SimulationResult, options: TextReportOptions = {}): string {
  const max = options.maxFindings ?? 25;
  const lines: string[] = [];
  const n = mutationCount(result);
  lines.push(`claimmap simulate: ${safe(mappingLine(result))}`);
  lines.push(
    `${result.samples.length} sample${result.samples.length === 1 ? '' : 's'} × ${result.operators.length} ` +
      `operators: ` +
      `${n} mutated login${n === 1 ? '' : 's'} ` +
      `(${result.mode === 'provision' ? 'update and JIT paths through a memory store' : 'decisions only'})`,
  );
  if (options.showTiming !== false) lines.push(`${result.evaluations} evaluations in ${result.elapsedMs} ms`);
  lines.push('');
  for (const [cls, count] of classCounts(result)) {
    const extra = cls === 'escalation' && result.critical > 0 ? `  (${result.critical} critical)` : '';
    lines.push(`  ${cls.padEnd(18)} ${String(count).padStart(6)}${extra}`);
  }

  lines.push('', 'Baselines:');
  const w = Math.max(...result.samples.map((s) => s.sample.length), 6);
  for (const s of result.samples) {
    const what =
      s.action === 'error'
        ? `error: ${s.error ?? ''}`
        : s.refusals.length > 0 && s.roles.length === 0
          ? s.refusals.join(', ')
          : `roles ${s.roles.join(', ') || '(none)'}; entitlements ${s.entitlements.join(', ') || '(none)'}`;
    lines.push(`  ${safe(s.sample).padEnd(w)}  ${s.action.padEnd(9)} ${safe(what)}`);
  }

  const ranked = rankedFindings(result);
  lines.push(
    '',
    ranked.length === 0
      ? 'Findings: none (every mutated login unchanged).'
      : `Findings (${Math.min(max, ranked.length)} of ${ranked.length}, most severe first):`,
  );
  for (const o of ranked.slice(0, max)) {
    const tag = o.critical ? 'CRITICAL ' : '';
    lines.push(`  ${tag}${o.class}  ${safe(o.sample)} × ${safe(o.claim)} × ${o.operator} ${safe(o.label)}`);
    lines.push(`      ${safe(describeOutcome(o))}`);
  }
  if (ranked.length > max) lines.push(`  ... ${ranked.length - max} more (use --format json or html for all)`);

  const cov = result.coverage;
  const total = cov.rules.length;
  lines.push(
    '',
    `Rule coverage: ${total - cov.neverTrue.length} of ${total} rules exercised (evaluated true at least once).`,
  );
  const text = new Map(cov.rules.map((r) => [r.rule, r.text]));
  for (const id of cov.neverTrue) lines.push(`  never true   ${id.padEnd(16)} ${safe(text.get(id) ?? '')}`);
  for (const id of cov.neverFalse) lines.push(`  never false  ${id.padEnd(16)} ${safe(text.get(id) ?? '')}`);

  if (result.unsafe.length > 0) {
    lines.push('', 'Unsafe overrides in this mapping:');
    for (const u of result.unsafe) lines.push(`  line ${u.line}: ${u.code}: ${safe(u.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
