/**
 * Knowledge about well-known claim sources: which are mutable identifiers (never a durable key) and which a user
 * can often edit themselves (never a basis for a privileged role). Matched case-insensitively on the whole
 * source and on its last URI segment (after `/`, `#` or `:`), so `http://schemas.xmlsoap.org/ws/2005/05/identity/
 * claims/upn` is `upn`.
 */

/** Identifiers that change or can be asserted for another person: email, UPN, usernames, display names. */
const MUTABLE_IDENTIFIERS = new Set([
  'email', 'mail', 'emailaddress', 'email_address', 'upn', 'userprincipalname', 'preferred_username', 'name',
  'unique_name', 'username', 'user_name', 'login', 'samaccountname', 'uid', 'nickname', 'displayname',
  'eduPersonPrincipalName'.toLowerCase(), 'verified_primary_email', 'emails', 'othermails',
  // urn:oid forms
  'urn:oid:0.9.2342.19200300.100.1.3', // mail
  'urn:oid:0.9.2342.19200300.100.1.1', // uid
  'urn:oid:1.3.6.1.4.1.5923.1.1.1.6', // eduPersonPrincipalName
  'urn:oid:2.16.840.1.113730.3.1.241', // displayName
]);

/** Attributes end users can commonly change through self-service profiles. */
const USER_EDITABLE = new Set([
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture',
  'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'phone_number', 'address', 'email', 'mail',
  'givenname', 'sn', 'surname', 'displayname', 'firstname', 'lastname', 'title', 'jobtitle', 'description',
  'mobile', 'telephonenumber', 'nickname', 'bio', 'urn:oid:2.5.4.42', 'urn:oid:2.5.4.4',
  'urn:oid:2.16.840.1.113730.3.1.241', 'urn:oid:0.9.2342.19200300.100.1.3', 'urn:oid:2.5.4.12',
]);

function variants(source: readonly string[]): string[] {
  const whole = source.join('.').toLowerCase();
  const last = (source[source.length - 1] ?? '').toLowerCase();
  const seg = last.startsWith('urn:oid:') ? last : (last.split(/[/#:]/).pop() ?? last);
  return [whole, last, seg];
}

/** Whether a claim source names a mutable identifier (email, upn, username...). */
export function isMutableIdentifier(source: readonly string[]): boolean {
  return variants(source).some((v) => MUTABLE_IDENTIFIERS.has(v));
}

/** Whether a claim source names an attribute users can often edit themselves. */
export function isUserEditable(source: readonly string[]): boolean {
  return variants(source).some((v) => USER_EDITABLE.has(v));
}
