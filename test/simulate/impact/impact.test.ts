import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClaimSet, JsonValue } from '../../../src/model/claim-set.js';
import type { Plan } from '../../../src/model/plan.js';
import { listAccounts, provision, SqliteStore, type Store } from '../../../src/runtime/index.js';
import { drift } from '../../../src/simulate/impact/drift.js';
import { planImpact } from '../../../src/simulate/impact/impact.js';
import { formatDriftText, formatImpactMarkdown, formatImpactText } from '../../../src/simulate/impact/report.js';
import { subjectsFromAccounts, subjectsFromClaimSets } from '../../../src/simulate/impact/subjects.js';
import { ISSUER, testPlan } from '../scenarios/mapping.js';

const oldPlan = testPlan({ version: 'v1' });
/** v2: admin moves to the "superadmins" group, and "writers" now grants editor. */
const newPlan = testPlan({ version: 'v2', adminGroup: 'superadmins', editor: true });

const login = (sub: string, claims: Record<string, JsonValue>): ClaimSet => ({
  protocol: 'oidc',
  issuer: ISSUER,
  subject: { id: sub },
  claims: { sub, iss: ISSUER, ...claims },
  verified: false,
});

/** The population: who is in which groups at their last login. */
const people: [string, Record<string, JsonValue>][] = [
  ['u1', { email: 'ann@example.com', name: 'Ann', groups: ['admins', 'team-web'] }],
  ['u2', { email: 'ben@example.com', name: 'Ben', groups: ['admins', 'writers'] }],
  ['u3', { email: 'cat@example.com', groups: ['writers'] }],
  ['u4', { email: 'dan@example.com', name: 'Dan' }],
  ['u5', { email: 'eve@example.com', name: 'Eve', groups: ['admins'] }],
];

const dir = mkdtempSync(join(tmpdir(), 'claimmap-impact-'));
let store: Store;

async function seedStore(path: string, plan: Plan): Promise<Store> {
  const s = await SqliteStore.open(path);
  for (const [sub, claims] of people) {
    const r = await provision(plan, login(sub, claims), { store: s, now: '2026-11-01T00:00:00Z' });
    expect(r.action).toBe('created');
  }
  // u5 also holds admin by hand; u4 holds a mapping grant the claims do not support (granted by an old rule).
  await s.transaction(async (tx) => {
    const u5 = (await tx.findByKey(ISSUER, 'u5'))!;
    await tx.replaceGrants(u5.id, [
      ...u5.grants,
      { kind: 'role', name: 'admin', grantedAt: '2026-10-01T00:00:00.000Z', source: 'manual', actor: 'it' },
    ]);
    const u4 = (await tx.findByKey(ISSUER, 'u4'))!;
    await tx.replaceGrants(u4.id, [
      ...u4.grants,
      {
        kind: 'role',
        name: 'admin',
        grantedAt: '2026-10-01T00:00:00.000Z',
        source: 'mapping',
        rules: ['roles[1]'],
        mappingDigest: plan.digest,
        mappingVersion: plan.version,
      },
    ]);
    // u6 was created by an import and never logged in: no last-seen claims; its grant comes from an older digest.
    await tx.insertAccount({
      id: 'acc-u6',
      issuer: ISSUER,
      subject: 'u6',
      status: 'active',
      profile: { email: 'fay@example.com' },
      lastSeenClaims: null,
      mappingDigest: 'f'.repeat(64),
      mappingVersion: 'v0',
      lastLoginAt: null,
      lastIssuedAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      version: 1,
    });
    await tx.replaceGrants('acc-u6', [
      {
        kind: 'role',
        name: 'viewer',
        grantedAt: '2026-01-01T00:00:00.000Z',
        source: 'mapping',
        rules: ['roles[0]'],
        mappingDigest: 'f'.repeat(64),
        mappingVersion: 'v0',
      },
    ]);
  });
  return s;
}

beforeAll(async () => {
  store = await seedStore(join(dir, 'claimmap.db'), oldPlan);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const subjects = async (plan: Plan) => subjectsFromAccounts(await listAccounts(store, { issuer: ISSUER }), plan);

describe('planImpact', () => {
  it('shows each grant loss and gain for the right accounts, and totals', async () => {
    const r = await planImpact(oldPlan, newPlan, await subjects(oldPlan));
    expect(r.subjects).toBe(5);
    expect(r.skipped).toEqual([{ key: 'u6', reason: expect.stringContaining('never logged in') }]);
    const byKey = Object.fromEntries(r.perAccount.map((a) => [a.key, a]));
    expect(Object.keys(byKey).sort()).toEqual(['u1', 'u2', 'u3']);
    expect(byKey.u1!.roles).toEqual({ gained: [], lost: ['admin'] });
    expect(byKey.u2!.roles).toEqual({ gained: ['editor'], lost: ['admin'] });
    expect(byKey.u3!.roles).toEqual({ gained: ['editor'], lost: [] });
    expect(byKey.u1!.label).toBe('ann@example.com');
    for (const a of r.perAccount) expect(a.access).toBe('kept');
    // u5 keeps admin by its manual grant; u4's unsupported grant is removed by either mapping, so it is not a change.
    expect(byKey.u5).toBeUndefined();
    expect(r.totals.grants).toEqual([
      {
        change: 'remove',
        kind: 'role',
        name: 'admin',
        privileged: true,
        accounts: 2,
        text: 'would remove admin (privileged) from 2 accounts',
      },
      {
        change: 'add',
        kind: 'role',
        name: 'editor',
        privileged: false,
        accounts: 2,
        text: 'would add editor to 2 accounts',
      },
    ]);
    expect(formatImpactText(r).split('\n')[1]).toBe(
      'would remove admin (privileged) from 2 accounts; would add editor to 2 accounts',
    );
  });

  it('reports profile changes and lost access', async () => {
    const stricter = testPlan({ version: 'v3', department: 'unknown', requireName: true });
    const r = await planImpact(oldPlan, stricter, await subjects(oldPlan));
    const u3 = r.perAccount.find((a) => a.key === 'u3')!;
    expect(u3).toMatchObject({ access: 'lost', new: { action: 'refused' }, roles: { lost: ['viewer'] } });
    expect(u3.new.refusal).toContain('required-claim-absent');
    expect(r.totals.access).toEqual({ lost: 1, gained: 0 });
    expect(r.totals.text[0]).toBe('would refuse the next login of 1 account that can log in today');
    const u1 = r.perAccount.find((a) => a.key === 'u1')!;
    expect(u1.profile).toEqual([{ field: 'department', from: 'none', to: 'unknown' }]);
    expect(r.totals.profile).toEqual([
      { field: 'department', accounts: 4, text: 'would change department on 4 accounts' },
    ]);
  });

  it('the same mapping on both sides changes nothing', async () => {
    const r = await planImpact(oldPlan, oldPlan, await subjects(oldPlan));
    expect(r.perAccount).toEqual([]);
    expect(r.totals.text).toEqual([]);
  });

  it('previews samples as first logins', async () => {
    const r = await planImpact(
      oldPlan,
      newPlan,
      subjectsFromClaimSets(people.map(([sub, c]) => ({ name: `${sub}.json`, claimSet: login(sub, c) }))),
    );
    expect(r.perAccount.map((a) => [a.key, a.roles])).toEqual([
      ['u1.json', { gained: [], lost: ['admin'] }],
      ['u2.json', { gained: ['editor'], lost: ['admin'] }],
      ['u3.json', { gained: ['editor'], lost: [] }],
      ['u5.json', { gained: [], lost: ['admin'] }],
    ]);
    expect(formatImpactMarkdown(r)).toContain('| u2.json |  | −admin, +editor |  |  |');
  });

  it('escapes terminal control sequences in subject keys (ANSI escape injection)', async () => {
    const evil = 'u1\u001b[2J\u001b]0;pwned\u0007.json';
    const r = await planImpact(
      oldPlan,
      newPlan,
      subjectsFromClaimSets([{ name: evil, claimSet: login('u1', people[0]![1]) }]),
    );
    const text = formatImpactText(r);
    expect(text).not.toMatch(/(?!\n)\p{Cc}/u);
    expect(text).toContain('u1\\u001b[2J\\u001b]0;pwned\\u0007.json');
  });

  it('does not write to the store it reads', async () => {
    const before = JSON.stringify(await listAccounts(store));
    await planImpact(oldPlan, newPlan, await subjects(oldPlan));
    expect(JSON.stringify(await listAccounts(store))).toBe(before);
  });
});

describe('drift', () => {
  it('lists a stale mapping grant (same digest) and nothing else against the mapping that granted it', async () => {
    const r = drift(oldPlan, await subjects(oldPlan));
    expect(r.entries.map((e) => [e.key, e.kind, e.name, e.reasons])).toEqual([
      ['u4', 'role', 'admin', ['not-granted']],
      ['u6', 'role', 'viewer', ['older-mapping']],
    ]);
    expect(r.unevaluated).toEqual([{ key: 'u6', reason: expect.any(String) }]);
    expect(r.totals.map((t) => t.text)).toEqual([
      '1 account holds admin (privileged) that the mapping would no longer grant',
      '1 account holds viewer granted by an older mapping version',
    ]);
  });

  it('against a newer mapping: old-digest grants, and the ones it would no longer give', async () => {
    const r = drift(newPlan, await subjects(oldPlan));
    const of = (key: string) => r.entries.filter((e) => e.key === key).map((e) => `${e.name}:${e.reasons.join('+')}`);
    expect(of('u1')).toEqual(['team:web:older-mapping', 'admin:not-granted+older-mapping', 'viewer:older-mapping']);
    expect(of('u5')).toEqual(['admin:not-granted+older-mapping', 'viewer:older-mapping']); // the manual admin is never drift
    const u1admin = r.entries.find((e) => e.key === 'u1' && e.name === 'admin')!;
    expect(u1admin).toMatchObject({ mappingDigest: oldPlan.digest, mappingVersion: 'v1', rules: ['roles[1]'] });
    const text = formatDriftText(r);
    expect(text).toContain('4 accounts hold admin (privileged) that the mapping would no longer grant');
    expect(text).toContain(
      `    role admin: no longer granted, older mapping, granted by v1 (${oldPlan.digest.slice(0, 12)}) [roles[1]]`,
    );
  });

  it('a login the mapping would refuse makes every mapping grant drift', async () => {
    const strict = testPlan({ version: 'v1', requireName: true });
    const r = drift(strict, await subjects(oldPlan));
    expect(r.entries.filter((e) => e.key === 'u3').map((e) => e.reasons[0])).toEqual(['refused']);
  });
});
