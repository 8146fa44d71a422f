import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { command } from '../../../src/cli/commands/import.js';
import { runCommand } from '../run-command.js';

const KC = 'test/import/fixtures/keycloak/corp-realm.json';
const VAULT = 'test/import/fixtures/vault/engineering-bundle.json';

describe('claimmap import', () => {
  it('prints the mapping, notes on stderr, exit 1 when a construct is not translated', async () => {
    const r = await runCommand(command, ['keycloak', KC, '--idp', 'northwind-oidc']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('mapping "keycloak-northwind-oidc"');
    expect(r.stderr).toContain('error import/regex-unsupported');
  });
  it('writes -o and the report (md, json) with --compare', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-import-'));
    const out = join(dir, 'ci.claimmap');
    const md = await runCommand(command, [
      'vault',
      VAULT,
      '--idp',
      'engineers',
      '-o',
      out,
      '--compare',
      'test/import/samples/vault',
    ]);
    expect(md.stdout).toContain('# Import differential report: vault');
    expect(readFileSync(out, 'utf8')).toContain('mapping "vault-engineers"');
    const report = join(dir, 'r.json');
    const json = await runCommand(command, [
      'vault',
      VAULT,
      '--idp',
      'engineers',
      '--compare',
      'test/import/samples/vault',
      '--format',
      'json',
      '--report',
      report,
    ]);
    expect(JSON.parse(readFileSync(report, 'utf8')).kind).toBe('vault');
    expect(json.stdout).toContain('mapping "vault-engineers"');
    expect(json.code).toBe(1); // keyed on email: an error note
  });
  it.each([
    [[], 'expected KIND and FILE'],
    [['vualt', VAULT], "Did you mean 'vault'"],
    [['vault', VAULT, 'extra'], 'one FILE only'],
    [['vault', VAULT, '--compare'], 'at least one SAMPLES'],
    [['vault', VAULT, '--compare', 'x'], 'write the mapping with -o'],
    [['vault', VAULT, '--format', 'json'], 'apply to --compare'],
  ])('usage error for %j', async (args, msg) => {
    await expect(runCommand(command, args as string[])).rejects.toThrow(msg);
  });
  it('exit 2 on a missing file or samples', async () => {
    expect((await runCommand(command, ['vault', 'nope.json'])).code).toBe(2);
    const r = await runCommand(command, [
      'vault',
      VAULT,
      '--idp',
      'ci',
      '-o',
      join(mkdtempSync(join(tmpdir(), 'c-')), 'x'),
      '--compare',
      'nope/',
    ]);
    expect(r.code).toBe(2);
  });
  it('exit 1 and no mapping for a file that is not JSON', async () => {
    const r = await runCommand(command, ['keycloak', 'README.md']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('import/invalid-input');
  });
});

describe('the importer registry', () => {
  it('loads the importers of this build by kind', async () => {
    const { IMPORTERS } = await import('../../../src/import/index.js');
    expect(typeof (await IMPORTERS.keycloak.load())).toBe('function');
    expect(typeof (await IMPORTERS.vault.load())).toBe('function');
  });
});
