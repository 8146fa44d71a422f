/**
 * The size cap every reader applies first: a string is refused exactly when its UTF-8 encoding is over `maxBytes`,
 * whether the length alone decides (longer than the cap, or at most a third of it) or the bytes are counted.
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClaimsError } from '../../src/claims/errors.js';
import { checkTextSize } from '../../src/claims/input.js';

function refused(text: string, maxBytes: number): boolean {
  try {
    checkTextSize(text, maxBytes);
    return false;
  } catch (e) {
    expect(e).toBeInstanceOf(ClaimsError);
    expect((e as ClaimsError).code).toBe('input/too-large');
    return true;
  }
}

describe('checkTextSize', () => {
  it('refuses a string exactly when its UTF-8 bytes are over the cap', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.nat(130), (text, maxBytes) => {
        expect(refused(text, maxBytes)).toBe(Buffer.byteLength(text) > maxBytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('counts the bytes at the edges of the length shortcut', () => {
    // 3-byte characters: a third of the cap is exactly at it; one more unit is over.
    expect(refused('\u20ac'.repeat(10), 30)).toBe(false);
    expect(refused('\u20ac'.repeat(11), 32)).toBe(true);
    // Surrogate pairs: 4 bytes per 2 units, under the 3-per-unit bound.
    expect(refused('\u{1f600}'.repeat(8), 32)).toBe(false);
    expect(refused('\u{1f600}'.repeat(8), 31)).toBe(true);
    // A lone surrogate is written as U+FFFD, 3 bytes.
    expect(refused('\ud800'.repeat(4), 11)).toBe(true);
    expect(refused('a'.repeat(33), 32)).toBe(true);
  });
});
