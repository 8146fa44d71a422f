/**
 * A simulation as Markdown for a pull-request comment: a summary table, the top findings, coverage and unsafe
 * overrides. Every cell is escaped so claim values cannot inject Markdown or HTML.
 */
import type { SimulationResult } from '../types.js';
import { CLASS_MEANING, classCounts, describeOutcome, mappingLine, mutationCount, rankedFindings } from './shared.js';
import { plural } from '../../diagnostics/plural.js';

/**
 * Options of {@link renderMarkdown}.
 *
 * @example
 * ```ts
 * const md = renderMarkdown(result, { maxFindings: 20 } satisfies MarkdownReportOptions);
 * ```
 */
export interface MarkdownReportOptions {
  /** Most findings in the table. Default 15. */
  maxFindings?: number;
}

/**
 * Escapes text for a Markdown table cell: HTML-significant characters, pipes, backticks and emphasis markers;
 * line breaks become spaces.
 *
 * @example
 * ```ts
 * mdCell('a|b <x>') // 'a\\|b &lt;x&gt;'
 * ```
 */
export function mdCell(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/([\\|`*_[\]#~])/g, '\\$1');
}

/**
 * Renders a {@link SimulationResult} as Markdown.
 *
 * @example
 * ```ts
 * writeFileSync('simulate.md', renderMarkdown(result));
 * ```
 */
export function renderMarkdown(result: SimulationResult, options: MarkdownReportOptions = {}): string {
  const max = options.maxFindings ?? 15;
  const out: string[] = [];
  const n = mutationCount(result);
  const bad = result.counts.error + result.counts.escalation + result.counts['duplicate-account'];
  out.push(`### claimmap simulate: ${mdCell(mappingLine(result))}`);
  out.push('');
  out.push(
    `${bad === 0 ? '✅' : '❌'} ${plural(result.samples.length, 'sample')}, ${plural(n, 'mutated login')}` +
      `${result.critical > 0 ? `, **${plural(result.critical, 'critical escalation')}**` : ''}.`,
  );
  out.push('');
  out.push('| outcome | count | meaning |', '|---|---:|---|');
  for (const [cls, count] of classCounts(result)) {
    out.push(
      `| ${count > 0 && cls !== 'unchanged' && cls !== 'refused' ? `**${cls}**` : cls} | ${count} | ` +
        `${mdCell(CLASS_MEANING[cls])} |`,
    );
  }

  const ranked = rankedFindings(result);
  out.push('');
  if (ranked.length === 0) out.push('No findings: every mutated login kept the baseline access and profile.');
  else {
    out.push(`#### Top findings (${Math.min(max, ranked.length)} of ${ranked.length})`, '');
    out.push('| | sample | claim | mutation | outcome | what changed |', '|---|---|---|---|---|---|');
    for (const o of ranked.slice(0, max)) {
      out.push(
        `| ${o.critical ? '🔴 critical' : ''} | ${mdCell(o.sample)} | ${mdCell(o.claim)} | ` +
          `${mdCell(o.operator)}: ${mdCell(o.label)} | ${o.class} | ${mdCell(describeOutcome(o))} |`,
      );
    }
  }

  const cov = result.coverage;
  out.push('');
  out.push(
    `<details><summary>Rule coverage: ${cov.rules.length - cov.neverTrue.length} of ${plural(cov.rules.length, 'rule')} exercised</summary>`,
    '',
  );
  out.push('| rule | true | false | unknown | text |', '|---|---:|---:|---:|---|');
  for (const r of cov.rules) {
    out.push(
      `| ${mdCell(r.rule)}${r.true === 0 ? ' ⚠️' : ''} | ${r.true} | ${r.conditional ? r.false : '–'} | ` +
        `${r.conditional ? r.unknown : '–'} | ${mdCell(r.text)} |`,
    );
  }
  out.push('', '</details>');

  if (result.unsafe.length > 0) {
    out.push('', '**Unsafe overrides in this mapping:**', '');
    for (const u of result.unsafe) out.push(`- line ${u.line}: \`${u.code.replace(/`/g, '')}\`: ${mdCell(u.reason)}`);
  }
  return `${out.join('\n')}\n`;
}
