/**
 * SHA-256 of a string's UTF-8 bytes, hex, for the plan digest. On Node: `node:crypto`. A browser build replaces this
 * file with `sha256.browser.ts` (the same function in plain JavaScript: `crypto.subtle.digest` is asynchronous and
 * the digest is computed synchronously by `compile` and `loadPlan`); test/compile/sha256.test.ts checks they agree.
 */
import { createHash } from 'node:crypto';

/** Hex SHA-256 of the UTF-8 encoding of `text`. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Hex SHA-256 of the UTF-8 encoding of the chunks `write` emits, hashed as they come (a large plan's canonical JSON
 * is never held whole). The same digest as `sha256Hex` of the chunks joined.
 */
export function sha256HexChunks(write: (emit: (chunk: string) => void) => void): string {
  const hash = createHash('sha256');
  write((chunk) => hash.update(chunk, 'utf8'));
  return hash.digest('hex');
}
