import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { globMatch, globToRegex } from '../../src/import/vault/glob.js';
import { importer } from '../../src/import/vault/index.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FILE = 'engineering-bundle.json';
const text = readFileSync('test/import/fixtures/vault/engineering-bundle.json', 'utf8');
const bundle = JSON.parse(text) as { roles: Record<string, { data: Record<string, unknown> }> };

describe.each(['engineers', 'ci'])('vault import of role %s', (role) => {
  const r = importer(text, { file: FILE, idp: role });
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot(`golden/vault.${role}.claimmap`);
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot(`golden/vault.${role}.notes.txt`);
  });
  it('compiles with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('drops no parameter: each is in a from: comment or a note', () => {
    for (const k of Object.keys(bundle.roles[role]!.data)) {
      const v = bundle.roles[role]!.data[k];
      const empty = v === '' || v === false || (Array.isArray(v) && v.length === 0);
      const inSource = r.source.includes(` ${k}`);
      const noted = r.notes.some((n) => n.location.pointer?.includes(`/${k}`) || n.message.includes(k));
      expect(empty || inSource || noted, k).toBe(true);
    }
  });
});

describe('vault import', () => {
  it('keys an email user_claim on sub, loudly', () => {
    const r = importer(text, { file: FILE, idp: 'engineers' });
    expect(r.source).toContain('key sub');
    expect(r.notes.find((n) => n.code === 'import/keyed-on-email')).toMatchObject({
      severity: 'error',
      location: { pointer: '/roles/engineers/data/user_claim' },
    });
  });
  it('reads one `vault read` output and a list, and asks for a role among several', () => {
    const one = JSON.stringify(bundle.roles.ci);
    const r = importer(one, { file: 'ci.json' });
    expect(r.source).toContain('require repository in ["fabrikam/payments"]');
    expect(r.notes.find((n) => n.code === 'import/untranslated' && n.message.includes('bound_issuer'))?.severity).toBe(
      'error',
    );
    const list = JSON.stringify([
      { name: 'ci', ...bundle.roles.ci },
      { name: 'engineers', ...bundle.roles.engineers },
    ]);
    expect(importer(list, { file: 'l.json' }).notes.map((n) => n.code)).toEqual(['import/choose-idp']);
    expect(importer(list, { file: 'l.json', idp: 'ci' }).source).toContain('mapping "vault-ci"');
  });
  it('splits a comma-separated bound claim value unless disable_bound_claims_parsing', () => {
    const role = (extra: object) =>
      JSON.stringify({ data: { user_claim: 'sub', bound_claims: { color: 'red,green' }, ...extra } });
    expect(importer(role({}), { file: 'r.json' }).source).toContain('color in ["red", "green"]');
    expect(importer(role({ disable_bound_claims_parsing: true }), { file: 'r.json' }).source).toContain(
      'color in ["red,green"]',
    );
  });
  it.each(['', '[', '7', '{"roles": 3}', '{"data": {"user_claim": 5, "bound_claims": {"a": []}}}'])(
    'never throws on %j',
    (bad) => {
      const r = importer(bad, { file: 'bad.json' });
      expect(r.notes.some((n) => n.code === 'import/internal')).toBe(false);
    },
  );
});

describe('Vault glob → regex', () => {
  it.each([
    ['eng-*', 'eng-payments', true],
    ['eng-*', 'eng-', true],
    ['eng-*', 'xeng-a', false],
    ['refs/tags/v*', 'refs/tags/v1.2/x', true],
    ['a.b', 'axb', false],
    ['*admin*', 'sysadmins', true],
    ['(x)+', '(x)+', true],
  ])('%s on %s is %s, as Vault matches it', (glob, value, expected) => {
    expect(globMatch(glob, value)).toBe(expected);
    expect(new RegExp(globToRegex(glob), 'u').test(value)).toBe(expected);
  });
  it('means what the glob means on any pattern and value over a small alphabet', () => {
    const s = fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '*', '(', '\\') });
    fc.assert(
      fc.property(s, fc.string({ unit: fc.constantFrom('a', 'b', '.', '/', '(', '\\') }), (glob, value) => {
        expect(new RegExp(globToRegex(glob), 'u').test(value)).toBe(globMatch(glob, value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('vault differential report', () => {
  const r = importer(text, { file: FILE, idp: 'engineers' });
  const report = compareImport(r, loadSamples(['test/import/samples/vault'], process.cwd()));
  it('matches the golden reports and never grants more than Vault', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/vault.engineers.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/vault.engineers.report.json');
    expect(report.counts['imported-grants-more']).toBe(0);
    expect(report.counts['original-keyed-on-email']).toBeGreaterThan(0);
  });
});
