/**
 * SAML 2.0 Response or Assertion → claim set. Elements are matched by namespace URI and local name. Exactly one
 * Assertion is accepted, as the root or as a child of the root Response; anything else (two Assertions, one hidden
 * in Extensions, Advice or a Signature) is refused as signature wrapping. claimmap never verifies signatures: the
 * raw-XML reader marks its claim set unverified.
 */
import type { ClaimSet, ClaimWarning, Subject } from '../../model/claim-set.js';
import { ClaimsError } from '../errors.js';
import {
  bytesToText,
  checkInputSize,
  decodeBase64,
  firstSignificantByte,
  inflateMessage,
  trimStartText,
} from '../input.js';
import { type SamlLimits, type SamlReadOptions, samlLimits } from '../options.js';
import { type XmlElement, attr, childrenNamed, failAt, parseXml } from '../xml/tree.js';
import type { XmlSource } from '../xml/well-formed.js';
import { assembleSaml, isoInstant, type RawAttribute } from './assemble.js';
import { SAML_ASSERTION_NS as A, SAML_PROTOCOL_NS as P, STATUS_SUCCESS, XSI_NS } from './namespaces.js';
import { defined } from '../../model/invariant.js';

/** The XML document and the text it was found in (positions count the white space skipped before it). */
interface SamlDocument {
  xml: string;
  /** Whether it was decoded from bytes (then encoding declarations matter). */
  fromBytes: boolean;
  source: XmlSource;
}

/** `text` without its leading BOM and white space, and where that leaves it in `text`. */
function documentIn(text: string, fromBytes: boolean): SamlDocument {
  const xml = trimStartText(text);
  return { xml, fromBytes, source: { text, start: text.length - xml.length } };
}

/** Raw or base64 input → the XML document. */
function decodeSamlInput(input: string | Uint8Array, maxBytes: number): SamlDocument {
  let bytes: Uint8Array;
  if (typeof input === 'string') {
    checkInputSize(input, maxBytes);
    const doc = documentIn(input, false);
    if (doc.xml.length === 0) throw new ClaimsError('input/empty', 'the input is empty');
    if (doc.xml.charCodeAt(0) === 0x3c /* < */) return doc;
    bytes = decodeBase64(doc.xml, maxBytes);
  } else if (input instanceof Uint8Array) {
    checkInputSize(input, maxBytes);
    const at = firstSignificantByte(input);
    if (at === input.length) throw new ClaimsError('input/empty', 'the input is empty');
    if (input[at] === 0x3c) return documentIn(bytesToText(input, maxBytes), true);
    bytes = decodeBase64(bytesToText(input, maxBytes), maxBytes);
  } else {
    throw new TypeError('claimmap: SAML input must be a string or a Uint8Array');
  }
  // base64-decoded: XML as is (POST binding), or raw-deflated XML (Redirect binding).
  let at = firstSignificantByte(bytes);
  if (at === bytes.length) throw new ClaimsError('input/empty', 'the decoded input is empty');
  if (bytes[at] !== 0x3c) {
    bytes = inflateMessage(bytes, maxBytes);
    at = firstSignificantByte(bytes);
    if (bytes[at] !== 0x3c) throw new ClaimsError('input/inflate-failed', 'the inflated message is not XML');
  }
  return documentIn(bytesToText(bytes, maxBytes, 'the decoded message'), true);
}

/** The text of a simple-content element: element children are refused (they would hide text from the reader). */
function textOf(el: XmlElement, limits: SamlLimits): string {
  let text = '';
  for (const c of el.children) {
    if (typeof c !== 'string')
      failAt(c, 'saml/element-in-text', `<${el.qname}> must hold text only, not the element <${c.qname}>`);
    text += c;
  }
  if (text.length > limits.maxValueLength) {
    failAt(el, 'saml/value-too-long', `<${el.qname}> is longer than maxValueLength (${limits.maxValueLength})`);
  }
  return text;
}

function one(parent: XmlElement, local: string, missing: () => never): XmlElement {
  const found = childrenNamed(parent, A, local);
  if (found.length > 1) failAt(found[1], 'saml/duplicate-element', `more than one <${local}> in <${parent.qname}>`);
  return found[0] ?? missing();
}

/** Every Assertion and EncryptedAssertion in the document, wherever it is. */
function findAssertions(el: XmlElement, out: XmlElement[]): void {
  if (el.ns === A) {
    if (el.local === 'Assertion') out.push(el);
    else if (el.local === 'EncryptedAssertion') {
      failAt(
        el,
        'saml/encrypted-assertion',
        'the Assertion is encrypted',
        'decrypt it first (node-saml decryptionPvk), then read the decrypted XML',
      );
    }
  }
  for (const c of el.children) if (typeof c !== 'string') findAssertions(c, out);
}

function readSubject(assertion: XmlElement, limits: SamlLimits, warnings: ClaimWarning[]): Subject {
  const subject = one(assertion, 'Subject', () =>
    failAt(assertion, 'saml/missing-subject', 'the Assertion has no Subject'),
  );
  if (childrenNamed(subject, A, 'EncryptedID').length > 0) {
    failAt(
      subject,
      'saml/encrypted-id',
      'the Subject holds an EncryptedID',
      'decrypt it first, then read the decrypted XML',
    );
  }
  if (childrenNamed(subject, A, 'NameID').length === 0 && childrenNamed(subject, A, 'BaseID').length === 0) {
    // Valid SAML (a Subject with only SubjectConfirmation): the subject id is empty, so a mapping keyed on the
    // NameID refuses the login (key-absent) while one keyed on an attribute (subject-id, pairwise-id) can accept it.
    warnings.push({
      code: 'saml/no-nameid',
      message: 'the Subject has no NameID: only a mapping keyed on an attribute can accept this login',
    });
    return { id: '' };
  }
  const nameId = one(subject, 'NameID', () =>
    failAt(subject, 'saml/missing-subject', 'the Subject has a BaseID, not a NameID'),
  );
  const id = textOf(nameId, limits);
  if (id === '') failAt(nameId, 'saml/missing-subject', 'the NameID is empty');
  const s: Subject = { id };
  const format = attr(nameId, '', 'Format');
  const nq = attr(nameId, '', 'NameQualifier');
  const spnq = attr(nameId, '', 'SPNameQualifier');
  if (format !== undefined) s.format = format;
  if (nq !== undefined) s.nameQualifier = nq;
  if (spnq !== undefined) s.spNameQualifier = spnq;
  return s;
}

function readValue(v: XmlElement, limits: SamlLimits): string | undefined {
  const nil = attr(v, XSI_NS, 'nil');
  if (nil === 'true' || nil === '1') {
    if (v.children.length > 0) failAt(v, 'saml/invalid-nil', 'an AttributeValue marked xsi:nil has content');
    return undefined; // no value: not the empty string
  }
  let element: XmlElement | undefined;
  let text = '';
  for (const c of v.children) {
    if (typeof c === 'string') text += c;
    else if (element === undefined) element = c;
    else failAt(c, 'saml/element-in-text', 'an AttributeValue holds several elements');
  }
  if (element === undefined) {
    if (text.length > limits.maxValueLength)
      failAt(v, 'saml/value-too-long', `an AttributeValue is longer than maxValueLength (${limits.maxValueLength})`);
    return text;
  }
  // eduPersonTargetedID and friends: a NameID inside the value, read as that NameID.
  if (element.ns === A && element.local === 'NameID' && /^[ \t\r\n]*$/.test(text)) return textOf(element, limits);
  return failAt(element, 'saml/element-in-text', `an AttributeValue holds the element <${element.qname}>`);
}

function readAttributes(assertion: XmlElement, limits: SamlLimits): RawAttribute[] {
  const out: RawAttribute[] = [];
  for (const statement of childrenNamed(assertion, A, 'AttributeStatement')) {
    for (const el of statement.children) {
      if (typeof el === 'string' || el.ns !== A) continue;
      if (el.local === 'EncryptedAttribute') {
        failAt(
          el,
          'saml/encrypted-attribute',
          'an Attribute is encrypted',
          'decrypt it first, then read the decrypted XML',
        );
      }
      if (el.local !== 'Attribute') continue;
      const name = attr(el, '', 'Name');
      if (name === undefined || name === '') failAt(el, 'saml/missing-attribute-name', 'an Attribute has no Name');
      if (out.length >= limits.maxAttributes) {
        failAt(el, 'saml/too-many-attributes', `more than maxAttributes (${limits.maxAttributes}) attributes`);
      }
      const values: string[] = [];
      for (const v of el.children) {
        if (typeof v === 'string' || v.ns !== A || v.local !== 'AttributeValue') continue;
        const value = readValue(v, limits);
        if (value === undefined) continue;
        values.push(value);
        if (values.length > limits.maxValuesPerAttribute) {
          failAt(
            v,
            'saml/too-many-values',
            `the attribute '${name}' has more than maxValuesPerAttribute (${limits.maxValuesPerAttribute}) values`,
          );
        }
      }
      out.push({ name, friendlyName: attr(el, '', 'FriendlyName'), nameFormat: attr(el, '', 'NameFormat'), values });
    }
  }
  return out;
}

/** The namespace-resolved document → claim set. */
function fromDocument(root: XmlElement, limits: SamlLimits, verified: boolean): ClaimSet {
  const found: XmlElement[] = [];
  let responseIssuer: string | undefined;
  if (verified && !(root.ns === A && root.local === 'Assertion')) {
    failAt(
      root,
      'saml/not-verified-assertion',
      `fromVerifiedSamlXml reads one verified Assertion, not <${root.qname}>`,
      'pass what the verifier proved: fromVerifiedSamlXml(profile.getAssertionXml()), or use ' +
        'fromNodeSamlProfile(profile); never the request body',
    );
  }
  if (root.ns === P && root.local === 'Response') {
    const statuses = childrenNamed(root, P, 'Status');
    if (statuses.length > 1) failAt(statuses[1], 'saml/duplicate-element', 'more than one Status in the Response');
    const status = statuses[0];
    const codes = status === undefined ? [] : childrenNamed(status, P, 'StatusCode');
    if (codes.length > 1)
      failAt(codes[1], 'saml/duplicate-element', 'more than one top-level StatusCode in the Status');
    const code = codes[0];
    const value = code === undefined ? undefined : attr(code, '', 'Value');
    if (code !== undefined && value !== STATUS_SUCCESS) {
      failAt(code, 'saml/status-not-success', `the Response status is '${value ?? ''}', not Success`);
    }
    const issuers = childrenNamed(root, A, 'Issuer');
    if (issuers.length > 1) failAt(issuers[1], 'saml/duplicate-element', 'more than one Issuer in the Response');
    if (issuers[0] !== undefined) responseIssuer = textOf(issuers[0], limits);
    findAssertions(root, found);
    if (found.length === 0) failAt(root, 'saml/missing-assertion', 'the Response holds no Assertion');
  } else if (root.ns === A && root.local === 'Assertion') {
    findAssertions(root, found);
  } else {
    failAt(
      root,
      'saml/unexpected-root',
      `the root element <${root.qname}> (namespace '${root.ns}') is neither a SAML Response nor an Assertion`,
    );
  }
  if (found.length > 1) {
    failAt(
      found[1],
      'saml/multiple-assertions',
      'the document holds more than one Assertion',
      'a second Assertion is how XML signature wrapping works; exactly one is accepted',
    );
  }
  const assertion = defined(found[0]);
  if (assertion !== root && assertion.parent !== root) {
    failAt(assertion, 'saml/assertion-misplaced', 'the Assertion is not a direct child of the Response');
  }

  const issuerEl = one(assertion, 'Issuer', () =>
    failAt(assertion, 'saml/missing-issuer', 'the Assertion has no Issuer'),
  );
  const issuer = textOf(issuerEl, limits);
  if (issuer === '') failAt(issuerEl, 'saml/missing-issuer', 'the Assertion Issuer is empty');
  if (responseIssuer !== undefined && responseIssuer !== issuer) {
    failAt(
      issuerEl,
      'saml/issuer-mismatch',
      `the Response Issuer '${responseIssuer}' differs from the Assertion Issuer '${issuer}'`,
    );
  }
  const warnings: ClaimWarning[] = [];
  const subject = readSubject(assertion, limits, warnings);
  const attributes = readAttributes(assertion, limits);
  const instant = attr(assertion, '', 'IssueInstant');
  const issuedAt = instant === undefined ? undefined : isoInstant(instant);
  if (instant !== undefined && issuedAt === undefined) {
    warnings.push({
      code: 'saml/invalid-issue-instant',
      message: `the Assertion IssueInstant '${instant}' is not an xs:dateTime; issuedAt is left out`,
    });
  }
  return assembleSaml({ issuer, subject, attributes, issuedAt, verified, warnings }, limits);
}

function read(input: string | Uint8Array, options: SamlReadOptions | undefined, verified: boolean): ClaimSet {
  const limits = samlLimits(options);
  let { xml, fromBytes, source } = decodeSamlInput(input, limits.maxBytes);
  if (verified && xml.includes('\r')) {
    // Verified XML is a verifier's serialisation of the DOM it checked, where line ends were already normalised: a
    // CR left in it came from a character reference (xmldom writes a text CR back as a literal CR, canonical XML as
    // &#xD;), so it is read as the CR the verifier saw, not as a line end.
    xml = xml.replace(/\r/g, '&#13;');
    source = { text: xml, start: 0 };
  }
  return fromDocument(parseXml(xml, limits.maxDepth, fromBytes, source), limits, verified);
}

/**
 * Reads a SAML 2.0 Response (with exactly one Assertion) or a bare Assertion: raw XML, the base64 `SAMLResponse`
 * form value (URL-encoded or not), or the base64 raw-deflated Redirect-binding form. The claim set is marked
 * `verified: false`: claimmap does not verify signatures. Refused input throws a {@link ClaimsError}.
 *
 * @example
 * ```ts
 * const cs = readSaml(req.body.SAMLResponse);
 * cs.subject.id;               // the NameID
 * cs.claims['urn:oid:0.9.2342.19200300.100.1.3']; // ['jane@example.com']
 * cs.verified;                 // false
 * ```
 */
export function readSaml(input: string | Uint8Array, options?: SamlReadOptions): ClaimSet {
  return read(input, options, false);
}

/**
 * Reads the one Assertion a signature verifier proved (node-saml's `profile.getAssertionXml()`, which is the signed
 * Assertion serialised from the verifier's own DOM) and marks the claim set `verified: true`. The same checks as
 * {@link readSaml} apply, and the root must be a SAML Assertion: a whole Response, which is what the request body
 * holds, is refused with `saml/not-verified-assertion`, because its unsigned parts are exactly where signature
 * wrapping hides a second Assertion. The only safe calls are `fromVerifiedSamlXml(profile.getAssertionXml())` and
 * {@link fromNodeSamlProfile}. A literal CR in the input is read as a CR character (the verifier's DOM had its line
 * ends normalised already, and xmldom writes a CR that came from `&#13;` back as a literal CR).
 *
 * @example
 * ```ts
 * const { profile } = await saml.validatePostResponseAsync(req.body);
 * const cs = fromVerifiedSamlXml(profile!.getAssertionXml!());
 * ```
 */
export function fromVerifiedSamlXml(xml: string | Uint8Array, options?: SamlReadOptions): ClaimSet {
  return read(xml, options, true);
}
