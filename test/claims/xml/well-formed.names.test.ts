/**
 * `nameEnd` reads names without a regex while they are ASCII: it must end every name exactly where the XML 1.0
 * (5th edition) Name productions, restricted to NCNames by Namespaces in XML, end it. The oracle here is written
 * from the specification, apart from the reader's own patterns, and the strings mix ASCII name characters with
 * the characters that decide the edge cases: a colon (one allowed in a QName, none in a PI target), non-ASCII name
 * start and name characters, JavaScript white space that XML counts as a name character (U+FEFF, U+1680),
 * characters that are not name characters (U+00D7), astral characters and lone surrogates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameEnd } from '../../../src/claims/xml/well-formed.js';

// XML 1.0 (5th edition) [4] NameStartChar and [4a] NameChar, without ':' (Namespaces in XML [4] NCName).
const START =
  'A-Z_a-z\\u{C0}-\\u{D6}\\u{D8}-\\u{F6}\\u{F8}-\\u{2FF}\\u{370}-\\u{37D}\\u{37F}-\\u{1FFF}\\u{200C}-\\u{200D}' +
  '\\u{2070}-\\u{218F}\\u{2C00}-\\u{2FEF}\\u{3001}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFFD}\\u{10000}-\\u{EFFFF}';
const CHAR = `${START}\\-.0-9\\u{B7}\\u{300}-\\u{36F}\\u{203F}-\\u{2040}`;
const NC = `[${START}][${CHAR}]*`;
const SPEC_QNAME = new RegExp(`${NC}(?::${NC})?`, 'uy');
const SPEC_NCNAME = new RegExp(NC, 'uy');

function specEnd(s: string, at: number, qualified: boolean): number {
  const re = qualified ? SPEC_QNAME : SPEC_NCNAME;
  re.lastIndex = at;
  return re.test(s) ? re.lastIndex : -1;
}

const PIECES = [
  'a',
  'Z',
  '_',
  'x',
  '0',
  '9',
  '-',
  '.',
  ':',
  ' ',
  '\t',
  '>',
  '=',
  '/',
  '"',
  '?',
  'é',
  '\u00b7',
  '\u0300',
  '\u00d7',
  '\ufeff',
  '\u1680',
  '\u2028',
  '\u{10000}',
  '\ud800',
  '\udc00',
  '\u3000',
];

describe('nameEnd', () => {
  it('ends every name where the XML Name productions end it, at every position', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), fc.boolean(), (pieces, qualified) => {
        const s = pieces.join('');
        for (let at = 0; at <= s.length; at++) {
          expect(nameEnd(s, at, qualified), `${JSON.stringify(s)} at ${at}`).toBe(specEnd(s, at, qualified));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the names of a SAML document and stops at what follows them', () => {
    expect(nameEnd('<saml:Assertion ID="x">', 1, true)).toBe(15);
    expect(nameEnd('<saml:Assertion ID="x">', 1, false)).toBe(5); // a PI target has no colon
    expect(nameEnd('<a:b:c/>', 1, true)).toBe(4); // one colon at most
    expect(nameEnd('<a:/>', 1, true)).toBe(2); // a colon without a local name is not read
    expect(nameEnd('<a:\u00e9/>', 1, true)).toBe(4); // a non-ASCII local name
    expect(nameEnd('<NameID\ufeff>', 1, true)).toBe(8); // U+FEFF is a name character to XML
    expect(nameEnd('<1a/>', 1, true)).toBe(-1);
    expect(nameEnd('<\u00d7/>', 1, true)).toBe(-1);
    expect(nameEnd('<a', 1, true)).toBe(2); // the end of the text ends the name
  });
});
