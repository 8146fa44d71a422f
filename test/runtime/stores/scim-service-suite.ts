/**
 * The SCIM service (src/runtime/scim/service.ts) through every store: linking by durable key, pre-provisioning,
 * deactivation and reactivation, group membership feeding the role rules, and how a login of the same key behaves.
 * Called from store-suite.ts, so MemoryStore, SqliteStore and PostgresStore all run it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../../src/model/plan.js';
import { createScimService, getAccount, listAudit, provision, type Store } from '../../../src/runtime/index.js';
import { ISSUER, T0, at, grantNames, makeClaims, makePlan, rejectsWith } from '../fixtures.js';
import type { StoreHarness } from './store-suite.js';

const ACTOR = { tokenName: 'okta' };

/** makePlan() with a scim section (groups = the groups claim) and a fresh digest-independent copy. */
export function scimPlan(
  o: { deactivate?: 'suspend' | 'deprovision'; reactivate?: boolean; groups?: boolean } = {},
): Plan {
  const base = makePlan({ reactivate: o.reactivate ?? false });
  return {
    ...base,
    scim: {
      key: 'externalId',
      groups: o.groups === false ? null : 'groups',
      deactivate: o.deactivate ?? 'suspend',
      loc: { line: 1, column: 1 },
    },
  };
}

const userJson = (sub: string, over: Record<string, unknown> = {}) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  userName: `${sub}@example.com`,
  externalId: sub,
  active: true,
  ...over,
});

export function scimServiceSuite(name: string, harness: StoreHarness): void {
  describe(`${name}: SCIM service`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });
    const service = (plan = scimPlan(), minute = 1) => createScimService({ store, plan, now: () => at(minute) });

    it('refuses a plan without a scim section (TypeError)', () => {
      expect(() => createScimService({ store, plan: makePlan() })).toThrow(TypeError);
    });

    it('pre-provisions: a SCIM create before any login creates the account, and the first login completes it', async () => {
      const plan = scimPlan();
      const s = service(plan);
      const u = await s.createUser(ACTOR, userJson('00u1'));
      expect(u.meta).toMatchObject({ resourceType: 'User', version: '1' });
      const acc = await getAccount(store, { issuer: ISSUER, subject: '00u1' });
      expect(acc).toMatchObject({ status: 'active', lastLoginAt: null, profile: {} });
      const r = await provision(plan, makeClaims({ sub: '00u1', groups: ['eng'] }), { store, now: at(2) });
      expect(r.action).toBe('updated');
      expect(r.account?.id).toBe(acc?.id);
      expect(r.account?.profile.email).toBe('jane@example.com');
      const [event] = await listAudit(store, { key: { issuer: ISSUER, subject: '00u1' }, limit: 5 }).then((e) =>
        e.slice(-1),
      );
      expect(event).toMatchObject({ action: 'created', actor: 'scim:okta', accountId: acc?.id });
    });

    it('links an existing JIT account by externalId, never by userName or email', async () => {
      const plan = scimPlan();
      const jit = await provision(plan, makeClaims({ sub: '00u1' }), { store, now: T0 });
      const s = service(plan);
      // Same email as userName, different externalId: a new account, not the JIT one.
      await s.createUser(ACTOR, userJson('00u9', { userName: 'jane@example.com' }));
      expect((await getAccount(store, { issuer: ISSUER, subject: '00u9' }))?.id).not.toBe(jit.account?.id);
      await s.createUser(ACTOR, userJson('00u1'));
      const linked = await store.transaction((tx) => tx.findScimUserByAccount(jit.account!.id));
      expect(linked?.externalId).toBe('00u1');
    });

    it('stores a user without externalId, linked to nothing, and says so in the audit', async () => {
      const s = service();
      const u = await s.createUser(ACTOR, { userName: 'nokey@example.com' });
      expect(await store.transaction((tx) => tx.findScimUser(ISSUER, u.id))).toMatchObject({ accountId: null });
      const events = await listAudit(store, { limit: 5 });
      expect(events[0]).toMatchObject({ actor: 'scim:okta', accountId: null, reason: { code: 'scim/unlinked' } });
    });

    it('active:false suspends (or deprovisions) the account, and a later login is refused even with reactivate allow', async () => {
      for (const deactivate of ['suspend', 'deprovision'] as const) {
        const plan = scimPlan({ deactivate, reactivate: true });
        const sub = `00u-${deactivate}`;
        await provision(plan, makeClaims({ sub }), { store, now: T0 });
        const s = service(plan);
        const u = await s.createUser(ACTOR, userJson(sub));
        await s.replaceUser(ACTOR, u.id, userJson(sub, { active: false }), '1');
        const status = deactivate === 'suspend' ? 'suspended' : 'deprovisioned';
        expect((await getAccount(store, { issuer: ISSUER, subject: sub }))?.status).toBe(status);
        const r = await provision(plan, makeClaims({ sub }), { store, now: at(5) });
        expect(r.action).toBe('refused');
        expect(r.reason?.code).toBe(
          deactivate === 'suspend' ? 'runtime/account-suspended' : 'runtime/account-deprovisioned',
        );
        const events = await listAudit(store, { key: { issuer: ISSUER, subject: sub }, limit: 10 });
        expect(events.some((e) => e.action === status && e.actor === 'scim:okta')).toBe(true);
      }
    });

    it('active:true reactivates only with reactivate allow; otherwise stores it and audits the refusal', async () => {
      for (const allow of [false, true]) {
        const plan = scimPlan({ reactivate: allow });
        const sub = `00u-r${allow}`;
        const s = service(plan);
        const u = await s.createUser(ACTOR, userJson(sub, { active: false }));
        expect((await getAccount(store, { issuer: ISSUER, subject: sub }))?.status).toBe('suspended');
        const back = await s.replaceUser(ACTOR, u.id, userJson(sub, { active: true }));
        expect(back.resource.active).toBe(true);
        const acc = await getAccount(store, { issuer: ISSUER, subject: sub });
        expect(acc?.status).toBe(allow ? 'active' : 'suspended');
        const [last] = await listAudit(store, { key: { issuer: ISSUER, subject: sub }, limit: 1 });
        if (allow) expect(last?.action).toBe('reactivated');
        else expect(last?.reason?.code).toBe('scim/reactivation-refused');
      }
    });

    it('DELETE deprovisions the account and removes the SCIM user', async () => {
      const plan = scimPlan();
      const s = service(plan);
      const u = await s.createUser(ACTOR, userJson('00u1'));
      await s.deleteUser(ACTOR, u.id);
      expect(await s.getUser(u.id)).toBeNull();
      expect((await getAccount(store, { issuer: ISSUER, subject: '00u1' }))?.status).toBe('deprovisioned');
      await rejectsWith(s.deleteUser(ACTOR, u.id), 'scim/not-found');
    });

    it('group membership grants and removes the mapping role at once, with the rules as provenance; manual grants stay', async () => {
      const plan = scimPlan();
      const s = service(plan);
      await provision(plan, makeClaims({ sub: '00u1', groups: [] }), { store, now: T0 });
      const u = await s.createUser(ACTOR, userJson('00u1'));
      const key = { issuer: ISSUER, subject: '00u1' };
      const g = await s.createGroup(ACTOR, { displayName: 'admins' }, [u.id]);
      let acc = await getAccount(store, key);
      expect(grantNames(acc, 'role')).toEqual(['admin/mapping']);
      expect(acc?.grants[0]).toMatchObject({ source: 'mapping', rules: ['roles[0]'], mappingDigest: plan.digest });
      expect((await s.getUser(u.id))?.groups).toEqual([{ value: g.id, display: 'admins' }]);
      await s.modifyMembers(ACTOR, g.id, { add: [], remove: [u.id] });
      acc = await getAccount(store, key);
      expect(grantNames(acc, 'role')).toEqual([]);
      const events = await listAudit(store, { key, limit: 10 });
      expect(events[0]).toMatchObject({
        actor: 'scim:okta',
        changes: [{ field: 'role', op: 'remove', name: 'admin' }],
      });
    });

    it('at login, the SCIM membership is the groups claim: a login never grants a role from a group SCIM says the user is not in', async () => {
      const plan = scimPlan();
      const s = service(plan);
      const u = await s.createUser(ACTOR, userJson('00u1'));
      await s.createGroup(ACTOR, { displayName: 'eng' }, [u.id]);
      const r = await provision(plan, makeClaims({ sub: '00u1', groups: ['admins', 'eng'] }), { store, now: at(3) });
      expect(r.action).toBe('updated');
      expect(grantNames(r.account, 'role')).toEqual(['dev/mapping']);
      // The snapshot keeps what the IdP sent.
      expect(r.account?.lastSeenClaims?.claims.groups).toEqual(['admins', 'eng']);
    });

    it('a group write re-evaluates with the last-seen claims: absent claims stay absent (fail closed)', async () => {
      const plan = {
        ...scimPlan(),
        roles: {
          ...scimPlan().roles,
          declared: ['admin', 'dev', 'rnd'],
          rules: [
            ...scimPlan().roles.rules,
            {
              id: 'roles[2]',
              effect: 'grant' as const,
              target: 'rnd',
              when: {
                op: 'and' as const,
                args: [
                  { op: 'contains' as const, claim: 'groups', value: 'eng' },
                  { op: 'eq' as const, claim: 'department', value: 'R&D' },
                ],
              },
              text: 'grant rnd',
              loc: { line: 1, column: 1 },
            },
          ],
        },
      };
      const s = service(plan);
      const pre = await s.createUser(ACTOR, userJson('00u2'));
      await s.createGroup(ACTOR, { displayName: 'eng' }, [pre.id]);
      // Never logged in: department is absent, so rnd is not granted; dev is.
      expect(grantNames(await getAccount(store, { issuer: ISSUER, subject: '00u2' }), 'role')).toEqual(['dev/mapping']);
      await provision(plan, makeClaims({ sub: '00u2' }), { store, now: at(4) });
      expect(grantNames(await getAccount(store, { issuer: ISSUER, subject: '00u2' }), 'role')).toEqual([
        'dev/mapping',
        'rnd/mapping',
      ]);
    });

    it('refuses what the contract says: uniqueness, mutability, stale versions, bad values', async () => {
      const s = service();
      const u = await s.createUser(ACTOR, userJson('00u1'));
      await rejectsWith(s.createUser(ACTOR, userJson('00u2', { userName: '00U1@EXAMPLE.com' })), 'scim/uniqueness');
      await rejectsWith(s.createUser(ACTOR, userJson('00u1', { userName: 'other@example.com' })), 'scim/uniqueness');
      await rejectsWith(s.replaceUser(ACTOR, u.id, userJson('00u3')), 'scim/mutability');
      await rejectsWith(s.replaceUser(ACTOR, u.id, userJson('00u1'), '7'), 'scim/version-mismatch');
      await rejectsWith(s.replaceUser(ACTOR, 'nope', userJson('00u1')), 'scim/not-found');
      await rejectsWith(s.createUser(ACTOR, { externalId: 'x' }), 'scim/invalid-value');
      await rejectsWith(s.createUser(ACTOR, userJson('00u4', { active: 'False' })), 'scim/invalid-value');
      await rejectsWith(s.createUser(ACTOR, userJson('bad\u0000id')), 'scim/invalid-value');
      await rejectsWith(s.createGroup(ACTOR, { displayName: 'g' }, ['nobody']), 'scim/invalid-value');
      await s.createGroup(ACTOR, { displayName: 'g' }, []);
      await rejectsWith(s.createGroup(ACTOR, { displayName: 'g' }, []), 'scim/uniqueness');
      const small = createScimService({ store, plan: scimPlan(), maxMembersPerWrite: 1 });
      await rejectsWith(small.createGroup(ACTOR, { displayName: 'h' }, [u.id, u.id]), 'scim/too-many');
    });

    it('answers queries with paging and the total, and leaves members out when asked', async () => {
      const s = service();
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await s.createUser(ACTOR, userJson(`00u${n}`))).id);
      const all = await s.queryUsers({ startIndex: 2, count: 1 });
      expect(all.totalResults).toBe(3);
      expect(all.resources).toHaveLength(1);
      expect(
        (await s.queryUsers({ eq: { userName: '00U2@example.com' }, startIndex: 1, count: 10 })).resources.map(
          (r) => r.id,
        ),
      ).toEqual([ids[1]]);
      const g = await s.createGroup(ACTOR, { displayName: 'eng' }, ids);
      expect((await s.getGroup(g.id))?.members).toHaveLength(3);
      expect((await s.getGroup(g.id, { withoutMembers: true }))?.members).toEqual([]);
      const page = await s.queryGroups({ eq: { displayName: 'ENG' }, startIndex: 1, count: 5, withoutMembers: true });
      expect(page).toMatchObject({ totalResults: 1, resources: [{ id: g.id, members: [] }] });
    });
  });
}
