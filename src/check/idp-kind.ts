/**
 * Which identity provider product a mapping talks to, inferred from its issuer (and issuer aliases). The language
 * has no vendor declaration: the issuer is already there and says it for every hosted product. A product that sits
 * behind a custom domain (Okta, Auth0, OneLogin custom URLs) is `generic`, whose claim knowledge is the
 * conservative one: it flags every claim some product lets users edit.
 */

/** The identity provider products claimmap knows the self-service editing rules of. */
export type IdpKind =
  | 'keycloak'
  | 'okta'
  | 'entra'
  | 'google'
  | 'auth0'
  | 'onelogin'
  | 'jumpcloud'
  | 'ping'
  | 'adfs'
  | 'shibboleth'
  | 'generic';

/** How each kind is named in messages. */
export const IDP_KIND_NAMES: Readonly<Record<IdpKind, string>> = {
  keycloak: 'Keycloak',
  okta: 'Okta',
  entra: 'Microsoft Entra ID',
  google: 'Google',
  auth0: 'Auth0',
  onelogin: 'OneLogin',
  jumpcloud: 'JumpCloud',
  ping: 'Ping Identity',
  adfs: 'AD FS',
  shibboleth: 'Shibboleth',
  generic: 'an unrecognised IdP',
};

/** Host and path patterns, tried in order on the lower-cased issuer; the first match wins. */
const PATTERNS: readonly [IdpKind, RegExp][] = [
  // Entra ID v2.0 and v1.0 issuers, and the SAML entityID https://sts.windows.net/<tenant>/
  [
    'entra',
    /^https:\/\/(?:login\.microsoftonline\.(?:com|us)|login\.partner\.microsoftonline\.cn|sts\.windows\.net|[a-z0-9-]+\.ciamlogin\.com)\//,
  ],
  ['google', /^(?:https:\/\/)?accounts\.google\.com\/?$/],
  // Okta org and preview domains (OIDC https://<org>.okta.com[/oauth2/<id>]); SAML entityID http://www.okta.com/<app id>
  [
    'okta',
    /^(?:https:\/\/[a-z0-9-]+\.(?:okta|oktapreview|okta-emea|okta-gov)\.com(?:\/|$)|https?:\/\/www\.okta\.com\/)/,
  ],
  ['auth0', /^https:\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)?\.auth0\.com(?:\/|$)|^urn:auth0:/],
  ['onelogin', /^https:\/\/(?:[a-z0-9-]+\.)?onelogin\.com(?:\/|$)/],
  ['jumpcloud', /^https:\/\/(?:oauth\.id|sso)\.jumpcloud\.com(?:\/|$)/],
  ['ping', /^https:\/\/(?:[a-z0-9-]+\.)*(?:pingone\.(?:com|eu|asia|ca|com\.au)|pingidentity\.com)(?:\/|$)/],
  ['adfs', /^https?:\/\/[^/]+\/adfs(?:\/|$)/],
  ['shibboleth', /^https?:\/\/[^/]+\/idp\/shibboleth\/?$/],
  // Keycloak (and Red Hat build of Keycloak): https://<host>[/auth]/realms/<realm>
  ['keycloak', /^https?:\/\/[^/]+(?:\/[^/]+)*\/realms\/[^/]+\/?$/],
];

/**
 * The product an issuer belongs to, or `generic`.
 *
 * @example
 * ```ts
 * idpKindOfIssuer('https://sso.example.org/realms/acme') // 'keycloak'
 * idpKindOfIssuer('http://www.okta.com/exk9q2w3e4R5t6Y7u8i9') // 'okta'
 * idpKindOfIssuer('https://id.example.com') // 'generic'
 * ```
 */
export function idpKindOfIssuer(issuer: string): IdpKind {
  const s = issuer.trim().toLowerCase();
  for (const [kind, re] of PATTERNS) if (re.test(s)) return kind;
  return 'generic';
}

/**
 * The product of an issuer and its aliases: the issuer's kind, else the first alias that is recognised.
 *
 * @example
 * ```ts
 * idpKind('https://login.example.com', ['https://example.okta.com']) // 'okta'
 * ```
 */
export function idpKind(issuer: string | undefined, aliases: readonly string[] = []): IdpKind {
  for (const s of [issuer ?? '', ...aliases]) {
    const k = idpKindOfIssuer(s);
    if (k !== 'generic') return k;
  }
  return 'generic';
}
