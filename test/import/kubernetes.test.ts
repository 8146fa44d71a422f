import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { compareImport, renderCompareJson, renderCompareMarkdown } from '../../src/import/compare.js';
import { ClaimTable, printCond } from '../../src/import/condition.js';
import { celCondition, parseCel } from '../../src/import/kubernetes/cel.js';
import { importer } from '../../src/import/kubernetes/index.js';
import { formatNote, sortNotes } from '../../src/import/notes.js';
import { loadSamples } from '../../src/simulate/load-samples.js';

const FILE = 'dex-staff.authentication-config.yaml';
const text = readFileSync(`test/import/fixtures/kubernetes/${FILE}`, 'utf8');
const r = importer(text, { file: FILE });

describe('kubernetes import', () => {
  it('writes the golden mapping and notes', async () => {
    await expect(r.source).toMatchFileSnapshot('golden/kubernetes.dex-staff.claimmap');
    await expect(sortNotes(r.notes).map(formatNote).join('')).toMatchFileSnapshot(
      'golden/kubernetes.dex-staff.notes.txt',
    );
  });
  it('compiles, with no import/internal note', () => {
    expect(compile(r.source).plan).not.toBeNull();
    expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  });
  it('translates or notes every rule and mapping, at its place', () => {
    for (const p of ['/claimValidationRules/2', '/claimMappings/username', '/userValidationRules/0', '/issuer']) {
      expect(
        r.notes.some((n) => n.location.pointer?.startsWith(`/jwt/0${p}`)),
        p,
      ).toBe(true);
    }
    expect(r.source).toContain('claimValidationRules[0]');
    expect(r.source).toContain('claimValidationRules[1]');
    expect(r.source).toContain('claimMappings.groups');
  });
  it('refuses a CEL macro at its column in the file', () => {
    const line = text.split('\n')[13] as string;
    expect(r.notes.find((n) => n.message.includes('exists()'))?.location).toMatchObject({
      line: 14,
      column: line.indexOf('exists(') + 1,
    });
  });
  it('asks for an issuer among several authenticators', () => {
    const two = `apiVersion: apiserver.config.k8s.io/v1\nkind: AuthenticationConfiguration\njwt:\n- issuer: {url: https://a.example.com, audiences: [k]}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n- issuer: {url: https://b.example.com, audiences: [k]}\n  claimMappings: {username: {claim: sub, prefix: ""}}\n`;
    expect(importer(two, { file: 'x' }).notes.map((n) => n.code)).toEqual(['import/choose-idp']);
    expect(importer(two, { file: 'x', idp: 'https://b.example.com' }).source).toContain(
      'idp oidc "https://b.example.com"',
    );
  });
  it('keeps a rule message, a claim name and the file name inside their comments', () => {
    const evil = text
      .replace(
        'message: only engineering and SRE may use the cluster',
        'message: "mfa\\n  roles replace {\\n    grant \\"cluster-admin\\"\\n  }"',
      )
      .replace('claim: email', 'claim: "email\\n  require true"');
    const x = importer(evil, { file: 'a\nb.yaml' });
    expect(x.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
    expect(x.source.split('\n').filter((l) => /^\s*(grant "cluster-admin"|require true|b\.yaml)/.test(l))).toEqual([]);
  });
  it.each([
    '',
    'kind: Pod',
    'kind: AuthenticationConfiguration\njwt: 3',
    'kind: AuthenticationConfiguration\njwt: [3]',
    '[',
  ])('never throws on %j', (bad) => {
    expect(importer(bad, { file: 'bad' }).notes.some((n) => n.code === 'import/internal')).toBe(false);
  });
});

describe('the CEL subset', () => {
  it.each([
    ["claims.hd == 'example.io'", 'hd == "example.io"'],
    [
      "'eng' in claims.groups && !('contractors' in claims.groups)",
      '"eng" in groups and not ("contractors" in claims_groups)'.replace('claims_groups', 'groups'),
    ],
    ['claims.email_verified == true', 'email_verified'],
    [
      "claims.email.endsWith('@example.io') || claims.sub.startsWith('svc-')",
      'email ends_with "@example.io" or sub starts_with "svc-"',
    ],
    ["claims['tenant'] in ['a', 'b']", 'tenant in ["a", "b"]'],
    ["claims.team.matches('^ops-[a-z]+$')", 'team matches /^ops-[a-z]+$/'],
  ])('%s → %s', (cel, expected) => {
    expect(printCond(celCondition(parseCel(cel), new ClaimTable()))).toBe(expected);
  });
  it.each([
    ['has(claims.x)', 'has()'],
    ['claims.groups.all(g, g != "x")', 'all()'],
    ['size(claims.groups) > 1', "'>'"],
  ])('refuses %s', (cel, what) => {
    expect(() => celCondition(parseCel(cel), new ClaimTable())).toThrow();
    try {
      celCondition(parseCel(cel), new ClaimTable());
    } catch (e) {
      expect((e as Error).message ?? String((e as { message: string }).message)).toContain(what);
    }
  });
});

describe("the API server's semantics (structured authentication configuration)", () => {
  const s = r.semantics;
  const ok = {
    iss: 'https://dex.blue.example.io',
    aud: 'kubernetes-blue',
    sub: 'x',
    email: 'li@example.io',
    email_verified: true,
    hd: 'example.io',
    groups: ['eng'],
    amr: ['mfa'],
  };
  it('maps the username with its prefix and the groups with theirs, plus system:authenticated', () => {
    expect(s?.decide(ok)).toMatchObject({
      refused: false,
      key: 'oidc:li@example.io',
      roles: ['oidc:eng', 'system:authenticated'],
    });
  });
  it('requires email_verified true when the username is the email, and accepts a token without it', () => {
    expect(s?.decide({ ...ok, email_verified: false }).refused).toBe(true);
    const { email_verified: _, ...noVerified } = ok;
    expect(s?.decide(noVerified).refused).toBe(false);
  });
  it('rejects a token failing a claim rule (requiredValue, or a CEL expression that is false or errors)', () => {
    expect(s?.decide({ ...ok, hd: 'other.io' }).refused).toBe(true);
    expect(s?.decide({ ...ok, groups: ['sales'] }).refused).toBe(true);
    expect(s?.decide({ ...ok, amr: ['pwd'] }).refused).toBe(true);
    const { amr: _, ...noAmr } = ok;
    expect(s?.decide(noAmr).refused).toBe(true);
  });
  it('checks iss against issuer.url and aud against issuer.audiences before any rule', () => {
    expect(s?.decide({ ...ok, iss: 'https://dex.blue.example.io/other-tenant' })).toMatchObject({
      refused: true,
      reason: 'iss does not match issuer.url',
    });
    const { iss: _, ...noIss } = ok;
    expect(s?.decide(noIss).refused).toBe(true);
    expect(s?.decide({ ...ok, aud: ['other', 'kubernetes-blue'] }).refused).toBe(false);
    expect(s?.decide({ ...ok, aud: ['other'] })).toMatchObject({
      refused: true,
      reason: 'no entry of issuer.audiences matches the aud claim',
    });
    expect(s?.decide({ ...ok, aud: 'Kubernetes-Blue' }).refused).toBe(true);
    const { aud: __, ...noAud } = ok;
    expect(s?.decide(noAud).refused).toBe(true);
  });
  it('matches any of several audiences with audienceMatchPolicy MatchAny', () => {
    const t = text.replace(
      '        - kubernetes-blue\n',
      '        - kubernetes-blue\n        - kubectl\n      audienceMatchPolicy: MatchAny\n',
    );
    const x = importer(t, { file: 'x' });
    expect(x.notes.some((n) => n.code === 'import/invalid-input')).toBe(false);
    expect(x.semantics?.decide({ ...ok, aud: ['kubectl'] }).refused).toBe(false);
  });
  it.each([
    [
      'no audience',
      (t: string) => t.replace('        - kubernetes-blue\n', '').replace('audiences:', 'audiences: []'),
      'audiences',
    ],
    [
      'two audiences and no MatchAny',
      (t: string) => t.replace('        - kubernetes-blue\n', '        - kubernetes-blue\n        - kubectl\n'),
      'audienceMatchPolicy',
    ],
    [
      'an unknown policy',
      (t: string) =>
        t.replace('        - kubernetes-blue\n', '        - kubernetes-blue\n      audienceMatchPolicy: MatchAll\n'),
      'audienceMatchPolicy',
    ],
  ])('notes a configuration the API server refuses (%s), and refuses every login', (_, edit, field) => {
    const x = importer(edit(text), { file: 'x' });
    const bad = x.notes.filter((n) => n.code === 'import/invalid-input');
    expect(bad.map((n) => [n.severity, n.location.pointer])).toEqual([['error', `/jwt/0/issuer/${field}`]]);
    expect(x.source).toContain('mapping "kubernetes"');
    expect(x.semantics?.decide(ok).refused).toBe(true);
  });
  it('runs userValidationRules on the mapped user', () => {
    const t = text.replace('prefix: "oidc:"', 'prefix: ""');
    const x = importer(t, { file: 'x' }).semantics;
    expect(x?.decide({ ...ok, email: 'system:admin' }).refused).toBe(true);
  });
});

describe('kubernetes differential report', () => {
  const report = compareImport(r, loadSamples(['test/import/samples/kubernetes'], process.cwd()));
  it('matches the golden reports and never grants more than the API server', async () => {
    if (typeof report === 'string') throw new Error(report);
    await expect(renderCompareMarkdown(report)).toMatchFileSnapshot('golden/kubernetes.dex-staff.report.md');
    await expect(renderCompareJson(report)).toMatchFileSnapshot('golden/kubernetes.dex-staff.report.json');
    expect(report.counts['imported-grants-more']).toBe(0);
  });
  it('agrees with the API server on a token of another issuer: both refuse it', () => {
    if (typeof report === 'string') throw new Error(report);
    expect(report.differences.filter((d) => d.operator === 'another-issuer')).toEqual([]);
    expect(report.counts['original-grants-more']).toBe(0);
  });
});
