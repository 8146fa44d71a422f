/**
 * `claimmap import grafana|argocd|kubernetes FILE -o OUT --compare SAMPLES` through the CLI entry (main.ts): the
 * report the command prints is the golden report of the importer's own tests (test/import/golden), its classes and
 * counts are the ones below, the exit code follows the notes, and the mapping written with -o lints.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIFFERENCE_CLASSES, type DifferenceClass } from '../../../src/import/compare.js';
import { cli } from '../fake-io.js';

interface Case {
  kind: 'grafana' | 'argocd' | 'kubernetes';
  file: string;
  samples: string;
  golden: string;
  logins: number;
  /** The classes with at least one login; every other class counts 0. */
  counts: Partial<Record<DifferenceClass, number>>;
  /** The error notes that make the exit code 1. */
  errors: string[];
}

const CASES: Case[] = [
  {
    kind: 'grafana',
    file: 'test/import/fixtures/grafana/keycloak-generic.grafana.ini',
    samples: 'test/import/samples/grafana',
    golden: 'test/import/golden/grafana.keycloak-generic.report',
    logins: 112,
    counts: { 'original-grants-on-missing-claim': 3, 'original-keyed-on-email': 6, 'original-grants-more': 2 },
    errors: ['import/keyed-on-email'],
  },
  {
    kind: 'argocd',
    file: 'test/import/fixtures/argocd/okta-teams.argocd.yaml',
    samples: 'test/import/samples/argocd',
    golden: 'test/import/golden/argocd.okta-teams.report',
    logins: 169,
    counts: { 'original-grants-on-missing-claim': 3, 'original-grants-more': 1 },
    errors: ['import/keyed-on-email'],
  },
  {
    kind: 'kubernetes',
    file: 'test/import/fixtures/kubernetes/dex-staff.authentication-config.yaml',
    samples: 'test/import/samples/kubernetes',
    golden: 'test/import/golden/kubernetes.dex-staff.report',
    logins: 51,
    counts: { 'original-grants-on-missing-claim': 3, 'original-keyed-on-email': 3 },
    errors: ['import/keyed-on-email', 'import/untranslated'],
  },
];

const tmp = (): string => mkdtempSync(join(tmpdir(), 'claimmap-import-compare-'));
const errorCodes = (stderr: string): string[] =>
  [...new Set([...stderr.matchAll(/: error (import\/[a-z-]+):/g)].map((m) => m[1] as string))].sort();

describe.each(CASES)('claimmap import $kind FILE --compare SAMPLES', (c) => {
  const expected = Object.fromEntries(DIFFERENCE_CLASSES.map((k) => [k, c.counts[k] ?? 0]));

  it('prints the Markdown report (classes and counts), writes a mapping that lints, exits 1 on error notes', async () => {
    const dir = tmp();
    const out = join(dir, `${c.kind}.claimmap`);
    const r = await cli(['import', c.kind, c.file, '-o', out, '--compare', c.samples]);
    expect(r.code).toBe(1);
    expect(errorCodes(r.stderr)).toEqual([...c.errors].sort());
    expect(r.stderr).toContain(`wrote ${out}\n`);
    expect(r.stdout).toBe(readFileSync(`${c.golden}.md`, 'utf8'));
    expect(r.stdout).toContain(`${c.logins} logins compared`);
    for (const k of DIFFERENCE_CLASSES) expect(r.stdout).toContain(`| \`${k}\` | ${expected[k]} |`);
    expect(r.stdout).not.toContain('do not merge');

    const mapping = readFileSync(out, 'utf8');
    expect(mapping).toContain(`// Imported by claimmap import ${c.kind} from ${c.file}`);
    const lint = await cli(['lint', out]);
    expect(lint.stdout).not.toContain(' error ');
    expect(lint.code).toBe(0);
  });

  it('writes the JSON report with --format json --report, the mapping on standard output', async () => {
    const report = join(tmp(), 'report.json');
    const r = await cli(['import', c.kind, c.file, '--compare', c.samples, '--format', 'json', '--report', report]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('mapping "');
    expect(r.stderr).toContain(`wrote ${report}\n`);
    const text = readFileSync(report, 'utf8');
    expect(text).toBe(readFileSync(`${c.golden}.json`, 'utf8'));
    const json = JSON.parse(text) as { kind: string; logins: number; counts: Record<string, number> };
    expect(json.kind).toBe(c.kind);
    expect(json.logins).toBe(c.logins);
    expect(json.counts).toEqual(expected);
  });
});

describe('claimmap import kubernetes --compare on a configuration it translates whole', () => {
  it('exits 0, with no error note, and reports only the logins where the two disagree', async () => {
    const dir = tmp();
    const config = join(dir, 'auth.yaml');
    writeFileSync(
      config,
      [
        'apiVersion: apiserver.config.k8s.io/v1',
        'kind: AuthenticationConfiguration',
        'jwt:',
        '  - issuer:',
        '      url: https://dex.blue.example.io',
        '      audiences: [kubernetes-blue]',
        '    claimValidationRules:',
        '      - claim: hd',
        '        requiredValue: example.io',
        '    claimMappings:',
        '      username: {claim: sub, prefix: ""}',
        '      groups: {claim: groups, prefix: "oidc:"}',
        '',
      ].join('\n'),
    );
    const out = join(dir, 'k.claimmap');
    const r = await cli([
      'import',
      'kubernetes',
      config,
      '-o',
      out,
      '--compare',
      'test/import/samples/kubernetes',
      '--format',
      'json',
    ]);
    expect(errorCodes(r.stderr)).toEqual([]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      logins: number;
      counts: Record<DifferenceClass, number>;
      differences: { class: DifferenceClass; operator: string; claim: string }[];
    };
    expect(report.logins).toBe(30);
    expect(report.counts).toEqual({
      ...Object.fromEntries(DIFFERENCE_CLASSES.map((k) => [k, 0])),
      'original-grants-on-missing-claim': 1,
      'original-grants-more': 1,
    });
    // A groups claim the API server refuses (a number in the list) is refused by the import too; a single string,
    // which the API server reads as one group, is refused by the import: the report shows it for review.
    expect(report.differences.map((d) => [d.class, d.operator, d.claim])).toEqual([
      ['original-grants-on-missing-claim', 'overage', 'groups'],
      ['original-grants-more', 'wrong-type', 'groups'],
    ]);
    expect((await cli(['lint', out])).code).toBe(0);
  });
});
