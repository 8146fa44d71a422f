/**
 * A self-contained HTML report: no external assets, no script, works offline. A claims × mutations matrix coloured by
 * the worst outcome over every sample, with a legend; hovering a cell shows a summary (`title`), clicking it jumps to
 * its details (CSS `:target`). Every piece of text from the plan or the claims is escaped.
 */
import {
  OUTCOME_CLASSES,
  OUTCOME_RANK,
  type MutationOutcome,
  type OutcomeClass,
  type SimulationResult,
} from '../types.js';
import { CLASS_MEANING, classCounts, describeOutcome, mappingLine, mutationCount, rankedFindings } from './shared.js';
import { plural } from '../../diagnostics/plural.js';
import { playgroundFragment } from './playground-link.js';
import type { Sample } from '../types.js';

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * escapeHtml('<img src=x onerror=alert(1)>') // '&lt;img src=x onerror=alert(1)&gt;'
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const COLOR: Readonly<Record<OutcomeClass | 'critical' | 'none', [string, string]>> = Object.freeze({
  critical: ['#7f0000', '#fff'],
  error: ['#6a1b9a', '#fff'],
  escalation: ['#d32f2f', '#fff'],
  'duplicate-account': ['#e65100', '#fff'],
  'profile-loss': ['#f9a825', '#000'],
  loss: ['#fff176', '#000'],
  refused: ['#90caf9', '#000'],
  unchanged: ['#a5d6a7', '#000'],
  none: ['#f2f2f2', '#999'],
});

interface Cell {
  outcomes: MutationOutcome[];
  worst: OutcomeClass;
  critical: boolean;
}

function style(cls: OutcomeClass | 'critical' | 'none'): string {
  const [bg, fg] = COLOR[cls];
  return `background:${bg};color:${fg}`;
}

/**
 * Options of {@link renderHtml}.
 *
 * @example
 * ```ts
 * writeFileSync('simulation.html', renderHtml(result, { title: 'acme-okta' } satisfies HtmlReportOptions));
 * ```
 */
export interface HtmlReportOptions {
  /** Document title. Default `claimmap simulate: <mapping>`. */
  title?: string;
  /** Give each listed finding an "open in playground" link (none without this option). */
  playground?: PlaygroundLinkOptions;
}

/**
 * What {@link renderHtml} needs to link findings into the playground. Each link carries the mapping, the sample's
 * claim set and the mutation in the URL fragment, which the browser never sends to a server: the report stays
 * self-contained and the mapping does not leave the reader's machine.
 *
 * @example
 * ```ts
 * renderHtml(result, { playground: { url: 'https://example.org/claimmap/', mapping: text, samples, deflateRaw: deflateRawSync } });
 * ```
 */
export interface PlaygroundLinkOptions {
  /** The playground page (an absolute URL, or a path relative to where the report is opened). */
  url: string;
  /** The mapping's source text. */
  mapping: string;
  /** The samples the simulation ran, by name (their claim sets go into the links). */
  samples: readonly Sample[];
  /** Raw deflate (Node: `zlib.deflateRawSync`) to make the links shorter; plain base64url without it. */
  deflateRaw?: (bytes: Uint8Array) => Uint8Array;
}

/** The playground link of an outcome, or null when its sample is not given. */
function playgroundHref(o: MutationOutcome, p: PlaygroundLinkOptions): string | null {
  const sample = p.samples.find((s) => s.name === o.sample);
  if (!sample || o.operator === '(baseline)') return null;
  const base = p.url.replace(/#.*$/, '');
  const fragment = playgroundFragment(
    {
      mapping: p.mapping,
      claims: JSON.stringify(sample.claimSet, null, 2),
      tab: 'eval',
      mutation: { claim: o.claim, operator: o.operator, label: o.label },
    },
    p.deflateRaw ? { deflateRaw: p.deflateRaw } : {},
  );
  return `${base}#${fragment}`;
}

/**
 * Renders a {@link SimulationResult} as one self-contained HTML page.
 *
 * @example
 * ```ts
 * writeFileSync('simulate.html', renderHtml(result));
 * ```
 */
export function renderHtml(result: SimulationResult, options: HtmlReportOptions = {}): string {
  const e = escapeHtml;
  const rows: string[] = [];
  const rowSet = new Set<string>();
  const ops = result.operators.map((o) => o.name);
  for (const o of result.outcomes) {
    if (o.operator === '(baseline)') continue;
    if (!rowSet.has(o.claim)) {
      rowSet.add(o.claim);
      rows.push(o.claim);
    }
    if (!ops.includes(o.operator)) ops.push(o.operator);
  }
  const cells = new Map<string, Cell>();
  for (const o of result.outcomes) {
    if (o.operator === '(baseline)') continue;
    const k = `${o.claim}\u0000${o.operator}`;
    const c = cells.get(k) ?? { outcomes: [], worst: 'unchanged' as OutcomeClass, critical: false };
    c.outcomes.push(o);
    if (OUTCOME_RANK[o.class] < OUTCOME_RANK[c.worst]) c.worst = o.class;
    if (o.critical) c.critical = true;
    cells.set(k, c);
  }
  const cellId = (ri: number, ci: number): string => `cell-${ri}-${ci}`;

  const title = options.title ?? `claimmap simulate: ${mappingLine(result)}`;
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">');
  h.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  h.push(`<title>${e(title)}</title>`);
  h.push(`<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#222;background:#fff}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
.sub{color:#555;margin:0 0 16px}
table{border-collapse:collapse}
th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5;font-weight:600}
.counts td.n{text-align:right;font-variant-numeric:tabular-nums}
.swatch{display:inline-block;width:14px;height:14px;border:1px solid #888;vertical-align:-2px;margin-right:6px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0 12px;font-size:13px}
.matrix th.op{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500;padding:8px 4px;vertical-align:bottom}
.matrix th.row{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace}
.matrix td{padding:0;text-align:center;min-width:34px;height:30px}
.matrix td a{display:block;line-height:30px;color:inherit;text-decoration:none;font-weight:600;font-size:12px}
.matrix td a:hover{outline:2px solid #000;outline-offset:-2px}
.detail{border:1px solid #ddd;border-left:6px solid #ccc;padding:6px 10px;margin:8px 0;border-radius:3px}
.detail:target{outline:3px solid #1565c0;background:#f3f8ff}
.detail h3{font-size:14px;margin:0 0 4px}
.detail ul{margin:2px 0 2px 18px;padding:0}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
.tag{display:inline-block;white-space:nowrap;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600}
.warn{color:#b71c1c;font-weight:600}
</style></head><body>`);
  h.push(`<h1>${e(title)}</h1>`);
  const n = mutationCount(result);
  h.push(
    `<p class="sub">${plural(result.samples.length, 'sample')} × ${plural(result.operators.length, 'operator')}: ${plural(n, 'mutated login')} ` +
      `(${result.mode === 'provision' ? 'update and JIT paths through a memory store' : 'decisions only'}), ` +
      `${plural(result.evaluations, 'evaluation')} in ${result.elapsedMs} ms.${result.critical > 0 ? ` <span class="warn">${plural(result.critical, 'critical escalation')}.</span>` : ''}</p>`,
  );

  // Counts and legend.
  h.push('<h2>Outcomes</h2><table class="counts"><tr><th>outcome</th><th>count</th><th>meaning</th></tr>');
  for (const [cls, count] of classCounts(result)) {
    h.push(
      `<tr><td><span class="swatch" style="${style(cls)}"></span>${cls}</td><td ` +
        `class="n">${count}</td><td>${e(CLASS_MEANING[cls])}</td></tr>`,
    );
  }
  h.push('</table>');

  // Matrix.
  h.push('<h2>Claims × mutations</h2>');
  h.push('<div class="legend">');
  h.push(`<span><span class="swatch" style="${style('critical')}"></span>critical escalation</span>`);
  for (const cls of OUTCOME_CLASSES) h.push(`<span><span class="swatch" style="${style(cls)}"></span>${cls}</span>`);
  h.push(`<span><span class="swatch" style="${style('none')}"></span>not applicable</span>`);
  h.push('</div>');
  h.push(
    '<p class="sub">Each cell shows the worst outcome over every sample (the number is the count of mutated ' +
      'logins that are not unchanged, of all). Hover for a summary, click for details.</p>',
  );
  h.push('<table class="matrix"><tr><th>claim</th>');
  for (const op of ops) h.push(`<th class="op">${e(op)}</th>`);
  h.push('</tr>');
  rows.forEach((row, ri) => {
    h.push(`<tr><th class="row">${e(row)}</th>`);
    ops.forEach((op, ci) => {
      const c = cells.get(`${row}\u0000${op}`);
      if (!c) {
        h.push(`<td style="${style('none')}" title="not applicable">–</td>`);
        return;
      }
      const bad = c.outcomes.filter((o) => o.class !== 'unchanged').length;
      const tip = `${row} × ${op}: ${c.critical ? 'critical ' : ''}${c.worst} (${bad} of ${c.outcomes.length} changed)`;
      h.push(
        `<td style="${style(c.critical ? 'critical' : c.worst)}"><a href="#${cellId(ri, ci)}" ` +
          `title="${e(tip)}">${bad}/${c.outcomes.length}</a></td>`,
      );
    });
    h.push('</tr>');
  });
  h.push('</table>');

  // Top findings.
  const ranked = rankedFindings(result);
  h.push(`<h2>Findings (${ranked.length})</h2>`);
  if (ranked.length === 0) h.push('<p>None: every mutated login kept the baseline access and profile.</p>');
  else {
    const links = options.playground;
    h.push(
      `<table><tr><th>outcome</th><th>sample</th><th>claim</th><th>mutation</th><th>what changed</th>${links ? '<th>playground</th>' : ''}</tr>`,
    );
    for (const o of ranked.slice(0, 50)) {
      const href = links ? playgroundHref(o, links) : null;
      const link = links
        ? `<td>${href ? `<a href="${e(href)}" rel="noopener noreferrer" target="_blank">open in playground</a>` : ''}</td>`
        : '';
      h.push(
        `<tr><td><span class="tag" ` +
          `style="${style(o.critical ? 'critical' : o.class)}">${o.critical ? 'critical ' : ''}${o.class}</span></td>` +
          `<td>${e(o.sample)}</td><td class="mono">${e(o.claim)}</td><td>${e(o.operator)}: <span ` +
          `class="mono">${e(o.label)}</span></td><td>${e(describeOutcome(o))}</td>${link}</tr>`,
      );
    }
    h.push('</table>');
    if (links)
      h.push(
        '<p class="sub">Each playground link holds the mapping and the sample in its URL fragment (after #), which ' +
          'the browser keeps: it is not sent to the playground server. The playground regenerates the mutation.</p>',
      );
    if (ranked.length > 50) h.push(`<p>… ${ranked.length - 50} more in the cell details below.</p>`);
  }

  // Cell details.
  h.push('<h2>Details per cell</h2>');
  rows.forEach((row, ri) => {
    ops.forEach((op, ci) => {
      const c = cells.get(`${row}\u0000${op}`);
      if (!c) return;
      h.push(
        `<div class="detail" id="${cellId(ri, ci)}" ` +
          `style="border-left-color:${COLOR[c.critical ? 'critical' : c.worst][0]}">`,
      );
      h.push(`<h3><span class="mono">${e(row)}</span> × ${e(op)}</h3><ul>`);
      for (const o of c.outcomes) {
        h.push(
          `<li><b>${e(o.sample)}</b> <span class="mono">${e(o.label)}</span>: <span class="tag" ` +
            `style="${style(o.critical ? 'critical' : o.class)}">${o.class}</span>${o.findings.length ? ` ${e(describeOutcome(o))}` : ''}</li>`,
        );
      }
      h.push('</ul></div>');
    });
  });

  // Baselines, coverage, operators, unsafe.
  h.push(
    '<h2>Baselines</h2><table><tr><th>sample</th><th>baseline</th><th>roles</th><th>entitlements</th><th>refusals</th></tr>',
  );
  for (const s of result.samples) {
    h.push(
      `<tr><td>${e(s.sample)}</td><td>${e(s.action)}${s.error ? `: ${e(s.error)}` : ''}</td><td>${e(s.roles.join(', '))}</td><td>${e(s.entitlements.join(', '))}</td><td>${e(s.refusals.join(', '))}</td></tr>`,
    );
  }
  h.push('</table>');
  const cov = result.coverage;
  h.push(
    `<h2>Rule coverage: ${cov.rules.length - cov.neverTrue.length} of ${plural(cov.rules.length, 'rule')} exercised</h2>`,
  );
  h.push('<table><tr><th>rule</th><th>true</th><th>false</th><th>unknown</th><th>text</th></tr>');
  for (const r of cov.rules) {
    const never = r.true === 0 ? ' <span class="warn">never exercised</span>' : '';
    h.push(
      `<tr><td class="mono">${e(r.rule)}${never}</td><td>${r.true}</td><td>${r.conditional ? r.false : '–'}</td><td>${r.conditional ? r.unknown : '–'}</td><td class="mono">${e(r.text)}</td></tr>`,
    );
  }
  h.push('</table>');
  h.push('<h2>Operators</h2><table><tr><th>operator</th><th>scope</th><th>description</th></tr>');
  for (const o of result.operators)
    h.push(`<tr><td class="mono">${e(o.name)}</td><td>${o.scope}</td><td>${e(o.description)}</td></tr>`);
  h.push('</table>');
  if (result.unsafe.length > 0) {
    h.push('<h2>Unsafe overrides in this mapping</h2><ul>');
    for (const u of result.unsafe) h.push(`<li>line ${u.line}: <code>${e(u.code)}</code>: ${e(u.reason)}</li>`);
    h.push('</ul>');
  }
  h.push(`<p class="sub">Mapping digest <span class="mono">${e(result.mapping.digest)}</span>.</p>`);
  h.push('</body></html>');
  return `${h.join('\n')}\n`;
}
