/**
 * A test-only SAML identity provider and service provider: an RSA key made at start-up signs Assertions with
 * xml-crypto, and @node-saml/node-saml (DOM based: xmldom + xml-crypto) verifies Responses with the public key. The
 * signed-assertion differential tests use it to check that whatever node-saml accepts, claimmap reads the same way.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SAML } from '@node-saml/node-saml';
import { SignedXml } from 'xml-crypto';

export const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const IDP = 'https://idp.example.com';
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** Who an Assertion is about. */
export interface Identity {
  nameId: string;
  attributes: Record<string, string[]>;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** An unsigned Assertion (the `saml` prefix is declared on it). */
export function assertionXml(who: Identity, id = '_a1'): string {
  const attrs = Object.entries(who.attributes)
    .map(
      ([name, values]) =>
        `<saml:Attribute Name="${esc(name)}">${values.map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`,
    )
    .join('');
  return `<saml:Assertion xmlns:saml="${A}" ID="${id}" IssueInstant="2024-06-01T12:00:00Z" Version="2.0"><saml:Issuer>${IDP}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(who.nameId)}</saml:NameID></saml:Subject><saml:AttributeStatement>${attrs}</saml:AttributeStatement></saml:Assertion>`;
}

/** Signs the Assertion whose ID is `id` inside `xml` (enveloped signature after its Issuer, exclusive c14n). */
export function signAssertion(xml: string, id = '_a1'): string {
  const sig = new SignedXml({
    privateKey: PRIVATE_PEM,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  });
  sig.addReference({
    xpath: `//*[local-name(.)='Assertion' and @ID='${id}']`,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, {
    location: {
      reference: `//*[local-name(.)='Assertion' and @ID='${id}']/*[local-name(.)='Issuer']`,
      action: 'after',
    },
  });
  return sig.getSignedXml();
}

/** A Response around `inner` (an Assertion, signed or not). */
export function responseXml(inner: string, before = ''): string {
  return `<samlp:Response xmlns:samlp="${P}" xmlns:saml="${A}" ID="_r1" Version="2.0" IssueInstant="2024-06-01T12:00:00Z"><saml:Issuer>${IDP}</saml:Issuer>${before}<samlp:Status><samlp:StatusCode Value="${SUCCESS}"/></samlp:Status>${inner}</samlp:Response>`;
}

/** A Response holding one Assertion about `who`, signed by the IdP key. */
export function signedResponse(who: Identity): string {
  return responseXml(signAssertion(assertionXml(who)));
}

const sp = new SAML({
  callbackUrl: 'https://sp.example.com/acs',
  issuer: 'https://sp.example.com',
  idpCert: PUBLIC_PEM,
  audience: false,
  wantAuthnResponseSigned: false,
  wantAssertionsSigned: true,
  acceptedClockSkewMs: -1,
  validateInResponseTo: 'never' as never,
});

/** What node-saml accepted, or undefined when it refused the Response. */
export interface Verified {
  nameID: string | undefined;
  issuer: string | undefined;
  attributes: Record<string, unknown>;
  assertionXml: string;
  profile: Record<string, unknown>;
}

/** Runs node-saml's POST-binding validation on a Response (XML text). */
export async function nodeSamlVerify(xml: string): Promise<Verified | undefined> {
  try {
    const { profile } = await sp.validatePostResponseAsync({
      SAMLResponse: Buffer.from(xml, 'utf8').toString('base64'),
    });
    if (profile === null) return undefined;
    return {
      nameID: profile.nameID,
      issuer: profile.issuer,
      attributes: (profile.attributes ?? {}) as Record<string, unknown>,
      assertionXml: profile.getAssertionXml!(),
      profile: profile as unknown as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}
