/**
 * The fixture corpus: every file under test/fixtures/claims/{saml,oidc} is read the way the CLI reads it (bytes,
 * format detected) and compared with its golden file next to it: `<file>.expected.json` (the claim set) or
 * `<file>.expected-error.json` (the refusal). Refusals are also asserted by code in the table below, so a golden
 * file can never silently turn an attack into an accepted input.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaimsError, readClaims, type ClaimsErrorCode } from '../../src/claims/index.js';
import { FIXTURES, FIXTURE_ROOT as ROOT } from './fixture-list.js';

/** Every fixture that must be refused, with its code. Each is named after the attack or defect it carries. */
const REFUSED: Record<string, ClaimsErrorCode> = {
  'saml/response.doctype-xxe.xml': 'saml/doctype-forbidden',
  'saml/response.billion-laughs.xml': 'saml/doctype-forbidden',
  'saml/response.doctype-after-comment.xml': 'saml/doctype-forbidden',
  'saml/response.entity-declaration-without-doctype.xml': 'saml/doctype-forbidden',
  'saml/response.two-assertions.signature-wrapping.xml': 'saml/multiple-assertions',
  'saml/response.assertion-in-extensions.signature-wrapping.xml': 'saml/assertion-misplaced',
  'saml/response.assertion-in-signature-object.signature-wrapping.xml': 'saml/multiple-assertions',
  'saml/assertion.assertion-in-advice.signature-wrapping.xml': 'saml/multiple-assertions',
  'saml/response.encrypted-assertion.xml': 'saml/encrypted-assertion',
  'saml/assertion.encrypted-id.xml': 'saml/encrypted-id',
  'saml/assertion.encrypted-attribute.xml': 'saml/encrypted-attribute',
  'saml/response.issuer-mismatch.xml': 'saml/issuer-mismatch',
  'saml/response.status-responder.xml': 'saml/status-not-success',
  'saml/response.no-assertion.xml': 'saml/missing-assertion',
  'saml/response.unclosed-element.malformed.xml': 'saml/malformed-xml',
  'saml/response.mismatched-end-tag.malformed.xml': 'saml/malformed-xml',
  'saml/response.control-character.malformed.xml': 'saml/malformed-xml',
  'saml/response.unescaped-ampersand.malformed.xml': 'saml/malformed-xml',
  'saml/response.lt-in-attribute-value.malformed.xml': 'saml/malformed-xml',
  'saml/response.two-roots.xml': 'saml/multiple-roots',
  'saml/assertion.duplicate-xml-attribute.xml': 'saml/duplicate-xml-attribute',
  'saml/assertion.duplicate-xml-attribute-via-two-prefixes.xml': 'saml/duplicate-xml-attribute',
  'saml/assertion.element-in-nameid.xml': 'saml/element-in-text',
  'saml/assertion.element-in-attribute-value.xml': 'saml/element-in-text',
  'saml/assertion.two-nameids.xml': 'saml/duplicate-element',
  'saml/assertion.html-entity.xml': 'saml/undefined-entity',
  'saml/assertion.undeclared-prefix.xml': 'saml/undeclared-prefix',
  'saml/assertion.missing-subject.xml': 'saml/missing-subject',
  'saml/assertion.missing-issuer.xml': 'saml/missing-issuer',
  'saml/assertion.xsi-nil-with-content.xml': 'saml/invalid-nil',
  'saml/assertion.attribute-without-name.xml': 'saml/missing-attribute-name',
  'saml/authn-request.not-a-response.xml': 'saml/unexpected-root',
  'saml/response.deep-nesting.xml': 'saml/too-deep',
  'saml/response.non-utf8-encoding-declared.xml': 'input/unsupported-encoding',
  'saml/response.deflate-bomb.redirect-binding.txt': 'input/too-large',
  'saml/response.forged-assertion-name-u1680.signature-wrapping.xml': 'saml/ambiguous-xml',
  'saml/response.xmlns-prefix-ufeff.namespace-confusion.xml': 'saml/ambiguous-xml',
  'saml/assertion.attribute-name-ufeff.xml': 'saml/ambiguous-xml',
  'saml/assertion.nameid-ufeff.xml': 'saml/ambiguous-xml',
  'saml/response.line-separator-u2028-in-value.xml': 'saml/ambiguous-xml',
  'saml/response.pi-unclosed-quote-hides-assertion.xml': 'saml/ambiguous-xml',
  'saml/response.two-statuses.xml': 'saml/duplicate-element',
  'saml/response.malformed-xml-declaration.xml': 'saml/malformed-xml',
  'oidc/claims.duplicate-sub.json': 'json/duplicate-key',
  'oidc/claims.nested-duplicate-key.json': 'json/duplicate-key',
  'oidc/claims.deep-nesting.json': 'json/too-deep',
  'oidc/claims.not-an-object.json': 'json/not-an-object',
  'oidc/claims.trailing-garbage.malformed.json': 'json/malformed',
  'oidc/claims.missing-sub.json': 'oidc/missing-subject',
  'oidc/claims.numeric-sub.json': 'oidc/invalid-subject',
  'oidc/claims.empty-sub.json': 'oidc/invalid-subject',
  'oidc/claims.missing-iss.json': 'oidc/missing-issuer',
  'oidc/claims.invalid-claim-names.json': 'oidc/invalid-distributed-claims',
  'oidc/token.jwe-five-parts.jwt': 'jwt/encrypted',
  'oidc/token.two-parts.malformed.jwt': 'jwt/malformed',
  'oidc/token.header-without-alg.jwt': 'jwt/invalid-header',
  'oidc/token.payload-not-base64url.jwt': 'jwt/invalid-base64url',
};

function read(fixture: string): { ok: true; value: unknown } | { ok: false; error: ClaimsError } {
  try {
    return { ok: true, value: readClaims(readFileSync(join(ROOT, fixture))) };
  } catch (e) {
    if (e instanceof ClaimsError) return { ok: false, error: e };
    throw e;
  }
}

describe('fixture corpus', () => {
  it('has refusal table entries only for fixtures that exist', () => {
    for (const name of Object.keys(REFUSED)) expect(FIXTURES).toContain(name);
  });

  it.each(FIXTURES)('%s matches its golden file', async (fixture) => {
    const r = read(fixture);
    const expectedCode = REFUSED[fixture];
    if (expectedCode !== undefined) {
      expect(r.ok ? 'accepted' : r.error.code).toBe(expectedCode);
    } else {
      expect(r.ok ? 'accepted' : `${r.error.code}: ${r.error.message}`).toBe('accepted');
    }
    const golden = r.ok ? `${fixture}.expected.json` : `${fixture}.expected-error.json`;
    const body = r.ok ? r.value : r.error.toJSON();
    await expect(`${JSON.stringify(body, null, 2)}\n`).toMatchFileSnapshot(join(ROOT, golden));
  });

  it('reads the same claim set twice (deterministic)', () => {
    for (const fixture of FIXTURES) expect(JSON.stringify(read(fixture))).toBe(JSON.stringify(read(fixture)));
  });
});
