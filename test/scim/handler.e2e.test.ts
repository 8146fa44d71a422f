/**
 * Issue #14, "done when", through the CLI in-process: a JIT `claimmap login` creates Jane; `claimmap scim token
 * create` and `claimmap serve scim` on the same store; over HTTP with the token, the IdP links Jane by externalId,
 * puts her in Okta-Admins and takes her out (the admin role goes at once), then deactivates her; her next
 * `claimmap login` is refused; `claimmap audit` shows the SCIM actor. On SQLite, and on PostgreSQL when
 * CLAIMMAP_TEST_PG is set.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/command.js';
import { run } from '../../src/cli/main.js';
import { cli, stdinOf } from '../cli/fake-io.js';
import { SCIM_MAPPING } from './service.js';
import { storeKinds } from './stores.js';

const examples = fileURLToPath(new URL('../../examples/okta-saml/', import.meta.url));
const JANE = join(examples, 'jane.saml.xml');
const JANE_LATER = join(examples, 'jane.later.saml.xml');
const JANE_SUBJECT = '00u8k2j4h6g8f0d2s4a6';
const AT = ['--now', '2026-12-15T00:00:00Z'];

const root = mkdtempSync(join(tmpdir(), 'claimmap-scim-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const mapping = join(root, 'acme-scim.claimmap');
writeFileSync(mapping, SCIM_MAPPING);

/** Runs `claimmap serve scim` in-process until `stop()`; resolves with its base URL once it listens. */
async function serve(store: string) {
  const controller = new AbortController();
  let out = '';
  let err = '';
  let listening: (url: string) => void = () => undefined;
  const url = new Promise<string>((resolve) => {
    listening = resolve;
  });
  const io: CliIO = {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
      const m = /SCIM endpoint at (http:\/\/\S+)/.exec(err);
      if (m?.[1]) listening(m[1]);
    },
    cwd: root,
    env: {},
    isTTY: false,
    stdin: stdinOf(),
    signal: controller.signal,
  };
  const done = run(['serve', 'scim', '--mapping', mapping, '--store', store, '--listen', '127.0.0.1:0'], io);
  const base = await Promise.race([
    url,
    done.then((code) => Promise.reject(new Error(`serve exited ${code}: ${err}`))),
  ]);
  return {
    base,
    log: () => out,
    stderr: () => err,
    stop: async () => {
      controller.abort();
      return done;
    },
  };
}

for (const kind of storeKinds().filter((k) => k.name !== 'memory')) {
  describe(`issue #14 end to end on ${kind.name}`, () => {
    it('SCIM group removal drops the role it granted; SCIM deactivate refuses the next login; both audited', async () => {
      const store = await kind.spec();
      const first = await cli(['login', mapping, JANE, '--store', store, ...AT, '--format', 'json'], { cwd: root });
      expect(first.code, first.stderr).toBe(0);
      expect(JSON.parse(first.stdout).action).toBe('created');
      const token = (await cli(['scim', 'token', 'create', 'okta', '--store', store], { cwd: root })).stdout.trim();
      const roles = async () => {
        const r = await cli(['accounts', 'show', JANE_SUBJECT, '--store', store, '--format', 'json'], { cwd: root });
        expect(r.code, r.stderr).toBe(0);
        const account = JSON.parse(r.stdout) as { status: string; grants: { kind: string; name: string }[] };
        return { status: account.status, roles: account.grants.filter((g) => g.kind === 'role').map((g) => g.name) };
      };
      expect((await roles()).roles).toContain('admin');

      const server = await serve(store);
      const call = async (method: string, path: string, body?: unknown, bearer = token) => {
        const res = await fetch(`${server.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${bearer}`,
            ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
      };
      try {
        expect((await call('GET', '/Users', undefined, 'cmscim_not-a-token')).status).toBe(401);
        const user = await call('POST', '/Users', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: 'jane@acme.example',
          externalId: JANE_SUBJECT,
          active: true,
        });
        expect(user.status).toBe(201);
        const group = await call('POST', '/Groups', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: 'Okta-Admins',
          members: [{ value: user.body.id }],
        });
        expect(group.status).toBe(201);
        expect((await roles()).roles).toContain('admin');
        const removed = await call('PATCH', `/Groups/${group.body.id}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'remove', path: `members[value eq "${user.body.id}"]` }],
        });
        expect(removed.status).toBe(200);
        expect((await roles()).roles).not.toContain('admin');

        const off = await call('PATCH', `/Users/${user.body.id}`, {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
        });
        expect(off.status).toBe(200);
        expect(off.body.active).toBe(false);
        expect((await roles()).status).toBe('suspended');
      } finally {
        expect(await server.stop()).toBe(0);
      }
      expect(server.log()).toMatch(/ PATCH \/scim\/v2\/Users\/\S+ 200 scim:okta\n/);
      expect(server.log()).toMatch(/ GET \/scim\/v2\/Users 401 scim:unauthenticated\n/);
      expect(server.log()).not.toContain(token);

      const again = await cli(['login', mapping, JANE_LATER, '--store', store, ...AT, '--format', 'json'], {
        cwd: root,
      });
      expect(again.code).toBe(1);
      const result = JSON.parse(again.stdout);
      expect(result.action).toBe('refused');
      expect(result.reason.code).toBe('runtime/account-suspended');

      const audit = await cli(['audit', JANE_SUBJECT, '--store', store, '--format', 'json'], { cwd: root });
      const events = JSON.parse(audit.stdout) as { action: string; actor: string; changes: { name: string }[] }[];
      expect(events.some((e) => e.action === 'suspended' && e.actor === 'scim:okta')).toBe(true);
      expect(events.some((e) => e.actor === 'scim:okta' && e.changes.some((c) => c.name === 'admin'))).toBe(true);
      expect(events[0]).toMatchObject({ action: 'refused', actor: 'login' });
    });
  });
}
