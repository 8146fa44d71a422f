/**
 * The plan digest's two SHA-256 implementations agree: node:crypto (src/compile/sha256.ts, used on Node) and the
 * plain-JavaScript one the browser build uses instead (src/compile/sha256.browser.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile/compile.js';
import { canonicalJson } from '../../src/compile/digest.js';
import { sha256HexChunks as browserChunks, sha256Hex as browserSha256 } from '../../src/compile/sha256.browser.js';
import { sha256HexChunks as nodeChunks, sha256Hex as nodeSha256 } from '../../src/compile/sha256.js';

const node = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

describe('sha256Hex', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('both implementations give the FIPS 180-4 vector for %j', (input, hex) => {
    expect(browserSha256(input)).toBe(hex);
    expect(nodeSha256(input)).toBe(hex);
  });

  it('hashing in chunks gives the digest of the chunks joined, in both implementations', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { maxLength: 20 }), (chunks) => {
        const whole = node(chunks.join(''));
        const write = (emit: (c: string) => void) => {
          for (const c of chunks) emit(c);
        };
        return nodeChunks(write) === whole && browserChunks(write) === whole;
      }),
    );
  });

  it('agrees with node:crypto at every length around the block boundaries', () => {
    for (let n = 0; n < 200; n++) expect(browserSha256('x'.repeat(n))).toBe(node('x'.repeat(n)));
  });

  it('agrees with node:crypto on any string, lone surrogates included (encoded as U+FFFD)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => browserSha256(s) === node(s)));
  });

  it('gives every example plan the digest compile computed', () => {
    const dirs = readdirSync('examples', { withFileTypes: true }).filter((d) => d.isDirectory());
    let plans = 0;
    for (const dir of dirs) {
      for (const f of readdirSync(`examples/${dir.name}`).filter((n) => n.endsWith('.claimmap'))) {
        const { plan } = compile(readFileSync(`examples/${dir.name}/${f}`, 'utf8'));
        expect(plan).not.toBeNull();
        const { digest, ...body } = plan as NonNullable<typeof plan>;
        expect(browserSha256(canonicalJson(body, new Set(['loc', 'text'])))).toBe(digest);
        plans++;
      }
    }
    expect(plans).toBeGreaterThanOrEqual(5);
  });
});
