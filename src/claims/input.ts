/**
 * Turning untrusted input into text, with the size cap applied before any other work: strings, UTF-8 bytes,
 * base64 (the SAMLResponse form value, possibly URL-encoded), and the raw-deflated redirect binding.
 */
import { decodeBase64Bytes, utf8Length } from './base64.js';
import { ClaimsError } from './errors.js';
import { inflateRaw } from './inflate.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function tooLarge(what: string, maxBytes: number): ClaimsError {
  return new ClaimsError('input/too-large', `${what} is larger than maxBytes (${maxBytes})`, {
    hint: 'raise the maxBytes option if this input is legitimate',
  });
}

/**
 * Refuses a string whose UTF-8 encoding is over `maxBytes`, counting bytes only when the answer is not already
 * known from the length: a UTF-16 code unit encodes to 1-3 UTF-8 bytes (a surrogate pair, two units, to 4), so a
 * string longer than the cap is over it, and one of at most a third of the cap is under it.
 *
 * @example
 * ```ts
 * checkTextSize('{}', 1024); // passes
 * ```
 */
export function checkTextSize(text: string, maxBytes: number, what = 'the input'): void {
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes))
    throw tooLarge(what, maxBytes);
}

/**
 * Refuses input (text or bytes) over `maxBytes` UTF-8 bytes with `input/too-large`: the one size check every reader
 * applies before looking at the input.
 *
 * @example
 * ```ts
 * checkInputSize(new Uint8Array(10), 8); // throws input/too-large
 * ```
 */
export function checkInputSize(input: string | Uint8Array, maxBytes: number, what = 'the input'): void {
  if (typeof input === 'string') checkTextSize(input, maxBytes, what);
  else if (input.length > maxBytes) throw tooLarge(what, maxBytes);
}

/**
 * Decodes UTF-8 bytes (a leading byte-order mark is dropped), refusing invalid sequences and oversize input.
 *
 * @example
 * ```ts
 * bytesToText(new TextEncoder().encode('<a/>'), 1024); // '<a/>'
 * ```
 */
export function bytesToText(bytes: Uint8Array, maxBytes: number, what = 'the input'): string {
  if (bytes.length > maxBytes) throw tooLarge(what, maxBytes);
  try {
    return utf8.decode(bytes);
  } catch (e) {
    throw new ClaimsError('input/invalid-utf8', `${what} is not valid UTF-8`, { cause: e });
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes standard base64 as sent in a `SAMLResponse` form value: whitespace is ignored, a URL-encoded value
 * (`%2B`, `%3D`...) is decoded first, anything else is refused (Node's decoder would silently skip it).
 *
 * @example
 * ```ts
 * decodeBase64('PGEvPg==', 1024); // bytes of '<a/>'
 * ```
 */
export function decodeBase64(text: string, maxBytes: number): Uint8Array {
  let s = text.replace(/\s+/g, '');
  if (s.includes('%')) {
    try {
      s = decodeURIComponent(s);
    } catch (e) {
      throw new ClaimsError('input/invalid-base64', 'the input is neither XML nor valid base64 (bad URL encoding)', {
        cause: e,
      });
    }
  }
  if (s.length === 0) throw new ClaimsError('input/empty', 'the input is empty');
  if (!BASE64.test(s) || s.length % 4 === 1) {
    throw new ClaimsError('input/invalid-base64', 'the input is neither XML nor valid base64');
  }
  if (Math.floor((s.length * 3) / 4) - 2 > maxBytes) throw tooLarge('the base64-decoded input', maxBytes);
  const bytes = decodeBase64Bytes(s);
  if (bytes.length > maxBytes) throw tooLarge('the base64-decoded input', maxBytes);
  return bytes;
}

/**
 * Inflates a raw-deflated message (SAML HTTP-Redirect binding), capped at `maxBytes` of output so a deflate bomb
 * stops early.
 *
 * @example
 * ```ts
 * inflateMessage(deflateRawSync('<a/>'), 1024); // bytes of '<a/>'
 * ```
 */
export function inflateMessage(bytes: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return inflateRaw(bytes, maxBytes);
  } catch (e) {
    if (e instanceof ClaimsError) throw e;
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) {
      throw tooLarge('the inflated message', maxBytes);
    }
    throw new ClaimsError('input/inflate-failed', 'the base64 input is neither XML nor a deflated SAML message', {
      cause: e,
    });
  }
}

/** Index of the first byte that is not XML whitespace, after an optional UTF-8 byte-order mark. */
export function firstSignificantByte(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  return i;
}

/** Drops a leading byte-order mark and leading XML whitespace. */
export function trimStartText(text: string): string {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
    i++;
  }
  return i === 0 ? text : text.slice(i);
}
