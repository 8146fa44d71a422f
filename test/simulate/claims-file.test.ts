import { describe, expect, it } from 'vitest';
import { ClaimsError, readClaims, type ReadClaimsOptions } from '../../src/claims/index.js';
import { readClaimsFile } from '../../src/simulate/claims-file.js';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const claimSet = (claims: Record<string, unknown>) => ({
  protocol: 'oidc',
  issuer: 'https://idp.example.com',
  subject: { id: 'u1' },
  claims,
  verified: false,
});
const oidc = (claims: Record<string, unknown>) => ({ iss: 'https://idp.example.com', sub: 'u1', ...claims });

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof ClaimsError) return e.code;
    throw e;
  }
  return undefined;
}

const nested = (depth: number): unknown => (depth === 0 ? 'x' : { a: nested(depth - 1) });
const manyClaims = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, 'v']));

describe('readClaimsFile: a claim-set JSON gets the limits of the claim readers', () => {
  // [attack, claims, options]: the same claims as a claim-set file and as an OIDC claims object give the same code.
  const cases: [string, Record<string, unknown>, ReadClaimsOptions, string][] = [
    ['oversized file (size flood)', { blob: 'x'.repeat(2000) }, { maxBytes: 1000 }, 'input/too-large'],
    ['too many claims (key flood)', manyClaims(20), { maxClaims: 10 }, 'json/too-many-claims'],
    [
      'array flood',
      { groups: Array.from({ length: 50 }, (_, i) => `g${i}`) },
      { maxArrayLength: 10 },
      'json/array-too-long',
    ],
    ['long string', { name: 'x'.repeat(100) }, { maxStringLength: 50 }, 'json/string-too-long'],
    ['deep nesting (stack exhaustion)', { deep: nested(20) }, {}, 'json/too-deep'],
  ];
  it.each(cases)('%s: %s', (_attack, claims, options, code) => {
    expect(codeOf(() => readClaims(enc(oidc(claims)), options))).toBe(code);
    expect(codeOf(() => readClaimsFile(enc(claimSet(claims)), options))).toBe(code);
  });

  it('accepts a claim set at the limits, nested as deep as OIDC claims may be', () => {
    const claims = { ...manyClaims(9), deep: nested(14) };
    expect(codeOf(() => readClaims(enc(oidc(claims)), { maxClaims: 12 }))).toBeUndefined();
    expect(readClaimsFile(enc(claimSet(claims)), { maxClaims: 12 }).subject.id).toBe('u1');
  });

  it('still refuses __proto__ keys in a claim-set file', () => {
    const text = JSON.stringify(claimSet({ a: 'b' })).replace('"claims":{', '"claims":{"__proto__":{"admin":true},');
    expect(codeOf(() => readClaimsFile(enc(text)))).toBe('json/invalid-value');
  });
});
