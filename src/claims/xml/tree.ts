/**
 * XML text → a small namespace-resolved element tree. fast-xml-parser does the tokenising (every option set
 * explicitly below); this file resolves prefixes through the xmlns declarations in scope, decodes references, drops
 * comments and joins adjacent text and CDATA, so that `a<!---->b` and `a<![CDATA[b]]>` both read `ab`: the text
 * a signature verifier's DOM `textContent` gives.
 */
import { XMLParser } from 'fast-xml-parser';
import { ClaimsError, type ClaimsErrorCode } from '../errors.js';
import { decodeAttribute, decodeText } from './text.js';
import { checkWellFormed, type XmlSource } from './well-formed.js';
import { defined } from '../../model/invariant.js';

/** The namespace every `xml:` prefix is bound to. */
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** One attribute, namespace-resolved (`ns` is '' for an unprefixed attribute) and decoded. */
export interface XmlAttribute {
  ns: string;
  local: string;
  value: string;
}

/** One element: its expanded name, attributes, and children (elements and decoded text). */
export interface XmlElement {
  ns: string;
  local: string;
  /** The name as written, with its prefix (for messages and paths only; never matched on). */
  qname: string;
  attrs: XmlAttribute[];
  /** Child elements and text. Adjacent text and CDATA are joined; comments and PIs are gone. */
  children: (XmlElement | string)[];
  parent: XmlElement | undefined;
}

type FxpNode = Record<string, unknown>;
/** Prefix bindings in scope; keys are `$` + prefix (`$` alone is the default namespace). */
type Scope = Record<string, string>;

const ROOT_SCOPE: Scope = Object.freeze(Object.assign(Object.create(null) as Scope, { $xml: XML_NS })) as Scope;

const parsers = new Map<number, XMLParser>();

/** One parser per depth limit (the parser's own nesting check is a backstop behind the well-formedness pass). */
function parserFor(maxDepth: number): XMLParser {
  let p = parsers.get(maxDepth);
  if (p === undefined) {
    p = new XMLParser({
      preserveOrder: true, //              document order of values, text, comments and CDATA
      attributeNamePrefix: '@_',
      attributesGroupName: false,
      textNodeName: '#text',
      ignoreAttributes: false,
      removeNSPrefix: false, //            prefixes are resolved here, through xmlns declarations
      allowBooleanAttributes: false,
      parseTagValue: false, //             '007' stays '007'
      parseAttributeValue: false,
      trimValues: false, //                values are never trimmed
      cdataPropName: '#cdata', //          kept apart so text and CDATA can be joined exactly
      commentPropName: '#comment', //      kept apart so a comment never cuts a value
      numberParseOptions: { hex: false, leadingZeros: false, eNotation: false },
      tagValueProcessor: (_name, value) => value,
      attributeValueProcessor: (_name, value) => value,
      stopNodes: [],
      unpairedTags: [],
      alwaysCreateTextNode: false,
      isArray: () => false,
      processEntities: false, //           no DTD entities, ever; the five XML entities are decoded in text.ts
      htmlEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      transformTagName: false,
      transformAttributeName: false,
      updateTag: (name) => name,
      captureMetaData: false,
      maxNestedTags: maxDepth + 1,
      strictReservedNames: true,
      jPath: false,
      onDangerousProperty: (name) => name, // element names are only ever read as data, never as properties
    });
    if (parsers.size < 16) parsers.set(maxDepth, p);
  }
  return p;
}

/** The XPath-like path of an element, for error positions (`/samlp:Response/saml:Assertion`). */
function pathOf(el: XmlElement): string {
  let path = '';
  for (let e: XmlElement | undefined = el; e !== undefined; e = e.parent) path = `/${e.qname}${path}`;
  return path;
}

/** Throws a coded error located at an element. */
export function failAt(el: XmlElement | undefined, code: ClaimsErrorCode, message: string, hint?: string): never {
  throw new ClaimsError(code, message, {
    ...(el ? { position: { path: pathOf(el) } } : {}),
    ...(hint ? { hint } : {}),
  });
}

function resolve(scope: Scope, qname: string, isAttribute: boolean, el: XmlElement): { ns: string; local: string } {
  const colon = qname.indexOf(':');
  if (colon === -1) return { ns: isAttribute ? '' : (scope.$ ?? ''), local: qname };
  const prefix = qname.slice(0, colon);
  const ns = scope[`$${prefix}`];
  if (ns === undefined || ns === '') {
    failAt(el, 'saml/undeclared-prefix', `the prefix '${prefix}' of '${qname}' is not declared`);
  }
  return { ns, local: qname.slice(colon + 1) };
}

/**
 * What the well-formedness pass read (element names, `@`-prefixed attribute names and `/` where each element ends,
 * in document order: the tree's shape) and how much of it the tree has matched so far.
 */
interface SeenNames {
  names: string[];
  next: number;
}

/** Refuses the document unless fast-xml-parser's next name is the one the well-formedness pass read. */
function sameName(seen: SeenNames, name: string, el: XmlElement): void {
  const expected = seen.names[seen.next++];
  if (expected !== name) {
    failAt(
      el,
      'saml/ambiguous-xml',
      `the XML parser read '${name}' where the well-formedness pass read '${expected ?? 'nothing'}'`,
      'two parsers tokenise this document differently, so a signature verifier may see other names than claimmap',
    );
  }
}

function build(node: FxpNode, scope: Scope, parent: XmlElement | undefined, seen: SeenNames): XmlElement {
  let qname = '';
  let kids: FxpNode[] = [];
  for (const k in node) {
    if (k !== ':@') {
      qname = k === '#__proto__' ? '__proto__' : k;
      kids = node[k] as FxpNode[];
      break;
    }
  }
  const el: XmlElement = { ns: '', local: qname, qname, attrs: [], children: [], parent };
  sameName(seen, qname, el);
  const raw = node[':@'] as Record<string, string> | undefined;
  let sc = scope;
  let plain: [string, string][] | undefined;
  if (raw !== undefined) {
    for (const key in raw) {
      const name = key.slice(2);
      sameName(seen, `@${name}`, el);
      const value = decodeAttribute(defined(raw[key]));
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        const prefix = name.length === 5 ? '' : name.slice(6);
        if (prefix === 'xmlns' || value === XMLNS_NS || (prefix === 'xml') !== (value === XML_NS)) {
          failAt(el, 'saml/malformed-xml', `the namespace declaration '${name}' is reserved`);
        }
        if (prefix !== '' && value === '') failAt(el, 'saml/malformed-xml', `'${name}' cannot undeclare a prefix`);
        if (sc === scope) sc = Object.create(scope) as Scope;
        sc[`$${prefix}`] = value;
      } else {
        plain ??= [];
        plain.push([name, value]);
      }
    }
  }
  if (qname === 'xmlns' || qname.startsWith('xmlns:'))
    failAt(el, 'saml/malformed-xml', `the element name '${qname}' uses the reserved xmlns prefix`);
  const en = resolve(sc, qname, false, el);
  el.ns = en.ns;
  el.local = en.local;
  if (plain !== undefined) {
    for (const [name, value] of plain) {
      const an = resolve(sc, name, true, el);
      if (an.ns !== '') {
        for (const other of el.attrs) {
          if (other.ns === an.ns && other.local === an.local) {
            failAt(el, 'saml/duplicate-xml-attribute', `the attribute {${an.ns}}${an.local} appears twice`);
          }
        }
      }
      el.attrs.push({ ns: an.ns, local: an.local, value });
    }
  }
  const children = el.children;
  let textOpen = false; // whether the last child is text that later text joins
  for (const kid of kids) {
    let text: string | undefined;
    if ('#text' in kid) text = decodeText(kid['#text'] as string);
    else if ('#cdata' in kid) text = ((kid['#cdata'] as FxpNode[])[0]?.['#text'] as string | undefined) ?? '';
    else if ('#comment' in kid) continue;
    if (text !== undefined) {
      if (textOpen) children[children.length - 1] += text;
      else children.push(text);
      textOpen = true;
    } else {
      children.push(build(kid, sc, el, seen));
      textOpen = false;
    }
  }
  sameName(seen, '/', el);
  return el;
}

/**
 * Checks well-formedness and safety, parses, checks that the parser built the tree the well-formedness pass read
 * (the same element and attribute names, in the same order, each element ending in the same place), and returns the
 * namespace-resolved root element.
 *
 * @example
 * ```ts
 * const root = parseXml('<p:a xmlns:p="urn:x">1<!---->2</p:a>', 32, false);
 * root.ns; root.local; root.children; // 'urn:x', 'a', ['12']
 * ```
 */
export function parseXml(xml: string, maxDepth: number, byteInput: boolean, source?: XmlSource): XmlElement {
  const seen: SeenNames = { names: checkWellFormed(xml, maxDepth, byteInput, source), next: 0 };
  let top: FxpNode[];
  try {
    top = parserFor(maxDepth).parse(xml) as FxpNode[];
  } catch (e) {
    throw new ClaimsError('saml/malformed-xml', 'the XML parser refused the document', { cause: e });
  }
  const root = top.find((n) => !('#text' in n) && !('#comment' in n) && !('#cdata' in n));
  if (root === undefined) throw new ClaimsError('saml/malformed-xml', 'no root element');
  const tree = build(root, ROOT_SCOPE, undefined, seen);
  if (seen.next !== seen.names.length) {
    throw new ClaimsError(
      'saml/ambiguous-xml',
      `the XML parser read ${seen.next} names and element ends where the well-formedness pass read ` +
        `${seen.names.length}`,
      {
        hint:
          'two parsers tokenise this document differently, so a signature verifier may see other names than ' +
          'claimmap',
      },
    );
  }
  return tree;
}

/** The element children of `el` with one expanded name. */
export function childrenNamed(el: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && c.local === local && c.ns === ns) out.push(c);
  return out;
}

/** The value of an attribute by expanded name, or undefined. */
export function attr(el: XmlElement, ns: string, local: string): string | undefined {
  for (const a of el.attrs) if (a.local === local && a.ns === ns) return a.value;
  return undefined;
}
