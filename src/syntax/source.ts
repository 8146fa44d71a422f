import { defined } from '../model/invariant.js';
/**
 * Decoding mapping files. Invalid UTF-8 is a diagnostic at the first bad byte, never a silent U+FFFD.
 */

/** The index of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = defined(bytes[i]);
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export interface DecodedSource {
  text: string;
  /** UTF-16 offset of the first invalid byte in `text` (decoded lossily), or -1 when the bytes are valid. */
  invalidAt: number;
  /** The first invalid byte, when there is one. */
  invalidByte?: number;
}

/** Decodes UTF-8 bytes; a leading BOM is kept (the lexer treats it as white space so offsets stay true). */
export function decodeSource(bytes: Uint8Array): DecodedSource {
  const bad = firstInvalidUtf8(bytes);
  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  if (bad < 0) return { text: decoder.decode(bytes), invalidAt: -1 };
  return {
    text: decoder.decode(bytes),
    invalidAt: decoder.decode(bytes.subarray(0, bad)).length,
    invalidByte: defined(bytes[bad]),
  };
}
