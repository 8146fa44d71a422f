/**
 * Vault's JWT/OIDC auth semantics for `--compare`: one role, one login's claims in, refused or the role's policies
 * out. Every rule names its source; where the documentation and the code disagree, the code (what Vault does) is
 * implemented and the disagreement is stated.
 *
 * Sources:
 * - [API] https://developer.hashicorp.com/vault/api-docs/auth/jwt, "Create/Update role", parameter by parameter.
 * - [DOCS] https://developer.hashicorp.com/vault/docs/auth/jwt, sections "JWT verification", "Bound claims",
 *   "Claims as metadata", "Claim specifications and JSON pointer".
 * - [PLUGIN] github.com/hashicorp/vault-plugin-auth-jwt v0.26.3 (the plugin Vault bundles): claims.go (getClaim,
 *   validateBoundClaims, matchFound, normalizeList, extractMetadata), path_login.go (pathLogin, createIdentity,
 *   fetchGroups), path_oidc.go (pathCallback), path_role.go (pathRoleCreateUpdate).
 * - [CAP] github.com/hashicorp/cap v0.13.0 (the plugin's go.mod): jwt/jwt.go Validator.validateAll and
 *   validateAudience (roles of type "jwt"); oidc/provider.go Provider.VerifyIDToken (roles of type "oidc").
 * - [GLOB] github.com/ryanuber/go-glob v1.0.0, Glob. [PTR] github.com/mitchellh/pointerstructure v1.2.1, Parse and
 *   Pointer.Get. [CORE] github.com/hashicorp/vault vault/request_handling.go, handleLoginRequest.
 *
 * Not modelled (they are not claims): signatures, token lifetimes (exp, nbf, iat, leeways), the OIDC nonce and
 * max_age, token_bound_cidrs, and the claims an OIDC login merges in from the userinfo endpoint or a provider_config
 * group fetch.
 */
import type { JsonValue } from '../../model/claim-set.js';
import { globMatch } from './glob.js';

/** One login's claims, as the IdP sends them. */
export type Claims = { [name: string]: JsonValue };

/**
 * A Go value as the plugin compares it: `interface{}` equality is equality of dynamic type and value, so a string,
 * a bool, a `json.Number` (compared by its text) and a `float64` never equal one another.
 */
export type GoValue =
  | { t: 'string'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'number'; v: string }
  | { t: 'float'; v: number }
  | { t: 'list'; v: GoValue[] }
  | { t: 'map' };

/** A JSON value decoded as go-oidc decodes claims (no UseNumber: every number is a float64). */
function decoded(v: JsonValue): GoValue {
  if (typeof v === 'string') return { t: 'string', v };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'number') return { t: 'float', v };
  if (Array.isArray(v)) return { t: 'list', v: v.filter((x) => x !== null).map(decoded) };
  return { t: 'map' };
}

/**
 * Go's `strconv.Itoa(int(v))` of a float64: truncation toward zero. Out of the int64 range Go's conversion is
 * implementation-defined; on amd64 (Vault's release builds) it yields the minimum int64, which is what is returned.
 */
export function goIntText(v: number): string {
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 63) return '-9223372036854775808';
  return BigInt(Math.trunc(v)).toString();
}

/**
 * A JSON pointer's parts ([PTR] Parse: `/`-separated, `~1` then `~0` unescaped). [DOCS] "Claim specifications and
 * JSON pointer": a name that starts with `/` is a pointer, any other name a top-level key.
 */
export function pointerParts(name: string): string[] {
  return name
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * [PTR] Pointer.Get over decoded JSON: an object by key; a list by index, the part read as an integer (only the
 * plain decimal spellings are reproduced: mapstructure's weak decoding also reads `0x1`, `+1` or `""`, which no
 * configuration uses). Anything else is not found: [PLUGIN] getClaim then returns nil.
 */
function pointerGet(claims: Claims, parts: readonly string[]): JsonValue | undefined {
  let v: JsonValue | undefined = claims;
  for (const p of parts) {
    if (Array.isArray(v)) {
      if (!/^(0|[1-9][0-9]*)$/.test(p)) return undefined;
      const i = Number(p);
      if (i >= v.length) return undefined;
      v = v[i];
    } else if (typeof v === 'object' && v !== null && Object.hasOwn(v, p)) v = v[p];
    else return undefined;
  }
  return v;
}

/** The raw claim at `name` ([PLUGIN] getClaim before its number conversion); undefined for missing or null. */
export function rawClaim(claims: Claims, name: string): JsonValue | undefined {
  const v = name.startsWith('/')
    ? pointerGet(claims, pointerParts(name))
    : Object.hasOwn(claims, name)
      ? claims[name]
      : undefined;
  return v === null ? undefined : v;
}

/**
 * [PLUGIN] claims.go getClaim: the claim, a top-level float64 turned into `json.Number(strconv.Itoa(int(v)))` ("we
 * try to intelligently convert float32 and float64 to json.Number"): `42.9` compares as `42`. Numbers inside a list
 * stay float64 and so never equal a bound value.
 */
export function getClaim(claims: Claims, name: string): GoValue | undefined {
  const v = rawClaim(claims, name);
  if (v === undefined) return undefined;
  if (typeof v === 'number') return { t: 'number', v: goIntText(v) };
  return decoded(v);
}

/**
 * A bound value as the role stores it: Vault decodes requests and storage with UseNumber, so a number is a
 * `json.Number` holding its literal text (`42.0` stays `"42.0"`); `literal` is that text when the reader kept it.
 */
export function boundValue(v: JsonValue, literal?: string): GoValue {
  if (typeof v === 'number') return { t: 'number', v: literal ?? String(v) };
  if (Array.isArray(v)) return { t: 'list', v: v.map((x) => (x === null ? { t: 'map' as const } : boundValue(x))) };
  return decoded(v);
}

/**
 * [PLUGIN] normalizeList: a list as is, a string, bool or `json.Number` as a list of one ("providers ... reduce it to
 * a string type when the list count is 1"); anything else (an object, a float64) is refused.
 */
export function normalizeList(v: GoValue): GoValue[] | null {
  if (v.t === 'list') return v.v;
  if (v.t === 'string' || v.t === 'bool' || v.t === 'number') return [v];
  return null;
}

/** Go's `==` on two interface values of comparable dynamic types; null when Go would panic (maps, slices). */
function goEquals(a: GoValue, b: GoValue): boolean | null {
  if (a.t !== b.t) return false;
  if (a.t === 'map' || a.t === 'list') return null;
  return a.v === (b as typeof a).v;
}

/**
 * [PLUGIN] validateBoundClaims and matchFound; [API] bound_claims: "Each expected value may be a string, integer,
 * boolean or a list of strings"; [DOCS] "Bound claims": every listed claim must be present, and "if the expected
 * value is a list, the claim must match one of the items in the list"; [API] bound_claims_type: with "glob", `*`
 * matches any number of characters ([GLOB] Glob), only string claim values are globbed (others are skipped) and a
 * non-string bound value refuses the login. A claim that is a list matches when any element does. A string bound
 * value is one literal: Vault does not split it at commas (the Terraform provider's `disable_bound_claims_parsing`
 * controls a split the provider makes before it writes the role; the role Vault stores, and `vault read` prints,
 * is already split).
 *
 * @returns null when the claim matches, else why Vault refuses the login.
 */
export function boundClaimRefusal(claims: Claims, name: string, expected: GoValue, glob: boolean): string | null {
  const actual = getClaim(claims, name);
  if (actual === undefined) return `claim ${JSON.stringify(name)} is missing`;
  const acts = normalizeList(actual);
  if (acts === null) return `claim ${JSON.stringify(name)} is not a string, bool, int or list`;
  const exps = normalizeList(expected);
  if (exps === null) return `bound claim ${JSON.stringify(name)} is not a string, bool, int or list`;
  for (const e of exps)
    for (const a of acts) {
      if (glob) {
        if (e.t !== 'string') return `bound claim ${JSON.stringify(name)} is not a glob string`;
        if (a.t === 'string' && globMatch(e.v, a.v)) return null;
      } else {
        const eq = goEquals(e, a);
        if (eq === null) return `bound claim ${JSON.stringify(name)} compares a list or an object (Vault fails)`;
        if (eq) return null;
      }
    }
  return `claim ${JSON.stringify(name)} does not match any associated bound claim values`;
}

/** The role parameters the semantics read (see {@link vaultDecide}). */
export interface VaultRole {
  roleType: 'jwt' | 'oidc';
  /** jwt roles: the config's bound_issuer ("" when unset). oidc roles: the discovery URL (null when unknown). */
  issuer: string | null;
  /** The config's oidc_client_id (oidc roles), null when the file does not give it. */
  clientId: string | null;
  boundSubject: string;
  boundAudiences: readonly string[];
  boundClaims: readonly { name: string; expected: GoValue }[];
  glob: boolean;
  userClaim: string;
  userClaimJsonPointer: boolean;
  groupsClaim: string;
  claimMappings: readonly string[];
  policies: readonly string[];
}

/** The audience claim as a list of strings (a string is a list of one), or null when it is neither. */
function audList(v: JsonValue | undefined): string[] | null {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

/** The token checks before the role's claims: issuer, subject, audience ([CAP], [PLUGIN] pathLogin/pathCallback). */
function tokenRefusal(role: VaultRole, c: Claims): string | null {
  const aud = audList(c.aud);
  if (role.roleType === 'jwt') {
    // [CAP] jwt.go validateAll unmarshals the claims into go-jose's jwt.Claims: iss, sub and jti must be strings and
    // aud a string or a list of strings, or the token is invalid.
    for (const k of ['iss', 'sub', 'jti'])
      if (c[k] !== undefined && c[k] !== null && typeof c[k] !== 'string') return `${k} is not a string`;
    if (aud === null) return 'aud is not a string or a list of strings';
    // [CAP] validateAll: "expected.Issuer != "" && expected.Issuer != claims.Issuer" (Issuer is the config's
    // bound_issuer, [API] Configure: "The value against which to match the iss claim in a JWT").
    if (role.issuer && c.iss !== role.issuer) return 'iss is not bound_issuer';
    // [CAP] validateAll, Subject; [API] bound_subject: "If set, requires that the sub claim matches this value".
    if (role.boundSubject !== '' && c.sub !== role.boundSubject) return 'sub is not bound_subject';
    // [CAP] validateAudience: any bound audience in aud; [API] bound_audiences: "Any match is sufficient".
    if (role.boundAudiences.length && !role.boundAudiences.some((a) => aud.includes(a)))
      return 'aud does not match any bound audience';
    // [PLUGIN] pathLogin: "If there are no bound audiences for the role, then the existence of any audience in the
    // audience claim should result in an error"; [DOCS] note: "Starting in Vault 1.17, if the JWT ... contains an aud
    // claim, the associated bound_audiences for the "jwt" role must match at least one of the aud claims".
    if (role.boundAudiences.length === 0 && aud.some((a) => a !== ''))
      return 'audience claim found in JWT but no audiences bound to the role';
    return null;
  }
  // Roles of type "oidc": [CAP] oidc/provider.go VerifyIDToken (go-oidc checks iss against the discovery issuer, which
  // go-oidc requires to equal oidc_discovery_url), then "sub" and "aud" must be present.
  if (role.issuer !== null && c.iss !== role.issuer) return 'iss is not the OIDC discovery issuer';
  if (typeof c.sub !== 'string' || c.sub === '') return 'id_token has no sub';
  if (aud === null) return 'aud is not a string or a list of strings';
  if (aud.length === 0) return 'id_token has no aud';
  // VerifyIDToken, verifyAudience: the role's bound_audiences ([PLUGIN] createOIDCRequest WithAudiences).
  if (role.boundAudiences.length && !role.boundAudiences.some((a) => aud.includes(a)))
    return 'aud does not match any bound audience';
  if (role.clientId !== null) {
    // VerifyIDToken: several audiences must include the client id and azp must be it; a present azp must be it; one
    // audience that is not the client id needs azp to be it.
    const azp = c.azp;
    if (aud.length > 1 && !aud.includes(role.clientId)) return 'multiple audiences and none is the client id';
    if (azp !== undefined && azp !== role.clientId) return 'azp is not the client id';
    if (aud.length > 1 && azp !== role.clientId) return 'multiple audiences and azp is not the client id';
    if (aud.length === 1 && aud[0] !== role.clientId && azp !== role.clientId)
      return 'the one audience is not the client id and azp is not it';
  }
  // [PLUGIN] pathCallback: "role.BoundSubject != "" && role.BoundSubject != subject".
  if (role.boundSubject !== '' && c.sub !== role.boundSubject) return 'sub claim does not match bound subject';
  return null;
}

/** [PLUGIN] createIdentity, extractMetadata and fetchGroups: the alias, its metadata and the group aliases. */
function identityRefusal(role: VaultRole, c: Claims): string | null {
  // createIdentity: user_claim is read as a JSON pointer only with user_claim_json_pointer ([API]
  // user_claim_json_pointer: "By default, the user_claim value will not use JSON pointer"), else as a top-level key
  // even when it starts with "/"; "claim %q not found in token" / "could not be converted to string" ([API]
  // user_claim: "The claim value must be a string").
  const user = role.userClaimJsonPointer
    ? rawClaim(c, role.userClaim)
    : Object.hasOwn(c, role.userClaim)
      ? c[role.userClaim]
      : undefined;
  if (user === undefined || user === null) return `the user_claim ${JSON.stringify(role.userClaim)} is missing`;
  if (typeof user !== 'string') return `the user_claim ${JSON.stringify(role.userClaim)} is not a string`;
  // extractMetadata: a mapped claim that is present must be a string ("error converting claim '%s' to string"); a
  // missing one is skipped. [DOCS] "Claims as metadata" says a missing claim fails the login; the code does not.
  for (const k of role.claimMappings) {
    const v = getClaim(c, k);
    if (v !== undefined && v.t !== 'string') return `the mapped claim ${JSON.stringify(k)} is not a string`;
  }
  if (role.groupsClaim !== '') {
    // fetchGroups: "%q claim not found in token"; createIdentity: normalizeList, then every value must be a string
    // (a single string is one group, [API] groups_claim says "must be a list of strings").
    const g = getClaim(c, role.groupsClaim);
    if (g === undefined) return `the groups claim ${JSON.stringify(role.groupsClaim)} is missing`;
    const list = normalizeList(g);
    if (list === null || list.some((x) => x.t !== 'string'))
      return `the groups claim ${JSON.stringify(role.groupsClaim)} is not a string or a list of strings`;
  }
  // [CORE] handleLoginRequest: "missing name in alias" when the alias name (the user_claim value) is empty.
  if (user === '') return 'missing name in alias (the user_claim is empty)';
  return null;
}

/**
 * Vault's decision for one login on one role, in Vault's order: the token checks, the identity (user_claim,
 * claim_mappings, groups_claim), then bound_claims ([PLUGIN] pathLogin and pathCallback call createIdentity before
 * validateBoundClaims). A login that passes gets the role's token_policies ([API] token parameters), whatever its
 * claims: Vault's identity groups may add policies, which live outside the role.
 *
 * @example
 * ```ts
 * vaultDecide(role, { iss: 'https://idp.example/', sub: 'u1', aud: 'vault' }); // { refused: null, key: 'u1' }
 * ```
 */
export function vaultDecide(role: VaultRole, c: Claims): { refused: string | null; key: string | null } {
  const refused =
    tokenRefusal(role, c) ??
    identityRefusal(role, c) ??
    role.boundClaims.reduce<string | null>(
      (why, b) => why ?? boundClaimRefusal(c, b.name, b.expected, role.glob),
      null,
    );
  if (refused !== null) return { refused, key: null };
  const user = role.userClaimJsonPointer ? rawClaim(c, role.userClaim) : c[role.userClaim];
  return { refused: null, key: typeof user === 'string' ? user : null };
}
