/**
 * The XML tree claimmap builds equals the DOM a signature verifier builds, for any document claimmap accepts:
 * generated documents full of characters the parsers might tokenise differently (JavaScript white space in and
 * between names, quotes and `?>` in processing instructions, line separators, references) are read by
 * `parseXml` and by xmldom 0.9 and the xmldom node-saml loads (0.8 today, also under xml-crypto). And the tree
 * builder refuses any document whose names differ from the names the well-formedness pass read.
 */
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ClaimsError } from '../../../src/claims/errors.js';
import { type XmlElement, parseXml } from '../../../src/claims/xml/tree.js';
import * as wellFormed from '../../../src/claims/xml/well-formed.js';

const require = createRequire(import.meta.url);
type DomParserCtor = new (
  options?: object,
) => { parseFromString(xml: string, type: string): { documentElement: DomNode | null } };
interface DomNode {
  nodeType: number;
  nodeName: string;
  namespaceURI: string | null;
  localName: string | null;
  data?: string;
  childNodes: ArrayLike<DomNode>;
  attributes?: ArrayLike<{
    name: string;
    value: string;
    namespaceURI: string | null;
    localName: string | null;
    prefix: string | null;
  }>;
}
/** Each xmldom with its own way of silencing warnings and errors (fatal errors still throw). */
const XMLDOM: [string, DomParserCtor, object][] = [
  [
    'xmldom 0.9',
    require('@xmldom/xmldom').DOMParser as DomParserCtor,
    {
      onError: (level: string, msg: string) => {
        if (level === 'fatalError') throw new Error(msg);
      },
    },
  ],
  // The copy node-saml itself loads, wherever the install put it.
  [
    'xmldom of node-saml',
    createRequire(require.resolve('@node-saml/node-saml'))('@xmldom/xmldom').DOMParser as DomParserCtor,
    {
      errorHandler: {
        warning() {},
        error() {},
        fatalError(msg: string) {
          throw new Error(msg);
        },
      },
    },
  ],
];

/** A comparable shape: elements as [ns, local, attributes, children], text runs merged, comments and PIs dropped. */
type Shape = [string, string, string[], (Shape | string)[]];

function ours(el: XmlElement): Shape {
  const kids: (Shape | string)[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (c !== '') kids.push(c);
    } else kids.push(ours(c));
  }
  return [el.ns, el.local, el.attrs.map((a) => `{${a.ns}}${a.local}=${a.value}`), kids];
}

function theirs(el: DomNode): Shape {
  const attrs: string[] = [];
  for (const a of Array.from(el.attributes ?? [])) {
    if (a.name === 'xmlns' || a.prefix === 'xmlns') continue;
    attrs.push(`{${a.namespaceURI ?? ''}}${a.localName ?? a.name}=${a.value}`);
  }
  const kids: (Shape | string)[] = [];
  let text = '';
  for (const c of Array.from(el.childNodes)) {
    if (c.nodeType === 3 || c.nodeType === 4) text += c.data ?? '';
    else if (c.nodeType === 1) {
      if (text !== '') kids.push(text);
      text = '';
      kids.push(theirs(c));
    }
  }
  if (text !== '') kids.push(text);
  return [el.namespaceURI ?? '', el.localName ?? el.nodeName, attrs, kids];
}

// Pieces chosen to make tokenisers disagree: every JavaScript white-space kind, quotes, markup characters.
const tricky = fc.constantFrom(
  '\uFEFF',
  '\u1680',
  '\u00A0',
  '\u2000',
  '\u3000',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u202F',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '"',
  "'",
  '<',
  '>',
  '/',
  '=',
  '?',
  '?>',
  '&amp;',
  '&#x41;',
  '&#x2028;',
  '&#13;',
  ':',
  '-',
  '.',
  'é',
  '\u00B7',
  'x',
);
/** Mostly plain, sometimes tricky: most documents are then well-formed and get compared, not just refused. */
const mostly = <T>(plain: fc.Arbitrary<T>, odd: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: plain, weight: 6 }, { arbitrary: odd, weight: 1 });
const soup = fc
  .array(mostly(fc.constantFrom('a', 'b', ' ', '1', '\n'), tricky), { maxLength: 4 })
  .map((a) => a.join(''));
const name = fc
  .tuple(
    mostly(fc.constantFrom('a', 'b', 'p:a', 'p:b'), fc.constantFrom('q:c', 'xmlns:p', 'xmlns')),
    mostly(fc.constant(''), fc.constantFrom('\uFEFF', '\u1680', '\u00A0', '-', 'x\uFEFFy', '\u00B7')),
  )
  .map(([n, s]) => n + s);
const sep = mostly(
  fc.constantFrom(' ', '\t', '\n', '\r\n'),
  fc.constantFrom('\u00A0', '\uFEFF', '\u1680', '\u2028', '\u3000', ''),
);
const attribute = fc
  .tuple(sep, fc.oneof(name, fc.constantFrom('x', 'y', 'p:x', 'xmlns:q')), fc.constantFrom('"', "'"), soup)
  .map(([s, n, q, v]) => `${s}${n}=${q}${v}${q}`);
const leaf = fc.oneof(
  soup,
  soup.map((s) => `<!--${s}-->`),
  fc
    .tuple(
      mostly(fc.constant('pi'), fc.constantFrom('pi\uFEFF', 'p:i', 'xml', 'XmL')),
      mostly(fc.constant(' '), fc.constantFrom('', '\u00A0', '\t')),
      soup,
    )
    .map(([t, s, d]) => `<?${t}${s}${d}?>`),
  soup.map((s) => `<![CDATA[${s}]]>`),
);
const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc
    .tuple(
      name,
      fc.array(attribute, { maxLength: 3 }),
      sep,
      fc.array(fc.oneof({ depthSize: 'small' }, leaf, tie('el')), { maxLength: 4 }),
    )
    .map(([n, attrs, s, kids]) =>
      kids.length === 0
        ? `<${n}${attrs.join('')}${s}/>`
        : `<${n}${attrs.join('')}${s === '\u00A0' ? '' : s}>${kids.join('')}</${n}>`,
    ),
})).el;
const document = fc
  .tuple(
    mostly(
      fc.constantFrom('', '<?xml version="1.0"?>'),
      fc.constantFrom('<?xml version="1.0" encoding="?>"?>', '<?pi "?>', '<?xml version="1.0"\u00A0?>'),
    ),
    element,
  )
  .map(
    ([decl, root]) =>
      // Declare the p: prefix on the root so that documents get past prefix resolution.
      decl + root.replace(/^<([^\s/>]+)/, '<$1 xmlns:p="urn:p"'),
  );

describe('parseXml reads the tree a DOM verifier reads, or refuses', () => {
  it('on generated documents with tokeniser-confusing characters', () => {
    let accepted = 0;
    fc.assert(
      fc.property(document, (xml) => {
        let tree: XmlElement;
        try {
          tree = parseXml(xml, 32, false);
        } catch (e) {
          if (e instanceof ClaimsError) return;
          throw e;
        }
        accepted++;
        for (const [label, DOMParser, options] of XMLDOM) {
          const root = new DOMParser(options).parseFromString(xml, 'text/xml').documentElement;
          expect(root, label).not.toBeNull();
          expect(ours(tree), label).toEqual(theirs(root!));
        }
      }),
      { seed: 0x7a3e, numRuns: 1500 },
    );
    expect(accepted).toBeGreaterThan(150);
  });
});

describe('the tree builder checks fast-xml-parser against the well-formedness pass', () => {
  const real = wellFormed.checkWellFormed;
  it.each([
    ['a renamed element', (names: string[]) => names.map((n) => (n === 'b' ? 'c' : n))],
    ['a renamed attribute', (names: string[]) => names.map((n) => (n === '@x' ? '@y' : n))],
    ['a name fast-xml-parser did not see', (names: string[]) => [...names, 'd']],
    ['a missing element end', (names: string[]) => names.slice(0, -1)],
    ['a name the pass did not see', (names: string[]) => names.filter((n) => n !== 'b')],
    ['an element that ends elsewhere', (names: string[]) => [names[0]!, names[1]!, '/', names[2]!, '/']],
  ])('refuses %s', (_label, tamper) => {
    const spy = vi.spyOn(wellFormed, 'checkWellFormed').mockImplementation((...args) => tamper(real(...args)));
    try {
      expect(() => parseXml('<a x="1"><b/></a>', 32, false)).toThrow(
        expect.objectContaining({ code: 'saml/ambiguous-xml' }),
      );
    } finally {
      spy.mockRestore();
    }
    expect(parseXml('<a x="1"><b/></a>', 32, false).local).toBe('a');
  });
});
