/** PATCH (RFC 7644 §3.5.2) on resource JSON and group membership, as tables of valid and invalid operations. */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import { ScimHttpError } from '../../src/scim/errors.js';
import { applyPatch, parsePatchBody, splitGroupPatch } from '../../src/scim/patch.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const EXT = [ENT];
const user = () => ({
  userName: 'bjensen@example.com',
  active: true,
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  emails: [{ type: 'work', value: 'bjensen@example.com', primary: true }],
});
const patch = (resource: Record<string, JsonValue>, ...ops: unknown[]) =>
  applyPatch(resource, parsePatchBody({ Operations: ops } as never, 100, EXT), EXT);

describe('applyPatch: valid operations', () => {
  // biome-ignore lint/suspicious/noExplicitAny: a patched resource is navigated freely in the checks
  const cases: [string, unknown[], (r: Record<string, any>) => void][] = [
    [
      'Okta deactivate: replace without path',
      [{ op: 'replace', value: { active: false } }],
      (r) => expect(r.active).toBe(false),
    ],
    ['Entra capitalised op', [{ op: 'Replace', path: 'active', value: false }], (r) => expect(r.active).toBe(false)],
    [
      'Entra string boolean (normalised later)',
      [{ op: 'Replace', path: 'active', value: 'False' }],
      (r) => expect(r.active).toBe('False'),
    ],
    [
      'sub-attribute path',
      [{ op: 'replace', path: 'name.familyName', value: 'Smith' }],
      (r) => expect(r.name).toEqual({ givenName: 'Barbara', familyName: 'Smith' }),
    ],
    [
      'attribute names are case-insensitive',
      [{ op: 'replace', path: 'Name.GivenName', value: 'Babs' }],
      (r) => expect(r.name.givenName).toBe('Babs'),
    ],
    [
      'value filter with sub-attribute',
      [{ op: 'replace', path: 'emails[type eq "work"].value', value: 'b@x.com' }],
      (r) => expect(r.emails).toEqual([{ type: 'work', value: 'b@x.com', primary: true }]),
    ],
    [
      'a filter matching nothing creates the element (Entra)',
      [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' }],
      (r) => expect(r.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555' }]),
    ],
    [
      'extension attribute by URN path',
      [{ op: 'Add', path: `${ENT}:department`, value: 'Sales' }],
      (r) => expect(r[ENT]).toEqual({ department: 'Sales' }),
    ],
    [
      'extension object in a path-less value',
      [{ op: 'replace', value: { [ENT]: { employeeNumber: '7' } } }],
      (r) => expect(r[ENT]).toEqual({ employeeNumber: '7' }),
    ],
    [
      'extension attribute key in a path-less value',
      [{ op: 'replace', value: { [`${ENT}:manager`]: { value: 'm1' } } }],
      (r) => expect(r[ENT]).toEqual({ manager: { value: 'm1' } }),
    ],
    [
      'dotted key in a path-less value',
      [{ op: 'add', value: { 'name.middleName': 'J' } }],
      (r) => expect(r.name.middleName).toBe('J'),
    ],
    [
      'replace on a complex attribute merges',
      [{ op: 'replace', path: 'name', value: { givenName: 'B' } }],
      (r) => expect(r.name).toEqual({ givenName: 'B', familyName: 'Jensen' }),
    ],
    [
      'add to a multi-valued attribute appends',
      [{ op: 'add', path: 'emails', value: [{ type: 'home', value: 'h@x' }] }],
      (r) => expect(r.emails).toHaveLength(2),
    ],
    ['remove by filter', [{ op: 'remove', path: 'emails[type eq "work"]' }], (r) => expect(r.emails).toEqual([])],
    [
      'remove an attribute',
      [{ op: 'remove', path: 'name.givenName' }],
      (r) => expect(r.name).toEqual({ familyName: 'Jensen' }),
    ],
    ['remove something absent is a no-op', [{ op: 'remove', path: 'title' }], (r) => expect(r.title).toBeUndefined()],
    [
      "the id in Okta's path-less replace is ignored",
      [{ op: 'replace', value: { id: 'x', displayName: 'B J' } }],
      (r) => {
        expect(r.id).toBeUndefined();
        expect(r.displayName).toBe('B J');
      },
    ],
    [
      'a password is dropped, never stored',
      [
        { op: 'replace', path: 'password', value: 'secret' },
        { op: 'replace', value: { password: 'x' } },
      ],
      (r) => expect(r.password).toBeUndefined(),
    ],
  ];
  it.each(cases)('%s', (_name, ops, check) => {
    const before = user();
    check(patch(before, ...ops));
    expect(before).toEqual(user()); // the input is not mutated
  });
});

describe('parsePatchBody and applyPatch: invalid operations', () => {
  const cases: [string, unknown, string][] = [
    ['no Operations', { schemas: [] }, 'invalidSyntax'],
    ['Operations not an array', { Operations: {} }, 'invalidSyntax'],
    ['an unknown op', { Operations: [{ op: 'move', path: 'a' }] }, 'invalidSyntax'],
    ['an op that is not a string', { Operations: [{ op: 1, path: 'a' }] }, 'invalidSyntax'],
    ['remove without a path', { Operations: [{ op: 'remove' }] }, 'noTarget'],
    ['add without a value', { Operations: [{ op: 'add', path: 'title' }] }, 'invalidValue'],
    ['an empty path', { Operations: [{ op: 'add', path: '', value: 1 }] }, 'invalidPath'],
    ['a path with an unparseable filter', { Operations: [{ op: 'remove', path: 'emails[type eq]' }] }, 'invalidPath'],
    ['a path with no closing bracket', { Operations: [{ op: 'remove', path: 'emails[type eq "a"' }] }, 'invalidPath'],
    [
      'a path that is not an attribute',
      { Operations: [{ op: 'add', path: '__proto__.polluted', value: 1 }] },
      'invalidPath',
    ],
    ['a path-less value that is not an object', { Operations: [{ op: 'replace', value: 'x' }] }, 'invalidValue'],
    ['writing id', { Operations: [{ op: 'replace', path: 'id', value: 'x' }] }, 'mutability'],
    ['writing groups', { Operations: [{ op: 'add', path: 'groups', value: [{ value: 'g' }] }] }, 'mutability'],
    [
      'a filter on a single-valued attribute',
      { Operations: [{ op: 'replace', path: 'name[givenName eq "B"].x', value: 1 }] },
      'invalidPath',
    ],
    [
      'a not-eq filter matching nothing on add',
      { Operations: [{ op: 'add', path: 'emails[type ne "work"].value', value: 'x' }] },
      'noTarget',
    ],
  ];
  it.each(cases)('%s', (_name, body, scimType) => {
    let error: unknown;
    try {
      applyPatch(user(), parsePatchBody(body as never, 100, EXT), EXT);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScimHttpError);
    expect((error as ScimHttpError).scimType).toBe(scimType);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('splitGroupPatch', () => {
  const split = (ops: unknown[], current: string[] = ['u1', 'u2']) =>
    splitGroupPatch(parsePatchBody({ Operations: ops } as never, 100, []), current, 1000);
  it.each([
    [
      'Okta add with an array',
      [{ op: 'add', path: 'members', value: [{ value: 'u3', display: 'c@x' }] }],
      { add: ['u3'], remove: [], other: [] },
    ],
    [
      'Okta remove by value filter',
      [{ op: 'remove', path: 'members[value eq "u1"]' }],
      { add: [], remove: ['u1'], other: [] },
    ],
    [
      'Entra Add capitalised',
      [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u3' }] }],
      { add: ['u3'], remove: [], other: [] },
    ],
    [
      'Entra Remove with a value list',
      [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: 'u2' }] }],
      { add: [], remove: ['u2'], other: [] },
    ],
    [
      'remove by an or of values',
      [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }],
      { add: [], remove: ['u1', 'u2'], other: [] },
    ],
    [
      'the last word on an id wins',
      [
        { op: 'add', path: 'members', value: [{ value: 'u3' }] },
        { op: 'remove', path: 'members[value eq "u3"]' },
      ],
      { add: [], remove: ['u3'], other: [] },
    ],
    [
      'replace the whole list',
      [{ op: 'replace', path: 'members', value: [{ value: 'u9' }] }],
      { add: [], remove: [], replace: ['u9'], other: [] },
    ],
    ['remove all members', [{ op: 'remove', path: 'members' }], { add: [], remove: [], replace: [], other: [] }],
    [
      'path-less add of members',
      [{ op: 'add', value: { members: [{ value: 'u4' }] } }],
      { add: ['u4'], remove: [], other: [] },
    ],
  ])('%s', (_name, ops, expected) => {
    expect(split(ops)).toEqual(expected);
  });

  it('keeps a rename apart from membership (Okta sends both in one replace)', () => {
    const r = split([{ op: 'replace', value: { id: 'g1', displayName: 'New', members: [{ value: 'u1' }] } }]);
    expect(r.replace).toEqual(['u1']);
    expect(r.other).toEqual([{ op: 'replace', value: { id: 'g1', displayName: 'New' } }]);
  });

  it('evaluates another filter against the current members', () => {
    expect(split([{ op: 'remove', path: 'members[value sw "u"]' }]).remove).toEqual(['u1', 'u2']);
  });

  it.each([
    ['a member without value', [{ op: 'add', path: 'members', value: [{ display: 'x' }] }], 'invalidValue'],
    ['a sub-attribute of members', [{ op: 'replace', path: 'members.value', value: 'x' }], 'invalidPath'],
    ['add through a filter', [{ op: 'add', path: 'members[value eq "u1"]', value: [{ value: 'u1' }] }], 'invalidPath'],
  ])('refuses %s', (_name, ops, scimType) => {
    expect(() => split(ops)).toThrow(expect.objectContaining({ scimType }));
  });

  it('caps the ids one request names', () => {
    const ops = [
      { op: 'add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
      { op: 'remove', path: 'members[value eq "c"]' },
    ];
    expect(() => splitGroupPatch(parsePatchBody({ Operations: ops } as never, 100, []), [], 2)).toThrow(
      expect.objectContaining({ scimType: 'tooMany' }),
    );
  });
});
