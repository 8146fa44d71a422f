/**
 * A single linear pass that refuses every document the SAML reader must not parse: DOCTYPE and ENTITY
 * declarations, ill-formed markup, several roots, duplicate attributes, undefined entities, nesting over the depth
 * cap. It runs before fast-xml-parser, which is lenient about all of these (it silently keeps the last of two
 * duplicate attributes and does not match end tags to start tags).
 *
 * It is also the authority on what the document says: names are read per XML 1.0 (5th edition) and Namespaces in
 * XML, and everything fast-xml-parser or a DOM verifier (xmldom, under node-saml and xml-crypto) would read
 * differently is refused as `saml/ambiguous-xml`, never normalised: a name holding a character JavaScript's `\s`
 * matches (U+FEFF, U+1680: XML name characters that fast-xml-parser splits names on), a literal U+0085, U+2028 or
 * U+2029 (line ends for xmldom, ordinary characters for XML 1.0), a quote in a processing instruction that moves
 * where fast-xml-parser ends it. The names it saw and where each element ends, in document order, are returned so
 * the tree builder can check that fast-xml-parser built the same tree.
 */
import { ClaimsError, type ClaimsErrorCode } from '../errors.js';
import { LineCounter } from '../../diagnostics/line-counter.js';
import { defined } from '../../model/invariant.js';

const NAME_START =
  'A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D' +
  '\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const NCNAME = `[${NAME_START}][${NAME_CHAR}]*`;
/** A qualified name (`prefix:local` or `local`) at a position (sticky). */
const QNAME = new RegExp(`${NCNAME}(?::${NCNAME})?`, 'uy');
/** A processing-instruction target: a Name without a colon (Namespaces in XML, section 7), at a position (sticky). */
const PI_TARGET = new RegExp(NCNAME, 'uy');
function isAsciiNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isAsciiNameChar(c: number): boolean {
  return isAsciiNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/** Where an ASCII NCName at `at` ends; -1 when there is none; -2 when a non-ASCII character is next (undecided). */
function asciiNcNameEnd(xml: string, at: number): number {
  const c = xml.charCodeAt(at);
  if (!isAsciiNameStart(c)) return c >= 0x80 ? -2 : -1;
  let j = at + 1;
  for (;;) {
    const d = xml.charCodeAt(j);
    if (isAsciiNameChar(d)) j++;
    else return d >= 0x80 ? -2 : j;
  }
}

/** {@link nameEnd} for a name that is ASCII through the character after it; -2 (undecided) otherwise. */
function asciiNameEnd(xml: string, at: number, qualified: boolean): number {
  const end = asciiNcNameEnd(xml, at);
  if (end < 0 || !qualified || xml.charCodeAt(end) !== 0x3a /* : */) return end;
  const local = asciiNcNameEnd(xml, end + 1);
  return local === -1 ? end : local;
}

/** {@link nameEnd} by the regex. */
function regexNameEnd(xml: string, at: number, qualified: boolean): number {
  const re = qualified ? QNAME : PI_TARGET;
  re.lastIndex = at;
  return re.test(xml) ? re.lastIndex : -1;
}

/**
 * Where the name at `at` ends (a QName when `qualified`, else an NCName), or -1 when no name starts there: what the
 * sticky {@link QNAME} or {@link PI_TARGET} matches, read without a regex while the name and the character after it
 * are ASCII (nearly every SAML name), and by the regex otherwise.
 */
export function nameEnd(xml: string, at: number, qualified: boolean): number {
  const end = asciiNameEnd(xml, at, qualified);
  return end === -2 ? regexNameEnd(xml, at, qualified) : end;
}

/**
 * What fast-xml-parser splits tag and attribute names on (`/\s/` in its readTagExp and attribute regex). Of these,
 * U+1680 and U+FEFF are XML name characters: `NameID\uFEFF` is one name to XML and `NameID` to fast-xml-parser.
 */
const JS_SPACE = /\s/;
/**
 * Characters XML 1.0 forbids anywhere and lone surrogates, or (group 1) a literal U+0085, U+2028 or U+2029: XML 1.0
 * keeps these as they are, while xmldom (the DOM node-saml and xml-crypto verify signatures on) turns each into a
 * line feed before parsing, so the signed text and the text read here would differ.
 */
const BAD_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 §2.2 Char excludes these C0 controls
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|([\u0085\u2028\u2029])/;
/**
 * XML 1.0 production [23] XMLDecl, after `<?xml`: VersionInfo (only 1.0 is read), EncodingDecl? (group 1 the
 * encoding name), SDDecl?, S?, in that order, each value quoted with matching quotes.
 */
const XML_DECL =
  /(?:[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"1\.0"|'1\.0'))(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"([A-Za-z][A-Za-z0-9._-]*)"|'([A-Za-z][A-Za-z0-9._-]*)'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*\?>/y;
/**
 * PI content in which every quote is closed: fast-xml-parser skips quoted text when it looks for `?>`, so an unclosed
 * quote makes it end the instruction later than XML does, hiding the markup in between.
 */
const PI_QUOTES_CLOSED = /^[^"']*(?:(?:"[^"]*"|'[^']*')[^"']*)*$/;
/** One reference at a position (sticky): a predefined entity, a character reference, or any other name. */
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,8})|#x([0-9a-fA-F]{1,7})|([^\s&;<>"']{1,64}));/y;

/** `U+XXXX` for the first code unit of `c`, for messages. */
function codePoint(c: string): string {
  return `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Whether a code point may appear in an XML 1.0 document. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** The text a document was taken from, and where the document starts in it (leading white space was skipped). */
export interface XmlSource {
  text: string;
  start: number;
}

/** Throws, with the position of `offset` (in the document) in its source text. */
function fail(doc: XmlSource, code: ClaimsErrorCode, message: string, offset: number, hint?: string): never {
  throw new ClaimsError(code, message, {
    position: new LineCounter(doc.text).position(doc.start + offset),
    ...(hint ? { hint } : {}),
  });
}

/**
 * Throws a {@link ClaimsError} unless `xml` is a well-formed document without a DTD, with one root element, no
 * duplicate attribute names, no element deeper than `maxDepth`, and nothing two parsers read differently. Returns
 * the element names, `@`-prefixed attribute names and `/` where each element ends, in document order: the shape of
 * the tree, for {@link parseXml} to compare with fast-xml-parser's.
 *
 * @param byteInput whether the text was decoded from bytes as UTF-8 (then a declared non-UTF-8 encoding is refused)
 * @param source where `xml` was taken from, so that error positions count the white space skipped before it
 *
 * @example
 * ```ts
 * checkWellFormed('<a x="1"><b/></a>', 32, false); // ['a', '@x', 'b', '/', '/']
 * checkWellFormed('<!DOCTYPE a [<!ENTITY x "y">]><a/>', 32, false); // throws saml/doctype-forbidden
 * ```
 */
export function checkWellFormed(
  xml: string,
  maxDepth: number,
  byteInput: boolean,
  source: XmlSource = { text: xml, start: 0 },
): string[] {
  const doc = source;
  const bad = BAD_CHAR.exec(xml);
  if (bad !== null) {
    if (bad[1] !== undefined) {
      fail(
        doc,
        'saml/ambiguous-xml',
        `a literal ${codePoint(bad[1])} line separator, which DOM verifiers read as a line feed`,
        bad.index,
        'write it as a character reference (&#x2028;) if it is meant; XML 1.0 and xmldom read those alike',
      );
    }
    fail(doc, 'saml/malformed-xml', 'a character XML 1.0 forbids (control character or lone surrogate)', bad.index);
  }

  const n = xml.length;
  /** Element names, '@'-prefixed attribute names and '/' where each element ends, in document order. */
  const seen: string[] = [];
  /** Where the name last read by `nameAt` ends. */
  let nameEnds = 0;
  /**
   * The name at `at` (a QName, or an NCName for a PI target), refused when a JavaScript parser would read less;
   * sets `nameEnds`. (No ASCII character is both a name character and white space: only a name read by the regex
   * can hold one.)
   */
  const nameAt = (at: number, qualified: boolean): string | null => {
    const ascii = asciiNameEnd(xml, at, qualified);
    const end = ascii === -2 ? regexNameEnd(xml, at, qualified) : ascii;
    if (end === -1) return null;
    nameEnds = end;
    const name = xml.slice(at, end);
    if (ascii !== -2) return name;
    const space = JS_SPACE.exec(name);
    if (space !== null) {
      const shown = name.replace(/\s/g, (c) => `<${codePoint(c)}>`);
      fail(
        doc,
        'saml/ambiguous-xml',
        `the name '${shown}' holds ${codePoint(space[0])}, an XML name character that JavaScript parsers read ` +
          `as white space`,
        at + space.index,
        'a DOM verifier and fast-xml-parser would read two different names',
      );
    }
    return name;
  };
  let i = 0;
  if (xml.startsWith('<?xml') && (isWs(xml.charCodeAt(5)) || xml.charCodeAt(5) === 0x3f)) {
    XML_DECL.lastIndex = 5;
    const decl = XML_DECL.exec(xml);
    if (decl === null) {
      fail(
        doc,
        'saml/malformed-xml',
        'a malformed XML declaration',
        0,
        `write <?xml version="1.0" encoding="UTF-8"?>: version (only 1.0), then optional encoding and ` +
          `standalone, in that order`,
      );
    }
    const enc = decl[1] ?? decl[2];
    if (byteInput && enc !== undefined && !/^utf-?8$/i.test(enc)) {
      fail(doc, 'input/unsupported-encoding', `the XML declaration names encoding "${enc}"; only UTF-8 is read`, 0);
    }
    i = XML_DECL.lastIndex;
  }

  // Next '&' and ']]>' at or after the scan position: cached so the whole pass stays linear.
  let amp = xml.indexOf('&', i);
  let cdataClose = xml.indexOf(']]>', i);
  /** Checks `&...;` references in `xml[start, end)`: only the five entities and references to allowed characters. */
  const checkReferences = (start: number, end: number): void => {
    if (amp !== -1 && amp < start) amp = xml.indexOf('&', start);
    for (; amp !== -1 && amp < end; amp = xml.indexOf('&', amp + 1)) {
      REFERENCE.lastIndex = amp;
      const m = REFERENCE.exec(xml);
      if (m === null || REFERENCE.lastIndex > end)
        fail(doc, 'saml/malformed-xml', "an unescaped '&' in text or an attribute value", amp);
      if (m[1] !== undefined) continue;
      if (m[4] !== undefined) {
        fail(
          doc,
          'saml/undefined-entity',
          `the entity '&${m[4]};' is not one of the five XML entities`,
          amp,
          'only &lt; &gt; &amp; &quot; &apos; and character references are decoded; no DTD is read',
        );
      }
      const cp = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(defined(m[3]), 16);
      if (!isXmlChar(cp)) fail(doc, 'saml/malformed-xml', 'a character reference to a character XML forbids', amp);
    }
  };

  const stack: string[] = [];
  let rootSeen = false;
  while (i < n) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      if (stack.length === 0) {
        for (let j = i; j < textEnd; j++) {
          if (!isWs(xml.charCodeAt(j))) fail(doc, 'saml/malformed-xml', 'text outside the root element', j);
        }
      } else {
        checkReferences(i, textEnd);
        if (cdataClose !== -1 && cdataClose < i) cdataClose = xml.indexOf(']]>', i);
        if (cdataClose !== -1 && cdataClose < textEnd) fail(doc, 'saml/malformed-xml', "']]>' in text", cdataClose);
      }
    }
    if (lt === -1) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */) {
      if (xml.startsWith('--', lt + 2)) {
        const end = xml.indexOf('--', lt + 4);
        if (end === -1) fail(doc, 'saml/malformed-xml', 'a comment is not closed', lt);
        if (xml.charCodeAt(end + 2) !== 0x3e) fail(doc, 'saml/malformed-xml', "'--' inside a comment", end);
        i = end + 3;
      } else if (xml.startsWith('[CDATA[', lt + 2)) {
        if (stack.length === 0) fail(doc, 'saml/malformed-xml', 'CDATA outside the root element', lt);
        const end = xml.indexOf(']]>', lt + 9);
        if (end === -1) fail(doc, 'saml/malformed-xml', 'a CDATA section is not closed', lt);
        i = end + 3;
      } else if (xml.startsWith('DOCTYPE', lt + 2) || xml.startsWith('ENTITY', lt + 2)) {
        fail(
          doc,
          'saml/doctype-forbidden',
          'a DOCTYPE or ENTITY declaration',
          lt,
          'SAML messages never carry a DTD; this is how XXE and entity-expansion attacks start',
        );
      } else {
        fail(doc, 'saml/malformed-xml', "'<!' that starts neither a comment nor CDATA", lt);
      }
    } else if (c1 === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end === -1) fail(doc, 'saml/malformed-xml', 'a processing instruction is not closed', lt);
      const target = nameAt(lt + 2, false);
      if (target === null) fail(doc, 'saml/malformed-xml', 'a processing instruction without a target', lt);
      if (target.toLowerCase() === 'xml')
        fail(doc, 'saml/malformed-xml', 'an XML declaration after the start of the document', lt);
      const after = nameEnds;
      if (after !== end && !isWs(xml.charCodeAt(after))) {
        fail(doc, 'saml/malformed-xml', 'a processing instruction target must be followed by white space or ?>', after);
      }
      if (!PI_QUOTES_CLOSED.test(xml.slice(after, end))) {
        fail(
          doc,
          'saml/ambiguous-xml',
          'a processing instruction with an unclosed quote before its ?>',
          lt,
          'fast-xml-parser would end it at a later ?>, hiding the markup in between',
        );
      }
      i = end + 2;
    } else if (c1 === 0x2f /* / */) {
      const m = nameAt(lt + 2, true);
      const open = stack.pop();
      if (m === null || open === undefined || m !== open) {
        fail(
          doc,
          'saml/malformed-xml',
          open === undefined ? 'an end tag without a start tag' : `the end tag does not match <${open}>`,
          lt,
        );
      }
      let j = nameEnds;
      while (j < n && isWs(xml.charCodeAt(j))) j++;
      if (xml.charCodeAt(j) !== 0x3e) fail(doc, 'saml/malformed-xml', 'an end tag is not closed', lt);
      seen.push('/');
      i = j + 1;
    } else {
      const m = nameAt(lt + 1, true);
      if (m === null) fail(doc, 'saml/malformed-xml', "'<' that does not start a tag", lt);
      seen.push(m);
      if (stack.length === 0) {
        if (rootSeen) fail(doc, 'saml/multiple-roots', 'more than one root element', lt);
        rootSeen = true;
      }
      let j = nameEnds;
      const nextLt = xml.indexOf('<', j);
      let names: string[] | undefined;
      let selfClosing = false;
      for (;;) {
        const wsStart = j;
        while (j < n && isWs(xml.charCodeAt(j))) j++;
        const c = xml.charCodeAt(j);
        if (c === 0x3e) {
          j++;
          break;
        }
        if (c === 0x2f && xml.charCodeAt(j + 1) === 0x3e) {
          j += 2;
          selfClosing = true;
          break;
        }
        if (j >= n) fail(doc, 'saml/malformed-xml', 'a start tag is not closed', lt);
        if (j === wsStart) fail(doc, 'saml/malformed-xml', 'attributes must be separated by whitespace', j);
        const name = nameAt(j, true);
        if (name === null) fail(doc, 'saml/malformed-xml', 'an invalid attribute name', j);
        names ??= [];
        names.push(name);
        seen.push(`@${name}`);
        j = nameEnds;
        while (j < n && isWs(xml.charCodeAt(j))) j++;
        if (xml.charCodeAt(j) !== 0x3d) fail(doc, 'saml/malformed-xml', `the attribute '${name}' has no value`, j);
        j++;
        while (j < n && isWs(xml.charCodeAt(j))) j++;
        const q = xml.charCodeAt(j);
        if (q !== 0x22 && q !== 0x27) fail(doc, 'saml/malformed-xml', `the value of '${name}' is not quoted`, j);
        const close = xml.indexOf(q === 0x22 ? '"' : "'", j + 1);
        if (close === -1) fail(doc, 'saml/malformed-xml', `the value of '${name}' is not closed`, j);
        if (nextLt !== -1 && nextLt < close) fail(doc, 'saml/malformed-xml', `'<' in the value of '${name}'`, nextLt);
        checkReferences(j + 1, close);
        j = close + 1;
      }
      if (names !== undefined && names.length > 1) checkDuplicates(doc, names, lt);
      if (!selfClosing) {
        stack.push(m);
        if (stack.length > maxDepth)
          fail(doc, 'saml/too-deep', `elements nested deeper than maxDepth (${maxDepth})`, lt);
      } else {
        if (stack.length + 1 > maxDepth)
          fail(doc, 'saml/too-deep', `elements nested deeper than maxDepth (${maxDepth})`, lt);
        seen.push('/');
      }
      i = j;
    }
  }
  if (stack.length > 0) fail(doc, 'saml/malformed-xml', `the element <${stack[stack.length - 1]}> is not closed`, n);
  if (!rootSeen) fail(doc, 'saml/malformed-xml', 'no root element', 0);
  return seen;
}

function checkDuplicates(doc: XmlSource, names: string[], at: number): void {
  if (names.length <= 8) {
    for (let a = 1; a < names.length; a++) {
      for (let b = 0; b < a; b++) {
        if (names[a] === names[b])
          fail(doc, 'saml/duplicate-xml-attribute', `the attribute '${names[a]}' appears twice`, at);
      }
    }
    return;
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) fail(doc, 'saml/duplicate-xml-attribute', `the attribute '${name}' appears twice`, at);
    seen.add(name);
  }
}
