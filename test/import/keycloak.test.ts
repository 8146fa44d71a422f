import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { importer } from '../../src/import/keycloak/index.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { compile } from '../../src/compile/compile.js';
import { readJsonFile } from '../../src/import/locate.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FIXTURE = 'test/import/fixtures/keycloak/corp-realm.json';
const FILE = 'corp-realm.json';
const text = readFileSync(FIXTURE, 'utf8');
const realm = JSON.parse(text) as { identityProviderMappers: { identityProviderAlias: string }[] };

describe.each(['northwind-oidc', 'partner-saml'])('keycloak import of %s', (idp) => {
  const r = importer(text, { file: FILE, idp });
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot(`golden/keycloak.${idp}.claimmap`);
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot(`golden/keycloak.${idp}.notes.txt`);
  });
  it('compiles, with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('drops no mapper: each is translated (a from: comment names its line) or has a note at it', () => {
    const located = readJsonFile(text, FILE);
    if (!located.ok) throw new Error('fixture');
    let counted = 0;
    realm.identityProviderMappers.forEach((m, i) => {
      if (m.identityProviderAlias !== idp) return;
      counted++;
      const line = located.documents[0]!.at(`/identityProviderMappers/${i}`).line;
      const translated = r.source.includes(`// from: ${FILE}:${line} mapper`);
      const noted = r.notes.some((n) => n.location.pointer?.startsWith(`/identityProviderMappers/${i}`));
      expect(translated || noted, `mapper #${i}`).toBe(true);
    });
    expect(counted).toBeGreaterThan(1);
  });
});

describe('keycloak import: what is refused or noted', () => {
  const r = importer(text, { file: FILE, idp: 'northwind-oidc' });
  it('refuses a lookaround regex with its location and keeps the rest of the mapper set', () => {
    const n = r.notes.find((x) => x.code === 'import/regex-unsupported');
    expect(n).toMatchObject({
      severity: 'error',
      location: { file: FILE, pointer: '/identityProviderMappers/2/config/claims' },
    });
    expect(n!.message).toContain('regex/lookaround');
    expect(r.source).not.toContain('grant member');
  });
  it('anchors whole-string regexes', () => {
    expect(r.source).toContain('/^(?:FTE|Intern)$/');
  });
  it('turns automatic linking by email into on email_conflict reject with a loud error', () => {
    const n = r.notes.find((x) => x.code === 'import/linked-by-email');
    expect(n?.severity).toBe('error');
    expect(n?.location.pointer).toBe('/authenticationFlows/3/authenticationExecutions/1');
    expect(r.source).toMatch(/accounts \{\n\s+on email_conflict reject/);
  });
  it('keys a SAML emailAddress NameID on a persistent NameID, loudly', () => {
    const saml = importer(text, { file: FILE, idp: 'partner-saml' });
    expect(saml.source).toContain('key nameid persistent');
    expect(saml.notes.find((x) => x.code === 'import/keyed-on-email')?.severity).toBe('error');
    expect(saml.source).toContain('roles add');
  });
  it('asks for --idp when the realm has several, and names a missing one', () => {
    expect(importer(text, { file: FILE }).notes.map((n) => n.code)).toEqual(['import/choose-idp']);
    expect(importer(text, { file: FILE, idp: 'nope' }).notes.map((n) => n.code)).toEqual(['import/no-idp']);
  });
  it.each([
    ['not JSON', '{"identityProviders": ['],
    ['an array', '[]'],
    ['duplicate keys', '{"identityProviders": [], "identityProviders": []}'],
    [
      'a mapper that is not an object',
      '{"identityProviders":[{"alias":"a","providerId":"oidc","config":{"issuer":"https://a.example"}}],"identityProviderMappers":[7, {"identityProviderAlias":"a","identityProviderMapper":"oidc-role-idp-mapper","config":{}}]}',
    ],
  ])('never throws on %s', (_what, bad) => {
    const out = importer(bad, { file: 'bad.json' });
    expect(out.notes.some((n) => n.severity === 'error')).toBe(true);
    expect(out.notes.every((n) => n.code !== 'import/internal')).toBe(true);
  });
});

describe('keycloak differential report', () => {
  const r = importer(text, { file: FILE, idp: 'northwind-oidc' });
  const samples = loadSamples(['test/import/samples/keycloak'], process.cwd());
  const report = compareImport(r, samples);
  it('matches the golden reports', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/keycloak.northwind-oidc.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/keycloak.northwind-oidc.report.json');
  });
  it('never has the import grant more than Keycloak, and shows the untranslated mapper and email linking', () => {
    if (typeof report === 'string') throw new Error(report);
    expect(report.counts['imported-grants-more']).toBe(0);
    expect(report.differences.some((d) => d.operator === '(baseline)' && d.original.roles.includes('member'))).toBe(
      true,
    );
    expect(report.counts['original-keyed-on-email']).toBeGreaterThan(0);
  });
});

describe('keycloak differential report, SAML', () => {
  it('shows the emailAddress NameID as the migration blocker, once', async () => {
    const r = importer(text, { file: FILE, idp: 'partner-saml' });
    const report = compareImport(r, loadSamples(['test/import/samples/keycloak-saml'], process.cwd()));
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/keycloak.partner-saml.report.md');
    expect(report.counts['imported-grants-more']).toBe(0);
    expect(report.differences.map((d) => [d.operator, d.class])).toEqual([['(baseline)', 'original-keyed-on-email']]);
  });
});
