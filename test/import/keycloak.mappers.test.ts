import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { importer } from '../../src/import/keycloak/index.js';

type Mapper = { identityProviderMapper: string; config: Record<string, string> };

function realm(providerId: string, mappers: Mapper[], config: Record<string, string> = {}): string {
  const issuer =
    providerId === 'saml' ? { idpEntityId: 'https://idp.example.com/saml' } : { issuer: 'https://idp.example.com' };
  return JSON.stringify({
    identityProviders: [{ alias: 'x', providerId, config: { ...issuer, ...config } }],
    identityProviderMappers: mappers.map((m, i) => ({ name: `m${i}`, identityProviderAlias: 'x', ...m })),
  });
}

const run = (providerId: string, mappers: Mapper[], config?: Record<string, string>) => {
  const r = importer(realm(providerId, mappers, config), { file: 'r.json' });
  expect(r.notes.filter((n) => n.code === 'import/internal')).toEqual([]);
  if (r.source) expect(compile(r.source).plan).not.toBeNull();
  return r;
};

describe('keycloak mappers, one by one', () => {
  it.each([
    [
      'oidc-role-idp-mapper',
      { claim: 'realm_access.roles', 'claim.value': 'ops', role: 'ops' },
      'grant ops when "ops" in realm_access_roles',
    ],
    ['oidc-role-idp-mapper', { claim: 'tier', 'claim.value': 'gold', role: 'gold' }, 'grant gold when tier == "gold"'],
    ['oidc-role-idp-mapper', { claim: 'a\\.b', 'claim.value': 'v', role: 'r' }, 'from "a.b"'],
    [
      'keycloak-oidc-role-to-role-idp-mapper',
      { 'external.role': 'app.admin', role: 'admin' },
      '"admin" in resource_access_app_roles',
    ],
    [
      'keycloak-oidc-role-to-role-idp-mapper',
      { 'external.role': 'auditor', role: 'auditor' },
      '"auditor" in realm_access_roles',
    ],
    ['oidc-advanced-role-idp-mapper', { claims: '[]', role: 'everyone' }, 'grant everyone\n'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Keycloak username template, not a JS template
    ['oidc-username-idp-mapper', { template: '${CLAIM.email | lowercase}' }, 'username = lower(email)'],
    ['hardcoded-attribute-idp-mapper', { attribute: 'source', 'attribute.value': 'partner' }, 'source = "partner"'],
  ])('%s %j → %s', (type, config, expected) => {
    const r = run('oidc', [{ identityProviderMapper: type, config }]);
    expect(r.source).toContain(expected);
  });
  it.each([
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Keycloak username template, not a JS template
    ['oidc-username-idp-mapper', { template: '${UUID}' }, 'import/untranslated'],
    [
      'oidc-advanced-role-idp-mapper',
      { claims: '[{"key":"g","value":"a++"}]', 'are.claim.values.regex': 'true', role: 'r' },
      'import/regex-unsupported',
    ],
    [
      'oidc-advanced-role-idp-mapper',
      { claims: '[{"key":"g","value":"(a)\\\\1"}]', 'are.claim.values.regex': 'true', role: 'r' },
      'import/regex-unsupported',
    ],
    ['oidc-advanced-role-idp-mapper', { claims: 'not json', role: 'r' }, 'import/invalid-input'],
    ['oidc-role-idp-mapper', { claim: 'g' }, 'import/invalid-input'],
    ['saml-role-idp-mapper', { 'attribute.name': 'g', 'attribute.value': 'v', role: 'r' }, 'import/untranslated'],
    ['saml-xpath-attribute-idp-mapper', { 'attribute.xpath': '//x' }, 'import/untranslated'],
  ])('%s %j is refused with %s at the mapper', (type, config, code) => {
    const r = run('oidc', [{ identityProviderMapper: type, config }]);
    const n = r.notes.find((x) => x.code === code);
    expect(n?.location.pointer?.startsWith('/identityProviderMappers/0')).toBe(true);
    expect(r.source).not.toMatch(/grant r\b/);
  });
  it('keys a SAML principal attribute that is not an email on that attribute', () => {
    const r = run('saml', [], { principalType: 'ATTRIBUTE', principalAttribute: 'employeeNumber' });
    expect(r.source).toContain('key claim employeeNumber');
    const d = r.semantics!.decide({ iss: 'https://idp.example.com/saml', sub: 'n', employeeNumber: ['E42'] });
    expect(d).toMatchObject({ refused: false, key: 'E42', keySource: 'employeeNumber' });
  });
  it('keys a SAML principal email attribute on a persistent NameID, loudly', () => {
    const r = run('saml', [], { principalType: 'FRIENDLY_ATTRIBUTE', principalAttribute: 'mail' });
    expect(r.source).toContain('key nameid persistent');
    expect(r.notes.map((n) => n.code)).toContain('import/keyed-on-email');
  });
  it("Keycloak's decide: exact, array membership, numbers and booleans by text, missing claim, issuer", () => {
    const r = run('oidc', [
      {
        identityProviderMapper: 'oidc-role-idp-mapper',
        config: { claim: 'groups', 'claim.value': 'admins', role: 'admin' },
      },
      { identityProviderMapper: 'oidc-role-idp-mapper', config: { claim: 'level', 'claim.value': '3', role: 'l3' } },
      {
        identityProviderMapper: 'oidc-role-idp-mapper',
        config: { claim: 'staff', 'claim.value': 'true', role: 'staff' },
      },
    ]);
    const decide = r.semantics!.decide;
    const base = { iss: 'https://idp.example.com', sub: 'u' };
    expect(decide({ ...base, groups: ['x', 'admins'], level: 3, staff: true }).roles).toEqual(['admin', 'l3', 'staff']);
    expect(decide({ ...base, groups: 'admins' }).roles).toEqual(['admin']);
    expect(decide({ ...base, groups: ['Admins'] }).roles).toEqual([]);
    expect(decide({ ...base }).roles).toEqual([]);
    expect(decide({ ...base, iss: 'https://evil.example.com' }).refused).toBe(true);
    expect(decide({ iss: base.iss }).refused).toBe(true);
  });
  it('sync modes: FORCE profile is sync always, IMPORT sync create; all-IMPORT role mappers give roles add', () => {
    const r = run(
      'oidc',
      [
        {
          identityProviderMapper: 'oidc-user-attribute-idp-mapper',
          config: { claim: 'given_name', 'user.attribute': 'firstName', syncMode: 'FORCE' },
        },
        {
          identityProviderMapper: 'oidc-user-attribute-idp-mapper',
          config: { claim: 'family_name', 'user.attribute': 'lastName' },
        },
        { identityProviderMapper: 'hardcoded-role-idp-mapper', config: { role: 'user', syncMode: 'INHERIT' } },
      ],
      { syncMode: 'IMPORT' },
    );
    expect(r.source).toMatch(/firstName = given_name\s+sync always/);
    expect(r.source).toMatch(/lastName\s+= family_name\s+sync create/);
    expect(r.source).toContain('roles add');
  });
});
