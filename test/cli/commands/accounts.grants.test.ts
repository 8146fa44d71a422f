/**
 * `claimmap accounts grant` and `accounts revoke`, run in-process on the Okta SAML example against a temporary
 * SQLite file (like login.test.ts).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
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
const JANE_SUBJECT = '00u8k2j4h6g8f0d2s4a6';

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-grants-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cwd = root;

function fakeIO() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd,
    env: {},
    isTTY: false,
    stdin: stdinOf(),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function run(cmd: typeof login, args: string[]) {
  const f = fakeIO();
  const code = await cmd.run(args, f.io);
  return { code, out: f.out(), err: f.err() };
}

async function usageError(args: string[]): Promise<string> {
  const e = await accounts.run(args, fakeIO().io).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UsageError);
  return (e as UsageError).message;
}

beforeEach(() => {
  cwd = mkdtempSync(join(root, 'case-'));
});

describe('claimmap accounts grant / revoke', () => {
  it('grants a manual role that survives a login removing the mapping grant, then revokes it, all audited', async () => {
    await run(login, [MAPPING, JANE, ...AT]);
    const g = await run(accounts, [
      'grant',
      JANE_SUBJECT,
      '--role',
      'admin',
      '--actor',
      'runbook:jane',
      '--note',
      'INC-114',
    ]);
    expect(g.code).toBe(0);
    expect(g.out).toMatch(
      /^granted {2}role admin {2}http:\/\/www\.okta\.com\/\S+ \| 00u8k2j4h6g8f0d2s4a6 {2}\(audit \S+\)\n$/,
    );

    const dup = await run(accounts, ['grant', JANE_SUBJECT, '--role', 'admin', '--actor', 'runbook:sam']);
    expect(dup.code).toBe(0);
    expect(dup.out).toMatch(/^already granted {2}role admin /);

    // jane.later drops the group that made her admin: the mapping grant goes, the manual one stays
    const later = await run(login, [MAPPING, JANE_LATER, ...AT]);
    expect(later.out).toContain('- role admin (roles[1])');
    const show = await run(accounts, ['show', JANE_SUBJECT]);
    expect(show.out).toMatch(/role admin {2}\[manual by runbook:jane, since /);
    expect(show.out).not.toMatch(/role admin {2}\[mapping/);

    const ent = await run(accounts, [
      'grant',
      JANE_SUBJECT,
      '--entitlement',
      'billing:read',
      '--actor',
      'ops',
      '--format',
      'json',
    ]);
    const r = JSON.parse(ent.out) as {
      action: string;
      grant: { kind: string; name: string; source: string; actor: string };
    };
    expect(r.action).toBe('granted');
    expect(r.grant).toMatchObject({ kind: 'entitlement', name: 'billing:read', source: 'manual', actor: 'ops' });

    const v = await run(accounts, [
      'revoke',
      JANE_SUBJECT,
      '--role',
      'admin',
      '--actor',
      'runbook:jane',
      '--note',
      'closed',
    ]);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^revoked {2}role admin /);
    expect((await run(accounts, ['show', JANE_SUBJECT])).out).not.toContain('role admin');

    const trail = await run(audit, [JANE_SUBJECT, '--format', 'json']);
    const events = JSON.parse(trail.out) as { action: string; actor: string; reason: { code: string } | null }[];
    expect(events.map((e) => [e.action, e.actor, e.reason?.code ?? null])).toEqual([
      ['revoked', 'runbook:jane', 'grant/revoked'],
      ['granted', 'ops', 'grant/granted'],
      ['updated', 'login', null],
      ['granted', 'runbook:sam', 'grant/already-granted'],
      ['granted', 'runbook:jane', 'grant/granted'],
      ['created', 'login', null],
    ]);
    const text = await run(audit, [JANE_SUBJECT, '--limit', '1']);
    expect(text.out).toContain('- role admin (manual)');
  });

  it('exits 1 with the code for a missing manual grant, an unknown key and a deprovisioned account', async () => {
    await run(login, [MAPPING, JANE, ...AT]);
    const missing = await run(accounts, ['revoke', JANE_SUBJECT, '--role', 'admin', '--actor', 'ops']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('error grant/not-found');
    expect(missing.err).toContain('hint: The mapping grants this role');

    const ghost = await run(accounts, ['grant', 'ghost', '--role', 'admin', '--actor', 'ops']);
    expect(ghost.code).toBe(1);
    expect(ghost.err).toContain('no account has the subject "ghost"');
    const ghostAt = await run(accounts, [
      'grant',
      'ghost',
      '--role',
      'admin',
      '--actor',
      'ops',
      '--issuer',
      'https://x.example',
    ]);
    expect(ghostAt.code).toBe(1);
    expect(ghostAt.err).toContain('No account has the key');

    await run(accounts, ['deprovision', JANE_SUBJECT, '--reason', 'left']);
    const dep = await run(accounts, ['grant', JANE_SUBJECT, '--role', 'admin', '--actor', 'ops']);
    expect(dep.code).toBe(1);
    expect(dep.err).toContain('error runtime/account-deprovisioned');
  });

  it('rejects bad options and untrusted names as usage errors, without creating the store', async () => {
    const bad: [string, string[], RegExp][] = [
      ['no KEY', ['grant', '--role', 'admin', '--actor', 'ops'], /expected KEY/],
      ['two KEYs', ['revoke', 'a', 'b', '--role', 'admin', '--actor', 'ops'], /expected KEY/],
      ['neither --role nor --entitlement', ['grant', 'k', '--actor', 'ops'], /exactly one of --role/],
      [
        'both --role and --entitlement',
        ['grant', 'k', '--role', 'a', '--entitlement', 'b', '--actor', 'ops'],
        /exactly one of --role/,
      ],
      ['no --actor', ['grant', 'k', '--role', 'admin'], /--actor is required/],
      ['an empty --actor', ['revoke', 'k', '--role', 'admin', '--actor', ''], /^grant\/invalid-actor: /],
      ['an empty --role', ['grant', 'k', '--role', '', '--actor', 'ops'], /^grant\/invalid-name: /],
      ['a padded --role', ['grant', 'k', '--role', ' admin', '--actor', 'ops'], /^grant\/invalid-name: /],
      [
        'an ANSI escape in --entitlement',
        ['grant', 'k', '--entitlement', 'x\u001b[2J', '--actor', 'ops'],
        /^grant\/invalid-name: /,
      ],
      [
        'a 1025-character --note',
        ['grant', 'k', '--role', 'a', '--actor', 'ops', '--note', 'n'.repeat(1025)],
        /^grant\/invalid-note: /,
      ],
      ['an unknown option', ['grant', 'k', '--group', 'a', '--actor', 'ops'], /group/],
    ];
    for (const [name, args, message] of bad) {
      expect(await usageError(args), name).toMatch(message);
    }
    expect(existsSync(join(cwd, 'claimmap.db'))).toBe(false);
    expect(accounts.help).toContain('claimmap accounts grant KEY --role NAME|--entitlement NAME --actor WHO');
    expect(accounts.help).toContain('claimmap accounts revoke KEY');
  });
});
