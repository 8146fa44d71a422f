/**
 * The playground page in real headless Chromium (Debian's /usr/bin/chromium driven by playwright-core): the page is
 * built once with vite into a temporary directory and served on 127.0.0.1 (port 0) by a tiny static server; one
 * browser for the file. Expected values (diagnostic codes and positions, roles, the formatted text) are computed in
 * Node by the same claimmap functions, so the page is checked against the library, not against copied strings.
 *
 * Without Chromium the suite is skipped with a message; with CLAIMMAP_REQUIRE_CHROMIUM=1 (CI) it fails instead.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClaims } from '../../src/claims/read-claims.js';
import { compile, lint } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { renderHtml } from '../../src/simulate/report/html.js';
import { simulateDecisions } from '../../src/simulate/simulate.js';
import { formatSource } from '../../src/syntax/format.js';
import { notice } from '../runtime/notice.js';

const CHROMIUM = process.env.CLAIMMAP_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.CLAIMMAP_REQUIRE_CHROMIUM === '1';
const HAVE = existsSync(CHROMIUM);
if (!HAVE && !REQUIRED) {
  notice(
    `test/playground/page.chromium: no Chromium at ${CHROMIUM}; SKIPPING the browser tests (apt-get install chromium, ` +
      'or set CLAIMMAP_CHROMIUM; CLAIMMAP_REQUIRE_CHROMIUM=1 makes this a failure)',
  );
}

/** The text of an element (by selector on a page, or a locator). */
async function text(where: Page | Locator, selector?: string): Promise<string> {
  const t =
    selector === undefined ? await (where as Locator).textContent() : await (where as Page).textContent(selector);
  return t ?? '';
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
    const file = join(root, path === '' ? 'index.html' : path);
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const read = (p: string) => readFileSync(p, 'utf8');
const OKTA = read('examples/okta-saml/acme.claimmap');
const JANE = read('examples/okta-saml/jane.saml.xml');
const ENTRA = read('examples/entra-oidc/contoso.claimmap');
const CAROL = read('examples/entra-oidc/carol.guest.id-token.jwt').trim();

describe.runIf(HAVE || REQUIRED)('the playground in headless Chromium', () => {
  let dir = '';
  let server: Server | undefined;
  let browser: BrowserContext | undefined;
  let base = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!HAVE) throw new Error(`CLAIMMAP_REQUIRE_CHROMIUM=1 but there is no Chromium at ${CHROMIUM}`);
    dir = mkdtempSync(join(tmpdir(), 'claimmap-playground-'));
    const { build } = await import('vite');
    await build({
      configFile: 'playground/vite.config.ts',
      logLevel: 'silent',
      build: { outDir: join(dir, 'site'), emptyOutDir: true },
    });
    server = await serve(join(dir, 'site'));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    // A fresh profile per run (launchPersistentContext is how playwright takes --user-data-dir).
    browser = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(pageErrors).toEqual([]);
  });

  async function open(url = base): Promise<Page> {
    const page = await (browser as BrowserContext).newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready=true]');
    return page;
  }
  async function settle(page: Page): Promise<void> {
    await page.waitForTimeout(50);
    await page.waitForSelector('body[data-busy=false]');
  }
  const setMapping = (page: Page, text: string) =>
    page.evaluate(
      (t) => (window as unknown as { playground: { setMapping(t: string): void } }).playground.setMapping(t),
      text,
    );
  const mappingText = (page: Page) =>
    page.evaluate(() => (window as unknown as { playground: { mappingText(): string } }).playground.mappingText());
  async function tab(page: Page, name: string): Promise<void> {
    await page.getByRole('tab', { name }).click();
    await settle(page);
  }

  it('loads every example preset with no diagnostics', async () => {
    const page = await open();
    const ids = await page.$$eval('#preset option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value).filter(Boolean),
    );
    expect(ids.length).toBeGreaterThanOrEqual(10);
    await tab(page, 'Lint');
    for (const id of ids) {
      await page.selectOption('#preset', id);
      await settle(page);
      await page.waitForSelector('[data-testid=no-diagnostics]');
    }
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    await page.close();
  });

  it('shows a mistake typed into the editor at its line and column, with its code', async () => {
    const page = await open();
    await setMapping(page, OKTA);
    await tab(page, 'Lint');
    await page.waitForSelector('[data-testid=no-diagnostics]');
    // Type a new rule granting a role that is not a name, after `grant viewer`, with the keyboard.
    const line = OKTA.slice(0, OKTA.indexOf('grant viewer')).split('\n').length;
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+Home');
    for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('grant 9oops');
    const typed = await mappingText(page);
    expect(typed.split('\n')[line]?.trim()).toBe('grant 9oops');
    const expected = lint(typed, { filename: 'playground.claimmap' }).filter((d) => d.severity === 'error');
    const first = expected[0];
    if (!first) throw new Error('the typed mistake gives no error');
    expect(first.range.start.line).toBe(line + 1);
    await settle(page);
    const row = page.locator('[data-testid=diagnostics] tr', { hasText: first.code }).first();
    await row.waitFor();
    expect(await text(row)).toContain(`${first.range.start.line}:${first.range.start.column}`);
    // Inline: CodeMirror underlines the range; hovering it shows the code.
    const mark = page.locator('.cm-lintRange-error').first();
    await mark.waitFor();
    await mark.hover();
    await page.waitForSelector(`.cm-tooltip-lint :text("${first.code}")`);
    await page.close();
  });

  it('reports the exact line:column of a diagnostic set through the editor', async () => {
    const page = await open();
    await tab(page, 'Lint');
    const broken = OKTA.replace('grant admin when "Okta-Admins" in groups', 'grant admin when "Okta-Admins" in grups');
    const [d] = lint(broken, { filename: 'playground.claimmap' }).filter((x) => x.severity === 'error');
    expect(d).toBeDefined();
    await setMapping(page, broken);
    await settle(page);
    const row = page.locator('[data-testid=diagnostics] tr', { hasText: d?.code ?? '' }).first();
    await row.waitFor();
    expect(await text(row)).toContain(`${d?.range.start.line}:${d?.range.start.column}`);
    await page.waitForSelector('.cm-lintRange-error');
    await page.close();
  });

  const rolesOf = (mapping: string, claims: string) => {
    const { plan } = compile(mapping);
    const decision = evaluate(plan as NonNullable<typeof plan>, readClaims(claims), { trace: true });
    return decision;
  };

  it('evaluates a pasted SAML assertion (XML, base64 and deflated): roles and the trace', async () => {
    const page = await open();
    await setMapping(page, OKTA);
    const want = rolesOf(OKTA, JANE);
    expect(want.roles.length).toBeGreaterThan(0);
    const b64 = Buffer.from(JANE).toString('base64');
    const deflated = deflateRawSync(Buffer.from(JANE)).toString('base64');
    for (const claims of [JANE, b64, deflated]) {
      await page.fill('#claims', claims);
      await tab(page, 'Evaluate');
      await settle(page);
      expect(await text(page, '[data-testid=outcome]')).toBe(want.outcome.toUpperCase());
      const roles = await text(page, '[data-testid=roles]');
      for (const r of want.roles) expect(roles).toContain(r);
      expect(await page.locator('[data-testid=trace] tbody tr').count()).toBe(want.trace?.length);
    }
    expect(await text(page, '#claims-status')).toContain('SAML (deflated)');
    await page.close();
  });

  it('evaluates a pasted JWT, labelled as decoded and not verified', async () => {
    const page = await open();
    await setMapping(page, ENTRA);
    await page.fill('#claims', CAROL);
    await tab(page, 'Evaluate');
    const want = rolesOf(ENTRA, CAROL);
    expect(await text(page, '[data-testid=outcome]')).toBe(want.outcome.toUpperCase());
    expect(await text(page, '#claims-status')).toContain('signature NOT verified');
    expect(await page.locator('[data-testid=trace] tbody tr').count()).toBe(want.trace?.length ?? 0);
    await page.close();
  });

  it('a shared link restores the same mapping, claims and tab in a new page', async () => {
    const page = await open();
    const mapping = `${ENTRA}\n// shared ✓ ünïcode\n`;
    await setMapping(page, mapping);
    await page.fill('#claims', CAROL);
    await tab(page, 'Explain');
    const url = page.url();
    expect(url).toMatch(/#v=1&z=[A-Za-z0-9_-]+$/);
    await page.close();
    const again = await open(url);
    await settle(again);
    expect(await mappingText(again)).toBe(mapping);
    expect(await again.inputValue('#claims')).toBe(CAROL);
    expect(await again.getAttribute('#tab-explain', 'aria-selected')).toBe('true');
    expect(await text(again, '[data-testid=explain]')).toContain('key:');
    await again.close();
  });

  it('the Format button formats the mapping as claimmap fmt does', async () => {
    const page = await open();
    const messy = OKTA.replace('grant viewer', 'grant     viewer').replace(/^ {4}deny/m, '        deny');
    const want = formatSource(messy).text;
    expect(want).not.toBeNull();
    expect(want).not.toBe(messy);
    await setMapping(page, messy);
    await page.getByRole('button', { name: 'Format mapping' }).click();
    expect(await mappingText(page)).toBe(want);
    await page.close();
  });

  it('simulates the sample and loads a finding’s mutated claims into the evaluator', async () => {
    const page = await open();
    await setMapping(page, OKTA);
    await page.fill('#claims', JANE);
    await tab(page, 'Simulate');
    expect(await text(page, '[data-testid=sim-summary]')).toMatch(/^\d+ mutated logins/);
    const load = page.locator('[data-testid=findings] button').first();
    await load.click();
    await settle(page);
    expect(await page.getAttribute('#tab-eval', 'aria-selected')).toBe('true');
    expect(await text(page, '#claims-status')).toContain('Mutated by the simulation');
    await page.close();
  });

  it('opens a finding of the HTML simulation report in the playground, with its mutated claims', async () => {
    const { plan } = compile(OKTA);
    const samples = [{ name: 'jane', claimSet: readClaims(JANE) }];
    const result = simulateDecisions(plan as NonNullable<typeof plan>, samples);
    const html = renderHtml(result, {
      playground: { url: base, mapping: OKTA, samples, deflateRaw: (b) => deflateRawSync(b) },
    });
    const href = /<a href="([^"]+)"[^>]*>open in playground<\/a>/.exec(html)?.[1]?.replace(/&#38;/g, '&');
    if (!href) throw new Error('the report has no playground link');
    expect(href.startsWith(base)).toBe(true);
    const page = await open(href);
    await settle(page);
    expect(await mappingText(page)).toBe(OKTA);
    expect(await page.getAttribute('#tab-eval', 'aria-selected')).toBe('true');
    expect(await text(page, '#claims-status')).toContain('Mutated by the simulation');
    expect(await text(page, '[data-testid=outcome]')).toMatch(/^(ALLOW|REFUSE)$/);
    await page.close();
  });
});
