/** `claimmap scim token create|revoke|list` and the usage checks of `claimmap serve scim`, in-process. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listAudit, SqliteStore } from '../../../src/runtime/index.js';
import { verifyScimToken } from '../../../src/runtime/scim/tokens.js';
import { cli } from '../fake-io.js';

const root = mkdtempSync(join(tmpdir(), 'claimmap-scim-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const newStore = () => `sqlite:${join(root, `t${++n}.db`)}`;

describe('claimmap scim token', () => {
  it('create prints the token once on stdout; the store verifies it; list shows names, never tokens', async () => {
    const store = newStore();
    const created = await cli(['scim', 'token', 'create', 'okta-prod', '--store', store, '--actor', 'runbook:jane']);
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^cmscim_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('shown only now');
    const list = await cli(['scim', 'token', 'list', '--store', store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+CREATED\s+REVOKED\nokta-prod\s+\S+Z\s+-\n$/);
    expect(list.stdout).not.toContain(token);
    const json = await cli(['scim', 'token', 'list', '--store', store, '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual([{ name: 'okta-prod', createdAt: expect.any(String), revokedAt: null }]);
    expect(json.stdout).not.toContain('hash');
    const s = await SqliteStore.open(store.slice('sqlite:'.length));
    try {
      expect(await verifyScimToken(s, token)).toEqual({ ok: true, name: 'okta-prod' });
      const [e] = await listAudit(s, { limit: 1 });
      expect(e).toMatchObject({ action: 'scim-token-created', actor: 'runbook:jane', subject: 'okta-prod' });
    } finally {
      await s.close();
    }
  });

  it('revoke refuses the token from then on; a second revoke and an unknown name exit 1', async () => {
    const store = newStore();
    const token = (await cli(['scim', 'token', 'create', 'entra', '--store', store])).stdout.trim();
    expect(await cli(['scim', 'token', 'revoke', 'entra', '--store', store])).toMatchObject({
      code: 0,
      stdout: "Revoked SCIM token 'entra'.\n",
    });
    const again = await cli(['scim', 'token', 'revoke', 'entra', '--store', store]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("no live SCIM token named 'entra'");
    expect((await cli(['scim', 'token', 'revoke', 'nobody', '--store', store])).code).toBe(1);
    const s = await SqliteStore.open(store.slice('sqlite:'.length));
    try {
      expect(await verifyScimToken(s, token)).toEqual({ ok: false, reason: 'revoked', name: 'entra' });
    } finally {
      await s.close();
    }
  });

  it('never reuses a name (exit 1)', async () => {
    const store = newStore();
    expect((await cli(['scim', 'token', 'create', 'okta', '--store', store])).code).toBe(0);
    const dup = await cli(['scim', 'token', 'create', 'okta', '--store', store]);
    expect(dup.code).toBe(1);
    expect(dup.stdout).toBe('');
    expect(dup.stderr).toContain("a SCIM token named 'okta' already exists");
  });

  it('list on a store that does not exist is store/not-found and creates nothing', async () => {
    const r = await cli(['scim', 'token', 'list', '--store', `sqlite:${join(root, 'absent.db')}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('store/not-found');
  });

  it.each([
    [['scim'], 'expected: scim token create|revoke|list'],
    [['scim', 'tokn', 'list'], "Did you mean 'token'?"],
    [['scim', 'token'], 'expected an action: create, revoke, list'],
    [['scim', 'token', 'crete', 'x'], "Did you mean 'create'?"],
    [['scim', 'token', 'create'], 'expected NAME'],
    [['scim', 'token', 'create', 'bad name'], 'NAME must be 1 to 64 characters'],
    [['scim', 'token', 'list', '--stroe', 'memory:'], "Did you mean '--store'?"],
  ])('%j is a usage error (exit 2): %s', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('claimmap serve scim: usage', () => {
  it.each([
    [['serve'], 'expected what to serve: scim'],
    [['serve', 'scm'], "Did you mean 'scim'?"],
    [['serve', 'scim'], 'give exactly one of --plan FILE or --mapping FILE'],
    [['serve', 'scim', '--plan', 'a.json', '--mapping', 'b.claimmap'], 'give exactly one of'],
    [['serve', 'scim', '--plan', 'a.json', '--listen', '0.0.0.0:8080'], 'is not a loopback address'],
    [['serve', 'scim', '--plan', 'a.json', '--listen', '10.0.0.5:8080'], 'put a TLS reverse proxy in front'],
    [['serve', 'scim', '--plan', 'a.json', '--listen', 'localhost'], '--listen must be HOST:PORT'],
    [['serve', 'scim', '--plan', 'a.json', '--listen', '127.0.0.1:99999'], '--listen must be HOST:PORT'],
    [['serve', 'scim', '--plan', 'a.json', '--base-path', 'scim v2'], '--base-path must be a path'],
    [['serve', 'scim', '--plan', 'a.json', '--public-url', 'ftp://x'], '--public-url must be an http(s) URL'],
    [['serve', 'scim', '--plan', 'a.json', '--alow-remote'], "Did you mean '--allow-remote'?"],
  ])('%j is a usage error (exit 2): %s', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('a missing plan file is an input error, before any store is opened', async () => {
    const r = await cli(['serve', 'scim', '--plan', join(root, 'none.plan.json'), '--store', newStore()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('none.plan.json');
  });
});
