/** SCIM bearer tokens in the three stores: stored hashed, matched in constant time, revoked, audited. */
import { describe, expect, it } from 'vitest';
import { listAudit, MemoryStore, RuntimeError } from '../../../src/runtime/index.js';
import {
  auditScimUnauthenticated,
  createScimToken,
  hashScimToken,
  isScimTokenName,
  listScimTokens,
  matchScimToken,
  revokeScimToken,
  SCIM_AUDIT_ISSUER,
  verifyScimToken,
} from '../../../src/runtime/scim/tokens.js';
import { storeKinds } from '../../scim/stores.js';

const T0 = '2026-11-01T09:00:00.000Z';
const T1 = '2026-11-02T09:00:00.000Z';

for (const kind of storeKinds()) {
  describe(`SCIM tokens on ${kind.name}`, () => {
    it('creates a token shown once, stores only its SHA-256, and audits the creation', async () => {
      const store = await kind.open();
      try {
        const created = await createScimToken(store, 'okta-prod', { now: T0, actor: 'runbook:jane' });
        expect(created.token).toMatch(/^cmscim_[A-Za-z0-9_-]{43}$/);
        const [rec, ...more] = await listScimTokens(store);
        expect(more).toEqual([]);
        expect(rec).toEqual({ name: 'okta-prod', hash: hashScimToken(created.token), createdAt: T0, revokedAt: null });
        expect(JSON.stringify(await listScimTokens(store))).not.toContain(created.token);
        const [event] = await listAudit(store, { limit: 1 });
        expect(event).toMatchObject({
          action: 'scim-token-created',
          issuer: SCIM_AUDIT_ISSUER,
          subject: 'okta-prod',
          actor: 'runbook:jane',
        });
        expect(JSON.stringify(event)).not.toContain(created.token);
      } finally {
        await store.close();
      }
    });

    it('verifies the live token, refuses unknown, empty and revoked ones, and revokes once', async () => {
      const store = await kind.open();
      try {
        const a = await createScimToken(store, 'okta', { now: T0 });
        const b = await createScimToken(store, 'entra', { now: T0 });
        expect(a.token).not.toBe(b.token);
        expect(await verifyScimToken(store, a.token)).toEqual({ ok: true, name: 'okta' });
        expect(await verifyScimToken(store, b.token)).toEqual({ ok: true, name: 'entra' });
        expect(await verifyScimToken(store, `${a.token}x`)).toEqual({ ok: false, reason: 'unknown' });
        expect(await verifyScimToken(store, undefined)).toEqual({ ok: false, reason: 'missing' });
        expect(await verifyScimToken(store, '')).toEqual({ ok: false, reason: 'missing' });
        expect(await revokeScimToken(store, 'okta', { now: T1 })).toBe(true);
        expect(await revokeScimToken(store, 'okta', { now: T1 })).toBe(false);
        expect(await revokeScimToken(store, 'nobody', { now: T1 })).toBe(false);
        expect(await verifyScimToken(store, a.token)).toEqual({ ok: false, reason: 'revoked', name: 'okta' });
        expect(await verifyScimToken(store, b.token)).toEqual({ ok: true, name: 'entra' });
        expect((await listScimTokens(store)).map((t) => [t.name, t.revokedAt])).toEqual([
          ['entra', null],
          ['okta', T1],
        ]);
        const actions = (await listAudit(store, { limit: 10 })).map((e) => `${e.action} ${e.subject}`);
        expect(actions).toEqual(['scim-token-revoked okta', 'scim-token-created entra', 'scim-token-created okta']);
      } finally {
        await store.close();
      }
    });

    it('never reuses a name, even a revoked one (store/conflict), and writes nothing then', async () => {
      const store = await kind.open();
      try {
        await createScimToken(store, 'okta', { now: T0 });
        await revokeScimToken(store, 'okta', { now: T1 });
        const e = await createScimToken(store, 'okta', { now: T1 }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(RuntimeError);
        expect((e as RuntimeError).code).toBe('store/conflict');
        expect(await listAudit(store, { limit: 10 })).toHaveLength(2);
      } finally {
        await store.close();
      }
    });

    it('audits a refused call with the reason, method and path, never the token', async () => {
      const store = await kind.open();
      try {
        await auditScimUnauthenticated(store, { reason: 'unknown', method: 'GET', path: '/Users' }, { now: T0 });
        await auditScimUnauthenticated(
          store,
          { reason: 'revoked', name: 'okta', method: 'PATCH', path: '/Users/1' },
          { now: T0 },
        );
        const events = await listAudit(store, { limit: 10 });
        expect(events.map((e) => [e.action, e.actor, e.subject, e.reason?.code])).toEqual([
          ['scim-unauthenticated', 'scim:okta', 'okta', 'scim/revoked-token'],
          ['scim-unauthenticated', 'scim:unauthenticated', '', 'scim/unknown-token'],
        ]);
      } finally {
        await store.close();
      }
    });
  });
}

describe('SCIM token names and matching', () => {
  it.each([
    ['okta-prod', true],
    ['Entra.2026_a', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['', false],
    ['-okta', false],
    ['okta prod', false],
    ['okta\n', false],
    ['ökta', false],
  ])('isScimTokenName(%j) is %s', (name, ok) => {
    expect(isScimTokenName(name)).toBe(ok);
  });

  it('refuses a bad name as a caller mistake (TypeError), before touching the store', async () => {
    const store = new MemoryStore();
    await expect(createScimToken(store, 'bad name')).rejects.toBeInstanceOf(TypeError);
    await expect(revokeScimToken(store, '')).rejects.toBeInstanceOf(TypeError);
    expect(await listAudit(store, { limit: 10 })).toEqual([]);
  });

  it('matches by hash among many records, whichever position holds it', () => {
    const records = Array.from({ length: 20 }, (_, i) => ({
      name: `t${i}`,
      hash: hashScimToken(`token-${i}`),
      createdAt: T0,
      revokedAt: i === 7 ? T1 : null,
    }));
    for (let i = 0; i < 20; i++) {
      expect(matchScimToken(records, `token-${i}`)).toEqual(
        i === 7 ? { ok: false, reason: 'revoked', name: 't7' } : { ok: true, name: `t${i}` },
      );
    }
    expect(matchScimToken(records, 'token-20')).toEqual({ ok: false, reason: 'unknown' });
    // A stored hash of the wrong length (corrupt row decoded elsewhere) never matches and never throws.
    expect(matchScimToken([{ name: 'x', hash: 'abcd', createdAt: T0, revokedAt: null }], 'abcd')).toEqual({
      ok: false,
      reason: 'unknown',
    });
  });

  it('a read-only store refuses to create or revoke (store/read-only)', async () => {
    const store = new MemoryStore({ readOnly: true });
    await expect(createScimToken(store, 'okta')).rejects.toMatchObject({ code: 'store/read-only' });
    await expect(revokeScimToken(store, 'okta')).rejects.toMatchObject({ code: 'store/read-only' });
  });
});
