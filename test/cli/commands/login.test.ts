/**
 * `claimmap login`, `accounts` and `audit`, run in-process on the Okta SAML example against a temporary SQLite file:
 * a JIT create, an update with a changed group, a replay, a refused login, then lifecycle and audit.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../../src/cli/command.js';
import { command as accounts } from '../../../src/cli/commands/accounts.js';
import { command as audit } from '../../../src/cli/commands/audit.js';
import { command as login } from '../../../src/cli/commands/login.js';
import { stdinOf } from '../fake-io.js';

const examples = fileURLToPath(new URL('../../../examples/okta-saml/', import.meta.url));
const MAPPING = join(examples, 'acme.claimmap');
const JANE = join(examples, 'jane.saml.xml');
const JANE_LATER = join(examples, 'jane.later.saml.xml');
// The login time: after every example's issue instant (a later one would be refused as issued in the future).
const AT = ['--now', '2026-12-15T00:00:00Z'];
const SAM = join(examples, 'sam.no-employee-type.saml.xml');
const JANE_SUBJECT = '00u8k2j4h6g8f0d2s4a6';

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cwd = root;

function fakeIO(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env,
    isTTY: false,
    stdin: stdinOf(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function run(cmd: typeof login, args: string[], env: Record<string, string> = {}) {
  const f = fakeIO(env);
  const code = await cmd.run(args, f.io);
  return { code, out: f.out(), err: f.err() };
}

beforeEach(() => {
  cwd = mkdtempSync(join(root, 'case-'));
});

describe('claimmap login', () => {
  it('creates, updates on a changed group, is unchanged on replay, refuses a login without the required claim', async () => {
    const created = await run(login, [MAPPING, JANE, ...AT]);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^created {3}account /);
    expect(created.out).toContain('+ role admin (roles[1])');
    expect(created.out).toContain('+ email = jane.doe@acme.example');

    const updated = await run(login, [MAPPING, JANE_LATER, ...AT]);
    expect(updated.code).toBe(0);
    expect(updated.out).toMatch(/^updated /);
    expect(updated.out).toContain('~ department Platform Engineering → Data Engineering');
    expect(updated.out).toContain('- role admin (roles[1])');

    const replay = await run(login, [MAPPING, JANE_LATER, ...AT]);
    expect(replay.out).toMatch(/^unchanged /);

    const older = await run(login, [MAPPING, JANE, ...AT]);
    expect(older.code).toBe(1);
    expect(older.out).toContain('runtime/older-assertion');

    const refused = await run(login, [MAPPING, SAM, ...AT, '--format', 'json']);
    expect(refused.code).toBe(1);
    const r = JSON.parse(refused.out) as {
      action: string;
      reason: { code: string };
      decision: { refusals: { code: string }[] };
    };
    expect(r.action).toBe('refused');
    expect(r.decision.refusals.map((x) => x.code)).toEqual(['required-claim-absent']);
  });

  it('uses sqlite:./claimmap.db in the working directory by default, and CLAIMMAP_STORE when set', async () => {
    await run(login, [MAPPING, JANE, ...AT]);
    const list = await run(accounts, ['list', '--store', 'sqlite:./claimmap.db']);
    expect(list.out).toContain(JANE_SUBJECT);
    // CLAIMMAP_STORE names the store; a read never creates it (store/not-found, exit 2).
    const other = await run(accounts, ['list'], { CLAIMMAP_STORE: 'sqlite:./other.db' });
    expect(other.code).toBe(2);
    expect(other.err).toContain('error store/not-found: No claimmap store at sqlite:./other.db: no such file.');
    expect(existsSync(join(cwd, 'other.db'))).toBe(false);
    await run(login, [MAPPING, JANE, ...AT], { CLAIMMAP_STORE: 'sqlite:./other.db' });
    expect((await run(accounts, ['list'], { CLAIMMAP_STORE: 'sqlite:./other.db' })).out).toContain(JANE_SUBJECT);
  });

  const usage: [string, string[]][] = [
    ['a missing CLAIMS', [MAPPING]],
    ['an unknown store scheme', [MAPPING, JANE, '--store', 'mysql://x']],
    ['an empty sqlite path', [MAPPING, JANE, '--store', 'sqlite:']],
    ['a bad --now', [MAPPING, JANE, '--now', 'tomorrow']],
    ['a bad --format', [MAPPING, JANE, '--format', 'yaml']],
    ['a negative --max-claim-bytes', [MAPPING, JANE, '--max-claim-bytes', '-5']],
  ];
  for (const [name, args] of usage) {
    it(`is a usage error with ${name}`, async () => {
      await expect(login.run(args, fakeIO().io)).rejects.toBeInstanceOf(UsageError);
    });
  }

  it('exits 2 with the store code when the store cannot be opened', async () => {
    writeFileSync(join(cwd, 'junk.db'), 'not a database'.repeat(200));
    const r = await run(login, [MAPPING, JANE, '--store', 'sqlite:./junk.db']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error store/unavailable');
    const pg = await run(login, [MAPPING, JANE, '--store', 'postgres://u:secret@127.0.0.1:1/db']);
    expect(pg.code).toBe(2);
    expect(pg.err).toContain('postgres://u:***@127.0.0.1:1/db');
    expect(pg.err).not.toContain('secret');
  });

  it('exits 2 for a missing claims file, without creating the store', async () => {
    const r = await run(login, [MAPPING, join(cwd, 'nope.xml')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('no such file');
    expect(existsSync(join(cwd, 'claimmap.db'))).toBe(false);
  });
});

describe('claimmap accounts and audit', () => {
  it('shows, suspends, deprovisions, lists dormant accounts and prints the audit trail', async () => {
    await run(login, [MAPPING, JANE, ...AT]);
    const show = await run(accounts, ['show', JANE_SUBJECT]);
    expect(show.code).toBe(0);
    expect(show.out).toContain('status    active');
    expect(show.out).toMatch(/role admin {2}\[mapping roles\[1\]/);

    const dormant = await run(accounts, [
      'dormant',
      '--after',
      '90d',
      '--now',
      '2027-04-01T00:00:00Z',
      '--format',
      'json',
    ]);
    expect((JSON.parse(dormant.out) as { subject: string }[]).map((a) => a.subject)).toEqual([JANE_SUBJECT]);
    const none = await run(accounts, ['dormant', '--after', '90d', '--now', '2026-12-16T00:00:00Z']);
    expect(none.out).toBe('(no accounts)\n');

    const sus = await run(accounts, ['suspend', JANE_SUBJECT, '--reason', 'incident 114', '--actor', 'runbook:jane']);
    expect(sus.out).toMatch(/^suspended /);
    const dep = await run(accounts, ['deprovision', JANE_SUBJECT, '--reason', 'left the company']);
    expect(dep.out).toMatch(/^deprovisioned /);
    const again = await run(accounts, ['deprovision', JANE_SUBJECT, '--reason', 'left the company']);
    expect(again.out).toMatch(/^already deprovisioned /);

    const refused = await run(login, [MAPPING, JANE_LATER, ...AT]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('runtime/account-deprovisioned');

    const trail = await run(audit, [JANE_SUBJECT, '--format', 'json']);
    const events = JSON.parse(trail.out) as { action: string; actor: string }[];
    expect(events.map((e) => e.action)).toEqual(['refused', 'deprovisioned', 'deprovisioned', 'suspended', 'created']);
    expect(events[3]!.actor).toBe('runbook:jane');
    const text = await run(audit, ['--limit', '2']);
    expect(text.out).toContain('refused');
    expect(text.out).toContain('reason  runtime/account-deprovisioned');
    expect(text.out.match(/^\d{4}-/gm)).toHaveLength(2);
  });

  it('reports an unknown key with exit 1, and rejects bad subcommands and options as usage errors', async () => {
    // suspend writes, so it creates the store; show only reads (on a store that does not exist it is exit 2).
    expect((await run(accounts, ['suspend', 'ghost', '--reason', 'x'])).code).toBe(1);
    expect((await run(accounts, ['show', 'ghost'])).code).toBe(1);
    const bad: string[][] = [
      [],
      ['frobnicate'],
      ['show'],
      ['dormant'],
      ['dormant', '--after', '3 months'],
      ['deprovision', 'x'],
      ['list', '--status', 'zombie'],
      ['list', '--limit', '0'],
    ];
    for (const args of bad) await expect(accounts.run(args, fakeIO().io)).rejects.toBeInstanceOf(UsageError);
    await expect(audit.run(['a', 'b'], fakeIO().io)).rejects.toBeInstanceOf(UsageError);
  });

  it('escapes control characters from stored values in text output', async () => {
    const claims = join(cwd, 'evil.claims.json');
    writeFileSync(
      claims,
      JSON.stringify({
        protocol: 'saml',
        issuer: 'http://www.okta.com/exk9q2w3e4R5t6Y7u8i9',
        subject: { id: 'evil\u001b[2J', format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
        claims: {},
        verified: false,
      }),
    );
    const r = await run(login, [MAPPING, claims]);
    expect(r.out + r.err).not.toContain('\u001b');
    const trail = await run(audit, []);
    expect(trail.out).toContain('evil\\u001b[2J');
    expect(trail.out).not.toContain('\u001b');
  });
});
