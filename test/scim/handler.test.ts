/**
 * The SCIM handler over real HTTP on loopback: authentication (every 401 case, audited), RFC 7644 error shape,
 * caps (body size, operations, members), routing, paging, projections and ETags.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ClaimmapError } from '../../src/errors.js';
import { listAudit, MemoryStore, RuntimeError } from '../../src/runtime/index.js';
import type { ScimService } from '../../src/runtime/scim/types.js';
import { createScimHandler, createScimToken, revokeScimToken, SCIM_ERROR_SCHEMA } from '../../src/scim/index.js';
import { serviceFor } from './service.js';
import { startScimServer, type ScimResponse, type TestServer } from './server.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const open: TestServer[] = [];

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

async function setup(options: Partial<Parameters<typeof createScimHandler>[0]> = {}) {
  const store = new MemoryStore();
  const { token } = await createScimToken(store, 'okta');
  const service = options.service ?? serviceFor(store);
  const server = await startScimServer({ service, store, basePath: '/scim/v2', ...options }, token);
  open.push(server);
  return { store, token, server, service };
}

function expectError(r: ScimResponse, status: number, scimType?: string) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toBe('application/scim+json; charset=utf-8');
  expect(r.body).toMatchObject({ schemas: [SCIM_ERROR_SCHEMA], status: String(status) });
  if (scimType === undefined) expect(r.body.scimType).toBeUndefined();
  else expect(r.body.scimType).toBe(scimType);
  expect(typeof r.body.detail).toBe('string');
  expect(r.text).not.toMatch(/\bat .*\.(ts|js):\d+|node_modules|Error:/);
}

const newUser = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER],
  userName,
  active: true,
  ...extra,
});

describe('authentication', () => {
  it('no Authorization header: 401 with WWW-Authenticate, audited as scim:unauthenticated', async () => {
    const { server, store } = await setup();
    const r = await server.request('GET', '/scim/v2/Users', { token: null });
    expectError(r, 401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="SCIM"');
    const [e] = await listAudit(store, { limit: 1 });
    expect(e).toMatchObject({ action: 'scim-unauthenticated', actor: 'scim:unauthenticated' });
    expect(e?.reason?.code).toBe('scim/no-token');
    expect(server.log.at(-1)).toEqual({
      method: 'GET',
      path: '/scim/v2/Users',
      status: 401,
      actor: 'scim:unauthenticated',
    });
  });

  it('a wrong token: 401 invalid_token, audited, and the token appears nowhere', async () => {
    const { server, store } = await setup();
    const wrong = 'cmscim_wrongwrongwrongwrongwrongwrongwrongwrong';
    const r = await server.request('GET', '/scim/v2/Users', { token: wrong });
    expectError(r, 401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="SCIM", error="invalid_token"');
    const events = await listAudit(store, { limit: 5 });
    expect(events[0]?.reason?.code).toBe('scim/unknown-token');
    expect(JSON.stringify(events)).not.toContain(wrong);
    expect(r.text).not.toContain(wrong);
  });

  it('a revoked token: 401, audited with the token name as actor', async () => {
    const { server, store, token } = await setup();
    expect((await server.request('GET', '/scim/v2/Users')).status).toBe(200);
    await revokeScimToken(store, 'okta');
    const r = await server.request('GET', '/scim/v2/Users', { token });
    expectError(r, 401);
    const [e] = await listAudit(store, { limit: 1 });
    expect(e).toMatchObject({ action: 'scim-unauthenticated', actor: 'scim:okta', subject: 'okta' });
    expect(e?.reason?.code).toBe('scim/revoked-token');
  });

  it.each([
    ['Basic b2t0YTpzZWNyZXQ=', 'a Basic credential'],
    ['Bearer', 'Bearer without a token'],
    ['bearer  ', 'Bearer with blanks'],
    ['Token abc', 'another scheme'],
  ])('%j (%s): 401', async (header) => {
    const { server } = await setup();
    const r = await server.request('GET', '/scim/v2/Users', { token: null, headers: { authorization: header } });
    expectError(r, 401);
  });

  it('a token in the query string is not a credential', async () => {
    const { server, token } = await setup();
    expectError(await server.request('GET', `/scim/v2/Users?access_token=${token}`, { token: null }), 401);
  });

  it('authenticates before routing: an unknown path and a write are 401 too, and nothing is called', async () => {
    const { server, service } = await setup();
    expectError(await server.request('GET', '/scim/v2/Nope', { token: 'x' }), 401);
    expectError(await server.request('POST', '/scim/v2/Users', { token: 'x', body: newUser('a') }), 401);
    expect((await service.queryUsers({ startIndex: 1, count: 10 })).totalResults).toBe(0);
  });

  it('audits at most maxUnauthenticatedAuditsPerMinute refusals a minute, and still answers each 401', async () => {
    const { server, store } = await setup({ limits: { maxUnauthenticatedAuditsPerMinute: 3 } });
    for (let i = 0; i < 6; i++) expectError(await server.request('GET', '/scim/v2/Users', { token: `bad${i}` }), 401);
    const events = await listAudit(store, { limit: 20 });
    expect(events.filter((e) => e.action === 'scim-unauthenticated')).toHaveLength(3);
  });

  it('takes tokens from a list or a verifier function, for apps', async () => {
    const store = new MemoryStore();
    const service = serviceFor(store);
    const listed = await startScimServer(
      { service, tokens: [{ name: 'app-okta', token: 'a-long-enough-secret-1' }] },
      'a-long-enough-secret-1',
    );
    open.push(listed);
    expect((await listed.request('GET', '/Users')).status).toBe(200);
    expect(listed.log.at(-1)?.actor).toBe('scim:app-okta');
    expectError(await listed.request('GET', '/Users', { token: 'a-long-enough-secret-2' }), 401);
    const fn = await startScimServer({ service, tokens: (t) => (t === 'let-me-in' ? 'fn' : null) }, 'let-me-in');
    open.push(fn);
    expect((await fn.request('GET', '/Users')).status).toBe(200);
    expectError(await fn.request('GET', '/Users', { token: 'nope' }), 401);
  });

  it('refuses a configuration that could not authenticate (TypeError)', () => {
    const service = serviceFor(new MemoryStore());
    expect(() => createScimHandler({ service })).toThrow(TypeError);
    expect(() => createScimHandler({ service, tokens: [{ name: 'x', token: 'short' }] })).toThrow(TypeError);
    expect(() => createScimHandler({ service, tokens: [], limits: { maxBodyBytes: 0 } })).toThrow(TypeError);
    expect(() => createScimHandler({ service, tokens: [], basePath: 'scim v2' })).toThrow(TypeError);
  });
});

describe('RFC 7644 errors and caps', () => {
  it('a body over maxBodyBytes is 413, declared or streamed', async () => {
    const { server, token } = await setup({ limits: { maxBodyBytes: 1000 } });
    const big = JSON.stringify(newUser('a', { displayName: 'x'.repeat(2000) }));
    expectError(await server.request('POST', '/scim/v2/Users', { raw: big }), 413);
    // Chunked, with no Content-Length: the cap holds while reading.
    const r = await new Promise<ScimResponse>((resolve, reject) => {
      const req = http.request(
        `${server.url}/scim/v2/Users`,
        {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text), text }),
          );
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 5; i++) req.write(big.slice(i * 500, (i + 1) * 500));
      req.end();
    });
    expectError(r, 413);
  });

  it('more PATCH operations than maxOperations: 400 tooMany', async () => {
    const { server } = await setup({ limits: { maxOperations: 3 } });
    const u = await server.request('POST', '/scim/v2/Users', { body: newUser('a') });
    const ops = Array.from({ length: 4 }, () => ({ op: 'replace', path: 'displayName', value: 'x' }));
    expectError(
      await server.request('PATCH', `/scim/v2/Users/${u.body.id}`, { body: { schemas: [PATCH], Operations: ops } }),
      400,
      'tooMany',
    );
  });

  it('more members than maxMembers in a POST or a PATCH: 400 tooMany', async () => {
    const { server } = await setup({ limits: { maxMembers: 2 } });
    const members = ['a', 'b', 'c'].map((value) => ({ value }));
    expectError(
      await server.request('POST', '/scim/v2/Groups', { body: { displayName: 'g', members } }),
      400,
      'tooMany',
    );
    const g = await server.request('POST', '/scim/v2/Groups', { body: { displayName: 'g' } });
    expect(g.status).toBe(201);
    const body = { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: members }] };
    expectError(await server.request('PATCH', `/scim/v2/Groups/${g.body.id}`, { body }), 400, 'tooMany');
  });

  it.each([
    ['not JSON', '{"userName": '],
    ['a duplicate key', '{"userName":"a","userName":"b"}'],
    ['a __proto__ key', '{"userName":"a","__proto__":{"x":1}}'],
    ['an array', '[1]'],
    ['not UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
  ])('a body that is %s: 400 invalidSyntax', async (_what, raw) => {
    const { server } = await setup();
    expectError(await server.request('POST', '/scim/v2/Users', { raw }), 400, 'invalidSyntax');
  });

  it('a body that is not JSON by type: 415; application/json is accepted', async () => {
    const { server } = await setup();
    const raw = JSON.stringify(newUser('a'));
    expectError(
      await server.request('POST', '/scim/v2/Users', { raw, headers: { 'content-type': 'text/plain' } }),
      415,
    );
    const r = await server.request('POST', '/scim/v2/Users', { raw, headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(201);
  });

  it('unknown endpoints 404, wrong methods 405 with Allow, Bulk and /Me 501', async () => {
    const { server } = await setup();
    expectError(await server.request('GET', '/scim/v2/Nope'), 404);
    expectError(await server.request('GET', '/scim/v2/Users/1/extra'), 404);
    expectError(await server.request('GET', '/scim/v2/Users/nobody'), 404);
    const r = await server.request('DELETE', '/scim/v2/Users');
    expectError(r, 405);
    expect(r.headers.allow).toBe('GET, POST');
    expectError(await server.request('POST', '/scim/v2/Bulk', { body: {} }), 501);
    expectError(await server.request('GET', '/scim/v2/Me'), 501);
  });

  it.each([
    ['title co "x"', 'an unsupported operator'],
    ['emails.value eq "a@x"', 'an unsupported attribute'],
    ['userName eq "a" or userName eq "b"', 'or'],
    ['userName eq', 'a filter that does not parse'],
    ['userName eq 12', 'a value that is not a string'],
    [`userName eq "${'a'.repeat(1100)}"`, 'a filter over the length cap'],
  ])('filter %j (%s): 400 invalidFilter', async (filter) => {
    const { server } = await setup();
    const r = await server.request('GET', `/scim/v2/Users?filter=${encodeURIComponent(filter)}`);
    expectError(r, 400, 'invalidFilter');
  });

  it('a service failure without a code is 500 "Internal error." and reaches onError, never the client', async () => {
    const secret = 'password=hunter2 at /srv/db';
    const failing: ScimService = {
      ...serviceFor(new MemoryStore()),
      queryUsers: async () => {
        throw new Error(secret);
      },
      getUser: async () => {
        throw new RuntimeError('store/busy', 'locked');
      },
    };
    const { server } = await setup({ service: failing });
    const r = await server.request('GET', '/scim/v2/Users');
    expectError(r, 500);
    expect(r.body.detail).toBe('Internal error.');
    expect(r.text).not.toContain('hunter2');
    expect(server.errors).toHaveLength(1);
    const busy = await server.request('GET', '/scim/v2/Users/x');
    expectError(busy, 503);
    expect(busy.headers['retry-after']).toBe('1');
  });

  it('maps each ScimService error code to its status and scimType', async () => {
    const codes: [string, number, string | undefined][] = [
      ['scim/not-found', 404, undefined],
      ['scim/uniqueness', 409, 'uniqueness'],
      ['scim/invalid-value', 400, 'invalidValue'],
      ['scim/mutability', 400, 'mutability'],
      ['scim/version-mismatch', 412, undefined],
      ['scim/too-many', 400, 'tooMany'],
    ];
    for (const [code, status, scimType] of codes) {
      const service: ScimService = {
        ...serviceFor(new MemoryStore()),
        createUser: async () => {
          throw new (class extends ClaimmapError<never> {})(code as never, `refused: ${code}`);
        },
      };
      const { server } = await setup({ service });
      const r = await server.request('POST', '/scim/v2/Users', { body: newUser('a') });
      expectError(r, status, scimType);
      expect(r.body.detail).toBe(`refused: ${code}`);
    }
  });
});

describe('resources', () => {
  it('pages with startIndex and count (defaults, caps, out of range)', async () => {
    const { server } = await setup({ limits: { defaultCount: 3, maxCount: 4 } });
    for (let i = 1; i <= 6; i++)
      expect((await server.request('POST', '/scim/v2/Users', { body: newUser(`u${i}`) })).status).toBe(201);
    const page = async (q: string) => (await server.request('GET', `/scim/v2/Users${q}`)).body;
    expect(await page('')).toMatchObject({ totalResults: 6, startIndex: 1, itemsPerPage: 3 });
    expect(await page('?startIndex=2&count=2')).toMatchObject({ totalResults: 6, startIndex: 2, itemsPerPage: 2 });
    // Pages are slices of one stable order (the service's), whatever it is.
    const names = (b: { Resources: { userName: string }[] }) => b.Resources.map((u) => u.userName);
    const all = [...names(await page('?count=4')), ...names(await page('?startIndex=5&count=4'))];
    expect([...all].sort()).toEqual(['u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(names(await page('?startIndex=2&count=2'))).toEqual(all.slice(1, 3));
    expect(await page('?count=1000')).toMatchObject({ itemsPerPage: 4 });
    expect(await page('?count=0')).toMatchObject({ totalResults: 6, itemsPerPage: 0, Resources: [] });
    expect(await page('?count=-5')).toMatchObject({ totalResults: 6, itemsPerPage: 0 });
    expect(await page('?startIndex=0&count=1')).toMatchObject({ startIndex: 1, itemsPerPage: 1 });
    expect(await page('?startIndex=99')).toMatchObject({ totalResults: 6, itemsPerPage: 0 });
    expectError(await server.request('GET', '/scim/v2/Users?count=ten'), 400, 'invalidValue');
  });

  it('filters with eq and and, case-insensitive names and userName, exact externalId', async () => {
    const { server } = await setup();
    await server.request('POST', '/scim/v2/Users', { body: newUser('Barbara@Example.com', { externalId: '00uA' }) });
    await server.request('POST', '/scim/v2/Users', { body: newUser('other@example.com', { externalId: '00uB' }) });
    const names = async (filter: string) =>
      (await server.request('GET', `/scim/v2/Users?filter=${encodeURIComponent(filter)}`)).body.Resources.map(
        (u: { userName: string }) => u.userName,
      );
    expect(await names('userName eq "barbara@example.com"')).toEqual(['Barbara@Example.com']);
    expect(await names('USERNAME Eq "barbara@example.com"')).toEqual(['Barbara@Example.com']);
    expect(await names('externalId eq "00uA" and userName eq "Barbara@Example.com"')).toEqual(['Barbara@Example.com']);
    expect(await names('externalId eq "00ua"')).toEqual([]);
    expect(await names('externalId eq "00uA" and externalId eq "00uB"')).toEqual([]);
    expect(await names(`${USER}:userName eq "other@example.com"`)).toEqual(['other@example.com']);
  });

  it('ETags: weak meta.version and ETag header; a stale If-Match is 412 on PUT, PATCH and DELETE', async () => {
    const { server } = await setup();
    const created = await server.request('POST', '/scim/v2/Users', { body: newUser('a') });
    expect(created.headers.etag).toMatch(/^W\/".+"$/);
    expect(created.body.meta.version).toBe(created.headers.etag);
    expect(created.headers.location).toBe(`${server.url}/scim/v2/Users/${created.body.id}`);
    const path = `/scim/v2/Users/${created.body.id}`;
    const got = await server.request('GET', path);
    expect(got.headers.etag).toBe(created.headers.etag);
    const put = await server.request('PUT', path, {
      body: newUser('a', { displayName: 'A' }),
      headers: { 'if-match': String(created.headers.etag) },
    });
    expect(put.status).toBe(200);
    expect(put.headers.etag).not.toBe(created.headers.etag);
    const stale = { 'if-match': String(created.headers.etag) };
    expectError(await server.request('PUT', path, { body: newUser('a'), headers: stale }), 412);
    const patch = { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'B' }] };
    expectError(await server.request('PATCH', path, { body: patch, headers: stale }), 412);
    expectError(await server.request('DELETE', path, { headers: stale }), 412);
    expect((await server.request('DELETE', path, { headers: { 'if-match': '*' } })).status).toBe(204);
    expectError(await server.request('GET', path), 404);
  });

  it('attributes and excludedAttributes: members left out when asked, id and schemas always kept', async () => {
    const { server } = await setup();
    const u = await server.request('POST', '/scim/v2/Users', { body: newUser('a') });
    const g = await server.request('POST', '/scim/v2/Groups', {
      body: { displayName: 'Eng', members: [{ value: u.body.id }] },
    });
    expect(g.body.members.map((m: { value: string }) => m.value)).toEqual([u.body.id]);
    const without = await server.request('GET', `/scim/v2/Groups/${g.body.id}?excludedAttributes=members`);
    expect(without.body.members).toBeUndefined();
    expect(without.body.displayName).toBe('Eng');
    const only = await server.request('GET', `/scim/v2/Groups/${g.body.id}?attributes=displayName`);
    expect(Object.keys(only.body).sort()).toEqual(['displayName', 'id', 'schemas']);
    const list = await server.request(
      'GET',
      '/scim/v2/Groups?excludedAttributes=members&filter=displayName%20eq%20%22eng%22',
    );
    expect(list.body.Resources).toHaveLength(1);
    expect(list.body.Resources[0].members).toBeUndefined();
  });

  it('never stores or returns a password, nor takes id, meta or groups from a body', async () => {
    const { server } = await setup();
    const r = await server.request('POST', '/scim/v2/Users', {
      body: newUser('a', { password: 's3cret!', id: 'mine', meta: { version: 'x' }, groups: [{ value: 'admins' }] }),
    });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe('mine');
    expect(r.body.groups).toEqual([]);
    expect(r.text).not.toContain('s3cret');
    const patch = { schemas: [PATCH], Operations: [{ op: 'replace', value: { password: 'n3w!' } }] };
    const p = await server.request('PATCH', `/scim/v2/Users/${r.body.id}`, { body: patch });
    expect(p.status).toBe(200);
    expect(p.text).not.toContain('n3w');
  });

  it('discovery: ServiceProviderConfig, ResourceTypes and Schemas', async () => {
    const { server } = await setup();
    const spc = await server.request('GET', '/scim/v2/ServiceProviderConfig');
    expect(spc.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      etag: { supported: true },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
    const rt = await server.request('GET', '/scim/v2/ResourceTypes');
    expect(rt.body.Resources.map((r: { id: string }) => r.id)).toEqual(['User', 'Group']);
    expect((await server.request('GET', '/scim/v2/ResourceTypes/User')).body.endpoint).toBe('/Users');
    const schemas = await server.request('GET', '/scim/v2/Schemas');
    expect(schemas.body.totalResults).toBe(3);
    const user = await server.request('GET', `/scim/v2/Schemas/${USER}`);
    expect(user.body.attributes.map((a: { name: string }) => a.name)).toContain('userName');
    expectError(await server.request('GET', '/scim/v2/Schemas/urn:nope'), 404);
  });

  it('mounts under a prefix: requests outside basePath go to next(), as in Express', async () => {
    const store = new MemoryStore();
    const { token } = await createScimToken(store, 'okta');
    const handler = createScimHandler({ service: serviceFor(store), store, basePath: '/scim/v2' });
    const server = http.createServer((req, res) =>
      handler(req, res, () => {
        res.statusCode = 200;
        res.end('app');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const app = await fetch(`${base}/health`);
      expect(await app.text()).toBe('app');
      const scim = await fetch(`${base}/scim/v2/Users`, { headers: { authorization: `Bearer ${token}` } });
      expect(scim.status).toBe(200);
      expect(scim.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
