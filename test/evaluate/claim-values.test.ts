import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { ClaimType, Normalizer } from '../../src/model/plan.js';
import type { ClaimState } from '../../src/evaluate/decision.js';
import { readClaim } from '../../src/evaluate/index.js';
import { claim, listOf, oidc, plan, saml, scalar, setOf } from './plan-builder.js';

type Expect = ['present', JsonValue] | ['absent'] | ['malformed', string];

function check(s: ClaimState, want: Expect): void {
  if (want[0] === 'present') expect(s).toEqual({ state: 'present', value: want[1] });
  else if (want[0] === 'absent') expect(s).toEqual({ state: 'absent' });
  else {
    expect(s.state).toBe('malformed');
    expect(s.state === 'malformed' && s.reason).toBe(want[1]);
  }
}

const S = scalar;
const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e';

// [case, type, normalize, SAML values (undefined: attribute missing), expected]
const samlCases: [string, ClaimType, Normalizer[], string[] | undefined, Expect][] = [
  ['string present', S('string'), [], ['Jane'], ['present', 'Jane']],
  ['attribute missing', S('string'), [], undefined, ['absent']],
  ['zero values', S('string'), [], [], ['absent']],
  ['zero values (set)', setOf(S('string')), [], [], ['absent']],
  ['two values for a scalar', S('string'), [], ['a', 'b'], ['malformed', 'multiple-values']],
  ['two values for an enum', S('enum', ['a', 'b']), [], ['a', 'b'], ['malformed', 'multiple-values']],
  ['empty string', S('string'), [], [''], ['malformed', 'empty']],
  ['empty after trim', S('string'), ['trim'], ['  \u00a0'], ['malformed', 'empty']],
  ['trim then keep', S('string'), ['trim'], ['  Jane\t'], ['present', 'Jane']],
  ['bool true', S('bool'), [], ['true'], ['present', true]],
  ['bool 1', S('bool'), [], ['1'], ['present', true]],
  ['bool false', S('bool'), [], ['false'], ['present', false]],
  ['bool 0', S('bool'), [], ['0'], ['present', false]],
  ['bool True (xs:boolean is case-sensitive)', S('bool'), [], ['True'], ['malformed', 'invalid-format']],
  ['bool True with lower', S('bool'), ['lower'], ['True'], ['present', true]],
  ['bool yes', S('bool'), [], ['yes'], ['malformed', 'invalid-format']],
  ['int', S('int'), [], ['42'], ['present', 42]],
  ['negative int', S('int'), [], ['-7'], ['present', -7]],
  ['minus zero is zero', S('int'), [], ['-0'], ['present', 0]],
  ['int with plus', S('int'), [], ['+7'], ['malformed', 'invalid-format']],
  ['int decimal', S('int'), [], ['4.2'], ['malformed', 'invalid-format']],
  ['int hex', S('int'), [], ['0x10'], ['malformed', 'invalid-format']],
  ['int beyond safe range', S('int'), [], ['9007199254740993'], ['malformed', 'invalid-format']],
  ['int with spaces', S('int'), [], [' 42'], ['malformed', 'invalid-format']],
  ['int with spaces trimmed', S('int'), ['trim'], [' 42 '], ['present', 42]],
  ['uuid', S('uuid'), [], [UUID], ['present', UUID]],
  [
    'uuid upper case is canonicalised to lower case',
    S('uuid'),
    [],
    [UUID.toUpperCase()],
    ['present', UUID.toLowerCase()],
  ],
  ['uuid bad', S('uuid'), [], ['0f8fad5b-d9cb-469f-a165'], ['malformed', 'invalid-format']],
  ['url https', S('url'), [], ['https://example.com/x'], ['present', 'https://example.com/x']],
  ['url javascript', S('url'), [], ['javascript:alert(1)'], ['malformed', 'invalid-format']],
  ['url relative', S('url'), [], ['/x'], ['malformed', 'invalid-format']],
  ['url with space', S('url'), [], ['https://exa mple.com'], ['malformed', 'invalid-format']],
  ['email', S('email'), [], ['jane@example.com'], ['present', 'jane@example.com']],
  ['email lower', S('email'), ['lower'], ['Jane@Example.COM'], ['present', 'jane@example.com']],
  ['email two @', S('email'), [], ['a@b@example.com'], ['malformed', 'invalid-format']],
  ['email no local', S('email'), [], ['@example.com'], ['malformed', 'invalid-format']],
  ['email no domain', S('email'), [], ['jane@'], ['malformed', 'invalid-format']],
  ['email with space', S('email'), [], ['jane doe@example.com'], ['malformed', 'invalid-format']],
  ['email display name', S('email'), [], ['Jane <jane@example.com>'], ['malformed', 'invalid-format']],
  ['email double dot', S('email'), [], ['jane@example..com'], ['malformed', 'invalid-format']],
  ['datetime Z', S('datetime'), [], ['2026-11-05T09:30:00Z'], ['present', '2026-11-05T09:30:00Z']],
  [
    'datetime offset',
    S('datetime'),
    [],
    ['2026-11-05T09:30:00.123+01:00'],
    ['present', '2026-11-05T09:30:00.123+01:00'],
  ],
  ['datetime without zone', S('datetime'), [], ['2026-11-05T09:30:00'], ['malformed', 'invalid-format']],
  ['datetime Feb 30', S('datetime'), [], ['2026-02-30T09:30:00Z'], ['malformed', 'invalid-format']],
  ['datetime date only', S('datetime'), [], ['2026-11-05'], ['malformed', 'invalid-format']],
  ['enum member', S('enum', ['FTE', 'Intern']), [], ['FTE'], ['present', 'FTE']],
  ['enum non-member', S('enum', ['FTE', 'Intern']), [], ['fte'], ['malformed', 'not-in-enum']],
  ['enum after lower', S('enum', ['fte', 'intern']), ['lower'], ['FTE'], ['present', 'fte']],
  ['set de-duplicated and sorted', setOf(S('string')), [], ['b', 'a', 'b'], ['present', ['a', 'b']]],
  ['set de-duplicated after normalisation', setOf(S('string')), ['lower'], ['Eng', 'eng', 'ENG'], ['present', ['eng']]],
  ['list keeps order and duplicates', listOf(S('string')), [], ['b', 'a', 'b'], ['present', ['b', 'a', 'b']]],
  ['set<int>', setOf(S('int')), [], ['10', '9', '10'], ['present', [9, 10]]],
  ['set with one bad element', setOf(S('int')), [], ['1', 'x'], ['malformed', 'invalid-format']],
  ['set with an empty element', setOf(S('string')), [], ['a', ''], ['malformed', 'empty']],
  ['set<enum> outside', setOf(S('enum', ['a'])), [], ['a', 'b'], ['malformed', 'not-in-enum']],
  ['nfkc fullwidth', S('string'), ['nfkc'], ['ｅｎｇ'], ['present', 'eng']],
];

describe('SAML claim typing', () => {
  it.each(samlCases)('%s', (_name, type, normalize, values, want) => {
    const p = plan({ protocol: 'saml', claims: [claim('x', type, { source: ['urn:oid:x'], normalize })] });
    const claims: Record<string, string[]> = values === undefined ? {} : { 'urn:oid:x': values };
    check(readClaim(p, saml(claims), 'x'), want);
  });

  it('a value that is not a string array is wrong-type', () => {
    const p = plan({ protocol: 'saml', claims: [claim('x', S('string'))] });
    const cs = saml({});
    cs.claims = { x: 'bare' };
    check(readClaim(p, cs, 'x'), ['malformed', 'wrong-type']);
    cs.claims = { x: [42] };
    check(readClaim(p, cs, 'x'), ['malformed', 'wrong-type']);
  });

  it('looks the source up in claims first, then through aliases', () => {
    const p = plan({ protocol: 'saml', claims: [claim('mail', S('email'), { source: ['mail'] })] });
    const viaAlias = saml(
      { 'urn:oid:0.9.2342.19200300.100.1.3': ['a@example.com'] },
      {
        aliases: { mail: 'urn:oid:0.9.2342.19200300.100.1.3' },
      },
    );
    check(readClaim(p, viaAlias, 'mail'), ['present', 'a@example.com']);
    const direct = saml(
      { mail: ['direct@example.com'], 'urn:oid:x': ['alias@example.com'] },
      {
        aliases: { mail: 'urn:oid:x' },
      },
    );
    check(readClaim(p, direct, 'mail'), ['present', 'direct@example.com']);
  });
});

// [case, type, normalize, OIDC JSON value (undefined: claim missing), expected]
const oidcCases: [string, ClaimType, Normalizer[], JsonValue | undefined, Expect][] = [
  ['string', S('string'), [], 'Jane', ['present', 'Jane']],
  ['missing', S('string'), [], undefined, ['absent']],
  ['null is absent', S('string'), [], null, ['absent']],
  ['number is not a string', S('string'), [], 42, ['malformed', 'wrong-type']],
  ['object is never a string', S('string'), [], { a: 'b' }, ['malformed', 'wrong-type']],
  ['array is not a scalar', S('string'), [], ['Jane'], ['malformed', 'wrong-type']],
  ['empty string', S('string'), [], '', ['malformed', 'empty']],
  ['bool true', S('bool'), [], true, ['present', true]],
  ['bool false', S('bool'), [], false, ['present', false]],
  ['string "true" is not a bool', S('bool'), [], 'true', ['malformed', 'wrong-type']],
  ['1 is not a bool', S('bool'), [], 1, ['malformed', 'wrong-type']],
  ['int', S('int'), [], 42, ['present', 42]],
  ['string "42" is not an int', S('int'), [], '42', ['malformed', 'wrong-type']],
  ['4.5 is not an int', S('int'), [], 4.5, ['malformed', 'wrong-type']],
  ['unsafe integer', S('int'), [], 2 ** 60, ['malformed', 'wrong-type']],
  ['uuid', S('uuid'), [], UUID, ['present', UUID]],
  ['uuid bad', S('uuid'), [], 'not-a-uuid', ['malformed', 'invalid-format']],
  ['url', S('url'), [], 'http://example.com', ['present', 'http://example.com']],
  ['url ftp', S('url'), [], 'ftp://example.com', ['malformed', 'invalid-format']],
  ['email', S('email'), [], 'a@example.com', ['present', 'a@example.com']],
  ['email bad', S('email'), [], 'a.example.com', ['malformed', 'invalid-format']],
  ['datetime', S('datetime'), [], '2026-01-31T23:59:60Z', ['present', '2026-01-31T23:59:60Z']],
  ['datetime as NumericDate', S('datetime'), [], 1767225600, ['malformed', 'wrong-type']],
  ['enum', S('enum', ['a', 'b']), [], 'b', ['present', 'b']],
  ['enum outside', S('enum', ['a', 'b']), [], 'c', ['malformed', 'not-in-enum']],
  ['set', setOf(S('string')), [], ['ops', 'eng', 'ops'], ['present', ['eng', 'ops']]],
  ['empty set is present', setOf(S('string')), [], [], ['present', []]],
  ['set as a bare string', setOf(S('string')), [], 'eng', ['malformed', 'wrong-type']],
  ['set with a number element', setOf(S('string')), [], ['eng', 3], ['malformed', 'wrong-type']],
  ['set with a null element', setOf(S('string')), [], ['eng', null], ['malformed', 'wrong-type']],
  ['set with an object element', setOf(S('string')), [], [{ name: 'eng' }], ['malformed', 'wrong-type']],
  ['set<bool>', setOf(S('bool')), [], [true, false, true], ['present', [false, true]]],
  ['set<int>', setOf(S('int')), [], [3, 1, 3], ['present', [1, 3]]],
  ['list keeps order', listOf(S('string')), [], ['b', 'a', 'b'], ['present', ['b', 'a', 'b']]],
  ['list<email> one bad', listOf(S('email')), [], ['a@x.io', 'nope'], ['malformed', 'invalid-format']],
  ['set lowered', setOf(S('string')), ['trim', 'lower'], [' Eng', 'ENG ', 'ops'], ['present', ['eng', 'ops']]],
  ['normalisers do not touch booleans', S('bool'), ['lower'], true, ['present', true]],
];

describe('OIDC claim typing', () => {
  it.each(oidcCases)('%s', (_name, type, normalize, value, want) => {
    const p = plan({ claims: [claim('x', type, { normalize })] });
    const claims: Record<string, JsonValue> = value === undefined ? {} : { x: value };
    check(readClaim(p, oidc(claims), 'x'), want);
  });

  const nested = claim('roles', setOf(S('string')), { source: ['realm_access', 'roles'] });
  const nestedCases: [string, JsonValue, Expect][] = [
    ['nested path', { realm_access: { roles: ['admin'] } }, ['present', ['admin']]],
    ['parent missing', {}, ['absent']],
    ['parent null', { realm_access: null }, ['absent']],
    ['leaf missing', { realm_access: {} }, ['absent']],
    ['parent is a string', { realm_access: 'roles' }, ['malformed', 'wrong-type']],
    ['parent is an array', { realm_access: [['admin']] }, ['malformed', 'wrong-type']],
    ['keys are literal, not dotted', { 'realm_access.roles': ['admin'] }, ['absent']],
  ];
  it.each(nestedCases)('%s', (_name, claims, want) => {
    const p = plan({ claims: [nested] });
    check(readClaim(p, oidc(claims as Record<string, JsonValue>), 'roles'), want);
  });

  it('a key containing dots and slashes is one literal segment', () => {
    const p = plan({ claims: [claim('g', setOf(S('string')), { source: ['https://example.com/claims/groups'] })] });
    check(readClaim(p, oidc({ 'https://example.com/claims/groups': ['a'] }), 'g'), ['present', ['a']]);
  });
});

describe('prototype pollution: inherited properties never resolve', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  it.each(names)('OIDC source %s on an ordinary object is absent', (name) => {
    const p = plan({ claims: [claim('x', S('string'), { source: [name] })] });
    check(readClaim(p, oidc({}), 'x'), ['absent']);
  });
  it.each(names)('OIDC nested source [a, %s] is absent', (name) => {
    const p = plan({ claims: [claim('x', S('string'), { source: ['a', name] })] });
    check(readClaim(p, oidc({ a: {} }), 'x'), ['absent']);
  });
  it.each(names)('SAML source and alias %s are absent', (name) => {
    const p = plan({ protocol: 'saml', claims: [claim('x', S('string'), { source: [name] })] });
    check(readClaim(p, saml({}, { aliases: {} }), 'x'), ['absent']);
  });
  it('an own "__proto__" key from JSON.parse is read as data', () => {
    const claims = JSON.parse('{"__proto__": "admins"}') as Record<string, JsonValue>;
    const p = plan({ claims: [claim('x', S('string'), { source: ['__proto__'] })] });
    check(readClaim(p, oidc(claims), 'x'), ['present', 'admins']);
  });
  it('an alias pointing at an inherited name is absent', () => {
    const p = plan({ protocol: 'saml', claims: [claim('x', S('string'), { source: ['mail'] })] });
    check(readClaim(p, saml({}, { aliases: { mail: 'constructor' } }), 'x'), ['absent']);
  });
  it('null-prototype claims objects work', () => {
    const claims = Object.assign(Object.create(null) as Record<string, JsonValue>, { x: 'v' });
    const p = plan({ claims: [claim('x', S('string'))] });
    check(readClaim(p, oidc(claims), 'x'), ['present', 'v']);
  });
});

describe('indeterminate claims', () => {
  it('OIDC: a claim named in indeterminate is malformed even with a value', () => {
    const p = plan({ claims: [claim('groups', setOf(S('string')))] });
    check(readClaim(p, oidc({ groups: ['a'] }, { indeterminate: ['groups'] }), 'groups'), [
      'malformed',
      'indeterminate',
    ]);
    check(readClaim(p, oidc({}, { indeterminate: ['groups'] }), 'groups'), ['malformed', 'indeterminate']);
  });
  it('SAML: matched by attribute name or by the alias target', () => {
    const uri = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
    const p = plan({ protocol: 'saml', claims: [claim('groups', setOf(S('string')), { source: ['groups'] })] });
    check(readClaim(p, saml({}, { indeterminate: ['groups'] }), 'groups'), ['malformed', 'indeterminate']);
    const viaAlias = saml({ [uri]: ['g1'] }, { aliases: { groups: uri }, indeterminate: [uri] });
    check(readClaim(p, viaAlias, 'groups'), ['malformed', 'indeterminate']);
  });
  it('other claims are unaffected', () => {
    const p = plan({ claims: [claim('dept', S('string'))] });
    check(readClaim(p, oidc({ dept: 'eng' }, { indeterminate: ['groups'] }), 'dept'), ['present', 'eng']);
  });
});

describe('readClaim', () => {
  it('throws TypeError for an undeclared name', () => {
    expect(() => readClaim(plan(), oidc({}), 'nope')).toThrow(TypeError);
  });
  it('throws TypeError for an invalid plan (SAML path source, empty source)', () => {
    const samlPath = plan({ protocol: 'saml', claims: [claim('x', S('string'), { source: ['a', 'b'] })] });
    expect(() => readClaim(samlPath, saml({}), 'x')).toThrow(TypeError);
    const empty = plan({ claims: [claim('x', S('string'), { source: [] })] });
    expect(() => readClaim(empty, oidc({}), 'x')).toThrow(TypeError);
  });
});
