import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '../../../src/cli/commands/simulate.js';
import { UsageError, type CliIO } from '../../../src/cli/command.js';
import { EXACT_GROUPS, LOWERED_GROUPS } from '../../simulate/fixtures.js';
import { stdinOf } from '../fake-io.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

async function run(args: string[], opts: { cwd?: string; tty?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    cwd: opts.cwd ?? ROOT,
    env: {},
    isTTY: opts.tty ?? false,
    stdin: stdinOf(),
  };
  const code = await command.run(args, io);
  return { code, stdout, stderr };
}

/** A directory with two mappings and one SAML sample (groups: eng). */
function workdir(): string {
  const d = mkdtempSync(join(tmpdir(), 'claimmap-sim-cli-'));
  writeFileSync(join(d, 'lowered.claimmap'), LOWERED_GROUPS);
  writeFileSync(join(d, 'exact.claimmap'), EXACT_GROUPS);
  writeFileSync(
    join(d, 'sam.yaml'),
    `name: sam
claims:
  protocol: saml
  issuer: https://idp.example.com
  subject: { id: u-1, format: "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" }
  claims: { email: [sam@example.com], groups: [eng] }
  verified: true
`,
  );
  return d;
}

describe('claimmap simulate', () => {
  it('exits 1 on a critical escalation by default, and prints the text report', async () => {
    const d = workdir();
    const r = await run(['lowered.claimmap', 'sam.yaml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CRITICAL escalation  sam × groups × near-privileged + "OKTA-ADMINS"');
    expect(r.stderr).toMatch(/failing on \d+ escalation/);
  });

  it('simulates a mapping lint refuses only for privileged/* errors, as if each flagged grant said unsafe, and exits 1', async () => {
    const d = workdir();
    // The fixture without its unsafe: lint refuses the folded grant (privileged/folded-claim).
    writeFileSync(join(d, 'refused.claimmap'), LOWERED_GROUPS.replace(/ unsafe "[^"]*"/, ''));
    const r = await run(['refused.claimmap', 'sam.yaml', '--fail-on', 'none'], { cwd: d });
    expect(r.code).toBe(1); // whatever the findings and --fail-on: the mapping cannot ship as is
    expect(r.stderr).toContain('error privileged/folded-claim');
    expect(r.stderr).toContain('simulating as if each said unsafe');
    expect(r.stdout).toContain('CRITICAL escalation  sam × groups × near-privileged + "OKTA-ADMINS"');
    expect(r.stdout).toContain('claimmap simulate: an inexact privileged grant lint refuses'); // the report repeats the override
  });

  it('still refuses a mapping with any other error', async () => {
    const d = workdir();
    writeFileSync(
      join(d, 'broken.claimmap'),
      LOWERED_GROUPS.replace(/ unsafe "[^"]*"/, '').replace('grant viewer', 'grant viewer when nosuch == "x"'),
    );
    const r = await run(['broken.claimmap', 'sam.yaml'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('claim/unknown');
    expect(r.stderr).not.toContain('simulating as if');
    expect(r.stdout).toBe('');
  });

  it('replays samples dated after the clock at their own time (provision would refuse them as issued in the future)', async () => {
    const d = workdir();
    writeFileSync(
      join(d, 'later.yaml'),
      readFileSync(join(d, 'sam.yaml'), 'utf8')
        .replace('name: sam', 'name: later')
        .replace('  verified: true', '  issuedAt: "2999-01-01T00:00:00Z"\n  verified: true'),
    );
    const r = await run(['exact.claimmap', 'later.yaml', '--format', 'json', '--fail-on', 'none'], { cwd: d });
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { samples: { sample: string; action: string; refusals: string[] }[] };
    expect(report.samples.map((b) => [b.sample, b.action, b.refusals])).toEqual([['later', 'created', []]]);
  });

  it('exits 0 when no fail-on class occurs', async () => {
    const d = workdir();
    expect((await run(['exact.claimmap', 'sam.yaml'], { cwd: d })).code).toBe(0);
    expect((await run(['lowered.claimmap', 'sam.yaml', '--fail-on', 'none'], { cwd: d })).code).toBe(0);
  });

  it('--fail-on chooses the classes', async () => {
    const d = workdir();
    const r = await run(['exact.claimmap', 'sam.yaml', '--fail-on', 'refused,duplicate-account'], { cwd: d });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failing on \d+ refused/);
  });

  it.each(['json', 'markdown', 'html'] as const)('--format %s -o FILE writes the report', async (format) => {
    const d = workdir();
    const out = `report.${format}`;
    const r = await run(['exact.claimmap', 'sam.yaml', '--format', format, '-o', out], { cwd: d });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const text = readFileSync(join(d, out), 'utf8');
    if (format === 'json') expect(JSON.parse(text).format).toBe('claimmap/simulation@1');
    if (format === 'markdown') expect(text.startsWith('### claimmap simulate')).toBe(true);
    if (format === 'html') expect(text.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('--playground-url links findings into the playground (html only; the mapping stays in the fragment)', async () => {
    const url = 'https://play.example/claimmap/';
    const args = ['examples/okta-saml/acme.claimmap', 'examples/okta-saml/jane.saml.xml', '--decisions'];
    const html = await run([...args, '--format', 'html', '--playground-url', url, '--fail-on', 'none']);
    expect(html.code).toBe(0);
    const links = [...html.stdout.matchAll(/<a href="([^"]+)"[^>]*>open in playground<\/a>/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(l).toMatch(/^https:\/\/play\.example\/claimmap\/#v=1&#38;z=[A-Za-z0-9_-]+$/);
    const plain = await run([...args, '--format', 'html', '--fail-on', 'none']);
    expect(plain.stdout).not.toContain('open in playground');
    await expect(run([...args, '--playground-url', url])).rejects.toThrow(UsageError);
  });

  it('runs the okta example directory with no error outcome', async () => {
    const r = await run([
      'examples/okta-saml/acme.claimmap',
      'examples/okta-saml',
      '--format',
      'json',
      '--fail-on',
      'error',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).counts.error).toBe(0);
  });

  it('--decisions runs evaluation only', async () => {
    const d = workdir();
    const r = await run(['lowered.claimmap', 'sam.yaml', '--decisions', '--format', 'json'], { cwd: d });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).mode).toBe('decisions');
  });

  it('draws a progress bar on stderr when interactive', async () => {
    const d = workdir();
    const r = await run(['exact.claimmap', 'sam.yaml'], { cwd: d, tty: true });
    expect(r.stderr).toMatch(/\r\[#+\] 100% \d+\/\d+ mutated logins\n/);
    expect((await run(['exact.claimmap', 'sam.yaml'], { cwd: d })).stderr).toBe('');
  });

  it.each([
    [['exact.claimmap']],
    [['exact.claimmap', 'sam.yaml', '--format', 'pdf']],
    [['exact.claimmap', 'sam.yaml', '--fail-on', 'escalation,bogus']],
    [['exact.claimmap', 'sam.yaml', '--nope']],
  ])('usage errors throw UsageError (exit 2 through main): %j', async (args) => {
    const d = workdir();
    await expect(run(args, { cwd: d })).rejects.toBeInstanceOf(UsageError);
  });

  it('a missing sample path exits 2, an invalid sample 1, a broken mapping 1', async () => {
    const d = workdir();
    writeFileSync(join(d, 'bad.yaml'), 'claims: { protocol: ftp }\n');
    writeFileSync(join(d, 'broken.claimmap'), 'mapping "x" {');
    expect(await run(['exact.claimmap', 'missing.xml'], { cwd: d })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('simulate/unreadable-sample'),
    });
    expect(await run(['exact.claimmap', 'bad.yaml'], { cwd: d })).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('simulate/invalid-sample'),
    });
    expect((await run(['broken.claimmap', 'sam.yaml'], { cwd: d })).code).toBe(1);
  });
});
