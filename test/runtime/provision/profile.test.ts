/**
 * The profile step of provision(): where jsonEqual decides whether a returning login writes a profile value
 * (`updated`, audited with the change) or leaves it (`unchanged`). Unit cases on updateProfile with hand-built
 * decisions, then the same decisions through provision() into a store, read back with the audit trail.
 */
import { describe, expect, it } from 'vitest';
import type { Decision, ProfileValue } from '../../../src/evaluate/decision.js';
import type { JsonValue } from '../../../src/model/claim-set.js';
import { getAccount, listAudit } from '../../../src/runtime/lifecycle.js';
import { provision } from '../../../src/runtime/provision/login.js';
import { createProfile, proposeProfile, updateProfile } from '../../../src/runtime/provision/profile.js';
import { MemoryStore } from '../../../src/runtime/stores/memory.js';
import type { Change } from '../../../src/runtime/types.js';
import { at, ISSUER, makeClaims, T0, teamsPlan } from '../fixtures.js';

const present = (value: JsonValue, sync: ProfileValue['sync'] = 'always', clear = false): ProfileValue => ({
  sync,
  clear,
  state: 'present',
  value,
});
const absent = (sync: ProfileValue['sync'] = 'always', clear = false): ProfileValue => ({
  sync,
  clear,
  state: 'absent',
});

/** A decision holding only a profile (all updateProfile reads). */
const decisionOf = (profile: Record<string, ProfileValue>): Decision => ({ profile }) as unknown as Decision;

/** updateProfile of one field: the changes it records and the value it stores. */
function updateOne(stored: Record<string, JsonValue>, pv: ProfileValue): { changes: Change[]; value: unknown } {
  const changes: Change[] = [];
  const profile = updateProfile(stored, decisionOf({ f: pv }), ['f'], changes);
  return { changes, value: Object.hasOwn(profile, 'f') ? profile.f : '(missing)' };
}

type Case = [name: string, stored: JsonValue, incoming: JsonValue];

/** A stored value and an incoming one that jsonEqual tells apart: each must be written as a change. */
const DIFFERENT: Case[] = [
  ['one array element (last)', ['eng', 'ops', 'qa'], ['eng', 'ops', 'sec']],
  ['one array element (first)', ['eng', 'ops', 'qa'], ['dev', 'ops', 'qa']],
  ['array order', ['eng', 'ops'], ['ops', 'eng']],
  ['a longer array', ['eng'], ['eng', 'ops']],
  ['a shorter array', ['eng', 'ops'], ['eng']],
  ['an array of one more null', ['eng'], ['eng', null]],
  ['a nested array element', [['a', 'b']], [['a', 'c']]],
  ['an object value', { team: 'eng', level: 2 }, { team: 'eng', level: 3 }],
  ['an extra object key', { team: 'eng' }, { team: 'eng', level: 2 }],
  ['a missing object key', { team: 'eng', level: 2 }, { team: 'eng' }],
  ['a null value is not a missing key', { team: null }, {}],
  ['an array in an object', { teams: ['a', 'b'] }, { teams: ['a', 'c'] }],
  ['a string and the number it spells', '1', 1],
  ['a number', 1, 1.5],
  ['an empty array and an empty object', [], {}],
];

/** Values jsonEqual finds equal though they are not the same object: none may be written. */
const EQUAL: Case[] = [
  ['the same array', ['eng', 'ops', 'qa'], ['eng', 'ops', 'qa']],
  ['object keys in another order', { team: 'eng', level: 2 }, { level: 2, team: 'eng' }],
  ['nested keys in another order', [{ a: 1, b: [1, { c: 2, d: 3 }] }], [{ b: [1, { d: 3, c: 2 }], a: 1 }]],
  ['0 and -0', 0, -0],
  ['the same empty array', [], []],
];

describe('updateProfile: jsonEqual decides which present values are written', () => {
  it.each(DIFFERENT)('%s: changed, the new value stored', (_name, stored, incoming) => {
    const { changes, value } = updateOne({ f: stored }, present(incoming));
    expect(changes).toEqual([{ field: 'profile', op: 'change', name: 'f', from: stored, to: incoming }]);
    expect(value).toBe(incoming);
  });

  it.each(EQUAL)('%s: unchanged, the stored value kept', (_name, stored, incoming) => {
    const { changes, value } = updateOne({ f: stored }, present(incoming));
    expect(changes).toEqual([]);
    expect(value).toBe(stored);
  });

  it('NaN (not JSON) never counts as unchanged: it is written', () => {
    expect(updateOne({ f: Number.NaN }, present(Number.NaN)).changes).toHaveLength(1);
  });

  it('a value for a field not stored yet is an add, even when it is empty', () => {
    expect(updateOne({}, present([])).changes).toEqual([{ field: 'profile', op: 'add', name: 'f', to: [] }]);
  });

  it('sync create never writes; sync fill writes only into an empty value', () => {
    expect(updateOne({ f: ['a'] }, present(['b'], 'create')).changes).toEqual([]);
    expect(updateOne({ f: ['a'] }, present(['b'], 'fill')).changes).toEqual([]);
    expect(updateOne({ f: [] }, present(['b'], 'fill')).changes).toEqual([
      { field: 'profile', op: 'change', name: 'f', from: [], to: ['b'] },
    ]);
  });

  it('an absent source removes the stored value only with clear; a malformed one never changes it', () => {
    expect(updateOne({ f: ['a'] }, absent('always', true))).toEqual({
      changes: [{ field: 'profile', op: 'remove', name: 'f', from: ['a'] }],
      value: '(missing)',
    });
    expect(updateOne({ f: ['a'] }, absent('always', false)).changes).toEqual([]);
    const malformed: ProfileValue = { sync: 'always', clear: true, state: 'malformed' };
    expect(updateOne({ f: ['a'] }, malformed)).toEqual({ changes: [], value: ['a'] });
  });

  it('does not change the stored profile it is given', () => {
    const stored = { f: ['a', 'b'] };
    updateOne(stored, present(['a', 'c']));
    expect(stored).toEqual({ f: ['a', 'b'] });
  });
});

describe('createProfile and proposeProfile', () => {
  it('a new account stores every present value as an add, in name order', () => {
    const d = decisionOf({ b: present([1]), a: present('x'), c: absent() });
    const changes: Change[] = [];
    expect({ ...createProfile(d, ['a', 'b', 'c'], changes) }).toEqual({ a: 'x', b: [1] });
    expect(changes.map((c) => [c.op, c.name])).toEqual([
      ['add', 'a'],
      ['add', 'b'],
    ]);
  });

  it('proposes a create without an account and an update with one', () => {
    const d = decisionOf({ f: present(['a', 'c']) });
    expect(proposeProfile(d, ['f'], null).changes).toEqual([
      { field: 'profile', op: 'add', name: 'f', to: ['a', 'c'] },
    ]);
    const existing = { profile: { f: ['a', 'b'] } } as unknown as Parameters<typeof proposeProfile>[2];
    expect(proposeProfile(d, ['f'], existing).changes).toEqual([
      { field: 'profile', op: 'change', name: 'f', from: ['a', 'b'], to: ['a', 'c'] },
    ]);
  });
});

describe('provision(): a profile list that changes in one element is written and audited', () => {
  const key = { issuer: ISSUER, subject: makeClaims().subject!.id };

  it('one element changed: updated, stored, one audit event with the change', async () => {
    const store = new MemoryStore();
    const p = teamsPlan();
    await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: T0 });
    const r = await provision(p, makeClaims({ groups: ['eng', 'ops', 'sec'] }), { store, now: at(1) });
    const change = {
      field: 'profile',
      op: 'change',
      name: 'teams',
      from: ['eng', 'ops', 'qa'],
      to: ['eng', 'ops', 'sec'],
    };
    expect(r.action).toBe('updated');
    expect(r.changes).toEqual([change]);
    const stored = await getAccount(store, key);
    expect(stored?.profile.teams).toEqual(['eng', 'ops', 'sec']);
    expect(stored?.updatedAt).toBe(at(1));
    const audit = await listAudit(store, { key });
    const last = audit.find((e) => e.id === r.eventId);
    expect(last).toMatchObject({ action: 'updated', changes: [change] });
  });

  it('the same list: unchanged, nothing written but the login, audited as unchanged with no change', async () => {
    const store = new MemoryStore();
    const p = teamsPlan();
    await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: T0 });
    const r = await provision(p, makeClaims({ groups: ['eng', 'ops', 'qa'] }), { store, now: at(1) });
    expect(r.action).toBe('unchanged');
    const stored = await getAccount(store, key);
    expect(stored?.updatedAt).toBe(T0);
    expect(stored?.lastLoginAt).toBe(at(1));
    const audit = await listAudit(store, { key });
    expect(audit.find((e) => e.id === r.eventId)).toMatchObject({ action: 'unchanged', changes: [] });
  });
});

describe('updateProfile never writes into the stored record', () => {
  const nullProto = (o: Record<string, JsonValue>): Record<string, JsonValue> =>
    Object.freeze(Object.assign(Object.create(null) as Record<string, JsonValue>, o));
  const decision = decisionOf({
    email: present('jane@example.com'),
    teams: present(['eng']),
    gone: absent('always', true),
    kept: present('new', 'create'),
  });
  const names = ['email', 'gone', 'kept', 'teams'];

  it('a change, an addition and a removal go into a null-prototype copy; the frozen stored record is as it was', () => {
    const stored = nullProto({ email: 'old@example.com', gone: 'x', kept: 'old' });
    const changes: Change[] = [];
    const profile = updateProfile(stored, decision, names, changes);
    expect(profile).not.toBe(stored);
    expect(Object.getPrototypeOf(profile)).toBeNull();
    expect({ ...profile }).toEqual({ email: 'jane@example.com', kept: 'old', teams: ['eng'] });
    expect({ ...stored }).toEqual({ email: 'old@example.com', gone: 'x', kept: 'old' });
    expect(changes.map((c) => `${c.op}:${c.name}`)).toEqual(['change:email', 'remove:gone', 'add:teams']);
  });

  it('no change: a null-prototype stored record is returned as it is; any other record is copied into one', () => {
    const same = { email: 'jane@example.com', kept: 'old', teams: ['eng'] };
    const stored = nullProto(same);
    const changes: Change[] = [];
    expect(updateProfile(stored, decision, names, changes)).toBe(stored);
    expect(changes).toEqual([]);
    // A record with a prototype (JSON.parse gives one; an own "__proto__" key is data there) is never handed on.
    const parsed = JSON.parse('{"email":"jane@example.com","kept":"old","teams":["eng"],"__proto__":"p"}');
    const profile = updateProfile(Object.freeze(parsed), decision, names, changes);
    expect(profile).not.toBe(parsed);
    expect(Object.getPrototypeOf(profile)).toBeNull();
    expect(Object.keys(profile)).toEqual(['email', 'kept', 'teams', '__proto__']);
    expect(changes).toEqual([]);
  });
});
