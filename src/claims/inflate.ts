/**
 * Raw inflate (the SAML HTTP-Redirect binding) on Node: `node:zlib`, with the output capped so a deflate bomb stops
 * early. A browser build replaces this file with `inflate.browser.ts` (the `*.browser.ts` seam, see
 * docs/playground.md): the only two files of the claims readers that differ between Node and the browser.
 */
import { inflateRawSync } from 'node:zlib';

/**
 * Inflates raw-deflated bytes, throwing when the output would exceed `maxBytes` (a `RangeError` or an error with
 * `code: 'ERR_BUFFER_TOO_LARGE'`) or the input is not deflate data; `inflateMessage` turns these into coded errors.
 */
export function inflateRaw(bytes: Uint8Array, maxBytes: number): Uint8Array {
  return inflateRawSync(bytes, { maxOutputLength: maxBytes });
}
