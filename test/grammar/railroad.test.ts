/**
 * grammar/railroad.html is generated: it must be exactly what scripts/railroad.ts writes for the current parser,
 * self-contained (it is shipped in the package and must render offline) and show every rule of the grammar.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RAILROAD_HTML, renderRailroad } from '../../scripts/railroad.js';
import { parsePlaygroundState, playgroundPayload } from '../../src/simulate/report/playground-link.js';
import { getParser } from '../../src/syntax/parser.js';

const STALE = 'grammar/railroad.html is stale: run `npm run grammar` (tsx scripts/railroad.ts) and commit the result';

describe('grammar/railroad.html', () => {
  it('is up to date with the parser', () => {
    expect(existsSync(RAILROAD_HTML), STALE).toBe(true);
    expect(readFileSync(RAILROAD_HTML, 'utf8'), STALE).toBe(renderRailroad());
  });

  it('loads nothing: no script, stylesheet, image, frame or import from elsewhere', () => {
    const html = readFileSync(RAILROAD_HTML, 'utf8');
    // Any src= or href= attribute (a script, link, img, iframe, a use/image in SVG), and CSS @import or url().
    expect(html.match(/\b(?:src|href|xlink:href)\s*=/gi) ?? []).toEqual([]);
    expect(html.match(/@import|url\s*\(/gi) ?? []).toEqual([]);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('has a heading and an inline SVG diagram for every grammar rule', () => {
    const html = readFileSync(RAILROAD_HTML, 'utf8');
    const rules = getParser()
      .getSerializedGastProductions()
      .map((rule) => ('name' in rule ? String(rule.name) : ''));
    expect(rules.length).toBeGreaterThan(10);
    const headings = [...html.matchAll(/<h2 class="diagramHeader">([^<]+)<\/h2>\s*<svg\b/g)].map((m) => m[1]);
    expect(headings).toEqual(rules);
  });
});

describe('railroad diagrams: playground link', () => {
  it('links to the playground with the Okta example only when given a URL', () => {
    expect(renderRailroad()).not.toContain('open an example in the playground');
    const html = renderRailroad({ playgroundUrl: 'https://p.example/pg/' });
    const hrefs = [...html.matchAll(/<a href="https:\/\/p\.example\/pg\/#([^"]+)">/g)].map((m) =>
      (m[1] ?? '').replace(/&amp;/g, '&'),
    );
    expect(hrefs).toHaveLength(1);
    const payload = playgroundPayload(hrefs[0] ?? '');
    if ('problem' in payload) throw new Error(payload.problem);
    const state = parsePlaygroundState(new TextDecoder().decode(payload.bytes));
    expect(state?.mapping).toBe(readFileSync('examples/okta-saml/acme.claimmap', 'utf8'));
  });
});
