import { deflateRawSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// biome-ignore lint/suspicious/noDeprecatedImports: the differential oracle below; its successor fast-xml-validator is not a dependency
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  ClaimsError,
  type ClaimsErrorCode,
  type SamlReadOptions,
  fromNodeSamlProfile,
  fromVerifiedSamlXml,
  isClaimsError,
  readSaml,
} from '../../../src/claims/index.js';
import { compile } from '../../../src/compile/compile.js';
import { evaluate } from '../../../src/evaluate/index.js';
import { FIXTURES } from '../fixture-list.js';

const A = 'urn:oasis:names:tc:SAML:2.0:assertion';
const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
const FIX = join(import.meta.dirname, '../../fixtures/claims');

function assertion(body: string, subject = '<saml:NameID>u1</saml:NameID>'): string {
  return `<saml:Assertion xmlns:saml="${A}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_a" IssueInstant="2024-06-01T12:00:00Z" Version="2.0"><saml:Issuer>https://idp</saml:Issuer><saml:Subject>${subject}</saml:Subject><saml:AttributeStatement>${body}</saml:AttributeStatement></saml:Assertion>`;
}
function attribute(name: string, ...values: string[]): string {
  return `<saml:Attribute Name="${name}">${values.map((v) => `<saml:AttributeValue>${v}</saml:AttributeValue>`).join('')}</saml:Attribute>`;
}
function codeOf(f: () => unknown): ClaimsErrorCode | 'no error' {
  try {
    f();
    return 'no error';
  } catch (e) {
    if (e instanceof ClaimsError) return e.code;
    throw e;
  }
}

describe('readSaml: refused input (invalid table)', () => {
  const cases: [string, string | Uint8Array, ClaimsErrorCode, SamlReadOptions?][] = [
    ['empty string', '   \n', 'input/empty'],
    ['empty bytes', new Uint8Array(0), 'input/empty'],
    ['not base64', 'this is not xml!', 'input/invalid-base64'],
    ['base64 with a bad length', 'PGEvP', 'input/invalid-base64'],
    ['bad URL encoding', 'PGEvPg%3', 'input/invalid-base64'],
    ['base64 of neither XML nor deflate', Buffer.from('hello world').toString('base64'), 'input/inflate-failed'],
    [
      'invalid UTF-8 bytes',
      new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0xfe, 0x3c, 0x2f, 0x61, 0x3e]),
      'input/invalid-utf8',
    ],
    ['over maxBytes (string)', assertion(''), 'input/too-large', { maxBytes: 100 }],
    ['over maxBytes (bytes)', Buffer.from(assertion('')), 'input/too-large', { maxBytes: 100 }],
    ['over maxBytes (multi-byte chars)', `<a>${'é'.repeat(60)}</a>`, 'input/too-large', { maxBytes: 100 }],
    ['over maxBytes after base64', Buffer.from(assertion('')).toString('base64'), 'input/too-large', { maxBytes: 300 }],
    ['over maxDepth', assertion(''), 'saml/too-deep', { maxDepth: 2 }],
    ['self-closing element over maxDepth', '<a><b/></a>', 'saml/too-deep', { maxDepth: 1 }],
    [
      'over maxAttributes',
      assertion(attribute('a', '1') + attribute('b', '2')),
      'saml/too-many-attributes',
      { maxAttributes: 1 },
    ],
    [
      'over maxValuesPerAttribute',
      assertion(attribute('a', '1', '2', '3')),
      'saml/too-many-values',
      { maxValuesPerAttribute: 2 },
    ],
    [
      'over maxValuesPerAttribute after merging',
      assertion(attribute('a', '1', '2') + attribute('a', '3')),
      'saml/too-many-values',
      { maxValuesPerAttribute: 2 },
    ],
    [
      'value over maxValueLength',
      assertion(attribute('a', 'x'.repeat(11))),
      'saml/value-too-long',
      { maxValueLength: 10 },
    ],
    [
      'NameID over maxValueLength',
      assertion('', `<saml:NameID>${'x'.repeat(11)}</saml:NameID>`),
      'saml/value-too-long',
      { maxValueLength: 10 },
    ],
    ['DOCTYPE in lower-case prefix position', '<!DOCTYPE a><a/>', 'saml/doctype-forbidden'],
    ["'<!' that is neither comment nor CDATA", '<a><!ELEMENT a ANY></a>', 'saml/malformed-xml'],
    ['unclosed comment', '<a><!-- </a>', 'saml/malformed-xml'],
    ["'--' inside a comment", '<a><!-- a -- b --></a>', 'saml/malformed-xml'],
    ['unclosed CDATA', '<a><![CDATA[ </a>', 'saml/malformed-xml'],
    ['CDATA outside the root', '<![CDATA[x]]><a/>', 'saml/malformed-xml'],
    ["']]>' in text", '<a>x]]>y</a>', 'saml/malformed-xml'],
    ['text after the root', '<a/>x', 'saml/malformed-xml'],
    ['an XML declaration in the middle', '<a><?xml version="1.0"?></a>', 'saml/malformed-xml'],
    ['unquoted attribute value', '<a b=c/>', 'saml/malformed-xml'],
    ['attribute without value', '<a b/>', 'saml/malformed-xml'],
    ['attributes not separated', '<a b="1"c="2"/>', 'saml/malformed-xml'],
    ['end tag without start tag', '<a/></a>', 'saml/malformed-xml'],
    ['end tag with attributes', '<a></a b="1">', 'saml/malformed-xml'],
    ['a name starting with a digit', '<1a/>', 'saml/malformed-xml'],
    ['a character reference to NUL', '<a>&#0;</a>', 'saml/malformed-xml'],
    ['an ampersand without a semicolon', '<a>&amp</a>', 'saml/malformed-xml'],
    ['a lone surrogate', '<a>\uD800</a>', 'saml/malformed-xml'],
    ['an undeclared element prefix', '<x:a/>', 'saml/undeclared-prefix'],
    ['an undeclared attribute prefix', '<a x:b="1"/>', 'saml/undeclared-prefix'],
    ['a prefix undeclared with xmlns:p=""', '<p:a xmlns:p="urn:p"><p:b xmlns:p=""/></p:a>', 'saml/malformed-xml'],
    ['the xml prefix rebound', '<a xmlns:xml="urn:other"/>', 'saml/malformed-xml'],
    ['the xmlns prefix declared', '<a xmlns:xmlns="urn:other"/>', 'saml/malformed-xml'],
    ['a root in no namespace', '<Assertion/>', 'saml/unexpected-root'],
    ['a Response in the assertion namespace', `<Response xmlns="${A}"/>`, 'saml/unexpected-root'],
    ['an empty NameID', assertion('', '<saml:NameID></saml:NameID>'), 'saml/missing-subject'],
    ['a BaseID instead of a NameID', assertion('', '<saml:BaseID/>'), 'saml/missing-subject'],
    [
      'two Subjects',
      assertion('').replace(
        '</saml:Subject>',
        '</saml:Subject><saml:Subject><saml:NameID>u2</saml:NameID></saml:Subject>',
      ),
      'saml/duplicate-element',
    ],
    [
      'two Issuers',
      assertion('').replace(
        '<saml:Issuer>https://idp</saml:Issuer>',
        '<saml:Issuer>https://idp</saml:Issuer><saml:Issuer>https://evil</saml:Issuer>',
      ),
      'saml/duplicate-element',
    ],
    ['an empty Issuer', assertion('').replace('https://idp', ''), 'saml/missing-issuer'],
    ['an element inside the Issuer', assertion('').replace('https://idp', 'https://idp<x/>'), 'saml/element-in-text'],
    [
      'a NameID value beside text',
      assertion(
        `<saml:Attribute Name="t"><saml:AttributeValue>x<saml:NameID>y</saml:NameID></saml:AttributeValue></saml:Attribute>`,
      ),
      'saml/element-in-text',
    ],
    [
      'two NameIDs in one value',
      assertion(
        `<saml:Attribute Name="t"><saml:AttributeValue><saml:NameID>a</saml:NameID><saml:NameID>b</saml:NameID></saml:AttributeValue></saml:Attribute>`,
      ),
      'saml/element-in-text',
    ],
    [
      'an element inside a NameID value',
      assertion(
        `<saml:Attribute Name="t"><saml:AttributeValue><saml:NameID>a<b/></saml:NameID></saml:AttributeValue></saml:Attribute>`,
      ),
      'saml/element-in-text',
    ],
    ['an empty Attribute Name', assertion(`<saml:Attribute Name=""/>`), 'saml/missing-attribute-name'],
    [
      'a Response whose only Assertion is inside another element',
      `<samlp:Response xmlns:samlp="${P}"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><x xmlns="urn:x">${assertion('')}</x></samlp:Response>`,
      'saml/assertion-misplaced',
    ],
    [
      'two Issuers on the Response',
      `<samlp:Response xmlns:samlp="${P}" xmlns:saml="${A}"><saml:Issuer>a</saml:Issuer><saml:Issuer>b</saml:Issuer>${assertion('')}</samlp:Response>`,
      'saml/duplicate-element',
    ],
    ['several roots after a comment', '<a/><!-- x --><b/>', 'saml/multiple-roots'],
    [
      'two Status elements on the Response',
      `<samlp:Response xmlns:samlp="${P}"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status>${assertion('')}</samlp:Response>`,
      'saml/duplicate-element',
    ],
    [
      'two top-level StatusCodes',
      `<samlp:Response xmlns:samlp="${P}"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/></samlp:Status>${assertion('')}</samlp:Response>`,
      'saml/duplicate-element',
    ],
    ['an element with the xmlns prefix', '<xmlns:a xmlns:p="urn:p"/>', 'saml/malformed-xml'],
  ];
  it.each(cases)('%s', (_name, input, code, options) => {
    expect(codeOf(() => readSaml(input, options))).toBe(code);
  });

  it('gives a position (offset, line, column) for well-formedness errors', () => {
    try {
      readSaml('<a>\n  <b></c>\n</a>');
      expect.unreachable();
    } catch (e) {
      expect(isClaimsError(e, 'saml/malformed-xml')).toBe(true);
      expect((e as ClaimsError).position).toEqual({ offset: 9, line: 2, column: 6 });
    }
  });

  it.each([
    ['leading blank lines', '\n\n\n<a>&foo;</a>', { offset: 6, line: 4, column: 4 }],
    ['a BOM and CRLF lines', '\ufeff\r\n<a>\r\n&foo;</a>', { offset: 8, line: 3, column: 1 }],
    ['a lone CR', '<a>\r&foo;</a>', { offset: 4, line: 2, column: 1 }],
  ])('counts positions in the text as given, after %s', (_name, xml, position) => {
    try {
      readSaml(xml);
      expect.unreachable();
    } catch (e) {
      expect((e as ClaimsError).position).toEqual(position);
    }
    try {
      readSaml(Buffer.from(xml));
      expect.unreachable();
    } catch (e) {
      // From bytes, offsets count the characters of the decoded text (a BOM is not one); lines and columns agree.
      expect((e as ClaimsError).position).toMatchObject({ line: position.line, column: position.column });
    }
  });

  it('gives an element path for structural errors', () => {
    try {
      readSaml(assertion('<saml:EncryptedAttribute/>'));
      expect.unreachable();
    } catch (e) {
      expect((e as ClaimsError).position?.path).toBe('/saml:Assertion/saml:AttributeStatement/saml:EncryptedAttribute');
    }
  });

  // No wall-clock limits (they failed on a loaded 2-core CI machine, and a timing ratio is still at the mercy of
  // GC and neighbours): the work is counted instead. Every character that String.prototype.indexOf or a RegExp exec
  // (which replace, test, search and split go through) passes over is counted, for the same shape at size n and 8n.
  // The count is deterministic; linear work grows about 8 times, quadratic work about 64 times.
  /** Characters scanned by indexOf and RegExp exec while `f` runs. */
  function scanned(f: () => unknown): number {
    let total = 0;
    const indexOf = String.prototype.indexOf;
    const exec = RegExp.prototype.exec;
    String.prototype.indexOf = function (this: string, needle: string, from = 0) {
      const at = indexOf.call(this, needle, from);
      total += (at === -1 ? this.length : at + needle.length) - Math.max(0, Math.trunc(from));
      return at;
    };
    RegExp.prototype.exec = function (this: RegExp, text: string) {
      const from = this.global || this.sticky ? this.lastIndex : 0;
      const m = exec.call(this, text);
      total += (m === null ? String(text).length : m.index + m[0].length) - from;
      return m;
    };
    try {
      f();
    } finally {
      String.prototype.indexOf = indexOf;
      RegExp.prototype.exec = exec;
    }
    return total;
  }
  /** How many times more characters reading `make(8 * n)` scans than reading `make(n)`; both must end in `code`. */
  function growth(make: (n: number) => string, n: number, code: ClaimsErrorCode): number {
    const small = make(n);
    const big = make(8 * n);
    const codes: string[] = [];
    const ratio =
      scanned(() => codes.push(codeOf(() => readSaml(big)))) / scanned(() => codes.push(codeOf(() => readSaml(small))));
    expect(codes).toEqual([code, code]);
    return ratio;
  }

  it('refuses a DOCTYPE in work linear in the input, however large the DTD', () => {
    expect(
      growth((n) => `<!DOCTYPE a [${'<!ENTITY x "y">'.repeat(n)}]><a/>`, 500, 'saml/doctype-forbidden'),
    ).toBeLessThan(10);
  });

  it.each([
    ['many attributes', (n: number) => `<a ${Array.from({ length: n }, (_, i) => `a${i}="&amp;"`).join(' ')}/>`, 400],
    ['many ampersands in many elements', (n: number) => `<a>${'<b>&amp;</b>'.repeat(n)}</a>`, 500],
    ['many comments and PIs', (n: number) => `<a>${'<!-- c --><?p d?>x'.repeat(n)}</a>`, 500],
    ['many prefixed names', (n: number) => `<a>${'<p:b xmlns:p="urn:p" p:c="1"/>'.repeat(n)}</a>`, 300],
    ['many CDATA sections and character references', (n: number) => `<a>${'<![CDATA[x]]>&#x41;'.repeat(n)}</a>`, 500],
  ])('stays linear on adversarial shapes: %s', (_name, make, n) => {
    expect(growth(make, n, 'saml/unexpected-root')).toBeLessThan(10);
  });

  it('counts quadratic work as quadratic (the measure can fail)', () => {
    const quadratic = (text: string) => {
      for (let i = 0; i < text.length; i += 10) text.indexOf('#', i);
    };
    const ratio = scanned(() => quadratic('x'.repeat(8000))) / scanned(() => quadratic('x'.repeat(1000)));
    expect(ratio).toBeGreaterThan(50);
  });

  it('throws TypeError for a caller mistake, not ClaimsError', () => {
    expect(() => readSaml(42 as unknown as string)).toThrow(TypeError);
    expect(() => readSaml('<a/>', { maxDepth: 0 })).toThrow(TypeError);
    expect(() => readSaml('<a/>', { maxBytes: -1 })).toThrow(TypeError);
  });
});

/** Every character JavaScript's `\s` matches (what fast-xml-parser splits names on), computed, not listed. */
const JS_SPACES = Array.from({ length: 0x10000 }, (_, c) => String.fromCharCode(c)).filter((ch) => /\s/.test(ch));
const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
/** XML 1.0 NameChar (BMP part). */
const NAME_CHAR =
  /^[-.0-9:A-Z_a-z\u00B7\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u037D\u037F-\u1FFF\u200C-\u200D\u203F-\u2040\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]$/;

describe('names are read per XML 1.0 and Namespaces in XML, never as a JavaScript parser splits them', () => {
  // A character XML allows in names but JavaScript counts as white space makes two parsers read two names:
  // saml/ambiguous-xml. Other JavaScript white space cannot be in a name: not well-formed. U+0085, U+2028 and
  // U+2029 are refused wherever they are (see below).
  const expected = (c: string): ClaimsErrorCode =>
    NAME_CHAR.test(c) || '\u0085\u2028\u2029'.includes(c) ? 'saml/ambiguous-xml' : 'saml/malformed-xml';
  const places: [string, (c: string) => string][] = [
    ['at the end of an element name', (c) => `<a${c}/>`],
    ['inside an element name', (c) => `<a${c}b/>`],
    ['in a start and end tag', (c) => `<a${c}></a${c}>`],
    ['in a prefixed element name', (c) => `<p:a${c} xmlns:p="urn:p"/>`],
    ['at the end of an attribute name', (c) => `<a b${c}="1"/>`],
    ['inside an attribute name', (c) => `<a b${c}c="1"/>`],
    ['in an xmlns prefix declaration', (c) => `<a xmlns:p${c}="urn:p"/>`],
    ['in a processing-instruction target', (c) => `<a><?pi${c}x?></a>`],
  ];
  const cases = JS_SPACES.filter((c) => !' \t\n\r'.includes(c)).flatMap((c) =>
    places.map(([where, make]): [string, string, string, ClaimsErrorCode] => [hex(c), where, make(c), expected(c)]),
  );

  it('covers U+FEFF and U+1680, the XML name characters JavaScript reads as white space', () => {
    expect(JS_SPACES.filter((c) => NAME_CHAR.test(c)).map(hex)).toEqual(['U+1680', 'U+FEFF']);
  });
  it.each(cases)('%s %s', (_c, _where, xml, code) => {
    expect(codeOf(() => readSaml(xml))).toBe(code);
  });

  it.each(JS_SPACES.filter((c) => !' \t\n\r'.includes(c)).map((c) => [hex(c), c]))(
    '%s between attributes or before = is not XML white space',
    (_hex, c) => {
      const code = '\u0085\u2028\u2029'.includes(c) ? 'saml/ambiguous-xml' : 'saml/malformed-xml';
      expect(codeOf(() => readSaml(`<a b="1"${c}c="2"/>`))).toBe(code);
      expect(codeOf(() => readSaml(`<a b="1"${c}/>`))).toBe(code);
      expect(codeOf(() => readSaml(`<a b=${c}"1"/>`))).toBe(code);
    },
  );

  it('points at the character', () => {
    try {
      readSaml('<a>\n<bb\uFEFF/></a>');
      expect.unreachable();
    } catch (e) {
      expect((e as ClaimsError).code).toBe('saml/ambiguous-xml');
      expect((e as ClaimsError).position).toEqual({ offset: 7, line: 2, column: 4 });
    }
  });

  it('still accepts white space XML allows between names and around =', () => {
    const cs = readSaml(
      assertion(
        `<saml:Attribute\tName \r\n=\n"a"\t><saml:AttributeValue\n>1</saml:AttributeValue\t></saml:Attribute >`,
      ),
    );
    expect({ ...cs.claims }).toEqual({ a: ['1'] });
  });
});

describe('line ends: what the reader returns for CR, U+0085, U+2028 and U+2029', () => {
  it.each([
    ['text', (c: string) => assertion(attribute('v', `a${c}b`))],
    ['an attribute value', (c: string) => assertion(`<saml:Attribute Name="a${c}b"/>`)],
    ['a comment', (c: string) => `<a><!-- ${c} --></a>`],
    ['a processing instruction', (c: string) => `<a><?pi ${c}?></a>`],
    ['CDATA', (c: string) => assertion(attribute('v', `<![CDATA[a${c}b]]>`))],
  ])(
    'refuses literal U+0085, U+2028 and U+2029 in %s (xmldom reads them as LF, XML 1.0 as themselves)',
    (_where, make) => {
      for (const c of ['\u0085', '\u2028', '\u2029', '\r\u0085'])
        expect(codeOf(() => readSaml(make(c)))).toBe('saml/ambiguous-xml');
    },
  );

  it('reads character references to them as the characters, as every parser does', () => {
    const cs = readSaml(assertion(attribute('v', 'a&#x85;b&#x2028;c&#8233;d')));
    expect(cs.claims.v).toEqual(['a\u0085b\u2028c\u2029d']);
  });

  it('turns CR and CRLF into LF in text, and into a space in attribute values; &#13; stays CR', () => {
    const cs = readSaml(
      assertion(
        `<saml:Attribute Name="x\ry\r\nz&#13;"><saml:AttributeValue>a\rb\r\nc&#13;d</saml:AttributeValue></saml:Attribute>`,
      ),
    );
    expect({ ...cs.claims }).toEqual({ 'x y z\r': ['a\nb\nc\rd'] });
  });
});

describe('XML declarations (production [23] XMLDecl) and processing instructions are parsed strictly', () => {
  const body = assertion('');
  it.each([
    '<?xml version="1.0"?>',
    "<?xml version='1.0'?>",
    '<?xml version = "1.0" ?>',
    '<?xml version="1.0" encoding="UTF-8"?>',
    "<?xml version='1.0' encoding='utf-8' standalone='no'?>",
    '<?xml version="1.0" standalone="yes"?>',
    '<?xml\tversion="1.0"\r\nencoding="UTF-8"\n?>',
  ])('accepts %s', (decl) => {
    expect(readSaml(decl + body).subject.id).toBe('u1');
  });

  it.each([
    ['no version', '<?xml?>'],
    ['only an encoding', '<?xml encoding="UTF-8"?>'],
    ['version 1.1', '<?xml version="1.1"?>'],
    ['version 2.0', '<?xml version="2.0"?>'],
    ['mismatched quotes', `<?xml version="1.0'?>`],
    ['an unquoted version', '<?xml version=1.0?>'],
    ['standalone before encoding', '<?xml version="1.0" standalone="yes" encoding="UTF-8"?>'],
    ['encoding before version', '<?xml encoding="UTF-8" version="1.0"?>'],
    ['an unknown pseudo-attribute', '<?xml version="1.0" foo="bar"?>'],
    ['a standalone that is not yes or no', '<?xml version="1.0" standalone="maybe"?>'],
    ['an empty encoding name', '<?xml version="1.0" encoding=""?>'],
    ['no space between pseudo-attributes', '<?xml version="1.0"encoding="UTF-8"?>'],
    ['a ?> inside a quoted value', '<?xml version="1.0" encoding="?><a/>"?>'],
    ['a non-XML space before ?>', '<?xml version="1.0"\u00A0?>'],
    ['no ?>', '<?xml version="1.0"'],
  ])('refuses %s', (_name, decl) => {
    expect(codeOf(() => readSaml(decl + body))).toBe('saml/malformed-xml');
  });

  it.each([
    ['<a><?pi?></a>'],
    ['<a><?pi data?></a>'],
    [`<a><?pi a="1" b='2'?></a>`],
    [`<a><?pi "quoted" 'twice'?></a>`],
    ['<?xml-stylesheet href="x"?><a/>'],
  ])('accepts the processing instruction in %s', (xml) => {
    expect(codeOf(() => readSaml(xml))).toBe('saml/unexpected-root');
  });

  it.each([
    ['a target joined to its data', '<a><?pi"x"?></a>', 'saml/malformed-xml'],
    ['a target with a colon', '<a><?p:i x?></a>', 'saml/malformed-xml'],
    ['the reserved target xml, any case', '<a><?XmL x?></a>', 'saml/malformed-xml'],
    ['a target separated by a non-XML space', '<a><?pi\u00A0x?></a>', 'saml/malformed-xml'],
    ['an unclosed double quote before ?>', '<a><?pi "?>x"?></a>', 'saml/ambiguous-xml'],
    ['an unclosed single quote before ?>', "<a><?pi '?><b/>'?></a>", 'saml/ambiguous-xml'],
    ['an unclosed quote in the prolog', '<?pi "?><a/>', 'saml/ambiguous-xml'],
  ])('refuses %s', (_name, xml, code) => {
    expect(codeOf(() => readSaml(xml))).toBe(code);
  });
});

describe('readSaml: accepted input (valid table)', () => {
  const ok = (xml: string | Uint8Array, options?: SamlReadOptions) => readSaml(xml, options);

  it('matches elements by namespace URI, never by prefix', () => {
    const xml = `<q:Assertion xmlns:q="${A}" ID="_a" IssueInstant="2024-06-01T12:00:00Z" Version="2.0"><q:Issuer>i</q:Issuer><Subject xmlns="${A}"><NameID>n</NameID></Subject><q:AttributeStatement><saml:Attribute xmlns:saml="urn:not-saml" Name="fake"><saml:AttributeValue>x</saml:AttributeValue></saml:Attribute><q:Attribute Name="real"><AttributeValue xmlns="${A}">y</AttributeValue><saml:AttributeValue xmlns:saml="urn:not-saml">skipped</saml:AttributeValue></q:Attribute></q:AttributeStatement></q:Assertion>`;
    const cs = ok(xml);
    expect(cs.subject.id).toBe('n');
    expect({ ...cs.claims }).toEqual({ real: ['y'] });
  });

  it('reads text exactly as a verifier sees it', () => {
    const cases: [string, string][] = [
      ['user@a.com<!---->.evil.com', 'user@a.com.evil.com'],
      ['a<![CDATA[b]]>c', 'abc'],
      ['<![CDATA[&amp;]]>', '&amp;'],
      ['&lt;&gt;&amp;&quot;&apos;', `<>&"'`],
      ['&#x1F600;&#65;', '😀A'],
      ['  007  ', '  007  '],
      ['line\r\nend', 'line\nend'],
      ['a<?pi data?>b', 'ab'],
    ];
    for (const [raw, expected] of cases) expect(ok(assertion(attribute('v', raw))).claims.v).toEqual([expected]);
  });

  it('normalises whitespace in attribute values as XML requires, keeping character references', () => {
    const cs = ok(
      assertion(`<saml:Attribute Name="a\tb&#9;c"><saml:AttributeValue>1</saml:AttributeValue></saml:Attribute>`),
    );
    expect(Object.keys(cs.claims)).toEqual(['a b\tc']);
  });

  it('accepts base64 with line breaks, URL encoding, a BOM, and the deflated Redirect form', () => {
    const xml = assertion(attribute('a', '1'));
    const b64 = Buffer.from(xml).toString('base64');
    const forms: (string | Uint8Array)[] = [
      b64.replace(/(.{76})/g, '$1\r\n'),
      encodeURIComponent(b64),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]),
      `\uFEFF  ${xml}`,
      Buffer.from(b64),
      deflateRawSync(Buffer.from(xml)).toString('base64'),
    ];
    for (const f of forms) expect(ok(f).claims.a).toEqual(['1']);
  });

  it('makes claims, aliases and attributes null-prototype records', () => {
    const cs = ok(assertion(attribute('__proto__', 'x') + attribute('constructor', 'y') + attribute('toString', 'z')));
    expect(Object.getPrototypeOf(cs.claims)).toBe(null);
    expect(Object.getPrototypeOf(cs.aliases)).toBe(null);
    expect(Object.getPrototypeOf(cs.attributes)).toBe(null);
    expect(Object.keys(cs.claims)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('merges duplicate attributes in document order and reports it', () => {
    const cs = ok(assertion(attribute('g', 'a', 'b') + attribute('h', 'x') + attribute('g', 'c')));
    expect(cs.claims.g).toEqual(['a', 'b', 'c']);
    expect(cs.warnings?.map((w) => [w.code, w.claim])).toEqual([['saml/duplicate-attribute', 'g']]);
  });

  it('gives FriendlyName and well-known aliases, a real Name always winning', () => {
    const cs = ok(
      assertion(
        `<saml:Attribute Name="urn:oid:2.5.4.42" FriendlyName="first"><saml:AttributeValue>A</saml:AttributeValue></saml:Attribute>` +
          `<saml:Attribute Name="mail" FriendlyName="email"><saml:AttributeValue>m</saml:AttributeValue></saml:Attribute>` +
          `<saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3"><saml:AttributeValue>oid</saml:AttributeValue></saml:Attribute>`,
      ),
    );
    expect({ ...cs.aliases }).toEqual({ first: 'urn:oid:2.5.4.42', givenName: 'urn:oid:2.5.4.42', email: 'mail' });
    expect(cs.attributes?.['urn:oid:2.5.4.42']).toEqual({ friendlyName: 'first' });
  });

  it('reads a Response whose Issuer matches and takes issuedAt from the Assertion', () => {
    const xml = `<samlp:Response xmlns:samlp="${P}" xmlns:saml="${A}" IssueInstant="2020-01-01T00:00:00Z"><saml:Issuer>https://idp</saml:Issuer>${assertion('')}</samlp:Response>`;
    const cs = ok(xml);
    expect(cs.issuer).toBe('https://idp');
    expect(cs.issuedAt).toBe('2024-06-01T12:00:00.000Z');
    expect(cs.verified).toBe(false);
  });

  it('warns about an IssueInstant that is not a dateTime and leaves issuedAt out', () => {
    const cs = ok(assertion('').replace('2024-06-01T12:00:00Z', 'yesterday'));
    expect(cs.issuedAt).toBeUndefined();
    expect(cs.warnings?.map((w) => w.code)).toEqual(['saml/invalid-issue-instant']);
  });

  it('marks Entra ID group overage indeterminate with a warning', () => {
    const cs = ok(assertion(attribute('http://schemas.microsoft.com/claims/groups.link', 'https://graph')));
    expect(cs.indeterminate).toEqual(['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups']);
    expect(cs.warnings?.map((w) => w.code)).toEqual(['saml/group-overage']);
  });

  it('accepts a declared UTF-8 encoding on bytes and any declaration on strings', () => {
    const body = assertion('');
    expect(ok(Buffer.from(`<?xml version="1.0" encoding="utf-8"?>${body}`)).subject.id).toBe('u1');
    expect(ok(`<?xml version="1.0" encoding="UTF-16"?>${body}`).subject.id).toBe('u1');
  });
});

describe('verified adapters', () => {
  it('fromVerifiedSamlXml applies the same checks and marks the claim set verified', () => {
    expect(fromVerifiedSamlXml(assertion(attribute('a', '1'))).verified).toBe(true);
    expect(codeOf(() => fromVerifiedSamlXml(`<!DOCTYPE a><a/>`))).toBe('saml/doctype-forbidden');
  });

  it.each([
    ['a whole Response (the request body)', `<samlp:Response xmlns:samlp="${P}">${assertion('')}</samlp:Response>`],
    [
      'the body as base64',
      Buffer.from(`<samlp:Response xmlns:samlp="${P}">${assertion('')}</samlp:Response>`).toString('base64'),
    ],
    ['a root that is not SAML', '<a/>'],
    ['an Assertion in no namespace', '<Assertion/>'],
  ])('fromVerifiedSamlXml refuses %s: only the verified Assertion is read', (_name, xml) => {
    expect(codeOf(() => fromVerifiedSamlXml(xml))).toBe('saml/not-verified-assertion');
    try {
      fromVerifiedSamlXml(xml);
    } catch (e) {
      expect((e as ClaimsError).hint).toMatch(/getAssertionXml\(\)/);
    }
  });

  it('fromNodeSamlProfile reshapes a node-saml Profile', () => {
    const profile = {
      issuer: 'https://idp',
      nameID: 'jane@example.com',
      nameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      spNameQualifier: 'https://sp',
      attributes: {
        'urn:oid:0.9.2342.19200300.100.1.3': 'jane@example.com',
        groups: ['a', 'b'],
        manager: undefined,
        targeted: { 'saml2:NameID': [{ _: 'opaque', $: { Format: 'persistent' } }] },
        typed: { _: 'text', $: { 'xsi:type': 'xs:string' } },
        empty: { $: { 'xsi:nil': 'true' } },
      },
      getAssertionXml: () => '<ignored/>',
    };
    const cs = fromNodeSamlProfile(profile);
    expect(cs.verified).toBe(true);
    expect(cs.subject).toEqual({
      id: 'jane@example.com',
      format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      spNameQualifier: 'https://sp',
    });
    expect({ ...cs.claims }).toEqual({
      'urn:oid:0.9.2342.19200300.100.1.3': ['jane@example.com'],
      groups: ['a', 'b'],
      manager: [],
      targeted: ['opaque'],
      typed: ['text'],
      empty: [],
    });
    expect(cs.aliases?.mail).toBe('urn:oid:0.9.2342.19200300.100.1.3');
  });

  it.each([
    ['no issuer', { nameID: 'n' }, 'saml/missing-issuer'],
    ['no nameID', { issuer: 'i' }, 'saml/missing-subject'],
    ['a numeric nameID', { issuer: 'i', nameID: 7 }, 'saml/invalid-profile'],
    ['attributes not an object', { issuer: 'i', nameID: 'n', attributes: 'x' }, 'saml/invalid-profile'],
    [
      'a complex attribute value',
      { issuer: 'i', nameID: 'n', attributes: { a: { Foo: [{ _: 'x' }] } } },
      'saml/invalid-profile',
    ],
    ['a number as value', { issuer: 'i', nameID: 'n', attributes: { a: 5 } }, 'saml/invalid-profile'],
    ['too many values', { issuer: 'i', nameID: 'n', attributes: { a: ['1', '2', '3'] } }, 'saml/too-many-values'],
  ] as const)('fromNodeSamlProfile refuses %s', (_name, profile, code) => {
    expect(codeOf(() => fromNodeSamlProfile(profile, { maxValuesPerAttribute: 2 }))).toBe(code);
  });
});

describe('well-formedness pass versus fast-xml-parser XMLValidator', () => {
  // Everything the reader's own pass accepts, XMLValidator accepts too (the pass is the stricter of the two).
  it.each(FIXTURES.filter((f) => f.endsWith('.xml')))('%s', (fixture) => {
    const xml = readFileSync(join(FIX, fixture), 'utf8');
    const code = codeOf(() => readSaml(xml));
    const wellFormed = ![
      'saml/malformed-xml',
      'saml/multiple-roots',
      'saml/duplicate-xml-attribute',
      'saml/doctype-forbidden',
      'saml/undefined-entity',
    ].includes(code);
    if (wellFormed) expect(XMLValidator.validate(xml)).toBe(true);
  });
});

describe('a Subject without a NameID (valid SAML; Shibboleth can send one)', () => {
  const noNameId = assertion(
    attribute('urn:oasis:names:tc:SAML:attribute:subject-id', 'k7q2@example.edu'),
    '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"/>',
  );
  const mapping = (key: string) =>
    compile(
      `mapping "m" { idp saml "https://idp" ${key} claims { subject_id : string from "urn:oasis:names:tc:SAML:attribute:subject-id" required } lifecycle { offboarding scim } }`,
    ).plan!;

  it('reads as an empty subject with a warning, never as an error', () => {
    const cs = readSaml(noNameId);
    expect(cs.subject).toEqual({ id: '' });
    expect(cs.warnings?.map((w) => w.code)).toEqual(['saml/no-nameid']);
  });

  it('is refused by a mapping keyed on the NameID and accepted by one keyed on subject-id', () => {
    const cs = readSaml(noNameId);
    expect(evaluate(mapping('key nameid persistent'), cs).refusals.map((r) => r.code)).toEqual(
      expect.arrayContaining(['key-absent']),
    );
    const ok = evaluate(mapping('key claim subject_id'), cs);
    expect(ok.outcome).toBe('allow');
    expect(ok.key).toEqual({ issuer: 'https://idp', subject: 'k7q2@example.edu' });
  });
});
