import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../../src/cli/commands/plan.js';
import { UsageError } from '../../../src/cli/command.js';
import { compile } from '../../../src/compile/compile.js';
import { readClaims } from '../../../src/claims/index.js';
import { provision, SqliteStore } from '../../../src/runtime/index.js';
import { readSampleDir } from '../../../src/simulate/load-samples.js';
import { runCommand } from '../run-command.js';

/** The Okta SAML example: a persistent-NameID key, so previews from stored snapshots must assume the key format. */
const dir = mkdtempSync(join(tmpdir(), 'claimmap-plan-cmd-'));
const oldSource = readFileSync('examples/okta-saml/acme.claimmap', 'utf8');
const newSource = oldSource
  .replace(/grant admin(\s+)when "[^"]+" in groups/, 'grant admin$1when "okta-superadmins" in groups')
  .replace(/version "[^"]*"/, 'version "next"');

beforeAll(async () => {
  expect(newSource).not.toBe(oldSource);
  writeFileSync(join(dir, 'old.claimmap'), oldSource);
  writeFileSync(join(dir, 'new.claimmap'), newSource);
  writeFileSync(join(dir, 'broken.claimmap'), 'mapping {');
  mkdirSync(join(dir, 'samples'));
  for (const f of ['jane.saml.xml', 'jane.later.saml.xml', 'sam.no-employee-type.saml.xml']) {
    copyFileSync(join('examples/okta-saml', f), join(dir, 'samples', f));
  }
  mkdirSync(join(dir, 'bad-samples'));
  copyFileSync('examples/okta-saml/jane.saml.xml', join(dir, 'bad-samples', 'jane.saml.xml'));
  writeFileSync(join(dir, 'bad-samples', 'truncated.saml.xml'), '<samlp:Response');
  writeFileSync(join(dir, 'bad-samples', 'notes.md'), 'not a sample');

  const plan = compile(oldSource, { filename: 'old.claimmap' }).plan!;
  const store = await SqliteStore.open(join(dir, 'claimmap.db'));
  const r = await provision(plan, readClaims(readFileSync('examples/okta-saml/jane.saml.xml')), { store });
  expect(r.action).toBe('created');
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runCommand(command, args, { cwd: dir });

describe('claimmap plan OLD NEW', () => {
  it('--store: previews a stored SAML account from its snapshot (NameID format assumed from the key)', async () => {
    const r = await run('old.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^Impact of acme-okta .* → acme-okta next .* on 1 account from sqlite:claimmap.db$/);
    expect(lines[1]).toBe('would remove admin (privileged) from 1 account');
    expect(r.stdout).toContain('  00u8k2j4h6g8f0d2s4a6 (jane.doe@acme.example)\n    - role admin\n');
  });

  it('reads every account a page at a time; --limit caps it with a warning only when more were there', async () => {
    const many = join(dir, 'many.db');
    const plan = compile(oldSource, { filename: 'old.claimmap' }).plan!;
    const store = await SqliteStore.open(many);
    const jane = readFileSync('examples/okta-saml/jane.saml.xml', 'utf8');
    for (let i = 0; i < 1205; i++) {
      const cs = readClaims(
        jane.replaceAll('00u8k2j4h6g8f0d2s4a6', `00u${String(i).padStart(5, '0')}`).replaceAll('Jane.Doe@', `u${i}@`),
      );
      expect((await provision(plan, cs, { store })).action).toBe('created');
    }
    await store.close();
    const all = await run('old.claimmap', 'new.claimmap', '--store', `sqlite:${many}`);
    expect(all.stderr).toBe('');
    expect(all.stdout.split('\n')[0]).toMatch(/on 1205 accounts/);
    expect(all.stdout.split('\n')[1]).toBe('would remove admin (privileged) from 1205 accounts');
    const capped = await run('old.claimmap', 'new.claimmap', '--store', `sqlite:${many}`, '--limit', '1000');
    expect(capped.stderr).toMatch(/only the first 1000 accounts .* were read \(--limit\)/);
    expect(capped.stdout.split('\n')[0]).toMatch(/on 1000 accounts/);
    const exact = await run('old.claimmap', 'new.claimmap', '--store', `sqlite:${many}`, '--limit', '1205');
    expect(exact.stderr).toBe('');
  }, 60_000);

  it('--format json and markdown', async () => {
    const j = JSON.parse(
      (await run('old.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db', '--format', 'json')).stdout,
    );
    expect(j.totals.grants).toEqual([expect.objectContaining({ change: 'remove', name: 'admin', accounts: 1 })]);
    expect(j.perAccount[0].roles).toEqual({ gained: [], lost: ['admin'] });
    const md = (await run('old.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db', '--format', 'markdown'))
      .stdout;
    expect(md).toMatch(/^### claimmap plan: /);
    expect(md).toContain('- would remove admin (privileged) from 1 account');
  });

  it('--samples: each sample is a first login', async () => {
    const r = await run('old.claimmap', 'new.claimmap', '--samples', 'samples');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('on 3 accounts from samples');
    expect(r.stdout).toContain('  jane.saml.xml\n    - role admin\n');
  });

  it('--samples: a sample named with an ANSI escape sequence is printed escaped (terminal injection)', async () => {
    mkdirSync(join(dir, 'evil-samples'));
    copyFileSync('examples/okta-saml/jane.saml.xml', join(dir, 'evil-samples', 'jane\u001b[2J.saml.xml'));
    const r = await run('old.claimmap', 'new.claimmap', '--samples', 'evil-samples');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('  jane\\u001b[2J.saml.xml\n    - role admin\n');
  });

  it('--samples with a file that is not claims: reported, exit 1, the rest previewed', async () => {
    const r = await run('old.claimmap', 'new.claimmap', '--samples', 'bad-samples');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \S+: bad-samples\/truncated\.saml\.xml: /);
    expect(r.stdout).toContain('on 1 account from bad-samples');
  });
});

describe('claimmap plan MAPPING (drift)', () => {
  it('lists grants from an older mapping and the ones it would no longer give', async () => {
    const r = await run('new.claimmap', '--store', 'sqlite:claimmap.db');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 account holds admin (privileged) that the mapping would no longer grant');
    expect(r.stdout).toMatch(/role admin: no longer granted, older mapping, granted by 2026-\S+ \(/);
  });

  it('against the mapping that granted everything: no drift', async () => {
    const r = await run('old.claimmap', '--store', 'sqlite:claimmap.db', '--format', 'json');
    expect(JSON.parse(r.stdout).entries).toEqual([]);
  });
});

describe('claimmap plan: errors', () => {
  it('usage errors', async () => {
    await expect(run('old.claimmap', 'new.claimmap')).rejects.toThrow(UsageError);
    await expect(run('a', 'b', 'c', '--store', 'sqlite:x.db')).rejects.toThrow(UsageError);
    await expect(
      run('old.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db', '--samples', 'samples'),
    ).rejects.toThrow(UsageError);
    await expect(run('old.claimmap', '--samples', 'samples')).rejects.toThrow(/drift needs stored grants/);
    await expect(run('old.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db', '--limit', '0')).rejects.toThrow(
      UsageError,
    );
    await expect(run('old.claimmap', 'new.claimmap', '--store', 'mysql://x')).rejects.toThrow(UsageError);
  });

  it('a missing sqlite database is exit 2 and is not created', async () => {
    const r = await run('old.claimmap', 'new.claimmap', '--store', 'sqlite:nope.db');
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'nope.db'))).toBe(false);
  });

  it('a mapping that does not compile is exit 1', async () => {
    expect((await run('broken.claimmap', 'new.claimmap', '--store', 'sqlite:claimmap.db')).code).toBe(1);
  });

  it('CLAIMMAP_STORE stands in for --store', async () => {
    const r = await runCommand(command, ['old.claimmap', 'new.claimmap'], {
      cwd: dir,
      env: { CLAIMMAP_STORE: 'sqlite:claimmap.db' },
    });
    expect(r.code).toBe(0);
  });
});

describe('readSampleDir', () => {
  it('reads claims files in a stable order and reports the rest with codes', () => {
    const r = readSampleDir(join(dir, 'bad-samples'));
    expect(r.samples.map((s) => s.name)).toEqual(['jane.saml.xml']);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.file).toBe('truncated.saml.xml');
    expect(r.problems[0]!.code).toMatch(/\//);
  });

  it('caps the number of samples (maxSamples) with a coded problem', () => {
    const r = readSampleDir(join(dir, 'samples'), { maxSamples: 2 });
    expect(r.samples).toHaveLength(2);
    expect(r.problems.map((p) => p.code)).toEqual(['simulate/too-many-samples']);
  });

  it('a missing directory is a problem, not a throw', () => {
    expect(readSampleDir(join(dir, 'none')).problems.map((p) => p.code)).toEqual(['simulate/unreadable-sample']);
  });
});
