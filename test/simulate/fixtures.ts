/**
 * Hand-made mappings and claim sets for the simulator tests. Each mapping is small and carries one deliberate
 * property (or mistake) a mutation must reveal.
 */
import { compile } from '../../src/compile/compile.js';
import type { Plan } from '../../src/model/plan.js';
import type { ClaimSet, JsonValue } from '../../src/model/claim-set.js';
import { NAMEID_FORMATS } from '../../src/model/claim-set.js';

export const ISSUER = 'https://idp.example.com';
export const NOW = '2026-12-01T10:00:00.000Z';

/** Compiles a mapping or fails the test with its diagnostics. */
export function plan(source: string): Plan {
  const r = compile(source, { filename: 'test.claimmap' });
  if (!r.plan)
    throw new Error(
      `fixture does not compile:\n${r.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message}`).join('\n')}`,
    );
  return r.plan;
}

function rec(o: Record<string, JsonValue>): Record<string, JsonValue> {
  return Object.assign(Object.create(null) as Record<string, JsonValue>, o);
}

/** A SAML claim set with a persistent NameID. */
export function saml(claims: Record<string, string[]>, subject = 'u-100'): ClaimSet {
  return {
    protocol: 'saml',
    issuer: ISSUER,
    subject: { id: subject, format: NAMEID_FORMATS.persistent },
    claims: rec(claims),
    verified: true,
  };
}

/** An OIDC claim set (sub copied into claims). */
export function oidc(claims: Record<string, JsonValue>, sub = '248289761001'): ClaimSet {
  return { protocol: 'oidc', issuer: ISSUER, subject: { id: sub }, claims: rec({ sub, ...claims }), verified: true };
}

const tail = `
  accounts { on email_conflict reject }
  lifecycle { offboarding scim }
}`;

/** Groups normalised to lower case: a group the IdP treats as distinct ("OKTA-ADMINS") grants admin. */
export const LOWERED_GROUPS = `mapping "lowered-groups" {
  idp saml "${ISSUER}"
  key nameid persistent
  claims {
    email  : email       from "email"  required normalize lower
    groups : set<string> from "groups" optional normalize lower
  }
  profile { email = email sync always }
  roles replace {
    privileged admin
    grant viewer
    grant admin when "okta-admins" in groups unsafe "fixture: the folded grant the simulator must reveal"
  }${tail}`;

/** No normalize lower, but a case-insensitive regex: the same mistake written another way. */
export const CASE_INSENSITIVE_REGEX = `mapping "case-insensitive-regex" {
  idp saml "${ISSUER}"
  key nameid persistent
  claims {
    email  : email       from "email"  required normalize lower
    groups : set<string> from "groups" optional
  }
  profile { email = email sync always }
  roles replace {
    privileged admin
    grant viewer
    grant admin when any groups matches /^okta-admins$/i unsafe "fixture: the case-folding grant the simulator must reveal"
  }${tail}`;

/** No normalize lower, exact membership: the correct mapping; near misses must not escalate. */
export const EXACT_GROUPS = `mapping "exact-groups" {
  idp saml "${ISSUER}"
  key nameid persistent
  claims {
    email      : email       from "email"      required normalize lower
    groups     : set<string> from "groups"     optional
    department : string      from "department" optional
  }
  profile {
    email      = email                       sync always
    department = department ?? "Unassigned"  sync always
  }
  roles replace {
    privileged admin
    grant viewer
    grant admin   when "okta-admins" in groups
    grant finance when department == "Finance"
  }${tail}`;

/** The email is stored under another name, so nothing is unique: a new subject with the same email is a second account. */
export const NO_UNIQUE_EMAIL = `mapping "no-unique-email" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email : email from "email" required normalize lower
  }
  profile { work_email = email sync always }
  roles replace {
    grant member
  }
  lifecycle { offboarding scim }
}`;

/** A deny on an exact value: a padded value slips past it (the deny's claim is not trimmed). */
export const DENY_BYPASS = `mapping "deny-bypass" {
  idp oidc "${ISSUER}"
  key sub
  claims {
    email : email       from "email" required normalize lower
    kind  : string      from "kind"  required
    roles : set<string> from "roles" optional
  }
  profile { email = email sync always }
  roles replace {
    privileged admin
    grant admin when "Admin" in roles
    deny  admin when kind == "contractor"
  }${tail}`;
