import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../../src/runtime/errors.js';
import { MAX_SCIM_TEXT, readGroup, readUser } from '../../../src/runtime/scim/resource.js';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof RuntimeError ? e.code : 'other';
  }
  return null;
};

describe('readUser', () => {
  it('reads the attributes case-insensitively and keeps the rest of the resource, without id, meta and groups', () => {
    const u = readUser({
      USERNAME: 'a@b.c',
      externalid: 'x1',
      Active: false,
      id: 'z',
      meta: {},
      groups: [],
      title: 'T',
    });
    expect(u).toEqual({
      userName: 'a@b.c',
      externalId: 'x1',
      displayName: null,
      active: false,
      resource: { USERNAME: 'a@b.c', externalid: 'x1', Active: false, title: 'T' },
    });
    expect(readUser({ userName: 'a' }).active).toBe(true);
  });

  it.each([
    ['no userName', {}],
    ['an empty userName', { userName: ' ' }],
    ['a numeric externalId', { userName: 'a', externalId: 7 }],
    ['active as a string (the HTTP layer normalises "False")', { userName: 'a', active: 'False' }],
    ['a U+0000 in externalId', { userName: 'a', externalId: 'a\u0000b' }],
    ['a lone surrogate in userName', { userName: 'a\ud800' }],
    ['an over-long displayName', { userName: 'a', displayName: 'x'.repeat(MAX_SCIM_TEXT + 1) }],
    ['not an object', [] as never],
  ])('refuses %s with scim/invalid-value', (_what, r) => {
    expect(code(() => readUser(r as never))).toBe('scim/invalid-value');
  });
});

describe('readGroup', () => {
  it('needs a displayName and drops members from the stored resource', () => {
    expect(readGroup({ displayName: 'admins', members: [{ value: 'u' }] })).toEqual({
      displayName: 'admins',
      externalId: null,
      resource: { displayName: 'admins' },
    });
    expect(code(() => readGroup({}))).toBe('scim/invalid-value');
  });
});
