/** `claimmap claims`, run in-process through the Command contract with a fake io. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError, type CliIO } from '../../../src/cli/command.js';
import { command } from '../../../src/cli/commands/claims.js';
import { FIXTURE_ROOT } from '../../claims/fixture-list.js';
import { stdinOf } from '../fake-io.js';

function fakeIo(cwd = FIXTURE_ROOT, stdin?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    cwd,
    env: {},
    isTTY: false,
    stdin: stdinOf(stdin),
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('claimmap claims', () => {
  it.each([
    ['saml/okta.response.xml', 'saml', 'jane.doe@example.com'],
    ['saml/okta.response.post-binding.b64.txt', 'saml', 'jane.doe@example.com'],
    ['saml/keycloak.response.redirect-binding.txt', 'saml', 'G-5e1c7a3b-9d2f-4e8a-b6c4-0a1b2c3d4e5f'],
    ['oidc/google.id-token.jwt', 'oidc', '110169484474386276334'],
    ['oidc/okta.id-token.json', 'oidc', '00uid4BxXw6I6TV4m0g3'],
  ])('prints the claim set of %s as JSON, exit 0', async (file, protocol, subject) => {
    const t = fakeIo();
    expect(await command.run([file], t.io)).toBe(0);
    const json = JSON.parse(t.out()) as Record<string, unknown>;
    expect(Object.keys(json).slice(0, 4)).toEqual(['protocol', 'issuer', 'subject', 'claims']);
    expect(json).toMatchObject({ protocol, subject: { id: subject }, verified: false });
    expect(Array.isArray(json.warnings)).toBe(true);
    expect(t.err()).toBe('');
  });

  it('reads standard input for -, with the same detection and the same caps', async () => {
    const jwtLike = JSON.stringify({ iss: 'https://idp.example.com', sub: 'u1', groups: ['a'] });
    const t = fakeIo(FIXTURE_ROOT, jwtLike);
    expect(await command.run(['-'], t.io)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ protocol: 'oidc', subject: { id: 'u1' }, verified: false });
    const big = fakeIo(FIXTURE_ROOT, 'x'.repeat(2000));
    expect(await command.run(['-', '--max-bytes', '1000'], big.io)).toBe(1);
    expect(big.err()).toMatch(/^error input\/too-large: /);
  });

  it('honours --as', async () => {
    const t = fakeIo();
    expect(await command.run(['oidc/okta.id-token.json', '--as', 'jwt'], t.io)).toBe(1);
    expect(t.err()).toMatch(/^error jwt\/malformed: /);
  });

  it.each([
    ['saml/response.doctype-xxe.xml', 'saml/doctype-forbidden'],
    ['saml/response.two-assertions.signature-wrapping.xml', 'saml/multiple-assertions'],
    ['oidc/claims.duplicate-sub.json', 'json/duplicate-key'],
    ['oidc/token.jwe-five-parts.jwt', 'jwt/encrypted'],
  ])('refuses %s: exit 1 and "error <code>: <message>" on stderr', async (file, code) => {
    const t = fakeIo();
    expect(await command.run([file], t.io)).toBe(1);
    expect(t.out()).toBe('');
    expect(t.err().split('\n')[0]).toMatch(new RegExp(`^error ${code}: \\S`));
  });

  it('refuses a file over --max-bytes without reading it (exit 1)', async () => {
    const t = fakeIo();
    expect(await command.run(['saml/okta.response.xml', '--max-bytes', '100'], t.io)).toBe(1);
    expect(t.err()).toMatch(/^error input\/too-large: /);
  });

  it('exits 2 for an unreadable file', async () => {
    const t = fakeIo();
    expect(await command.run(['no-such-file.xml'], t.io)).toBe(2);
    // The path as typed, a stable code, never a raw ENOENT with an absolute path.
    expect(t.err()).toBe('error input/not-found: no-such-file.xml: no such file or directory\n');
    const dir = fakeIo(mkdtempSync(join(tmpdir(), 'claimmap-')));
    expect(await command.run(['.'], dir.io)).toBe(2);
    expect(dir.err()).toBe('error input/unreadable: .: not a regular file\n');
  });

  it.each([
    [[]],
    [['a.xml', 'b.xml']],
    [['a.xml', '--as', 'xml']],
    [['a.xml', '--max-bytes', 'lots']],
    [['a.xml', '--unknown']],
  ])('throws UsageError (exit 2 in main) for %j', async (args) => {
    await expect(command.run(args, fakeIo().io)).rejects.toBeInstanceOf(UsageError);
  });

  it('resolves FILE against io.cwd', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'claimmap-'));
    writeFileSync(join(dir, 'c.json'), '{"iss":"https://idp","sub":"u1"}');
    const t = fakeIo(dir);
    expect(await command.run(['c.json'], t.io)).toBe(0);
    expect(JSON.parse(t.out())).toMatchObject({ issuer: 'https://idp', subject: { id: 'u1' } });
  });
});
