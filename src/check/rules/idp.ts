import type { Rule } from '../rule.js';

/** An OIDC issuer: an https URL without query or fragment (OIDC Core 2, `iss`). */
function isHttpsIssuer(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === 'https:' && !u.search && !u.hash;
  } catch {
    return false;
  }
}

/** A bare host name, as Google sends `accounts.google.com` without a scheme. */
const BARE_HOST = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** The idp declaration: a known protocol and a usable issuer. */
export const idp: Rule = {
  name: 'idp',
  codes: [
    { code: 'idp/unknown-protocol', severity: 'error', summary: 'The protocol after `idp` is neither saml nor oidc.' },
    {
      code: 'idp/invalid-issuer',
      severity: 'error',
      summary: 'The issuer is empty, padded with spaces, or (OIDC) not an https URL.',
    },
    {
      code: 'idp/invalid-alias',
      severity: 'error',
      summary:
        'An issuer alias is empty, padded with spaces, the issuer itself, listed twice, or (OIDC) neither an ' +
        'https URL nor a bare host name.',
    },
  ],
  check(m) {
    const d = m.idp;
    if (!d) return;
    if (!m.protocol) {
      m.sink.error('idp/unknown-protocol', `unknown protocol '${d.protocol.name}'`, d.protocol.span, {
        hint: 'use saml or oidc',
      });
    }
    const iss = d.issuer;
    if (!iss) return;
    const seen = new Set<string>([iss.value]);
    for (const a of d.aliases) {
      if (a.value.trim() === '' || a.value !== a.value.trim()) {
        m.sink.error('idp/invalid-alias', 'an issuer alias is empty or has leading or trailing spaces', a.span);
      } else if (seen.has(a.value)) {
        m.sink.error(
          'idp/invalid-alias',
          a.value === iss.value ? 'this alias is the issuer itself' : 'this alias is listed twice',
          a.span,
          {
            hint: 'remove it',
          },
        );
      } else if (m.protocol === 'oidc' && !isHttpsIssuer(a.value) && !BARE_HOST.test(a.value)) {
        m.sink.error(
          'idp/invalid-alias',
          'an OIDC issuer alias must be an https URL without query or fragment, or a bare host name',
          a.span,
          {
            hint: 'an http: or other alias would accept tokens from an issuer the provider does not use',
          },
        );
      }
      seen.add(a.value);
    }
    if (iss.value.trim() === '' || iss.value !== iss.value.trim()) {
      m.sink.error('idp/invalid-issuer', 'the issuer is empty or has leading or trailing spaces', iss.span, {
        hint: 'the issuer is compared exactly: copy the entityID or iss from the IdP metadata',
      });
    } else if (m.protocol === 'oidc') {
      if (!isHttpsIssuer(iss.value)) {
        m.sink.error('idp/invalid-issuer', 'an OIDC issuer must be an https URL without query or fragment', iss.span, {
          hint: 'copy "issuer" from the provider\'s /.well-known/openid-configuration',
        });
      }
    }
  },
};
