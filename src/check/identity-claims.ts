/**
 * Knowledge about well-known claim sources: which are mutable identifiers (never a durable key) and which a user
 * can change without an administrator (never a basis for a privileged role), per identity provider product.
 * Matched case-insensitively on the whole source and on its last URI segment (after `/`, `#` or `:`), so
 * `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn` is `upn`. The sources of the editing rules are listed
 * in docs/diagnostics.md (from EDITABLE_CLAIM_SOURCES); where a product leaves it to configuration claimmap cannot see,
 * the claim is flagged and the mapping can say otherwise with `trusted "<why>"`.
 */
import type { ClaimDeclNode } from '../syntax/ast.js';
import { idpKind, type IdpKind } from './idp-kind.js';
import type { CheckModel } from './model.js';

/** Identifiers that change or can be asserted for another person: email, UPN, usernames, display names. */
const MUTABLE_IDENTIFIERS = new Set([
  'email',
  'mail',
  'emailaddress',
  'email_address',
  'upn',
  'userprincipalname',
  'preferred_username',
  'name',
  'unique_name',
  'username',
  'user_name',
  'login',
  'samaccountname',
  'uid',
  'nickname',
  'displayname',
  'eduPersonPrincipalName'.toLowerCase(),
  'verified_primary_email',
  'emails',
  'othermails',
  // urn:oid forms
  'urn:oid:0.9.2342.19200300.100.1.3', // mail
  'urn:oid:0.9.2342.19200300.100.1.1', // uid
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', // eduPersonPrincipalName
  'urn:oid:2.16.840.1.113730.3.1.241', // displayName
]);

/** Why a claim is user-editable, and where that is documented. */
export interface Editability {
  /** One clause, for the diagnostic: "a Keycloak user attribute: ...". */
  reason: string;
  /** The documentation the reason rests on (a URL; all are listed in docs/diagnostics.md). */
  source: string;
}

/** The documents the editing rules rest on, and what each says; docs/diagnostics.md lists them (`npm run docs`). */
export const EDITABLE_CLAIM_SOURCES = {
  selfService: {
    url: 'https://support.google.com/a/answer/7326921',
    says:
      'Google Workspace: an administrator can let users change their own name, photo, gender, pronouns, ' +
      'birthday and work location. Names, contact details and pictures are self-service profile data in most ' +
      'IdPs (Keycloak and Okta too).',
  },
  hr: {
    url: 'https://help.okta.com/oie/en-us/Content/Topics/users-groups-profiles/usgp-user-edit-attributes.htm',
    says:
      'Free-text HR attributes (department, division, title, location, cost center, organization, office) ' +
      'are ordinary profile attributes that an administrator can open to users (Okta: User permission ' +
      'Read-Write) and that helpdesk roles edit; claimmap treats them as often user- or helpdesk-editable for ' +
      'every IdP.',
  },
  adSelfWrite: {
    url: 'https://learn.microsoft.com/en-us/windows/win32/adschema/r-personal-information',
    says:
      'Active Directory: every user may write the Personal-Information property set of their own account (a ' +
      'SELF access entry by default): l (city), st, street, postalCode, physicalDeliveryOfficeName, telephone ' +
      'numbers, info. AD FS, and Entra ID tenants synced from AD, release them as claims.',
  },
  auth0: {
    url: 'https://auth0.com/docs/manage-users/user-accounts/metadata',
    says:
      'Auth0: user_metadata can be edited by logged-in users and must not be used as a secure data store; ' +
      'app_metadata cannot be edited by users.',
  },
  keycloak: {
    url: 'https://www.keycloak.org/docs/latest/server_admin/#user-profile',
    says: "Keycloak: the realm's user profile sets, per attribute, who may edit it (admin, user); users edit their attributes in the account console, and with the unmanaged-attribute policy ENABLED users can write any attribute. A handful of internal attributes (LDAP_ID, KERBEROS_PRINCIPAL, createTimestamp...) are always read-only. claimmap cannot see the realm configuration, so every Keycloak attribute but role and group mappings and protocol claims is flagged.",
  },
  okta: {
    url: 'https://help.okta.com/oie/en-us/Content/Topics/users-groups-profiles/usgp-user-edit-attributes.htm',
    says:
      'Okta: each Okta-sourced profile attribute has a User permission (Hide, Read Only, Read-Write) in the ' +
      'Profile Editor; Read-Write attributes are edited by users from the End-User Dashboard. claimmap cannot ' +
      'see the setting, so every Okta profile attribute but group claims and protocol claims is flagged.',
  },
  ping: {
    url: 'https://docs.pingidentity.com/pingone/applications/p1_attribute_access_control.html',
    says:
      'PingOne: self-management scopes let users read and update their own profile attributes unless ' +
      'attribute access control narrows them; flagged like Keycloak and Okta.',
  },
  entra: {
    url: 'https://learn.microsoft.com/en-us/graph/api/user-update',
    says:
      'Microsoft Entra ID: members update only some of their own user properties without an administrator ' +
      'role; department, jobTitle and the like are set by administrators, helpdesk roles or HR provisioning ' +
      '(flagged as HR free text).',
  },
} as const;

/** Self-service profile data: names, contact details, picture, birthday. Users change these in most products. */
const SELF_SERVICE = new Set([
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'profile',
  'picture',
  'website',
  'gender',
  'pronouns',
  'birthdate',
  'birthday',
  'zoneinfo',
  'locale',
  'phone_number',
  'address',
  'email',
  'mail',
  'givenname',
  'sn',
  'surname',
  'displayname',
  'firstname',
  'lastname',
  'description',
  'mobile',
  'mobilephone',
  'telephonenumber',
  'bio',
  'aboutme',
  'preferredname',
  'skills',
  'interests',
  'urn:oid:2.5.4.42', // givenName
  'urn:oid:2.5.4.4', // sn
  'urn:oid:2.16.840.1.113730.3.1.241', // displayName
  'urn:oid:0.9.2342.19200300.100.1.3', // mail
]);

/** Free-text HR attributes: often user- or helpdesk-editable, and never an authorisation source. */
const HR_FREE_TEXT = new Set([
  'department',
  'departmentnumber',
  'division',
  'location',
  'costcenter',
  'cost_center',
  'title',
  'jobtitle',
  'job_title',
  'organization',
  'organisation',
  'company',
  'companyname',
  'office',
  'officelocation',
  'ou',
  'urn:oid:2.5.4.12', // title
  'urn:oid:2.5.4.11', // ou
  'urn:oid:2.16.840.1.113730.3.1.2', // departmentNumber
]);

/** Active Directory lets every user write their own Personal-Information property set (SELF ACE by default). */
const AD_SELF_WRITE = new Set([
  'l',
  'st',
  'c',
  'co',
  'street',
  'streetaddress',
  'postalcode',
  'postofficebox',
  'physicaldeliveryofficename',
  'homephone',
  'ipphone',
  'pager',
  'info',
  'personaltitle',
  'assistant',
  'wwwhomepage',
  'url',
  'thumbnailphoto',
  'urn:oid:2.5.4.7', // l
  'urn:oid:2.5.4.8', // st
  'urn:oid:2.5.4.9', // street
  'urn:oid:2.5.4.17', // postalCode
  'urn:oid:2.5.4.19', // physicalDeliveryOfficeName
  'urn:oid:2.5.4.20', // telephoneNumber
]);

/**
 * Claims the IdP itself sets, or that only an administrator assigns: protocol claims, group and role memberships,
 * and Keycloak's internal read-only attributes. Only consulted for products where every other attribute may be
 * user-editable (Keycloak, Okta, Ping). `groups`, `roles`, `role` (Keycloak's SAML role list), `memberOf` and
 * PingOne's `memberOfGroupNames` / `memberOfGroupIDs` are the names membership mappers conventionally use: a mapping
 * that reads memberships under another name declares it `trusted`.
 */
const IDP_MANAGED = new Set([
  'iss',
  'sub',
  'aud',
  'azp',
  'acr',
  'amr',
  'auth_time',
  'sid',
  'nonce',
  'jti',
  'iat',
  'exp',
  'nbf',
  'at_hash',
  'c_hash',
  'typ',
  'scope',
  'scp',
  'client_id',
  'session_state',
  'idp',
  'email_verified',
  'phone_number_verified',
  // memberships, under the names role and group mappers conventionally give them
  'groups',
  'roles',
  'role',
  'memberof',
  'realm_access.roles',
  'memberofgroupnames',
  'memberofgroupids',
  // Keycloak's always read-only attributes (Server Administration Guide, "Read-only user attributes")
  'kerberos_principal',
  'ldap_id',
  'ldap_entry_dn',
  'created_timestamp',
  'createtimestamp',
  'modifytimestamp',
  'usercertificate',
  'enabled',
]);

interface Vendor {
  /** Every attribute not in IDP_MANAGED may be user-editable, depending on configuration claimmap cannot see. */
  anyAttribute?: Editability;
}

const VENDORS: Readonly<Record<IdpKind, Vendor>> = {
  keycloak: {
    anyAttribute: {
      reason:
        "a Keycloak user attribute: users edit it in the account console unless the realm's user profile gives edit permission to admins only (and unmanaged attributes are not ENABLED)",
      source: EDITABLE_CLAIM_SOURCES.keycloak.url,
    },
  },
  okta: {
    anyAttribute: {
      reason:
        'an Okta profile attribute: users edit it from the End-User Dashboard when its User permission is ' +
        'Read-Write in the Profile Editor',
      source: EDITABLE_CLAIM_SOURCES.okta.url,
    },
  },
  ping: {
    anyAttribute: {
      reason:
        'a PingOne user attribute: self-management scopes let users update their own profile attributes unless ' +
        'attribute access control removes it',
      source: EDITABLE_CLAIM_SOURCES.ping.url,
    },
  },
  entra: {},
  google: {},
  auth0: {},
  onelogin: {},
  jumpcloud: {},
  adfs: {},
  shibboleth: {},
  generic: {},
};

function variants(source: readonly string[]): string[] {
  const whole = source.join('.').toLowerCase();
  const last = (source[source.length - 1] ?? '').toLowerCase();
  const seg = last.startsWith('urn:oid:') ? last : (last.split(/[/#:]/).pop() ?? last);
  return [whole, last, seg];
}

/** Keycloak client roles: `resource_access.<client>.roles`. */
function isClientRoles(source: readonly string[]): boolean {
  return source.length === 3 && source[0] === 'resource_access' && source[2] === 'roles';
}

/** Whether a claim source names a mutable identifier (email, upn, username...). */
export function isMutableIdentifier(source: readonly string[]): boolean {
  return variants(source).some((v) => MUTABLE_IDENTIFIERS.has(v));
}

/**
 * Whether users can change a claim without an administrator, for a product (default `generic`: the name-based
 * knowledge that holds for every product). Returns why, or undefined. Ignores `trusted`: see {@link userEditable}.
 *
 * @example
 * ```ts
 * isUserEditable(['department'])?.reason // 'a free-text HR attribute, often user- or helpdesk-editable'
 * isUserEditable(['clearance'], 'keycloak') // a Keycloak user attribute ...
 * isUserEditable(['groups'], 'keycloak') // undefined
 * ```
 */
export function isUserEditable(source: readonly string[], kind: IdpKind = 'generic'): Editability | undefined {
  const v = variants(source);
  if (source.some((s) => s.toLowerCase().includes('user_metadata'))) {
    return { reason: 'Auth0 user_metadata, which logged-in users can edit', source: EDITABLE_CLAIM_SOURCES.auth0.url };
  }
  if (v.some((x) => SELF_SERVICE.has(x))) {
    return {
      reason: 'self-service profile data (names, contact details, picture) that users can often change themselves',
      source: EDITABLE_CLAIM_SOURCES.selfService.url,
    };
  }
  if (v.some((x) => HR_FREE_TEXT.has(x))) {
    return {
      reason: 'a free-text HR attribute, often user- or helpdesk-editable',
      source: EDITABLE_CLAIM_SOURCES.hr.url,
    };
  }
  if (v.some((x) => AD_SELF_WRITE.has(x))) {
    return {
      reason: 'an Active Directory Personal-Information attribute, which every user may write on their own account',
      source: EDITABLE_CLAIM_SOURCES.adSelfWrite.url,
    };
  }
  const any = VENDORS[kind].anyAttribute;
  if (any && !v.some((x) => IDP_MANAGED.has(x)) && !isClientRoles(source)) return any;
  return undefined;
}

/** The IdP product of a checked mapping, from its issuer and aliases. */
export function modelIdpKind(m: CheckModel): IdpKind {
  return idpKind(m.idp?.issuer?.value, m.idp?.aliases.map((a) => a.value) ?? []);
}

/**
 * Whether users can change a declared claim themselves, for the mapping's IdP, unless the declaration says
 * `trusted "<why>"` (with a non-blank reason). Returns why, or undefined.
 *
 * @example
 * ```ts
 * userEditable(model, departmentDecl)?.reason // 'a free-text HR attribute, often user- or helpdesk-editable'
 * ```
 */
export function userEditable(m: CheckModel, decl: ClaimDeclNode): Editability | undefined {
  if (decl.trusted && decl.trusted.value.trim() !== '') return undefined;
  return isUserEditable(
    decl.source.map((s) => s.value),
    modelIdpKind(m),
  );
}
