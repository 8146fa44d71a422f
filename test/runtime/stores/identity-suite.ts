/**
 * Identity hardening every Store runs (called from store-suite.ts, so memory, SQLite and PostgreSQL all do):
 * - account linking: `email_verified` counts only as JSON `true`, on both sides of a link;
 * - key characters: issuers and subjects with lone surrogates or U+0000 are refused before the store is touched;
 * - issuedAt: RFC 3339 only, and no later than now plus the clock skew.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../src/model/claim-set.js';
import {
  dormant,
  getAccount,
  grantManual,
  revokeManual,
  listAccounts,
  listAudit,
  provision,
  suspend,
  type Store,
} from '../../../src/runtime/index.js';
import { T0, at, ISSUER, makeClaims, makePlan, rejectsWith } from '../fixtures.js';
import type { StoreHarness } from './store-suite.js';

/** Every `email_verified` value that is not JSON true, and true itself last. `undefined`: the claim is absent. */
const FLAGS: [string, JsonValue | undefined][] = [
  ['0', 0],
  ['"0"', '0'],
  ['"False"', 'False'],
  ['"FALSE"', 'FALSE'],
  ['"no"', 'no'],
  ['"false"', 'false'],
  ['false', false],
  ['null', null],
  ['absent', undefined],
  ['"true"', 'true'],
  ['"TRUE"', 'TRUE'],
  ['1', 1],
  ['"1"', '1'],
  ['{}', {}],
  ['[]', []],
  ['[true]', [true]],
  ['["true"]', ['true']],
  ['{"value":true}', { value: true }],
];

const flag = (v: JsonValue | undefined): Record<string, JsonValue> => (v === undefined ? {} : { email_verified: v });

/** Key strings no store can keep apart: lone surrogates (high, low, reversed pair) and U+0000. */
const BAD_KEY_TEXT: [string, string][] = [
  ['a lone high surrogate', '00u1\uD800'],
  ['a lone high surrogate at the end of a pair-like run', '\uD83D\uD83D\uDE00'],
  ['a lone low surrogate', '\uDC0000u1'],
  ['a reversed surrogate pair', '00u1\uDE00\uD83D'],
  ['U+0000', '00u1\u0000'],
  ['only U+0000', '\u0000'],
];

export function identitySuite(name: string, harness: StoreHarness): void {
  describe(`${name}: identity hardening`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await store.close();
    });

    describe(`${name}: link_verified links only when email_verified is JSON true on both sides`, () => {
      const plan = makePlan({ emailConflict: 'link_verified' });

      /** The holder logs in as `holder`, then `intruder` arrives with the same email; returns the second result. */
      async function takeover(holderFlag: JsonValue | undefined, intruderFlag: JsonValue | undefined) {
        const holder = await provision(plan, makeClaims({ sub: 'holder', extra: flag(holderFlag) }), {
          store,
          now: T0,
        });
        expect(holder.action).toBe('created');
        const r = await provision(plan, makeClaims({ sub: 'intruder', extra: flag(intruderFlag) }), {
          store,
          now: at(1),
        });
        return { holder, r };
      }

      async function expectNoTakeover(holderId: string, r: Awaited<ReturnType<typeof provision>>) {
        expect(r.action).toBe('conflict');
        expect(r.reason?.code).toBe('runtime/unique-conflict');
        expect(r.changes).toEqual([]);
        expect(await getAccount(store, { issuer: ISSUER, subject: 'intruder' })).toBeNull();
        expect((await getAccount(store, { issuer: ISSUER, subject: 'holder' }))?.id).toBe(holderId);
        expect((await listAccounts(store)).map((a) => a.subject)).toEqual(['holder']);
      }

      for (const [label, value] of FLAGS) {
        it(`a new key with email_verified ${label} does not take over a verified holder`, async () => {
          const { holder, r } = await takeover(true, value);
          await expectNoTakeover(holder.account!.id, r);
        });
        it(`a holder whose email_verified was ${label} is not taken over by a verified new key`, async () => {
          const { holder, r } = await takeover(value, true);
          await expectNoTakeover(holder.account!.id, r);
        });
      }

      it('JSON true on both sides (and verified claim sets) links: the holder moves to the new key', async () => {
        const { holder, r } = await takeover(true, true);
        expect(r.action).toBe('updated');
        expect(r.account!.id).toBe(holder.account!.id);
        expect(r.changes[0]).toEqual({
          field: 'subject',
          op: 'change',
          name: 'subject',
          from: 'holder',
          to: 'intruder',
        });
        expect(await getAccount(store, { issuer: ISSUER, subject: 'holder' })).toBeNull();
      });

      it('email_verified true in an unverified claim set never counts', async () => {
        await provision(plan, makeClaims({ sub: 'holder', extra: flag(true) }), { store, now: T0 });
        const r = await provision(plan, makeClaims({ sub: 'intruder', verified: false, extra: flag(true) }), {
          store,
          now: at(1),
        });
        expect(r.action).toBe('conflict');
      });

      it('a unique field other than the verified email never links (email_verified vouches for the email only)', async () => {
        const byName = makePlan({ emailConflict: 'link_verified', unique: ['email', 'name'] });
        const holder = await provision(byName, makeClaims({ sub: 'holder', name: 'Jane Doe', extra: flag(true) }), {
          store,
          now: T0,
        });
        const r = await provision(
          byName,
          makeClaims({ sub: 'intruder', email: 'mallory@example.com', name: 'Jane Doe', extra: flag(true) }),
          {
            store,
            now: at(1),
          },
        );
        await expectNoTakeover(holder.account!.id, r);
      });

      it('a profile email taken from another claim than email is not the verified email', async () => {
        const fromName = makePlan({
          emailConflict: 'link_verified',
          profile: [
            {
              name: 'email',
              expr: { op: 'claim', claim: 'name' },
              sync: 'always',
              clear: false,
              loc: { line: 1, column: 1 },
            },
          ],
        });
        const holder = await provision(
          fromName,
          makeClaims({ sub: 'holder', name: 'jane@example.com', extra: flag(true) }),
          { store, now: T0 },
        );
        // The intruder's `email` claim is verified, but the profile email comes from `name`, which nobody verified.
        const r = await provision(
          fromName,
          makeClaims({ sub: 'intruder', email: 'mallory@example.com', name: 'jane@example.com', extra: flag(true) }),
          {
            store,
            now: at(1),
          },
        );
        await expectNoTakeover(holder.account!.id, r);
      });

      it('a stored entry flagged verified is not enough when the holder\'s last-seen claims say email_verified "0"', async () => {
        // What an older claimmap stored for a login with email_verified "0": the flag set, the snapshot telling the truth.
        const holder = await provision(plan, makeClaims({ sub: 'holder', extra: flag(true) }), { store, now: T0 });
        const id = holder.account!.id;
        await store.transaction(async (tx) => {
          const a = (await tx.findById(id))!;
          const lastSeenClaims = { ...a.lastSeenClaims!, claims: { ...a.lastSeenClaims!.claims, email_verified: '0' } };
          const { grants: _grants, ...record } = a;
          await tx.updateAccount({ ...record, lastSeenClaims, version: a.version + 1 }, a.version);
        });
        const r = await provision(plan, makeClaims({ sub: 'intruder', extra: flag(true) }), { store, now: at(1) });
        await expectNoTakeover(id, r);
      });
    });

    describe(`${name}: issuers and subjects with lone surrogates or U+0000 are refused before the store is touched`, () => {
      const plan = makePlan();

      async function expectNothingWritten() {
        expect(await listAccounts(store)).toEqual([]);
        expect(await listAudit(store)).toEqual([]);
      }

      for (const [label, text] of BAD_KEY_TEXT) {
        it(`a subject with ${label}`, async () => {
          const e = await rejectsWith(
            provision(plan, makeClaims({ sub: text }), { store, now: T0 }),
            'runtime/invalid-key',
          );
          expect(e.position?.path).toBe('/subject/id');
          await expectNothingWritten();
        });
        it(`an issuer with ${label} (even one the mapping would refuse)`, async () => {
          const e = await rejectsWith(
            provision(plan, makeClaims({ issuer: ISSUER + text }), { store, now: T0 }),
            'runtime/invalid-key',
          );
          expect(e.position?.path).toBe('/issuer');
          await expectNothingWritten();
        });
        it(`a lifecycle or lookup key with ${label}`, async () => {
          await provision(plan, makeClaims({ sub: '00u1\uFFFD' }), { store, now: T0 });
          const key = { issuer: ISSUER, subject: text };
          await rejectsWith(getAccount(store, key), 'runtime/invalid-key');
          await rejectsWith(suspend(store, key, { reason: 'incident', now: at(1) }), 'runtime/invalid-key');
          await rejectsWith(listAudit(store, { key }), 'runtime/invalid-key');
          await rejectsWith(listAccounts(store, { subject: text }), 'runtime/invalid-key');
          await rejectsWith(listAccounts(store, { after: { issuer: ISSUER, subject: text } }), 'runtime/invalid-key');
          await rejectsWith(dormant(store, { after: '1d', issuer: ISSUER + text }), 'runtime/invalid-key');
          await rejectsWith(
            grantManual(store, key, { kind: 'role', name: 'admin', actor: 'ops' }),
            'runtime/invalid-key',
          );
          await rejectsWith(
            revokeManual(store, key, { kind: 'role', name: 'admin', actor: 'ops' }),
            'runtime/invalid-key',
          );
          expect(
            (await listAccounts(store)).map((a) => [a.status, a.grants.filter((g) => g.source === 'manual').length]),
          ).toEqual([['active', 0]]);
          expect((await listAudit(store)).map((e) => e.action)).toEqual(['created']);
        });
      }

      it('two subjects that differ only in a lone surrogate never become one account', async () => {
        await rejectsWith(provision(plan, makeClaims({ sub: 'x\uD800' }), { store, now: T0 }), 'runtime/invalid-key');
        await rejectsWith(
          provision(plan, makeClaims({ sub: 'x\uDBFF' }), { store, now: at(1) }),
          'runtime/invalid-key',
        );
        await expectNothingWritten();
      });

      it('a key claim with a lone surrogate is a key-malformed refusal (audited under the clean subject), never a crash', async () => {
        const byClaims = {
          ...makePlan(),
          key: { kind: 'claims' as const, claims: ['name', 'department'], loc: { line: 1, column: 1 } },
        };
        for (const name of ['Jane\uD800', 'Jane\u0000']) {
          const r = await provision(byClaims, makeClaims({ name }), { store, now: T0 });
          expect(r.action).toBe('refused');
          expect(r.decision.refusals.map((x) => x.code)).toContain('key-malformed');
        }
        expect(await listAccounts(store)).toEqual([]);
        expect((await listAudit(store)).map((e) => [e.action, e.subject])).toEqual([
          ['refused', '00u1'],
          ['refused', '00u1'],
        ]);
      });

      it('well-formed pairs and U+FFFD itself are ordinary subjects, kept apart', async () => {
        for (const sub of ['x😀', 'x\uFFFD', 'x\uFFFD\uFFFD']) {
          const r = await provision(
            plan,
            makeClaims({ sub, email: `${sub.length}-${sub.codePointAt(1)}@example.com` }),
            { store, now: T0 },
          );
          expect(r.action).toBe('created');
        }
        expect((await listAccounts(store)).map((a) => a.subject).sort()).toEqual(
          ['x😀', 'x\uFFFD', 'x\uFFFD\uFFFD'].sort(),
        );
        expect((await getAccount(store, { issuer: ISSUER, subject: 'x😀' }))?.subject).toBe('x😀');
      });

      it('unique values with lone surrogates or U+0000 are indexed as U+FFFD on every store (they conflict, never fail)', async () => {
        const byName = makePlan({ unique: ['email', 'name'] });
        expect(
          (
            await provision(byName, makeClaims({ sub: 'a', email: 'a@example.com', name: 'Jane\uD800' }), {
              store,
              now: T0,
            })
          ).action,
        ).toBe('created');
        const r = await provision(byName, makeClaims({ sub: 'b', email: 'b@example.com', name: 'Jane\u0000' }), {
          store,
          now: at(1),
        });
        expect(r.action).toBe('conflict');
        const ok = await provision(byName, makeClaims({ sub: 'c', email: 'c@example.com', name: 'Jane😀' }), {
          store,
          now: at(2),
        });
        expect(ok.action).toBe('created');
      });
    });

    describe(`${name}: issuedAt is an RFC 3339 date-time no later than now plus the clock skew`, () => {
      const plan = makePlan();
      const NOW = '2026-11-01T09:00:00.000Z';

      const INVALID = [
        '1',
        '2031',
        '2026-11-01',
        'March 7, 2031',
        'Sun, 01 Nov 2026 09:00:00 GMT',
        '2030-02-30T00:00:00Z',
        '2025-02-29T00:00:00Z',
        '2026-04-31T00:00:00Z',
        '2026-13-01T00:00:00Z',
        '2026-11-01T24:00:00Z',
        '2026-11-01T09:60:00Z',
        '2026-11-01T09:00:61Z',
        '2026-11-01T09:00:00',
        '2026-11-01T09:00Z',
        '2026-11-01 09:00:00Z',
        ' 2026-11-01T09:00:00Z',
        '2026-11-01T09:00:00Z ',
        '2026-11-01T09:00:00+24:00',
        '2026-11-01T09:00:00+0100',
        '+002026-11-01T09:00:00Z',
        '26-11-01T09:00:00Z',
        '2026-11-01T09:00:00.Z',
        '2026-11-01T09:00:00.1234567890Z',
        '２０２６-11-01T09:00:00Z',
      ];
      for (const issuedAt of INVALID) {
        it(`refuses issuedAt ${JSON.stringify(issuedAt)} as runtime/invalid-issued-at, writing only the audit event`, async () => {
          const r = await provision(plan, makeClaims({ issuedAt }), { store, now: NOW });
          expect(r.action).toBe('refused');
          expect(r.reason?.code).toBe('runtime/invalid-issued-at');
          expect(await listAccounts(store)).toEqual([]);
          expect((await listAudit(store)).map((e) => e.action)).toEqual(['refused']);
        });
      }

      it('refuses a non-string issuedAt', async () => {
        for (const issuedAt of [1793523600, null, {}]) {
          const r = await provision(plan, { ...makeClaims(), issuedAt: issuedAt as never }, { store, now: NOW });
          expect(r.reason?.code).toBe('runtime/invalid-issued-at');
        }
      });

      const VALID: [string, string][] = [
        ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
        ['2000-02-29T00:00:00Z', '2000-02-29T00:00:00.000Z'],
        ['2026-11-01T10:00:00+01:00', '2026-11-01T09:00:00.000Z'],
        ['2026-11-01T08:30:00-00:30', '2026-11-01T09:00:00.000Z'],
        ['2026-11-01t09:00:00z', '2026-11-01T09:00:00.000Z'],
        ['2026-11-01T08:59:59.123456789Z', '2026-11-01T08:59:59.123Z'],
        ['2016-12-31T23:59:60Z', '2017-01-01T00:00:00.000Z'],
      ];
      for (const [issuedAt, stored] of VALID) {
        it(`accepts issuedAt ${issuedAt} and records it as ${stored}`, async () => {
          const r = await provision(plan, makeClaims({ issuedAt }), { store, now: NOW });
          expect(r.action).toBe('created');
          expect(r.account!.lastIssuedAt).toBe(stored);
        });
      }

      it('accepts an issuedAt exactly at now + 5 minutes (the default skew) and refuses one millisecond later', async () => {
        const edge = await provision(plan, makeClaims({ sub: 'edge', issuedAt: '2026-11-01T09:05:00Z' }), {
          store,
          now: NOW,
        });
        expect(edge.action).toBe('created');
        const past = await provision(
          plan,
          makeClaims({ sub: 'past', email: 'p@example.com', issuedAt: '2026-11-01T09:05:00.001Z' }),
          { store, now: NOW },
        );
        expect(past.action).toBe('refused');
        expect(past.reason?.code).toBe('runtime/issued-at-in-future');
        expect(await getAccount(store, { issuer: ISSUER, subject: 'past' })).toBeNull();
      });

      it('takes maxClockSkew as a duration or milliseconds, 0 allowing nothing ahead of now', async () => {
        const opts = (maxClockSkew: string | number) => ({ store, now: NOW, maxClockSkew });
        expect(
          (await provision(plan, makeClaims({ issuedAt: '2026-11-01T09:00:00.001Z' }), opts(0))).reason?.code,
        ).toBe('runtime/issued-at-in-future');
        expect((await provision(plan, makeClaims({ issuedAt: '2026-11-01T09:00:30Z' }), opts('30s'))).action).toBe(
          'created',
        );
        expect(
          (await provision(plan, makeClaims({ issuedAt: '2026-11-01T09:00:31Z' }), opts(30_000))).reason?.code,
        ).toBe('runtime/issued-at-in-future');
        for (const bad of [-1, 1.5, Number.NaN, 'soon', '']) {
          await expect(provision(plan, makeClaims(), opts(bad))).rejects.toThrow(TypeError);
        }
      });

      it('a far-future issuedAt cannot lock the account: it is refused, and later logins proceed', async () => {
        await provision(plan, makeClaims({ issuedAt: '2026-11-01T08:00:00Z' }), { store, now: NOW });
        const lock = await provision(plan, makeClaims({ issuedAt: '2099-01-01T00:00:00Z', groups: ['admins'] }), {
          store,
          now: NOW,
        });
        expect(lock.reason?.code).toBe('runtime/issued-at-in-future');
        const next = await provision(
          plan,
          makeClaims({ issuedAt: '2026-11-01T08:30:00Z', groups: ['eng', 'admins'] }),
          { store, now: at(10) },
        );
        expect(next.action).toBe('updated');
        expect(next.account!.lastIssuedAt).toBe('2026-11-01T08:30:00.000Z');
      });

      it('a stored lastIssuedAt beyond now + skew (written before the bound existed) is replaced, not a lock', async () => {
        const first = await provision(plan, makeClaims({ issuedAt: '2026-11-01T08:00:00Z' }), { store, now: NOW });
        await store.transaction(async (tx) => {
          const a = (await tx.findById(first.account!.id))!;
          const { grants: _grants, ...record } = a;
          await tx.updateAccount(
            { ...record, lastIssuedAt: '2099-01-01T00:00:00.000Z', version: a.version + 1 },
            a.version,
          );
        });
        const r = await provision(plan, makeClaims({ issuedAt: '2026-11-01T08:30:00Z' }), { store, now: at(10) });
        expect(r.action).not.toBe('refused');
        expect(r.account!.lastIssuedAt).toBe('2026-11-01T08:30:00.000Z');
        // and the older-assertion check works again from there
        const older = await provision(plan, makeClaims({ issuedAt: '2026-11-01T08:10:00Z' }), { store, now: at(11) });
        expect(older.reason?.code).toBe('runtime/older-assertion');
      });
    });
  });
}
