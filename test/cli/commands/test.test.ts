import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../src/cli/commands/test.js';
import { UsageError } from '../../../src/cli/command.js';
import { xmlEscape } from '../../../src/simulate/scenarios/report.js';
import { mappingSource } from '../../simulate/scenarios/mapping.js';
import { runCommand } from '../run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'claimmap-test-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'app.claimmap'), mappingSource());
writeFileSync(join(dir, 'broken.claimmap'), 'mapping "x" {');
writeFileSync(
  join(dir, 'jane.json'),
  JSON.stringify({ iss: 'https://idp.example.com', sub: 'u1', email: 'jane@example.com', groups: ['admins'] }),
);
writeFileSync(join(dir, 'garbage.xml'), '<not-saml/>');

const passing = `mapping: ./app.claimmap
cases:
  - name: jane from a sample is admin
    sample: ./jane.json
    expect: { action: created, roles: [admin, viewer] }
  - name: bob & <friends> are viewers
    claims: { subject: u2, attributes: { email: bob@example.com } }
    expect: { action: created, roles: [viewer] }
`;
const failing = passing.replace('roles: [viewer] }', 'roles: [viewer, "admin"] }');
writeFileSync(join(dir, 'pass.scenarios.yaml'), passing);
writeFileSync(join(dir, 'fail.scenarios.yaml'), failing);
writeFileSync(join(dir, 'nomap.scenarios.yaml'), passing.replace('mapping: ./app.claimmap\n', ''));
writeFileSync(join(dir, 'badmap.scenarios.yaml'), passing.replace('./app.claimmap', './broken.claimmap'));
writeFileSync(
  join(dir, 'schema.scenarios.yaml'),
  'cases:\n  - name: a\n    claims: { subject: s }\n    expect: { action: maybe }\n',
);
writeFileSync(join(dir, 'badsample.scenarios.yaml'), passing.replace('./jane.json', './garbage.xml'));
writeFileSync(join(dir, 'nosample.scenarios.yaml'), passing.replace('./jane.json', './nope.json'));

const run = (...args: string[]) => runCommand(command, args, { cwd: dir });

describe('claimmap test', () => {
  it('exits 0 when every case passes, with a summary line', async () => {
    const r = await run('pass.scenarios.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ jane from a sample is admin');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('2 passed, 0 failed');
  });

  it('exits 1 when a case fails, counting over several files', async () => {
    const r = await run('pass.scenarios.yaml', 'fail.scenarios.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ bob & <friends> are viewers (fail.scenarios.yaml:6)');
    expect(r.stdout).toMatch(/\n3 passed, 1 failed\n$/);
  });

  const invalid: [string, string, string][] = [
    ['a schema error', 'schema.scenarios.yaml', 'schema.scenarios.yaml:4:23: error scenario/schema'],
    ['no mapping', 'nomap.scenarios.yaml', 'nomap.scenarios.yaml:1:1: error scenario/no-mapping'],
    ['a mapping that does not compile', 'badmap.scenarios.yaml', 'broken.claimmap:1:'],
    [
      'a sample that is not claims',
      'badsample.scenarios.yaml',
      'badsample.scenarios.yaml:4:13: error scenario/sample-invalid',
    ],
    ['a missing sample', 'nosample.scenarios.yaml', 'nosample.scenarios.yaml:4:13: error scenario/sample-unreadable'],
    ['a missing scenario file', 'missing.yaml', 'missing.yaml:1:1: error scenario/unreadable'],
  ];
  for (const [what, name, stderr] of invalid) {
    it(`exits 2 on ${what}`, async () => {
      const r = await run(name);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(stderr);
    });
  }

  it('--mapping overrides the file entry', async () => {
    expect((await run('nomap.scenarios.yaml', '--mapping', 'app.claimmap')).code).toBe(0);
  });

  it('--filter runs only matching cases', async () => {
    const r = await run('fail.scenarios.yaml', '--filter', 'jane');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 passed, 0 failed');
  });

  it('usage errors', async () => {
    await expect(run()).rejects.toThrow(UsageError);
    await expect(run('pass.scenarios.yaml', '--format', 'tap')).rejects.toThrow(UsageError);
  });

  it('--format json has the runs and totals', async () => {
    const r = await run('fail.scenarios.yaml', '--format', 'json');
    const j = JSON.parse(r.stdout) as {
      totals: unknown;
      runs: { cases: { status: string; failures: { field: string }[] }[] }[];
    };
    expect(j.totals).toEqual({ passed: 1, failed: 1 });
    expect(j.runs[0]!.cases.map((c) => c.status)).toEqual(['passed', 'failed']);
    expect(j.runs[0]!.cases[1]!.failures.map((f) => f.field)).toEqual(['roles']);
  });

  it('--format junit is well-formed JUnit XML', async () => {
    const r = await run('pass.scenarios.yaml', 'fail.scenarios.yaml', '--format', 'junit');
    expect(r.code).toBe(1);
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (_level, msg) => errors.push(msg) }).parseFromString(r.stdout, 'text/xml');
    expect(errors).toEqual([]);
    const root = doc.documentElement!;
    expect(root.nodeName).toBe('testsuites');
    expect(root.getAttribute('tests')).toBe('4');
    expect(root.getAttribute('failures')).toBe('1');
    const suites = Array.from(root.getElementsByTagName('testsuite'));
    expect(suites.map((s) => [s.getAttribute('name'), s.getAttribute('tests'), s.getAttribute('failures')])).toEqual([
      ['pass.scenarios.yaml', '2', '0'],
      ['fail.scenarios.yaml', '2', '1'],
    ]);
    const cases = Array.from(root.getElementsByTagName('testcase'));
    expect(cases).toHaveLength(4);
    expect(cases[3]!.getAttribute('name')).toBe('bob & <friends> are viewers');
    expect(cases[3]!.getAttribute('classname')).toBe('test-app');
    const failure = cases[3]!.getElementsByTagName('failure')[0]!;
    expect(failure.getAttribute('type')).toBe('expectation');
    expect(failure.textContent).toContain('roles: expected [admin, viewer], got [viewer]');
    expect(cases[0]!.getElementsByTagName('failure')).toHaveLength(0);
  });

  it('xmlEscape drops characters XML cannot hold', () => {
    expect(xmlEscape('a\u0000b<"\'&>\ud800c')).toBe('ab&lt;&quot;&apos;&amp;&gt;c');
  });
});
