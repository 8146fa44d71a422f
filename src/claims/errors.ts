/** Codes for refused claim input (SAML, OIDC JSON, JWT). Stable API: extend, never rename. */
export type ClaimsErrorCode = 'claims/placeholder';
