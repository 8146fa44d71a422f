/**
 * The Buffer-free decoders of src/claims/base64.ts decode exactly as Node's Buffer does on the input the readers let
 * through (so the readers behave the same on Node and in the browser build).
 */
import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Bytes, latin1Text, utf8Length } from '../../src/claims/base64.js';

describe('decodeBase64Bytes', () => {
  it('decodes any bytes encoded as base64 or base64url, padded or not, as Buffer does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const b = Buffer.from(bytes);
        for (const text of [b.toString('base64'), b.toString('base64url'), b.toString('base64').replace(/=+$/, '')]) {
          expect([...decodeBase64Bytes(text)]).toEqual([...bytes]);
        }
      }),
    );
  });

  it('ignores trailing bits that do not make a byte, as Buffer does', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/]{0,40}$/), (text) => {
        if (text.length % 4 === 1) return;
        expect([...decodeBase64Bytes(text)]).toEqual([...Buffer.from(text, 'base64')]);
      }),
    );
  });

  it('throws TypeError on a character of neither alphabet (callers validate first)', () => {
    expect(() => decodeBase64Bytes('ab*d')).toThrow(TypeError);
    expect(() => decodeBase64Bytes('abé=')).toThrow(TypeError);
  });
});

describe('utf8Length', () => {
  it('counts what Buffer.byteLength counts, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (s) => utf8Length(s) === Buffer.byteLength(s)),
    );
    expect(utf8Length('a\ud800b')).toBe(5);
    expect(utf8Length('😀')).toBe(4);
  });
});

describe('latin1Text', () => {
  it('reads one character per byte, as Buffer#toString("latin1"), across chunk boundaries', () => {
    const bytes = Uint8Array.from({ length: 20000 }, (_, i) => (i * 7) & 0xff);
    expect(latin1Text(bytes)).toBe(Buffer.from(bytes).toString('latin1'));
  });
});
