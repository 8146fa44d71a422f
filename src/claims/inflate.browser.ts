/**
 * The browser's stand-in for `inflate.ts`: a bundle for the browser (the playground) has no synchronous inflate, so a
 * raw-deflated SAML message (HTTP-Redirect binding) is refused with `input/inflate-unsupported`. The playground
 * inflates such input itself with the browser's `DecompressionStream('deflate-raw')` before reading it.
 */
import { ClaimsError } from './errors.js';

/** Always throws `input/inflate-unsupported`: there is no synchronous inflate in a browser. */
export function inflateRaw(_bytes: Uint8Array, _maxBytes: number): Uint8Array {
  throw new ClaimsError('input/inflate-unsupported', 'a deflated SAML message cannot be read in this build (browser)', {
    hint: 'inflate it first (DecompressionStream("deflate-raw")) or paste the XML',
  });
}
