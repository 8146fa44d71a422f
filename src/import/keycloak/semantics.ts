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
 * - [SRC] the mapper sources, github.com/keycloak/keycloak (main, 2026), read where the docs say nothing of types:
 *   services/src/main/java/org/keycloak/broker/oidc/mappers/AbstractClaimMapper.java (getClaimValue, valueEquals),
 *   ClaimToRoleMapper.java and AdvancedClaimToRoleMapper.java (applies), common
 *   org/keycloak/utils/RegexUtils.java (valueMatchesRegex), JsonUtils.java (splitClaimPath), core
 *   org/keycloak/representations/JsonWebToken.java (the registered-claim fields), and
 *   services/src/main/java/org/keycloak/broker/saml/mappers/AttributeToRoleMapper.java and
 *   AdvancedAttributeToRoleMapper.java (applies).
 */
import type { JsonValue } from '../../model/claim-set.js';
import type { OriginalDecision, OriginalSemantics } from '../types.js';
import { wholeMatcher } from '../whole-match.js';

/** A test of one login: true when the mapper applies. */
export type Predicate = (claims: { [name: string]: JsonValue }) => boolean;

/**
 * Java's `.` in a regex (no DOTALL) stops at line terminators, so `\` before one escapes nothing: [SRC]
 * JsonUtils.splitClaimPath.
 */
const LINE_TERMINATOR = /[\n\r\u0085\u2028\u2029]/;

/**
 * A claim name → its path ([SRC] JsonUtils.splitClaimPath, which AbstractClaimMapper.getClaimValue calls; [JAVADOC]:
 * "You can reference nested claims using a '.', i.e. 'address.locality'. To use dot (.) literally, escape it with
 * backslash (\.)"). A component is a non-empty run of escaped characters (`\` and any character but a line
 * terminator) and characters other than `\` and `.`, ended by a `.`; where no such component can be read, the rest
 * of the name is the last component (`a..b` is `a`, `.b`). In each component `\x` becomes `x` (`\\` a backslash).
 */
export function claimPath(name: string): string[] {
  const unescapeComponent = (c: string): string => c.replace(/\\([^\n\r\u0085\u2028\u2029])/g, '$1');
  const out: string[] = [];
  let start = 0;
  for (;;) {
    let i = start;
    let units = 0;
    let ended = false;
    while (i < name.length) {
      const c = name[i] as string;
      if (c === '\\') {
        const next = name[i + 1];
        if (next === undefined || LINE_TERMINATOR.test(next)) break;
        i += 2;
        units++;
      } else if (c === '.') {
        ended = units > 0;
        break;
      } else {
        i++;
        units++;
      }
    }
    if (!ended) break;
    out.push(unescapeComponent(name.slice(start, i)));
    start = i + 1;
  }
  if (name.length > start) out.push(unescapeComponent(name.slice(start)));
  return out;
}

/**
 * The claims Keycloak's token class keeps in fields of its own ([SRC] org.keycloak.representations.JsonWebToken:
 * jti, exp, nbf, iat, iss, aud, sub, typ, azp): they are not in `getOtherClaims()`, so a claim mapper never sees
 * them, except `sub`, which AbstractClaimMapper.getClaimValue reads with getSubject().
 */
export const REGISTERED_CLAIMS: ReadonlySet<string> = new Set([
  'jti',
  'exp',
  'nbf',
  'iat',
  'iss',
  'aud',
  'sub',
  'typ',
  'azp',
]);

/** True when Keycloak's claim mappers cannot see the claim `name` (see {@link REGISTERED_CLAIMS}). */
export function invisibleClaim(name: string): boolean {
  return name !== 'sub' && REGISTERED_CLAIMS.has(claimPath(name)[0] ?? '');
}

/**
 * [SRC] AbstractClaimMapper.getClaimValue(JsonWebToken, String): `sub` is the subject; any other name is split
 * ({@link claimPath}) and looked up in the token's other claims, each component but the last in an object (a Map);
 * a registered claim is not there. A missing claim (or JSON null) is undefined: no mapper applies ([MAPPERS]).
 * The userinfo response, which Keycloak searches after the tokens, is not modelled.
 */
export function claimValue(claims: { [name: string]: JsonValue }, name: string): JsonValue | undefined {
  if (name === 'sub') return typeof claims.sub === 'string' ? claims.sub : undefined;
  if (invisibleClaim(name)) return undefined;
  return valueAt(claims, claimPath(name));
}

/** The value at a path of object keys, or undefined (a missing claim, a JSON null, or a non-object on the way). */
export function valueAt(claims: { [name: string]: JsonValue }, path: readonly string[]): JsonValue | undefined {
  let v: JsonValue | undefined = claims;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = v[k];
  }
  return v === null ? undefined : v;
}

const INT_MAX = 2 ** 31 - 1;

/**
 * Java's `Integer.valueOf(s)`: an optional sign and decimal digits, within the int range; null when it throws.
 * (Java also reads non-ASCII decimal digits; the importer notes a configured value that has one.)
 */
export function javaInt(s: string): number | null {
  if (!/^[+-]?[0-9]+$/.test(s)) return null;
  const n = Number(s);
  return n >= -INT_MAX - 1 && n <= INT_MAX ? n : null;
}

/**
 * Java's `Double.valueOf(s)`: leading and trailing characters up to U+0020 trimmed, a decimal or hexadecimal
 * floating-point literal with an optional `f`/`d` suffix, `NaN` or `Infinity`; null when it throws.
 */
export function javaDouble(s: string): number | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Java's trim() removes every character up to U+0020
  const t = s.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const m =
    /^([+-]?)(?:(NaN)|(Infinity)|((?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)[fFdD]?|0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)[pP]([+-]?[0-9]+)[fFdD]?)$/.exec(
      t,
    );
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2]) return Number.NaN;
  if (m[3]) return sign * Number.POSITIVE_INFINITY;
  if (m[4] !== undefined) return sign * Number(m[4]);
  const int = m[5] ?? '';
  const frac = m[6] ?? '';
  if (int === '' && frac === '') return null;
  const mantissa = Number.parseInt(`${int}${frac}` || '0', 16);
  return sign * mantissa * 2 ** (Number(m[7]) - 4 * frac.length);
}

/**
 * Keycloak's comparison of a configured value with a claim ([SRC] AbstractClaimMapper.valueEquals; [MAPPERS] "Claim
 * to Role": "If the claim is an array, then the value must be contained in the array"). By the claim's Java type,
 * as Jackson decodes the token:
 * - a string equals the value exactly (case-sensitive);
 * - an integer (a JSON integer within the int range: Integer) equals it when `Integer.valueOf(value)` does; a larger
 *   integer (Long, BigInteger) never matches, the method has no branch for it;
 * - a fraction (Double) equals it when `Double.valueOf(value)` gives the same double;
 * - a boolean equals `Boolean.valueOf(value)`, which is true only for "true" in any case: the boolean false matches
 *   every other value, "admin" included;
 * - an array matches when any element does (arrays in arrays too); an object or null never matches.
 * A JSON number's spelling is not kept by the claim reader: an integral number is taken for a JSON integer (Jackson
 * reads `1.0` as a Double, `1` as an Integer); the importer notes a configured value where that matters.
 * `desired` is null when the mapper has no value: a string claim then throws in Keycloak (the login fails), treated
 * here as no match.
 */
export function valueEquals(desired: string | null, v: JsonValue | undefined): boolean {
  if (typeof v === 'string') return desired !== null && v === desired;
  if (typeof v === 'number') {
    if (desired === null) return false;
    if (Number.isInteger(v)) return v >= -INT_MAX - 1 && v <= INT_MAX && javaInt(desired) === v;
    const d = javaDouble(desired);
    return d !== null && d === v;
  }
  if (typeof v === 'boolean') return (desired !== null && /^[tT][rR][uU][eE]$/.test(desired)) === v;
  if (Array.isArray(v)) return v.some((x) => valueEquals(desired, x));
  return false;
}

/**
 * Java's `Double.toString(d)` (JDK 19 and later print the shortest digits that read back, as JavaScript does):
 * plain notation with at least one decimal for 10^-3 ≤ |d| < 10^7, else `d.dddE±n`.
 */
export function javaDoubleString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (!Number.isFinite(d)) return d > 0 ? 'Infinity' : '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const a = Math.abs(d);
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mant, exp] = d.toExponential().split('e') as [string, string];
  return `${mant.includes('.') ? mant : `${mant}.0`}E${Number(exp)}`;
}

/**
 * `value.toString()` of a decoded claim, as Java prints it: a string as is, an integer in decimal, a fraction by
 * {@link javaDoubleString}, a boolean `true`/`false`, an object as a LinkedHashMap (`{k=v, k2=[a, b]}`), a list
 * as an ArrayList (`[a, b]`), null as `null`. (JavaScript orders integer-like object keys first, and a JSON
 * integer beyond 2^53 has already lost digits: both are approximations of the token's own text.)
 */
export function javaToString(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number')
    return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : javaDoubleString(v);
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${k}=${javaToString(x)}`)
    .join(', ')}}`;
}

/**
 * Regex values ("Regex Claim Values" on): [SRC] org.keycloak.utils.RegexUtils.valueMatchesRegex: an array matches
 * when any element does (recursively); any other value that is not null is matched by Java's `String.matches`
 * (the whole string, Java syntax) on its `toString()` ({@link javaToString}). A pattern V8 cannot compile never
 * matches here.
 */
export function valueMatches(pattern: string, v: JsonValue | undefined): boolean {
  const m = wholeMatcher(pattern);
  if (!m) return false;
  const test = (x: JsonValue): boolean => (Array.isArray(x) ? x.some(test) : x !== null && m(javaToString(x)));
  return v !== undefined && test(v);
}

/**
 * A SAML attribute's values by Name, else by FriendlyName ([MAPPERS]; [SRC] AdvancedAttributeToRoleMapper.applies
 * takes every attribute whose Name or FriendlyName is the key). `decide()` is given attributes by Name only, so a
 * FriendlyName is looked up as a Name; the importer notes the mappers where that matters.
 */
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
