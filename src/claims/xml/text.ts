import { defined } from '../../model/invariant.js';
/**
 * Character data decoding, exactly as an XML parser (and so a signature verifier) sees it: the five predefined
 * entities and numeric character references, nothing else. References were validated by the well-formedness pass.
 */

const REF = /&(?:(lt|gt|amp|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const PREDEFINED: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }),
);

function replaceRef(_m: string, name: string | undefined, dec: string | undefined, hex: string | undefined): string {
  if (name !== undefined) return defined(PREDEFINED[name]);
  return String.fromCodePoint(dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(defined(hex), 16));
}

/**
 * Decodes the references in element text (no other change: no trimming, no coercion).
 *
 * @example
 * ```ts
 * decodeText('a &amp; b &#x41;'); // 'a & b A'
 * ```
 */
export function decodeText(raw: string): string {
  return raw.indexOf('&') === -1 ? raw : raw.replace(REF, replaceRef);
}

/**
 * Decodes an attribute value after XML attribute-value normalisation: each literal tab or line feed becomes a
 * space (line ends were already normalised to LF), while character references such as `&#10;` survive.
 *
 * @example
 * ```ts
 * decodeAttribute('a\tb&#10;c'); // 'a b\nc'
 * ```
 */
export function decodeAttribute(raw: string): string {
  let v = raw;
  if (/[\t\n\r]/.test(v)) v = v.replace(/\r\n?|[\t\n]/g, ' ');
  return decodeText(v);
}
