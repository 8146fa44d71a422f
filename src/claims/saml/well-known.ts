/**
 * Friendly aliases for well-known SAML attribute names (inetOrgPerson, eduPerson, SCHAC, SAML subject identifiers),
 * so a mapping may say `mail` for `urn:oid:0.9.2342.19200300.100.1.3`. Names only: never used to guess values.
 *
 * @example
 * ```ts
 * WELL_KNOWN_ATTRIBUTES['urn:oid:0.9.2342.19200300.100.1.3'] // 'mail'
 * ```
 */
export const WELL_KNOWN_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    'urn:oid:0.9.2342.19200300.100.1.1': 'uid',
    'urn:oid:0.9.2342.19200300.100.1.3': 'mail',
    'urn:oid:0.9.2342.19200300.100.1.41': 'mobile',
    'urn:oid:2.5.4.3': 'cn',
    'urn:oid:2.5.4.4': 'sn',
    'urn:oid:2.5.4.10': 'o',
    'urn:oid:2.5.4.11': 'ou',
    'urn:oid:2.5.4.12': 'title',
    'urn:oid:2.5.4.20': 'telephoneNumber',
    'urn:oid:2.5.4.42': 'givenName',
    'urn:oid:2.16.840.1.113730.3.1.3': 'employeeNumber',
    'urn:oid:2.16.840.1.113730.3.1.4': 'employeeType',
    'urn:oid:2.16.840.1.113730.3.1.39': 'preferredLanguage',
    'urn:oid:2.16.840.1.113730.3.1.241': 'displayName',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.1': 'eduPersonAffiliation',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.5': 'eduPersonPrimaryAffiliation',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.6': 'eduPersonPrincipalName',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.7': 'eduPersonEntitlement',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.9': 'eduPersonScopedAffiliation',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.10': 'eduPersonTargetedID',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.11': 'eduPersonAssurance',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.13': 'eduPersonUniqueId',
    'urn:oid:1.3.6.1.4.1.5923.1.1.1.16': 'eduPersonOrcid',
    'urn:oid:1.3.6.1.4.1.5923.1.5.1.1': 'isMemberOf',
    'urn:oid:1.3.6.1.4.1.25178.1.2.9': 'schacHomeOrganization',
    'urn:oasis:names:tc:SAML:attribute:subject-id': 'subject-id',
    'urn:oasis:names:tc:SAML:attribute:pairwise-id': 'pairwise-id',
  }),
);

/** Entra ID sends this attribute instead of the groups when a user is in too many groups (SAML group overage). */
export const ENTRA_GROUPS_LINK = 'http://schemas.microsoft.com/claims/groups.link';

/** The Entra ID groups claim that the overage link replaces. */
export const ENTRA_GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
