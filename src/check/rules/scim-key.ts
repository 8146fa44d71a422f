import type { Rule } from '../rule.js';

/**
 * The SCIM User attributes an IdP fills with something a person or an administrator changes (RFC 7643 §4.1), in
 * lower case (SCIM attribute names compare case-insensitively): never a link between a SCIM user and an account.
 */
export const MUTABLE_SCIM_ATTRIBUTES: ReadonlySet<string> = new Set([
  'username',
  'emails',
  'email',
  'displayname',
  'nickname',
  'name',
  'phonenumbers',
  'ims',
  'title',
  'employeenumber',
]);

/** The SCIM User attributes that can carry the durable key's subject, by lower-case name. */
export const SCIM_KEY_ATTRIBUTES: Readonly<Record<string, 'externalId'>> = { externalid: 'externalId' };

/**
 * `scim { key externalId }`: a SCIM user is the account of the SSO login only through the durable key. The key
 * attribute must be one the IdP fills with its immutable user id (externalId), never an email or a userName, and
 * the SSO key must be one value that attribute can hold.
 */
export const scimKey: Rule = {
  name: 'scim-key',
  codes: [
    {
      code: 'scim/missing-key',
      severity: 'error',
      summary: 'A `scim` section does not say which SCIM attribute carries the durable key (`key externalId`).',
    },
    {
      code: 'scim/mutable-key',
      severity: 'error',
      summary: 'The SCIM key is userName, an email or another attribute people change: SCIM never links by them.',
    },
    {
      code: 'scim/unknown-key',
      severity: 'error',
      summary: 'The SCIM key is not externalId (`id` is assigned by claimmap, not by the IdP).',
    },
    {
      code: 'scim/joined-key',
      severity: 'error',
      summary: 'The SSO key joins several claims (`key claim tid, oid`): one SCIM attribute cannot carry it.',
    },
  ],
  check(m) {
    const s = m.scim;
    if (!s) return;
    const key = s.items.find((i) => i.kind === 'key');
    if (!key) {
      m.sink.error('scim/missing-key', 'the scim section does not declare its key attribute', head(s), {
        hint: 'add: key externalId (Okta and Entra put the IdP user id there: what sub, oid or the NameID carry)',
      });
      return;
    }
    const v = key.value;
    if (v) {
      const lower = v.name.toLowerCase();
      if (MUTABLE_SCIM_ATTRIBUTES.has(lower) || lower.includes('email')) {
        m.sink.error('scim/mutable-key', `the SCIM attribute '${v.name}' changes and can be reassigned`, v.span, {
          hint: 'key externalId: SCIM users link to accounts by the IdP user id, never by userName or email',
        });
      } else if (!Object.hasOwn(SCIM_KEY_ATTRIBUTES, lower)) {
        m.sink.error('scim/unknown-key', `'${v.name}' cannot carry the durable key`, v.span, {
          hint:
            lower === 'id'
              ? 'id is assigned by claimmap when the IdP creates the user; write key externalId'
              : 'write key externalId',
        });
      }
    }
    const k = m.key;
    if (k?.form === 'claim' && k.claims.length > 1) {
      const names = k.claims.map((c) => c.name).join(', ');
      m.sink.error('scim/joined-key', `the SSO key joins ${names}: one SCIM attribute cannot carry it`, key.span, {
        hint:
          `key on the one immutable claim (key claim ${k.claims[k.claims.length - 1]?.name}) and pin the rest with ` +
          'require (require tid == "<tenant id>"), then map that claim to externalId in the IdP',
        related: [{ span: k.span, message: 'the SSO key is declared here' }],
      });
    }
  },
};

/** The `scim` keyword of a section: where section-level diagnostics point. */
export function head(s: { span: { start: number } }): { start: number; end: number } {
  return { start: s.span.start, end: s.span.start + 4 };
}
