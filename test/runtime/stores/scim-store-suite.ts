/**
 * The SCIM part of the Store conformance suite (migration 5): users, groups and membership behave the same on every
 * store. Called from store-suite.ts, so MemoryStore, SqliteStore and PostgresStore all run it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/runtime/index.js';
import type { ScimGroupRow, ScimUserRow } from '../../../src/runtime/scim/store-types.js';
import { ISSUER, T0, rejectsWith } from '../fixtures.js';
import type { StoreHarness } from './store-suite.js';

const OTHER = 'https://other.example.com';

function user(id: string, over: Partial<ScimUserRow> = {}): ScimUserRow {
  return {
    id,
    issuer: ISSUER,
    externalId: `ext-${id}`,
    userName: `${id}@example.com`,
    displayName: `User ${id}`,
    resource: { userName: `${id}@example.com`, active: true, name: { givenName: 'J' } },
    accountId: null,
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

function group(id: string, over: Partial<ScimGroupRow> = {}): ScimGroupRow {
  return {
    id,
    issuer: ISSUER,
    externalId: null,
    displayName: `Group ${id}`,
    resource: { displayName: `Group ${id}` },
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}

export function scimStoreSuite(name: string, harness: StoreHarness): void {
  describe(`${name}: SCIM users, groups and membership`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });
    const tx = <T>(
      f: Parameters<Store['transaction']>[0] extends (tx: infer X) => unknown ? (t: X) => Promise<T> : never,
    ) => store.transaction(f);

    it('stores a user and reads it back by id, exactly (resource JSON, nulls, version)', async () => {
      const u = user('u1', { externalId: null, displayName: null });
      await tx((t) => t.insertScimUser(u));
      expect(await tx((t) => t.findScimUser(ISSUER, 'u1'))).toEqual(u);
      expect(await tx((t) => t.findScimUser(OTHER, 'u1'))).toBeNull();
      expect(await tx((t) => t.findScimUser(ISSUER, 'nope'))).toBeNull();
    });

    it('keeps userName unique per issuer case-insensitively, externalId exactly, and allows both in another issuer', async () => {
      await tx((t) => t.insertScimUser(user('u1', { userName: 'Jane@Example.com', externalId: 'X1' })));
      await rejectsWith(
        tx((t) => t.insertScimUser(user('u2', { userName: 'jane@example.COM' }))),
        'store/conflict',
      );
      await rejectsWith(
        tx((t) => t.insertScimUser(user('u3', { externalId: 'X1' }))),
        'store/conflict',
      );
      await tx((t) => t.insertScimUser(user('u4', { externalId: 'x1' })));
      await tx((t) => t.insertScimUser(user('u5', { issuer: OTHER, userName: 'jane@example.com', externalId: 'X1' })));
      await tx((t) => t.insertScimUser(user('u6', { externalId: null })));
      await tx((t) => t.insertScimUser(user('u7', { externalId: null })));
      const all = await tx((t) => t.listScimUsers({ issuer: ISSUER, eq: {}, offset: 0, limit: 100 }));
      expect(all.rows.map((r) => r.id)).toEqual(['u1', 'u4', 'u6', 'u7']);
    });

    it('updates a user only at the expected version', async () => {
      await tx((t) => t.insertScimUser(user('u1')));
      const next = user('u1', { userName: 'renamed@example.com', version: 2, resource: { active: false } });
      await tx((t) => t.updateScimUser(next, 1));
      expect(await tx((t) => t.findScimUser(ISSUER, 'u1'))).toEqual(next);
      await rejectsWith(
        tx((t) => t.updateScimUser(user('u1', { version: 3 }), 1)),
        'store/conflict',
      );
      await tx((t) => t.insertScimUser(user('u2')));
      await rejectsWith(
        tx((t) => t.updateScimUser(user('u2', { userName: 'RENAMED@example.com', version: 2 }), 1)),
        'store/conflict',
      );
    });

    it('answers equality queries (userName and displayName case-insensitively) with the total and a page', async () => {
      for (const id of ['a', 'b', 'c', 'd', 'e'])
        await tx((t) => t.insertScimUser(user(id, { displayName: id < 'd' ? 'Team' : 'Other' })));
      const q = (eq: object, offset = 0, limit = 100) =>
        tx((t) => t.listScimUsers({ issuer: ISSUER, eq, offset, limit }));
      expect((await q({ userName: 'B@EXAMPLE.COM' })).rows.map((r) => r.id)).toEqual(['b']);
      expect((await q({ externalId: 'ext-c' })).rows.map((r) => r.id)).toEqual(['c']);
      expect((await q({ externalId: 'EXT-c' })).total).toBe(0);
      expect((await q({ id: 'd', displayName: 'other' })).rows.map((r) => r.id)).toEqual(['d']);
      const page = await q({ displayName: 'team' }, 1, 1);
      expect(page).toMatchObject({ total: 3, rows: [{ id: 'b' }] });
      expect((await q({}, 4, 10)).rows.map((r) => r.id)).toEqual(['e']);
    });

    it('links a user to one account at most, and finds it by the account', async () => {
      await tx(async (t) => {
        for (const id of ['acc-1', 'acc-2'])
          await t.insertAccount({
            id,
            issuer: ISSUER,
            subject: id,
            status: 'active',
            profile: {},
            lastSeenClaims: null,
            mappingDigest: null,
            mappingVersion: null,
            lastLoginAt: null,
            lastIssuedAt: null,
            createdAt: T0,
            updatedAt: T0,
            version: 1,
          });
      });
      await tx((t) => t.insertScimUser(user('u1', { accountId: 'acc-1' })));
      expect((await tx((t) => t.findScimUserByAccount('acc-1')))?.id).toBe('u1');
      expect(await tx((t) => t.findScimUserByAccount('acc-2'))).toBeNull();
      await rejectsWith(
        tx((t) => t.insertScimUser(user('u2', { accountId: 'acc-1' }))),
        'store/conflict',
      );
    });

    it('keeps groups, their unique displayName and externalId, and membership both ways', async () => {
      for (const id of ['u1', 'u2', 'u3']) await tx((t) => t.insertScimUser(user(id)));
      await tx((t) => t.insertScimGroup(group('g1', { displayName: 'admins', externalId: 'G1' })));
      await tx((t) => t.insertScimGroup(group('g2', { displayName: 'eng' })));
      await rejectsWith(
        tx((t) => t.insertScimGroup(group('g3', { displayName: 'admins' }))),
        'store/conflict',
      );
      await rejectsWith(
        tx((t) => t.insertScimGroup(group('g4', { externalId: 'G1' }))),
        'store/conflict',
      );
      await tx((t) => t.insertScimGroup(group('g5', { displayName: 'Admins' })));
      await tx((t) => t.addScimMembers('g1', ['u2', 'u1', 'u2']));
      await tx((t) => t.addScimMembers('g1', ['u1']));
      await tx((t) => t.addScimMembers('g2', ['u1']));
      expect((await tx((t) => t.scimMembers('g1'))).map((m) => m.userId)).toEqual(['u1', 'u2']);
      expect(await tx((t) => t.scimGroupsOf('u1'))).toEqual([
        { id: 'g1', displayName: 'admins' },
        { id: 'g2', displayName: 'eng' },
      ]);
      await tx((t) => t.removeScimMembers('g1', ['u1', 'u3']));
      expect((await tx((t) => t.scimMembers('g1'))).map((m) => m.userId)).toEqual(['u2']);
      const byName = await tx((t) =>
        t.listScimGroups({ issuer: ISSUER, eq: { displayName: 'ADMINS' }, offset: 0, limit: 10 }),
      );
      expect(byName.rows.map((g) => g.id)).toEqual(['g1', 'g5']);
      const byUserName = await tx((t) =>
        t.listScimGroups({ issuer: ISSUER, eq: { userName: 'x' }, offset: 0, limit: 10 }),
      );
      expect(byUserName.total).toBe(0);
    });

    it('deletes a user with its memberships, and a group with its members list', async () => {
      for (const id of ['u1', 'u2']) await tx((t) => t.insertScimUser(user(id)));
      await tx((t) => t.insertScimGroup(group('g1')));
      await tx((t) => t.addScimMembers('g1', ['u1', 'u2']));
      expect(await tx((t) => t.deleteScimUser(ISSUER, 'u1'))).toBe(true);
      expect(await tx((t) => t.deleteScimUser(ISSUER, 'u1'))).toBe(false);
      expect((await tx((t) => t.scimMembers('g1'))).map((m) => m.userId)).toEqual(['u2']);
      expect(await tx((t) => t.deleteScimGroup(OTHER, 'g1'))).toBe(false);
      expect(await tx((t) => t.deleteScimGroup(ISSUER, 'g1'))).toBe(true);
      expect(await tx((t) => t.scimGroupsOf('u2'))).toEqual([]);
      expect(await tx((t) => t.findScimGroup(ISSUER, 'g1'))).toBeNull();
    });

    it('rolls SCIM writes back with the transaction', async () => {
      await tx((t) => t.insertScimUser(user('u1')));
      await expect(
        store.transaction(async (t) => {
          await t.insertScimGroup(group('g1'));
          await t.addScimMembers('g1', ['u1']);
          await t.updateScimUser(user('u1', { version: 2, userName: 'changed@example.com' }), 1);
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await tx((t) => t.findScimGroup(ISSUER, 'g1'))).toBeNull();
      expect((await tx((t) => t.findScimUser(ISSUER, 'u1')))?.userName).toBe('u1@example.com');
      expect(await tx((t) => t.scimGroupsOf('u1'))).toEqual([]);
    });

    if (harness.openReadOnly) {
      it('refuses SCIM writes through a read-only store and still reads', async () => {
        await tx((t) => t.insertScimUser(user('u1')));
        const ro = await harness.openReadOnly!(store);
        try {
          await rejectsWith(
            ro.transaction((t) => t.insertScimUser(user('u2'))),
            'store/read-only',
          );
          await rejectsWith(
            ro.transaction((t) => t.deleteScimUser(ISSUER, 'u1')),
            'store/read-only',
          );
          expect((await ro.transaction((t) => t.findScimUser(ISSUER, 'u1')))?.id).toBe('u1');
        } finally {
          await ro.close();
        }
      });
    }
  });
}
