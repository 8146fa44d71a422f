/**
 * Group 2, read claims: claimmap's readSaml (every safety check on: well-formedness, no DTD, one Assertion in the
 * right place, namespaces, limits) against @xmldom/xmldom + xpath (the node-saml style) and fast-xml-parser's
 * parse alone, on a 7.6 KB Okta-style Response with a 20-value groups attribute and a ds:Signature block.
 */
import { isDeepStrictEqual } from 'node:util';
import { readSaml } from '../../src/claims/index.js';
import { SAML_RESPONSE, fastXmlParserParse, xmldomXpathRead } from '../fixtures/saml.js';
import { type MeasureOptions, measureGroup } from '../lib/measure.js';
import { type GroupResult, toRows } from '../lib/report.js';
import { defined } from '../../src/model/invariant.js';

export async function runSaml(options: MeasureOptions): Promise<GroupResult> {
  const cs = readSaml(SAML_RESPONSE);
  const ours = {
    issuer: cs.issuer,
    subject: { id: cs.subject.id, format: cs.subject.format },
    claims: { ...cs.claims },
  };
  const theirs = xmldomXpathRead(SAML_RESPONSE);
  if (!isDeepStrictEqual(ours, { ...theirs, claims: { ...theirs.claims } })) {
    throw new Error(`saml: readSaml and xmldom+xpath disagree:\n${JSON.stringify(ours)}\n${JSON.stringify(theirs)}`);
  }
  const stats = await measureGroup(
    [
      { name: 'xmldom + xpath (node-saml style)', run: () => xmldomXpathRead(SAML_RESPONSE) },
      { name: 'claimmap readSaml', run: () => readSaml(SAML_RESPONSE) },
      { name: 'fast-xml-parser (parse only)', run: () => fastXmlParserParse(SAML_RESPONSE) },
    ],
    options,
  );
  const rows = toRows('read SAML', stats, 'xmldom + xpath (node-saml style)', 'reads/s', 1);
  const ours_ = defined(rows.find((r) => r.name === 'claimmap readSaml'));
  const speedup = 1 / ours_.ratio;
  return {
    group: 'read SAML',
    rows,
    notes: [
      `input ${Buffer.byteLength(SAML_RESPONSE)} bytes; readSaml and xmldom+xpath returned the same issuer, NameID and attributes`,
    ],
    targets: [{ name: 'readSaml speed-up over xmldom + xpath', value: speedup, target: '>= 3.00x', met: speedup >= 3 }],
  };
}
