/**
 * Differential test against @xmldom/xmldom (the DOM node-saml and xml-crypto verify signatures on): for every
 * valid SAML fixture, the NameID, the Issuer and every attribute's values read by claimmap equal the `textContent`
 * that xmldom extracts, element by element, in document order.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { readClaims } from '../../../src/claims/index.js';
import { FIXTURES, FIXTURE_ROOT } from '../fixture-list.js';

const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function kids(el: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n !== null; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === A && (n as Element).localName === local)
      out.push(n as Element);
  }
  return out;
}

/** What a DOM-based verifier would read, with xmldom. */
function viaXmldom(xml: string) {
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') throw new Error(msg);
    },
  }).parseFromString(xml, 'text/xml');
  const assertion = doc.getElementsByTagNameNS(A, 'Assertion')[0]!;
  const nameId = kids(kids(assertion, 'Subject')[0]!, 'NameID')[0];
  const claims: Record<string, string[]> = {};
  for (const statement of kids(assertion, 'AttributeStatement')) {
    for (const attr of kids(statement, 'Attribute')) {
      const name = attr.getAttribute('Name')!;
      let values = claims[name];
      if (values === undefined) {
        values = [];
        claims[name] = values;
      }
      for (const v of kids(attr, 'AttributeValue')) {
        const nil = v.getAttributeNS(XSI, 'nil');
        if (nil === 'true' || nil === '1') continue;
        const inner = kids(v, 'NameID')[0];
        values.push((inner ?? v).textContent ?? '');
      }
    }
  }
  return {
    issuer: kids(assertion, 'Issuer')[0]!.textContent,
    // No SAML NameID (a Subject with only SubjectConfirmation, or a foreign-namespace look-alike): subject id ''.
    subject: nameId
      ? { id: nameId.textContent, format: nameId.getAttribute('Format') ?? undefined }
      : { id: '', format: undefined },
    claims,
  };
}

const valid = FIXTURES.filter((f) => f.startsWith('saml/') && f.endsWith('.xml')).filter((f) => {
  try {
    readClaims(readFileSync(join(FIXTURE_ROOT, f)));
    return true;
  } catch {
    return false;
  }
});

describe('claimmap text extraction equals xmldom textContent', () => {
  it('covers the valid corpus', () => {
    expect(valid.length).toBeGreaterThanOrEqual(12);
  });
  it.each(valid)('%s', (fixture) => {
    const bytes = readFileSync(join(FIXTURE_ROOT, fixture));
    const ours = readClaims(bytes);
    const theirs = viaXmldom(bytes.toString('utf8'));
    expect(ours.issuer).toBe(theirs.issuer);
    expect(ours.subject.id).toBe(theirs.subject.id);
    expect(ours.subject.format).toBe(theirs.subject.format);
    expect({ ...ours.claims }).toEqual(theirs.claims);
  });
});
