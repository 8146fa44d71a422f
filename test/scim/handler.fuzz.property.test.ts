/**
 * fast-check: whatever filter, PATCH body or raw body a client sends, the handler answers, with a success or an
 * RFC 7644 error that is the client's (4xx), never a 500, a hang or a crash, and Object.prototype stays clean.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/runtime/index.js';
import { createScimToken, SCIM_ERROR_SCHEMA } from '../../src/scim/index.js';
import { serviceFor } from './service.js';
import { startScimServer, type ScimResponse, type TestServer } from './server.js';

let server: TestServer;
let userId = '';
let groupId = '';

beforeAll(async () => {
  const store = new MemoryStore();
  const { token } = await createScimToken(store, 'fuzz');
  server = await startScimServer({ service: serviceFor(store), store, limits: { maxOperations: 20 } }, token);
  const u = await server.request('POST', '/Users', {
    body: { userName: 'fuzz@example.com', externalId: 'x1', active: true, emails: [{ type: 'work', value: 'f@x' }] },
  });
  userId = u.body.id;
  const g = await server.request('POST', '/Groups', { body: { displayName: 'Fuzz', members: [{ value: userId }] } });
  groupId = g.body.id;
});

afterAll(async () => {
  await server.close();
});

function expectAnswered(r: ScimResponse): void {
  expect(r.status, r.text).toBeLessThan(500);
  if (r.status >= 400) {
    expect(r.body?.schemas).toEqual([SCIM_ERROR_SCHEMA]);
    expect(r.body.status).toBe(String(r.status));
  } else if (r.status !== 204) {
    expect(r.body).toBeTypeOf('object');
  }
  expect(server.errors).toEqual([]);
  expect(Object.prototype).not.toHaveProperty('polluted');
}

/** Filter-ish text: fragments of the grammar shuffled with arbitrary strings. */
const filterText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'userName',
        'externalId',
        'id',
        'displayName',
        'emails',
        'name.givenName',
        '__proto__',
        'members',
      ),
      fc.constantFrom(' eq ', ' ne ', ' co ', ' pr', ' and ', ' or ', 'not ', '(', ')', '[', ']', '"', '\\', '.', ':'),
      fc.constantFrom(
        '"a"',
        '"\\u0000"',
        'true',
        'null',
        '12',
        '"x\\"y"',
        'urn:ietf:params:scim:schemas:core:2.0:User:',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

const path = fc.oneof(
  filterText,
  fc.constantFrom(
    'active',
    'name.familyName',
    'emails[type eq "work"].value',
    'members',
    'members[value eq "u"]',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    '__proto__',
    'constructor.prototype',
    'id',
    'meta.version',
  ),
);

const operation = fc.record(
  {
    op: fc.oneof(
      fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'Remove', 'REPLACE'),
      fc.string({ maxLength: 6 }),
    ),
    path,
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constantFrom('False', 'True', [{ value: 'u' }], { active: false }),
    ),
  },
  { requiredKeys: ['op'] },
);

const patchBody = fc.oneof(
  fc.record({
    schemas: fc.constant(['urn:ietf:params:scim:api:messages:2.0:PatchOp']),
    Operations: fc.array(operation, { maxLength: 25 }),
  }),
  fc.jsonValue({ maxDepth: 4 }),
);

describe('the handler never fails on client input', () => {
  it('list filters', async () => {
    await fc.assert(
      fc.asyncProperty(filterText, fc.constantFrom('Users', 'Groups'), async (filter, type) => {
        expectAnswered(await server.request('GET', `/${type}?filter=${encodeURIComponent(filter)}`));
      }),
      { numRuns: 300 },
    );
  });

  it('PATCH bodies on a user and a group', async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, fc.boolean(), async (body, onGroup) => {
        const r = await server.request('PATCH', onGroup ? `/Groups/${groupId}` : `/Users/${userId}`, { body });
        expectAnswered(r);
      }),
      { numRuns: 300 },
    );
  });

  it('raw bodies and query strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.json({ maxDepth: 4 })),
        fc.constantFrom('POST /Users', 'POST /Groups', `PUT /Users/`, 'PATCH /Users/'),
        fc.string({ maxLength: 30 }),
        async (raw, route, query) => {
          const [method, p] = route.split(' ') as [string, string];
          const target = p.endsWith('/') ? `${p}${p.includes('Users') ? userId : groupId}` : p;
          expectAnswered(
            await server.request(method, `${target}?${encodeURIComponent(query)}=${encodeURIComponent(query)}`, {
              raw,
            }),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
