/**
 * Claim and attribute names identity providers send, for completion: the standard OIDC claims everywhere, each
 * product's own claims for the IdP kind the checker infers from the issuer (src/check/idp-kind.ts), and for SAML the
 * urn:oid attribute names with their friendly names. Each entry suggests a declaration (name, type, source path).
 * Whether users can edit a claim is not repeated here: completion asks the checker (src/check/identity-claims.ts).
 *
 * Sources:
 * - OIDC: OpenID Connect Core 1.0, §2 (ID Token) and §5.1 (Standard Claims),
 *   https://openid.net/specs/openid-connect-core-1_0.html#StandardClaims
 * - Entra ID: https://learn.microsoft.com/en-us/entra/identity-platform/id-token-claims-reference and, for SAML,
 *   https://learn.microsoft.com/en-us/entra/identity-platform/reference-saml-tokens
 * - Okta: https://developer.okta.com/docs/guides/validate-id-tokens/main/ (ID token claims) and
 *   https://developer.okta.com/docs/guides/customize-tokens-groups-claim/main/ (the groups claim)
 * - Keycloak: https://www.keycloak.org/docs/latest/server_admin/#_protocol-mappers (realm and client role mappers,
 *   group membership mapper)
 * - Google: https://developers.google.com/identity/openid-connect/openid-connect#an-id-tokens-payload
 * - SAML urn:oid names: the MACE-Dir SAML Attribute Profiles and the eduPerson specification,
 *   https://wiki.refeds.org/display/STAN/eduPerson, and the SAML V2.0 Subject Identifier Attributes Profile.
 */
import type { IdpKind } from '../check/idp-kind.js';

export interface WellKnownClaim {
  /** The name suggested for the declaration (a valid claim name). */
  name: string;
  /** The source path, one string per object key. */
  source: readonly string[];
  /** The declaration's type. */
  type: string;
  /** What it is, one line. */
  doc: string;
  /** The protocol it belongs to; absent: both. */
  protocol?: 'oidc' | 'saml';
}

const oidc = (name: string, type: string, doc: string, source: readonly string[] = [name]): WellKnownClaim => ({
  name,
  source,
  type,
  doc,
  protocol: 'oidc',
});
const saml = (name: string, source: string, type: string, doc: string): WellKnownClaim => ({
  name,
  source: [source],
  type,
  doc,
  protocol: 'saml',
});

/** OpenID Connect Core 1.0, §2 and §5.1. */
const OIDC_STANDARD: readonly WellKnownClaim[] = [
  oidc('sub', 'string', 'Subject: the IdP-assigned, never reassigned identifier of the user (OIDC Core §2)'),
  oidc('email', 'email', "The user's preferred e-mail address; not unique, can change (§5.1)"),
  oidc('email_verified', 'bool', 'Whether the IdP verified the e-mail address (§5.1)'),
  oidc('name', 'string', 'Full name, for display (§5.1)'),
  oidc('given_name', 'string', 'Given (first) name (§5.1)'),
  oidc('family_name', 'string', 'Surname (§5.1)'),
  oidc('middle_name', 'string', 'Middle name (§5.1)'),
  oidc('nickname', 'string', 'Casual name (§5.1)'),
  oidc('preferred_username', 'string', 'Shorthand name; not unique, can change: never a key (§5.1)'),
  oidc('profile', 'url', 'Profile page URL (§5.1)'),
  oidc('picture', 'url', 'Profile picture URL (§5.1)'),
  oidc('website', 'url', 'Web page or blog URL (§5.1)'),
  oidc('gender', 'string', 'Gender (§5.1)'),
  oidc('birthdate', 'string', 'Birthday, YYYY-MM-DD (§5.1)'),
  oidc('zoneinfo', 'string', 'Time zone, e.g. Europe/Paris (§5.1)'),
  oidc('locale', 'string', 'Locale, BCP47, e.g. en-US (§5.1)'),
  oidc('phone_number', 'string', 'Preferred telephone number (§5.1)'),
  oidc('phone_number_verified', 'bool', 'Whether the IdP verified the phone number (§5.1)'),
  oidc('updated_at', 'int', 'Time the profile was last updated, seconds since the epoch (§5.1)'),
  oidc('acr', 'string', 'Authentication context class reference (§2)'),
  oidc('amr', 'set<string>', 'Authentication methods used, e.g. pwd, mfa (§2)'),
  oidc('azp', 'string', 'Authorized party: the client the token was issued to (§2)'),
  oidc('auth_time', 'int', 'Time of the authentication, seconds since the epoch (§2)'),
];

const ENTRA_OIDC: readonly WellKnownClaim[] = [
  oidc('oid', 'uuid', "The user's immutable object ID in the tenant: with tid, the durable key"),
  oidc('tid', 'uuid', 'The tenant ID the user signed in from'),
  oidc('groups', 'set<uuid>', 'Group object IDs (groupMembershipClaims); absent past the overage limit'),
  oidc('roles', 'set<string>', 'App roles assigned to the user in the Enterprise application'),
  oidc('upn', 'string', 'User principal name: an optional claim; can change, never a key'),
  oidc('unique_name', 'string', 'Human-readable name (v1.0 tokens); can change'),
  oidc('wids', 'set<uuid>', 'Entra directory role template IDs assigned to the user'),
  oidc('idp', 'string', "The identity provider that authenticated the user (a guest's home tenant)"),
  oidc('acct', 'int', 'Optional claim: 0 member, 1 guest (B2B)'),
  oidc('hasgroups', 'bool', 'Set instead of groups when the user is in too many groups (implicit flow)'),
  oidc('login_hint', 'string', 'An opaque login hint for the user'),
];

const ENTRA_SAML: readonly WellKnownClaim[] = [
  saml('oid', 'http://schemas.microsoft.com/identity/claims/objectidentifier', 'uuid', "The user's object ID"),
  saml('tid', 'http://schemas.microsoft.com/identity/claims/tenantid', 'uuid', 'The tenant ID'),
  saml('groups', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups', 'set<string>', 'Group object IDs'),
  saml('roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role', 'set<string>', 'App roles'),
  saml('email', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'email', 'E-mail address'),
  saml('upn', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'string', 'User principal name'),
  saml('given', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname', 'string', 'Given name'),
  saml('family', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname', 'string', 'Surname'),
  saml('display_name', 'http://schemas.microsoft.com/identity/claims/displayname', 'string', 'Display name'),
];

const OKTA: readonly WellKnownClaim[] = [
  oidc('groups', 'set<string>', 'Group names, once a groups claim (filter) is configured for the app'),
  oidc('ver', 'int', 'Token version'),
  oidc('idp', 'string', 'The ID of the identity provider that authenticated the user'),
  saml('groups', 'groups', 'set<string>', 'Group names, from a group attribute statement of the app'),
  saml('email', 'email', 'email', 'E-mail, from an attribute statement (user.email)'),
  saml('first', 'firstName', 'string', 'Given name, from an attribute statement (user.firstName)'),
  saml('last', 'lastName', 'string', 'Surname, from an attribute statement (user.lastName)'),
];

const KEYCLOAK: readonly WellKnownClaim[] = [
  oidc('realm_roles', 'set<string>', 'Realm roles (the realm roles mapper)', ['realm_access', 'roles']),
  oidc('client_roles', 'set<string>', "A client's roles (the client roles mapper)", [
    'resource_access',
    '<client-id>',
    'roles',
  ]),
  oidc('groups', 'set<string>', 'Group paths, /parent/child (the group membership mapper)'),
  oidc('sid', 'string', 'Session ID'),
  saml('roles', 'Role', 'set<string>', 'Roles (the role list mapper, attribute name Role)'),
];

const GOOGLE: readonly WellKnownClaim[] = [
  oidc('hd', 'string', 'The Google Workspace domain of the user; absent for consumer accounts'),
];

/** The SAML attributes of the eduPerson / inetOrgPerson schemas, by urn:oid name (friendly name in the doc). */
const SAML_OIDS: readonly WellKnownClaim[] = [
  saml(
    'subject_id',
    'urn:oasis:names:tc:SAML:attribute:subject-id',
    'string',
    'subject-id: a durable, scoped subject identifier',
  ),
  saml(
    'pairwise_id',
    'urn:oasis:names:tc:SAML:attribute:pairwise-id',
    'string',
    'pairwise-id: a per-service durable identifier',
  ),
  saml('mail', 'urn:oid:0.9.2342.19200300.100.1.3', 'email', 'mail'),
  saml('uid', 'urn:oid:0.9.2342.19200300.100.1.1', 'string', 'uid (user ID; can be reassigned)'),
  saml('given', 'urn:oid:2.5.4.42', 'string', 'givenName'),
  saml('sn', 'urn:oid:2.5.4.4', 'string', 'sn (surname)'),
  saml('cn', 'urn:oid:2.5.4.3', 'string', 'cn (common name)'),
  saml('display_name', 'urn:oid:2.16.840.1.113730.3.1.241', 'string', 'displayName'),
  saml('eppn', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', 'string', 'eduPersonPrincipalName (can be reassigned)'),
  saml(
    'affiliation',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.1',
    'set<string>',
    'eduPersonAffiliation (faculty, student, staff...)',
  ),
  saml(
    'scoped_affiliation',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.9',
    'set<string>',
    'eduPersonScopedAffiliation (member@example.edu)',
  ),
  saml('entitlement', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.7', 'set<string>', 'eduPersonEntitlement (URIs)'),
  saml('unique_id', 'urn:oid:1.3.6.1.4.1.5923.1.1.1.13', 'string', 'eduPersonUniqueId (never reassigned)'),
  saml(
    'targeted_id',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.10',
    'string',
    'eduPersonTargetedID (deprecated: use pairwise-id)',
  ),
  saml('member_of', 'urn:oid:1.3.6.1.4.1.5923.1.5.1.1', 'set<string>', 'isMemberOf (group names)'),
  saml('title', 'urn:oid:2.5.4.12', 'string', 'title'),
  saml('ou', 'urn:oid:2.5.4.11', 'string', 'ou (organizational unit)'),
  saml('org', 'urn:oid:2.5.4.10', 'string', 'o (organization)'),
  saml('employee_number', 'urn:oid:2.16.840.1.113730.3.1.3', 'string', 'employeeNumber'),
  saml('employee_type', 'urn:oid:2.16.840.1.113730.3.1.4', 'string', 'employeeType'),
  saml('department_number', 'urn:oid:2.16.840.1.113730.3.1.2', 'string', 'departmentNumber'),
  saml('home_org', 'urn:oid:1.3.6.1.4.1.25178.1.2.9', 'string', 'schacHomeOrganization'),
];

const BY_KIND: Partial<Record<IdpKind, readonly WellKnownClaim[]>> = {
  entra: [...ENTRA_OIDC, ...ENTRA_SAML],
  okta: OKTA,
  keycloak: KEYCLOAK,
  google: GOOGLE,
};

/**
 * The claims worth suggesting for a mapping: its IdP product's own claims first, then the protocol's standard ones.
 * Without a protocol, both protocols' names.
 *
 * @example
 * ```ts
 * wellKnownClaims('entra', 'oidc').map((c) => c.name); // ['oid', 'tid', 'groups', ..., 'sub', 'email', ...]
 * ```
 */
export function wellKnownClaims(kind: IdpKind, protocol: 'oidc' | 'saml' | null): WellKnownClaim[] {
  const all = [...(BY_KIND[kind] ?? []), ...OIDC_STANDARD, ...SAML_OIDS];
  const seen = new Set<string>();
  return all.filter((c) => {
    if (protocol && c.protocol && c.protocol !== protocol) return false;
    const key = c.source.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
