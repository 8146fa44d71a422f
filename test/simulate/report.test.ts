import { describe, expect, it } from 'vitest';
import { renderHtml, escapeHtml } from '../../src/simulate/report/html.js';
import { renderJson } from '../../src/simulate/report/json.js';
import { renderMarkdown, mdCell } from '../../src/simulate/report/markdown.js';
import { renderText } from '../../src/simulate/report/text.js';
import { simulate } from '../../src/simulate/simulate.js';
import { OUTCOME_CLASSES, type SimulationResult } from '../../src/simulate/types.js';
import { LOWERED_GROUPS, NOW, plan, saml } from './fixtures.js';

async function result(): Promise<SimulationResult> {
  const p = plan(LOWERED_GROUPS);
  return simulate(
    p,
    [
      { name: 'jane', claimSet: saml({ email: ['jane@example.com'], groups: ['eng', 'okta-admins'] }) },
      { name: 'sam', claimSet: saml({ email: ['sam@example.com'], groups: ['eng'] }) },
    ],
    { now: NOW },
  );
}

/** A result whose claim values try to break out of every report format. */
async function hostile(): Promise<SimulationResult> {
  const p = plan(LOWERED_GROUPS);
  return simulate(
    p,
    [
      {
        name: '<script>alert(1)</script>|`x`',
        claimSet: saml({ email: ['x@example.com'], groups: ['<img src=x onerror=alert(1)>', 'a|b', 'okta-admins'] }),
      },
    ],
    { now: NOW },
  );
}

describe('reports', () => {
  it('text: golden', async () => {
    await expect(renderText(await result(), { showTiming: false })).toMatchFileSnapshot('./golden/lowered-groups.txt');
  });

  it('text: critical findings come first, with sample × claim × mutation', async () => {
    const text = renderText(await result(), { showTiming: false });
    const lines = text.split('\n');
    const first = lines[lines.findIndex((l) => l.startsWith('Findings')) + 1];
    expect(first).toMatch(/^ {2}CRITICAL escalation {2}sam × groups × near-privileged/);
  });

  it('markdown: golden', async () => {
    await expect(renderMarkdown(await result())).toMatchFileSnapshot('./golden/lowered-groups.md');
  });

  it('json: the documented shape, and it round-trips', async () => {
    const r = await result();
    const parsed = JSON.parse(renderJson(r)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'format',
      'mode',
      'mapping',
      'samples',
      'operators',
      'counts',
      'critical',
      'outcomes',
      'coverage',
      'unsafe',
      'evaluations',
      'elapsedMs',
    ]);
    expect(parsed.format).toBe('claimmap/simulation@1');
    expect(Object.keys(parsed.counts as object)).toEqual([...OUTCOME_CLASSES]);
    const o = (parsed.outcomes as Record<string, unknown>[])[0]!;
    expect(Object.keys(o)).toEqual(['sample', 'operator', 'claim', 'label', 'class', 'critical', 'findings']);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it('html: self-contained, with the matrix, a legend and a details anchor per cell', async () => {
    const r = await result();
    const html = renderHtml(r);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http|href="http|@import|url\(/i);
    expect(html).toContain('<table class="matrix">');
    for (const cls of OUTCOME_CLASSES) expect(html).toContain(`</span>${cls}</span>`);
    const anchors = [...html.matchAll(/href="#(cell-\d+-\d+)"/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(10);
    for (const a of anchors) expect(html).toContain(`id="${a}"`);
    // One matrix row per declared claim that was mutated, plus the login row.
    expect([...html.matchAll(/<th class="row">([^<]*)<\/th>/g)].map((m) => m[1])).toEqual([
      'email',
      'groups',
      '(login)',
    ]);
  });

  it('escapes hostile sample names and claim values in every format', async () => {
    const r = await hostile();
    const html = renderHtml(r);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml('<script>alert(1)</script>'));
    const md = renderMarkdown(r);
    expect(md).not.toMatch(/<script|<img/);
    for (const line of md.split('\n').filter((l) => l.startsWith('| ') && l.includes('script'))) {
      expect(line.split(/(?<!\\)\|/).length).toBe(8); // 6 cells, no injected column
    }
    expect(mdCell('a|b')).toBe('a\\|b');
    expect(renderText(r)).not.toContain('\u001b');
  });
});
