/**
 * IdP knowledge: the product recognised from the issuer, and which claims users can edit per product (the table
 * behind privileged/user-editable-claim and trusted/*). Mutable identifiers (key rules) are unchanged.
 */
import { describe, expect, it } from 'vitest';
import { isMutableIdentifier, isUserEditable } from '../../src/check/identity-claims.js';
import { idpKind, idpKindOfIssuer, type IdpKind } from '../../src/check/idp-kind.js';

describe('idpKindOfIssuer', () => {
  it.each<[string, IdpKind]>([
    ['https://sso.example.org/realms/acme', 'keycloak'],
    ['https://sso.example.org/auth/realms/acme/', 'keycloak'],
    ['https://login.microsoftonline.com/3d2bdfff-fc17-425c-b63a-59248b76cf94/v2.0', 'entra'],
    ['https://sts.windows.net/3d2bdfff-fc17-425c-b63a-59248b76cf94/', 'entra'],
    ['https://accounts.google.com', 'google'],
    ['accounts.google.com', 'google'],
    ['https://acme.okta.com', 'okta'],
    ['https://acme.okta.com/oauth2/default', 'okta'],
    ['http://www.okta.com/exk9q2w3e4R5t6Y7u8i9', 'okta'],
    ['https://acme.eu.auth0.com/', 'auth0'],
    ['urn:auth0:acme', 'auth0'],
    ['https://app.onelogin.com/saml/metadata/123', 'onelogin'],
    ['https://acme.onelogin.com/oidc/2', 'onelogin'],
    ['https://oauth.id.jumpcloud.com/', 'jumpcloud'],
    ['https://sso.jumpcloud.com/saml2/acme', 'jumpcloud'],
    ['https://auth.pingone.eu/0a7af83d-4ed9-4dc6-a7a4-1f31b2b8f2a1/as', 'ping'],
    ['https://adfs.example.com/adfs/services/trust', 'adfs'],
    ['https://idp.example.edu/idp/shibboleth', 'shibboleth'],
    ['https://id.example.com', 'generic'],
    // look-alikes stay generic (conservative)
    ['https://okta.com.evil.example/', 'generic'],
    ['https://evil.example/realms', 'generic'],
  ])('%s → %s', (issuer, kind) => {
    expect(idpKindOfIssuer(issuer)).toBe(kind);
  });

  it('falls back to the first recognised alias', () => {
    expect(idpKind('https://login.example.com', ['https://acme.okta.com'])).toBe('okta');
    expect(idpKind(undefined)).toBe('generic');
  });
});

describe('isUserEditable', () => {
  const kinds: IdpKind[] = [
    'keycloak',
    'okta',
    'entra',
    'google',
    'auth0',
    'onelogin',
    'jumpcloud',
    'ping',
    'adfs',
    'shibboleth',
    'generic',
  ];

  it('flags free-text HR attributes, self-service profile data and user_metadata for every IdP', () => {
    const sources = [
      ['department'],
      ['division'],
      ['location'],
      ['costCenter'],
      ['title'],
      ['jobTitle'],
      ['organization'],
      ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department'],
      ['urn:oid:2.5.4.12'],
      ['given_name'],
      ['name'],
      ['email'],
      ['urn:oid:2.5.4.42'],
      ['physicalDeliveryOfficeName'],
      ['l'],
      ['user_metadata', 'plan'],
      ['https://example.com/user_metadata/tier'],
    ];
    for (const k of kinds) for (const s of sources) expect(isUserEditable(s, k), `${k} ${s.join('.')}`).toBeDefined();
  });

  it('never flags group and role claims', () => {
    for (const k of kinds) {
      for (const s of [
        ['groups'],
        ['roles'],
        ['Role'],
        ['memberOf'],
        ['realm_access', 'roles'],
        ['resource_access', 'app', 'roles'],
        ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
        ['sub'],
        ['email_verified'],
      ]) {
        expect(isUserEditable(s, k), `${k} ${s.join('.')}`).toBeUndefined();
      }
    }
  });

  it('flags any other attribute for Keycloak, Okta and Ping only (their editability is configuration)', () => {
    for (const k of kinds) {
      const flagged = isUserEditable(['clearance'], k) !== undefined;
      expect(flagged, k).toBe(k === 'keycloak' || k === 'okta' || k === 'ping');
    }
    expect(isUserEditable(['clearance'], 'keycloak')!.source).toMatch(/^https:\/\/www\.keycloak\.org\//);
    expect(isUserEditable(['app_metadata', 'plan'], 'auth0')).toBeUndefined();
  });

  it('gives a reason and a documentation URL', () => {
    const e = isUserEditable(['department'])!;
    expect(e.reason).toMatch(/HR/);
    expect(e.source).toMatch(/^https:\/\//);
  });
});

describe('isMutableIdentifier (key rules) is unchanged', () => {
  it.each([
    ['email'],
    ['http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn'],
    ['preferred_username'],
    ['urn:oid:0.9.2342.19200300.100.1.3'],
  ])('%s', (s) => {
    expect(isMutableIdentifier([s])).toBe(true);
  });
  it('not an immutable id', () => {
    expect(isMutableIdentifier(['oid'])).toBe(false);
    expect(isMutableIdentifier(['sub'])).toBe(false);
  });
});
