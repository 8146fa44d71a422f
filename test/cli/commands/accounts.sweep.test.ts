/**
 * `claimmap accounts sweep MAPPING`, run in-process on the Okta SAML example (dormant_after 90d) against a temporary
 * SQLite file: dry run, the real run, idempotence, and the next login of a swept account.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/command.js';
import { command as accounts } from '../../../src/cli/commands/accounts.js';
import { command as audit } from '../../../src/cli/commands/audit.js';
import { command as login } from '../../../src/cli/commands/login.js';
import { stdinOf } from '../fake-io.js';
import { runCommand } from '../run-command.js';

const examples = fileURLToPath(new URL('../../../examples/okta-saml/', import.meta.url));
const MAPPING = join(examples, 'acme.claimmap');
const JANE = join(examples, 'jane.saml.xml');
const JANE_SUBJECT = '00u8k2j4h6g8f0d2s4a6';

const root = mkdtempSync(join(tmpdir(), 'claimmap-cli-sweep-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cwd = root;
let store = '';
beforeEach(() => {
  cwd = mkdtempSync(join(root, 'case-'));
  store = `sqlite:${join(cwd, 'accounts.db')}`;
});

const run = (cmd: typeof accounts, args: string[]) => runCommand(cmd, args, { cwd });

describe('claimmap accounts sweep', () => {
  it('suspends a dormant account once, audits it, and its next login is refused', async () => {
    expect((await run(login, [MAPPING, JANE, '--store', store, '--now', '2026-12-15T00:00:00Z'])).code).toBe(0);

    const early = await run(accounts, ['sweep', MAPPING, '--store', store, '--now', '2027-02-01T00:00:00Z']);
    expect(early.code).toBe(0);
    expect(early.stdout).toContain('0 accounts suspended.');

    const dry = await run(accounts, ['sweep', MAPPING, '--store', store, '--now', '2027-04-01T00:00:00Z', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would be suspended  ${JANE_SUBJECT}  active → suspended`);
    expect(dry.stdout).toContain('1 account would be suspended; nothing was written.');

    const real = await run(accounts, ['sweep', MAPPING, '--store', store, '--now', '2027-04-01T00:00:00Z']);
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(new RegExp(`suspended  ${JANE_SUBJECT}  active → suspended, last active .*\\(audit `));
    expect(real.stdout).toContain('1 account suspended.');

    const again = await run(accounts, ['sweep', MAPPING, '--store', store, '--now', '2027-04-02T00:00:00Z']);
    expect(again.stdout).toContain('0 accounts suspended.');

    const json = await run(accounts, ['sweep', MAPPING, '--store', store, '--format', 'json', '--dry-run']);
    expect(JSON.parse(json.stdout)).toMatchObject({ action: 'suspend', dormantAfterDays: 90, changed: [] });

    const events = await run(audit, ['--store', store, '--format', 'json']);
    const swept = (JSON.parse(events.stdout) as { action: string; actor: string; reason: { code: string } }[]).filter(
      (e) => e.reason?.code === 'lifecycle/dormant',
    );
    expect(swept.map((e) => [e.action, e.actor])).toEqual([['suspended', 'cli:sweep']]);

    const next = await run(login, [MAPPING, JANE, '--store', store, '--now', '2027-04-03T00:00:00Z']);
    expect(next.code).toBe(1);
    expect(next.stdout).toContain('runtime/account-suspended');
  });

  it('a dry run opens the store read-only: no store, no file created', async () => {
    const r = await run(accounts, ['sweep', MAPPING, '--store', store, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store/not-found');
    expect(existsSync(join(cwd, 'accounts.db'))).toBe(false);
  });

  it('refuses a mapping without dormant_after, and a missing MAPPING, as usage errors', async () => {
    const text = readFileSync(MAPPING, 'utf8').replace(/\s*dormant_after 90d/, '');
    const noDormant = join(cwd, 'no-dormant.claimmap');
    writeFileSync(noDormant, text);
    for (const args of [
      ['sweep', noDormant, '--store', store],
      ['sweep', '--store', store],
    ]) {
      await expect(accounts.run(args, quietIo())).rejects.toBeInstanceOf(UsageError);
    }
  });
});

function quietIo(): Parameters<typeof accounts.run>[1] {
  return { stdout: () => undefined, stderr: () => undefined, cwd, env: {}, isTTY: false, stdin: stdinOf() };
}
