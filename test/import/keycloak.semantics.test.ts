import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { importer } from '../../src/import/keycloak/index.js';
import {
  claimPath,
  claimValue,
  javaDouble,
  javaDoubleString,
  javaInt,
  javaToString,
  valueEquals,
  valueMatches,
} from '../../src/import/keycloak/semantics.js';
import type { JsonValue } from '../../src/model/claim-set.js';

describe('Keycloak claim paths (JsonUtils.splitClaimPath)', () => {
  it.each([
    ['groups', ['groups']],
    ['address.locality', ['address', 'locality']],
    ['a\\.b', ['a.b']],
    ['a\\\\.b', ['a\\', 'b']],
    ['a\\qb.c', ['aqb', 'c']],
    ['a..b', ['a', '.b']],
    ['.a', ['.a']],
    ['a.', ['a']],
    ['https://idp\\.example/claims.roles', ['https://idp.example/claims', 'roles']],
    ['a\\', ['a\\']],
  ])('%j → %j', (name, path) => {
    expect(claimPath(name)).toEqual(path);
  });
});

describe('Keycloak claim lookup (AbstractClaimMapper.getClaimValue, JsonWebToken fields)', () => {
  const token = {
    sub: 'u1',
    iss: 'https://idp',
    aud: 'app',
    azp: 'app',
    org: { unit: 'ops', 'a.b': 1 },
    list: [{ x: 1 }],
  };
  it.each([
    ['sub', 'u1'],
    ['iss', undefined],
    ['aud', undefined],
    ['azp', undefined],
    ['org.unit', 'ops'],
    ['org.a\\.b', 1],
    ['list.x', undefined],
    ['org.missing', undefined],
  ])('%s → %j', (name, value) => {
    expect(claimValue(token, name)).toEqual(value);
  });
});

describe('Keycloak value comparison (AbstractClaimMapper.valueEquals)', () => {
  it.each<[string | null, JsonValue, boolean]>([
    ['ops', 'ops', true],
    ['ops', 'OPS', false],
    ['5', 5, true],
    ['+5', 5, true],
    ['05', 5, true],
    ['5.0', 5, false], // Integer.valueOf("5.0") throws: an integer claim is an Integer
    [' 5', 5, false],
    ['2147483648', 2147483648, false], // a Long: valueEquals has no branch for it
    ['1.5', 1.5, true],
    ['1.50', 1.5, true],
    [' 1.5 ', 1.5, true], // Double.valueOf trims
    ['1.5d', 1.5, true],
    ['0x1.8p0', 1.5, true],
    ['1.5', '1.5', true],
    ['true', true, true],
    ['TRUE', true, true],
    ['yes', true, false],
    ['yes', false, true], // Boolean.valueOf("yes") is false
    ['admin', false, true],
    ['true', false, false],
    [null, false, true],
    [null, 'x', false],
    ['a', ['b', 'a'], true],
    ['a', [['a']], true],
    ['5', ['x', 5], true],
    ['a', { a: 'a' }, false],
  ])('%j against %j is %s', (desired, claim, expected) => {
    expect(valueEquals(desired, claim)).toBe(expected);
  });
  it('reads Java number literals as Integer.valueOf and Double.valueOf do', () => {
    expect([javaInt('-2147483648'), javaInt('2147483648'), javaInt('1e3'), javaInt('')]).toEqual([
      -2147483648,
      null,
      null,
      null,
    ]);
    expect([javaDouble('1e3'), javaDouble('.5'), javaDouble('5.'), javaDouble('NaN'), javaDouble('1,5')]).toEqual([
      1000,
      0.5,
      5,
      Number.NaN,
      null,
    ]);
  });
});

describe('Keycloak regex values (RegexUtils.valueMatchesRegex: toString, whole match)', () => {
  it('prints doubles as Double.toString does', () => {
    expect([1.5, 1e7, 1e-3, 0.00012, -2.5e-8].map(javaDoubleString)).toEqual([
      '1.5',
      '1.0E7',
      '0.001',
      '1.2E-4',
      '-2.5E-8',
    ]);
  });
  it.each<[JsonValue, string]>([
    [5, '5'],
    [1.5, '1.5'],
    [1e7 + 0.5, '1.00000005E7'],
    [0.0001, '1.0E-4'],
    [true, 'true'],
    [{ a: 1, b: [true, 'x'] }, '{a=1, b=[true, x]}'],
    [['a', 2], '[a, 2]'],
  ])('%j prints as %s', (v, text) => {
    expect(javaToString(v)).toBe(text);
  });
  it.each<[string, JsonValue, boolean]>([
    ['\\d+', 5, true],
    ['1\\.5', 1.5, true],
    ['tr.e', true, true],
    ['\\{a=.*', { a: 1 }, true],
    ['ops', ['dev', 'ops'], true],
    ['ops', 'devops', false],
    ['ops', [['ops']], true],
  ])('%s on %j is %s', (pattern, v, expected) => {
    expect(valueMatches(pattern, v)).toBe(expected);
  });
});

type Mapper = { identityProviderMapper: string; config: Record<string, string> };
const realm = (mappers: Mapper[]): string =>
  JSON.stringify({
    identityProviders: [{ alias: 'x', providerId: 'oidc', config: { issuer: 'https://idp.example.com' } }],
    identityProviderMappers: mappers.map((m, i) => ({ name: `m${i}`, identityProviderAlias: 'x', ...m })),
  });
const decide = (mappers: Mapper[], claims: Record<string, JsonValue>) => {
  const r = importer(realm(mappers), { file: 'r.json' });
  expect(compile(r.source).plan).not.toBeNull();
  return { r, d: r.semantics!.decide({ iss: 'https://idp.example.com', sub: 'u1', ...claims }) };
};

describe('Keycloak claim mappers end to end', () => {
  const role = (claim: string, value: string) => ({
    identityProviderMapper: 'oidc-role-idp-mapper',
    config: { claim, 'claim.value': value, role: 'r' },
  });
  it('grants on a number, a boolean, an array and a nested claim as Keycloak does', () => {
    expect(decide([role('level', '5')], { level: 5 }).d.roles).toEqual(['r']);
    expect(decide([role('level', '5')], { level: '5' }).d.roles).toEqual(['r']);
    expect(decide([role('vip', 'true')], { vip: true }).d.roles).toEqual(['r']);
    expect(decide([role('vip', 'gold')], { vip: false }).d.roles).toEqual(['r']);
    expect(decide([role('org.unit', 'ops')], { org: { unit: ['dev', 'ops'] } }).d.roles).toEqual(['r']);
    expect(decide([role('org\\.unit', 'ops')], { 'org.unit': 'ops' }).d.roles).toEqual(['r']);
  });
  it('reads the integer and the boolean Keycloak also grants on, from claims of those types', () => {
    const level = decide([role('level', '+5')], {}).r;
    expect(level.source).toMatch(/grant r when level == "\+5" or level_int == 5/);
    expect(level.source).toMatch(/level_int\s*: int\s+from "level"\s+optional/);
    const vip = decide([role('vip', 'TRUE')], {}).r;
    expect(vip.source).toMatch(/grant r when vip == "TRUE" or vip_bool == true/);
    expect(vip.notes.some((n) => n.code === 'import/approximated')).toBe(false);
    // The imported mapping grants where Keycloak does: on the string, the integer and the boolean.
    const grants = (source: string, claims: Record<string, JsonValue>) =>
      evaluate(compile(source).plan!, {
        protocol: 'oidc',
        issuer: 'https://idp.example.com',
        subject: { id: 'u1' },
        claims: { sub: 'u1', ...claims },
        verified: true,
      }).roles;
    expect([grants(level.source, { level: 5 }), grants(level.source, { level: '+5' })]).toEqual([['r'], ['r']]);
    expect([grants(level.source, { level: '5' }), grants(vip.source, { vip: true })]).toEqual([[], ['r']]);
  });
  it('notes each comparison the mapping makes on strings only, at the mapper', () => {
    const { r } = decide([role('vip', 'gold')], {});
    expect(r.notes.find((n) => n.code === 'import/approximated')).toMatchObject({
      location: { pointer: '/identityProviderMappers/0/config/claim.value' },
    });
    const spelled = decide([role('level', '5.0')], {}).r;
    const arabic = decide([role('level', '\u0665')], {}).r;
    expect(arabic.notes.some((n) => n.message.includes('non-ASCII digits'))).toBe(true);
    expect(spelled.notes.some((n) => n.code === 'import/approximated' && n.message.includes('JSON fraction'))).toBe(
      true,
    );
  });
  it('never grants on a claim Keycloak keeps apart (iss, aud, azp), and says so', () => {
    const { r, d } = decide([role('aud', 'app')], { aud: 'app' });
    expect(d.roles).toEqual([]);
    expect(r.source).not.toContain('grant r');
    expect(r.notes.find((n) => n.message.includes('never see'))?.location.pointer).toBe(
      '/identityProviderMappers/0/config/claim',
    );
  });
  it('matches an advanced regex against a number claim by its text', () => {
    const adv = {
      identityProviderMapper: 'oidc-advanced-role-idp-mapper',
      config: { claims: '[{"key":"level","value":"[0-9]+"}]', 'are.claim.values.regex': 'true', role: 'r' },
    };
    expect(decide([adv], { level: 12 }).d.roles).toEqual(['r']);
    expect(decide([adv], { level: 'x' }).d.roles).toEqual([]);
  });
});
