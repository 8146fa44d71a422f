/**
 * Keycloak's own semantics of identity-provider mappers and first-broker-login linking, implemented from its
 * documentation (each rule cites the page), for the differential report. Pure: one login's claims in, the roles a
 * first login (or a FORCE re-sync) would give out.
 *
 * Doc pages cited below:
 * - [MAPPERS] Server Administration Guide, "Mapping claims and assertions":
 *   https://www.keycloak.org/docs/latest/server_admin/#_mappers
 * - [SYNC] Server Administration Guide, "General configuration" of identity providers, Sync mode:
 *   https://www.keycloak.org/docs/latest/server_admin/#_general-idp-config
 * - [FIRST] Server Administration Guide, "First login flow" and "Automatically link existing first login flow":
 *   https://www.keycloak.org/docs/latest/server_admin/#_identity_broker_first_login
 * - [OIDC] Server Administration Guide, "OpenID Connect v1.0 identity providers" (Issuer: tokens from another
 *   issuer are refused): https://www.keycloak.org/docs/latest/server_admin/#_identity_broker_oidc
 * - [SAML] Server Administration Guide, "SAML v2.0 identity providers" (Principal type, NameID policy format):
 *   https://www.keycloak.org/docs/latest/server_admin/#_identity_broker_saml
 * - [JAVADOC] the mapper classes' config help texts as the admin console shows them, e.g.
 *   https://www.keycloak.org/docs-api/latest/javadocs/org/keycloak/broker/oidc/mappers/AdvancedClaimToRoleMapper.html
 */
import type { JsonValue } from '../../model/claim-set.js';
import type { OriginalDecision, OriginalSemantics } from '../types.js';
import { wholeMatcher } from '../whole-match.js';

/** A test of one login: true when the mapper applies. */
export type Predicate = (claims: { [name: string]: JsonValue }) => boolean;

/**
 * The claim at `path` (OIDC): a name with dots reaches into nested objects (`realm_access.roles`), and `\.` is a
 * literal dot ([JAVADOC]: "You can reference nested claims using a '.', i.e. 'address.locality'. To use dot (.)
 * literally, escape it with backslash (\.)").
 */
export function claimPath(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i] as string;
    if (c === '\\' && name[i + 1] === '.') {
      cur += '.';
      i++;
    } else if (c === '.') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The value at a claim path, or undefined (a missing claim: no mapper applies [MAPPERS]). */
export function valueAt(claims: { [name: string]: JsonValue }, path: readonly string[]): JsonValue | undefined {
  let v: JsonValue | undefined = claims;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v === null ? undefined : v;
}

/**
 * Keycloak's value comparison ([MAPPERS], "Claim to Role": the role is granted when the claim has the value; the
 * comparison is `AbstractClaimMapper.valueEquals` [JAVADOC]): a string equals the configured value exactly
 * (case-sensitive); a number or a boolean equals it when the configured text parses to the same number or boolean;
 * an array matches when any element does.
 */
export function valueEquals(desired: string, v: JsonValue | undefined): boolean {
  if (typeof v === 'string') return v === desired;
  if (typeof v === 'number') return desired.trim() !== '' && Number(desired) === v;
  if (typeof v === 'boolean') return desired.toLowerCase() === String(v);
  if (Array.isArray(v)) return v.some((x) => valueEquals(desired, x));
  return false;
}

/**
 * Regex values ("Regex Claim Values" on): Java's `String.matches`, which matches the whole string, on the value's
 * text; an array matches when any element does [JAVADOC]. A pattern V8 cannot compile never matches here.
 */
export function valueMatches(pattern: string, v: JsonValue | undefined): boolean {
  const m = wholeMatcher(pattern);
  if (!m) return false;
  const test = (x: JsonValue): boolean =>
    Array.isArray(x)
      ? x.some(test)
      : x === null
        ? false
        : typeof x === 'object'
          ? false
          : m(typeof x === 'string' ? x : String(x));
  return v !== undefined && test(v);
}

/** A SAML attribute by Name or FriendlyName: Keycloak's attribute mappers accept either [MAPPERS]. */
export function samlValues(
  claims: { [name: string]: JsonValue },
  name: string | undefined,
  friendly: string | undefined,
): JsonValue | undefined {
  for (const n of [name, friendly]) if (n !== undefined && Object.hasOwn(claims, n)) return claims[n];
  return undefined;
}

/** How the brokered account is found. */
export interface KeycloakKey {
  /** `sub` (OIDC), `nameid` (SAML subject) or the SAML principal attribute's name. */
  source: string;
  read(claims: { [name: string]: JsonValue }): string | null;
  /** The first-broker-login flow links an existing account by email without proof ([FIRST], idp-auto-link). */
  autoLinkByEmail: boolean;
}

/**
 * The semantics of one imported identity provider: the issuer check [OIDC], the brokered user id (OIDC `sub`, the
 * SAML NameID or principal attribute [SAML]; with automatic linking, the existing account holding the email
 * [FIRST]) and the roles of every mapper that applies. A first login grants what applies (importNewUser); a FORCE
 * mapper re-grants and revokes at each login, an IMPORT one never changes the user again, LEGACY only revokes
 * [SYNC]. `decide` gives a first login's roles, which is also what FORCE keeps after any later login.
 */
export function keycloakSemantics(
  issuer: string | null,
  key: KeycloakKey,
  grants: readonly { role: string; applies: Predicate }[],
): OriginalSemantics {
  return {
    engine:
      'Keycloak identity-provider mappers, from the Keycloak Server Administration Guide (first login, sync mode FORCE)',
    decide(claims): OriginalDecision {
      const iss = typeof claims.iss === 'string' ? claims.iss : null;
      const id = key.read(claims);
      const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email.toLowerCase() : null;
      const keySource = key.autoLinkByEmail
        ? 'email (first-broker-login links the existing user by email)'
        : key.source;
      const accountKey = key.autoLinkByEmail && email !== null ? email : id;
      if (issuer !== null && iss !== issuer)
        return {
          refused: true,
          reason: `issuer ${JSON.stringify(iss)} is not ${issuer}`,
          key: null,
          keySource,
          roles: [],
        };
      if (id === null)
        return { refused: true, reason: `no brokered user id (${key.source})`, key: null, keySource, roles: [] };
      const roles = [...new Set(grants.filter((g) => g.applies(claims)).map((g) => g.role))].sort();
      return { refused: false, key: accountKey, keySource, roles };
    },
  };
}
