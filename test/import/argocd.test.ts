import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { csvFields, importer } from '../../src/import/argocd/index.js';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FILE = 'okta-teams.argocd.yaml';
const text = readFileSync(`test/import/fixtures/argocd/${FILE}`, 'utf8');
const r = importer(text, { file: FILE });
const ISS = 'https://payments.okta.com/oauth2/default';

describe('argocd import', () => {
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot('golden/argocd.okta-teams.claimmap');
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot('golden/argocd.okta-teams.notes.txt');
  });
  it('compiles, with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('translates or notes every policy line, at its line in the file', () => {
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      const t = l.trim();
      if (!/^[pg],/.test(t)) return;
      const noted = r.notes.some((n) => n.location.line === i + 1);
      const translated =
        r.source.includes(`line ${i + 1}`) || new RegExp(`lines [0-9, ]*\\b${i + 1}\\b`).test(r.source);
      expect(noted || translated, `${i + 1}: ${t}`).toBe(true);
    });
  });
  it('inherits roles (g, role:oncall, role:deployer) and grants policy.default to everyone', () => {
    expect(r.source).toMatch(
      /grant "role:deployer" when "CD-Payments-Deployers" in groups or "CD-Payments-Oncall" in groups/,
    );
    expect(r.source).toMatch(/grant "role:readonly" +\/\/ policy.default/);
  });
  it('an email subject (scopes [groups, email]) matches the email claim, marked unsafe, with a loud note', () => {
    expect(r.source).toContain('email == "jo.lee@payments.example.com" unsafe');
    expect(r.notes.find((n) => n.code === 'import/keyed-on-email')).toMatchObject({
      severity: 'error',
      location: { line: 24 },
    });
  });
  it('a p line for a group (not a role) is access the mapping does not carry: a warning', () => {
    expect(r.notes.find((n) => n.location.line === 36)).toMatchObject({
      code: 'import/untranslated',
      severity: 'warning',
    });
  });
  it('Casbin matches subjects exactly: another case is not the group', () => {
    const d = r.semantics?.decide({ iss: ISS, sub: 'u1', groups: ['cd-platform-admins'] });
    expect(d?.roles).toEqual(['role:readonly']);
    expect(r.semantics?.decide({ iss: ISS, sub: 'u1', groups: ['CD-Platform-Admins'] }).roles).toEqual([
      'role:admin',
      'role:readonly',
    ]);
  });
  it('refuses an ID token of another issuer, as an OpenID Connect relying party does', () => {
    for (const iss of [`${ISS}/other-tenant`, ISS.toUpperCase(), undefined]) {
      const claims = { sub: 'u1', groups: ['CD-Platform-Admins'], ...(iss !== undefined ? { iss } : {}) };
      expect(r.semantics?.decide(claims)).toMatchObject({ refused: true, roles: [] });
    }
  });
  it('reads quoted CSV fields', () => {
    expect(csvFields('g, "my-org:team, beta", role:admin')).toEqual(['g', 'my-org:team, beta', 'role:admin']);
  });
  it.each(['', '---', 'data: 3', 'kind: ConfigMap\ndata:\n  policy.csv: "g"', '[', 'a: [b'])(
    'never throws on %j',
    (bad) => {
      const x = importer(bad, { file: 'bad.yaml' });
      expect(x.notes.some((n) => n.code === 'import/internal')).toBe(false);
    },
  );
});

describe('argocd differential report', () => {
  const report = compareImport(r, loadSamples(['test/import/samples/argocd'], process.cwd()));
  it('matches the golden reports and never grants more than Argo CD', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/argocd.okta-teams.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/argocd.okta-teams.report.json');
    expect(report.counts['imported-grants-more']).toBe(0);
  });
});
