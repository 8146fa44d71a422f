/**
 * Base64 and base64url decoding without Node's `Buffer`, so the claims readers bundle for the browser. Callers
 * validate the alphabet first (`decodeBase64`, the JWT reader); these decode as `Buffer.from(s, 'base64')` does on
 * such input: padding optional, trailing bits that do not make a whole byte ignored.
 */

const VALUES = new Int16Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('').forEach((c, i) => {
  VALUES[c.charCodeAt(0)] = i;
});
VALUES[0x2b] = 62; // +
VALUES[0x2f] = 63; // /
VALUES[0x2d] = 62; // - (base64url)
VALUES[0x5f] = 63; // _ (base64url)

/**
 * Decodes base64 or base64url (both alphabets accepted, `=` padding optional). Throws TypeError on a character of
 * neither alphabet: callers check the text first, so this is a caller mistake.
 *
 * @example
 * ```ts
 * decodeBase64Bytes('PGEvPg=='); // Uint8Array of '<a/>'
 * ```
 */
export function decodeBase64Bytes(text: string): Uint8Array {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (VALUES[c] as number) : -1;
    if (v < 0) throw new TypeError(`claimmap: not a base64 character at ${i}`);
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return n === out.length ? out : out.subarray(0, n);
}

/**
 * The length in bytes of `text` encoded as UTF-8, as `Buffer.byteLength(text, 'utf8')` counts it (a lone surrogate
 * is encoded as U+FFFD: three bytes).
 *
 * @example
 * ```ts
 * utf8Length('é'); // 2
 * ```
 */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/**
 * Bytes as Latin-1 text (one character per byte), as `Buffer#toString('latin1')` does.
 *
 * @example
 * ```ts
 * latin1Text(new Uint8Array([0x61, 0xe9])); // 'aé'
 * ```
 */
export function latin1Text(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) {
    parts.push(String.fromCharCode(...bytes.subarray(i, i + 8192)));
  }
  return parts.join('');
}

const ALPHABET_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Encodes bytes as base64url without padding (RFC 4648 section 5), as `Buffer#toString('base64url')` does.
 *
 * @example
 * ```ts
 * encodeBase64Url(new TextEncoder().encode('<a/>')); // 'PGEvPg'
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out.push(
      ALPHABET_URL.charAt(n >> 18),
      ALPHABET_URL.charAt((n >> 12) & 63),
      ALPHABET_URL.charAt((n >> 6) & 63),
      ALPHABET_URL.charAt(n & 63),
    );
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out.push(ALPHABET_URL.charAt(n >> 18), ALPHABET_URL.charAt((n >> 12) & 63));
    if (rest === 2) out.push(ALPHABET_URL.charAt((n >> 6) & 63));
  }
  return out.join('');
}
