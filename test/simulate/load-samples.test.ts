import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulateError, type SimulateErrorCode } from '../../src/simulate/errors.js';
import { loadSamples, readSampleDir } from '../../src/simulate/load-samples.js';

const ROOT = join(import.meta.dirname, '..', '..');

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'claimmap-samples-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  return d;
}

const claimSetYaml = (id: string) =>
  `protocol: oidc\n  issuer: https://idp.example.com\n  subject: { id: "${id}" }\n  claims: { sub: "${id}", email: ${id}@example.com }\n  verified: false`;

describe('loadSamples', () => {
  it('reads every example kind from a directory, in sorted order', () => {
    const s = loadSamples(['examples/okta-saml', 'examples/entra-oidc'], ROOT);
    expect(s.map((x) => x.name)).toEqual([
      'jane.later.saml',
      'jane.saml',
      'sam.no-employee-type.saml',
      'alice.id-token',
      'bob.overage.id-token',
      'carol.guest.id-token',
    ]);
    expect(s[0]!.file).toBe('examples/okta-saml/jane.later.saml.xml');
    expect(s[0]!.claimSet.protocol).toBe('saml');
    expect(s[5]!.claimSet.protocol).toBe('oidc');
  });

  it('reads YAML samples: one, or a list, with names; skips non-sample YAML inside a directory', () => {
    const d = dir({
      'one.yaml': `name: alice\nclaims:\n  ${claimSetYaml('a')}\n`,
      'many.yml': `- claims:\n    ${claimSetYaml('b').replace(/\n {2}/g, '\n    ')}\n- name: carol\n  claims:\n    ${claimSetYaml('c').replace(/\n {2}/g, '\n    ')}\n`,
      'acme.scenarios.yaml': 'cases:\n  - name: x\n',
      'sub/readme.md': '# not a sample',
    });
    const s = loadSamples([d], '/');
    expect(s.map((x) => x.name)).toEqual(['many#1', 'carol', 'alice']);
    expect(Object.getPrototypeOf(s[0]!.claimSet.claims)).toBeNull();
  });

  it('gives a repeated name the file path', () => {
    const d = dir({ 'a/x.yaml': `claims:\n  ${claimSetYaml('a')}\n`, 'b/x.yaml': `claims:\n  ${claimSetYaml('b')}\n` });
    expect(loadSamples([d], d).map((x) => x.name)).toEqual(['x', 'b/x.yaml']);
  });

  const bad: [string, Record<string, string>, string, SimulateErrorCode][] = [
    ['no sample files', { 'readme.md': 'x' }, '.', 'simulate/no-samples'],
    ['a missing path', {}, 'nope.xml', 'simulate/unreadable-sample'],
    ['yaml that does not parse', { 'x.yaml': 'claims: [\n' }, 'x.yaml', 'simulate/invalid-yaml'],
    ['yaml duplicate keys', { 'x.yaml': `claims: {}\nclaims: {}\n` }, 'x.yaml', 'simulate/invalid-yaml'],
    ['a named yaml that is not a sample', { 'x.yaml': 'cases: []\n' }, 'x.yaml', 'simulate/invalid-sample'],
    [
      'a yaml claims value that is not a claim set',
      { 'x.yaml': 'claims: { protocol: ftp }\n' },
      'x.yaml',
      'simulate/invalid-sample',
    ],
    [
      'xml with a doctype (XXE)',
      { 'xxe.doctype.xml': '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>' },
      'xxe.doctype.xml',
      'simulate/invalid-sample',
    ],
    ['json that does not parse', { 'x.json': '{"protocol": "oidc", "subject": ' }, 'x.json', 'simulate/invalid-sample'],
    ['a jwt that is not one', { 'x.jwt': 'not.a.jwt.at.all' }, 'x.jwt', 'simulate/invalid-sample'],
  ];
  it.each(bad)('%s is a coded error', (_n, files, path, code) => {
    const d = dir(files);
    let err: unknown;
    try {
      loadSamples([path], d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulateError);
    expect((err as SimulateError).code).toBe(code);
  });

  // Billion laughs: each level names the one before nine times, so expanding the aliases doubles memory per line.
  const billionLaughs = [
    'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ...'bcdefghi'.split('').map((l, i) => `${l}: &${l} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
    'claims: *i',
    '',
  ].join('\n');

  it('refuses a billion-laughs YAML sample with simulate/invalid-yaml (maxAliasCount), never an internal error', () => {
    const d = dir({ 'billion-laughs.yaml': billionLaughs });
    let err: unknown;
    try {
      loadSamples(['billion-laughs.yaml'], d);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimulateError);
    expect((err as SimulateError).code).toBe('simulate/invalid-yaml');
    expect((err as SimulateError).position?.line).toBeGreaterThanOrEqual(1);
    expect(readSampleDir(d).problems.map((p) => p.code)).toEqual(['simulate/invalid-yaml']);
  });

  it('maxAliasCount is an option: aliases within it are read, past it refused', () => {
    const yaml = `base: &c\n  ${claimSetYaml('a')}\nclaims: *c\n`;
    const d = dir({ 'alias.yaml': yaml });
    expect(loadSamples(['alias.yaml'], d)[0]!.claimSet.subject.id).toBe('a');
    expect(() => loadSamples(['alias.yaml'], d, { maxAliasCount: 0 })).toThrow(
      expect.objectContaining({ code: 'simulate/invalid-yaml' }),
    );
  });

  it("passes the claim readers' limits on (claims.maxClaims)", () => {
    const d = dir({ 'many.json': JSON.stringify({ iss: 'https://i', sub: 'a', c1: 1, c2: 2, c3: 3 }) });
    expect(() => loadSamples(['many.json'], d, { claims: { maxClaims: 2 } })).toThrow(
      expect.objectContaining({ readerCode: 'json/too-many-claims' }),
    );
  });

  it('keeps the reader code of a refused SAML file', () => {
    const d = dir({ 'xxe.doctype.xml': '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "y">]><r/>' });
    expect(() => loadSamples(['xxe.doctype.xml'], d)).toThrow(
      expect.objectContaining({ readerCode: 'saml/doctype-forbidden' }),
    );
  });

  it('enforces maxSamples and maxFileBytes', () => {
    expect(() => loadSamples(['examples/okta-saml'], ROOT, { maxSamples: 2 })).toThrow(
      expect.objectContaining({ code: 'simulate/too-many-samples' }),
    );
    expect(() => loadSamples(['examples/okta-saml/jane.saml.xml'], ROOT, { maxFileBytes: 100 })).toThrow(
      expect.objectContaining({ code: 'simulate/sample-too-large' }),
    );
  });
});

describe('readSampleDir (plan --samples): the same walk and reader, problems reported instead of thrown', () => {
  const oidc = (sub: string) => JSON.stringify({ iss: 'https://idp.example.com', sub });

  it('walks like loadSamples: sorted, skipping plans, golden outputs, node_modules and dot-entries', () => {
    const d = dir({
      'b.json': oidc('b'),
      'a/x.json': oidc('x'),
      'a.plan.json': '{}',
      'c.expected.json': '{}',
      'c.expected-error.json': '{}',
      'node_modules/pkg/d.json': oidc('d'),
      '.hidden/e.json': oidc('e'),
      'notes.txt': 'not a sample',
    });
    expect(readSampleDir(d).samples.map((s) => s.name)).toEqual(['a/x.json', 'b.json']);
    expect(loadSamples([d], d).map((s) => s.file)).toEqual(['a/x.json', 'b.json']);
  });

  it('names YAML list samples after the file and the sample, and skips scenario files', () => {
    const d = dir({
      'many.yml': `- name: bob\n  claims:\n    ${claimSetYaml('b').replace(/\n {2}/g, '\n    ')}\n- name: carol\n  claims:\n    ${claimSetYaml('c').replace(/\n {2}/g, '\n    ')}\n`,
      'acme.scenarios.yaml': 'cases:\n  - name: x\n',
    });
    const r = readSampleDir(d);
    expect(r.samples.map((s) => s.name)).toEqual(['many.yml#bob', 'many.yml#carol']);
    expect(r.problems).toEqual([]);
  });

  it.each([
    [
      'a file over maxFileBytes',
      { 'big.json': oidc('x'.repeat(200)) },
      { maxFileBytes: 100 },
      'simulate/sample-too-large',
    ],
    [
      'claims the reader refuses (its code)',
      { 'dup.json': '{"iss":"https://i","sub":"a","sub":"b"}' },
      {},
      'json/duplicate-key',
    ],
    ['YAML that does not parse', { 'bad.yaml': 'claims: [' }, {}, 'simulate/invalid-yaml'],
  ])('reports %s and reads the rest', (_name, files, options, code) => {
    const r = readSampleDir(dir({ ...files, 'ok.json': oidc('ok') }), options);
    expect(r.samples.map((s) => s.name)).toEqual(['ok.json']);
    expect(r.problems.map((p) => p.code)).toEqual([code]);
  });

  it('a path that is a file, not a directory, is a problem', () => {
    const d = dir({ 'a.json': oidc('a') });
    expect(readSampleDir(join(d, 'a.json')).problems.map((p) => p.code)).toEqual(['simulate/unreadable-sample']);
  });
});
