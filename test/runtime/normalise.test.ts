import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/runtime/lifecycle.js';
import { lower, nfkc, trim } from '../../src/evaluate/normalize.js';
import { checkKeyText, normaliseUniqueValue, snapshotClaims, verifiedEmail } from '../../src/runtime/normalise.js';
import { makeClaims } from './fixtures.js';

describe('parseDuration', () => {
  const valid: [string, number][] = [
    ['90d', 90 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    ['45s', 45_000],
    ['2w', 14 * 86_400_000],
    ['0d', 0],
  ];
  for (const [text, ms] of valid) it(`parses ${text}`, () => expect(parseDuration(text)).toBe(ms));
  const invalid = ['', '90', 'd', '90 days', '-1d', '1.5d', '90D', '9999999d', '1y'];
  for (const text of invalid)
    it(`rejects "${text}" with TypeError`, () => expect(() => parseDuration(text)).toThrow(TypeError));
});

describe('normaliseUniqueValue', () => {
  const cases: [string, string][] = [
    [' Jane@Example.COM ', 'jane@example.com'],
    ['ＪＡＮＥ@example.com', 'jane@example.com'], // fullwidth letters fold under NFKC
    ['ﬁnance', 'finance'], // ligature
    ['İstanbul', 'i̇stanbul'], // locale-independent lower-casing
  ];
  for (const [input, out] of cases)
    it(`${JSON.stringify(input)} → ${JSON.stringify(out)}`, () => expect(normaliseUniqueValue(input)).toBe(out));
  it('is idempotent', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        (s) => normaliseUniqueValue(normaliseUniqueValue(s)) === normaliseUniqueValue(s),
      ),
    );
  });

  // The former hand-written pipeline; the shared evaluate/ normalisers must agree with it wherever it was stable.
  const previous = (v: string) => v.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
  const table: [name: string, input: string, out: string][] = [
    ['ASCII', ' Jane@Example.COM\t', 'jane@example.com'],
    ['fullwidth letters and digits', 'ＡＢＣ１２３', 'abc123'],
    ['ligature', 'Ｅﬃcient', 'efficient'],
    ['dotted capital I, no locale', 'İ', 'i\u0307'],
    ['final sigma', 'ΟΔΟΣ', 'οδος'],
    ['angstrom sign', '\u212bngstr\u00f6m', 'ångström'],
    ['NBSP and ideographic space around', '\u00a0 Ｊane\u3000', 'jane'],
    ['halfwidth katakana', 'ｶﾀｶﾅ', 'カタカナ'],
    ['decomposed accent', 'Cafe\u0301', 'café'],
    ['sharp s stays', 'Straße', 'straße'],
    ['circled letter', 'Ⓐdmin', 'admin'],
  ];
  for (const [name, input, out] of table) {
    it(`${name}: equals lower(trim(nfkc(v))) and the previous pipeline`, () => {
      expect(normaliseUniqueValue(input)).toBe(out);
      expect(normaliseUniqueValue(input)).toBe(lower(trim(nfkc(input))));
      expect(previous(input)).toBe(out);
      expect(normaliseUniqueValue(out)).toBe(out);
    });
  }
  it('indexes lone surrogates and U+0000 as U+FFFD, so every store holds the same string', () => {
    expect(normaliseUniqueValue('Jane\uD800')).toBe('jane\uFFFD');
    expect(normaliseUniqueValue('\uDC00a\u0000')).toBe('\uFFFDa\uFFFD');
    expect(normaliseUniqueValue('Jane😀')).toBe('jane😀');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (s) => {
        const v = normaliseUniqueValue(s);
        expect(checkKeyText.bind(null, v, 'subject', '/')).not.toThrow();
        expect(normaliseUniqueValue(v)).toBe(v);
      }),
    );
  });
  it('trims NEL (U+0085) like the claim normaliser trim does (the previous pipeline kept it)', () => {
    expect(normaliseUniqueValue('\u0085Jane\u0085')).toBe('jane');
  });
  it('agrees with the previous pipeline wherever that one was idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        fc.pre(!s.includes('\u0085') && !s.includes('\u0000') && previous(previous(s)) === previous(s));
        expect(normaliseUniqueValue(s)).toBe(previous(s));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('verifiedEmail', () => {
  const cases: { name: string; verified: boolean; flag?: unknown; email?: unknown; out: string | null }[] = [
    { name: 'email_verified true in a verified claim set', verified: true, flag: true, out: 'jane@example.com' },
    { name: 'no email_verified claim', verified: true, out: null },
    { name: 'an unverified claim set', verified: false, flag: true, out: null },
    { name: 'email_verified false', verified: true, flag: false, out: null },
    { name: 'email_verified "true"', verified: true, flag: 'true', out: null },
    { name: 'email_verified 1', verified: true, flag: 1, out: null },
    { name: 'email_verified ["true"] (SAML)', verified: true, flag: ['true'], out: null },
    {
      name: 'email_verified true, email not a string',
      verified: true,
      flag: true,
      email: ['jane@example.com'],
      out: null,
    },
    { name: 'email_verified true, email blank', verified: true, flag: true, email: '  ', out: null },
    {
      name: 'email_verified true, email normalised',
      verified: true,
      flag: true,
      email: ' Jane@Example.COM ',
      out: 'jane@example.com',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cs = makeClaims({
        verified: c.verified,
        ...(c.email === undefined ? {} : { email: c.email as never }),
        ...(c.flag === undefined ? {} : { extra: { email_verified: c.flag as never } }),
      });
      expect(verifiedEmail(cs)).toBe(c.out);
    });
  }
});

describe('checkKeyText', () => {
  it.each(['00u1\uD800', '\uDC00', '\uDE00\uD83D', 'a\u0000b'])('refuses %j with runtime/invalid-key', (s) => {
    expect(() => checkKeyText(s, 'subject', '/subject/id')).toThrow(
      expect.objectContaining({ code: 'runtime/invalid-key', position: { path: '/subject/id' } }),
    );
  });
  it.each(['00u1', '😀', '\uFFFD', '', 'a\u0001b'])('accepts %j', (s) =>
    expect(() => checkKeyText(s, 'issuer', '/issuer')).not.toThrow(),
  );
  it('leaves non-strings to the other checks', () => expect(() => checkKeyText(42, 'issuer', '/issuer')).not.toThrow());
  it('agrees with String.prototype.isWellFormed on every UTF-16 string (and refuses U+0000)', () => {
    const isWellFormed = (s: string) =>
      (String.prototype as unknown as { isWellFormed(this: string): boolean }).isWellFormed.call(s);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (s) => {
        let thrown = false;
        try {
          checkKeyText(s, 'subject', '/subject/id');
        } catch {
          thrown = true;
        }
        expect(thrown).toBe(!isWellFormed(s) || s.includes('\u0000'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('snapshotClaims', () => {
  it('keeps what a later preview needs to re-evaluate the login exactly: NameID format, aliases, overage', () => {
    const snap = snapshotClaims({
      protocol: 'saml',
      issuer: 'urn:idp',
      verified: true,
      subject: { id: 'p1', format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' },
      claims: { 'urn:oid:0.9.2342.19200300.100.1.3': ['a@b.c'], groups: ['x'] },
      aliases: { mail: 'urn:oid:0.9.2342.19200300.100.1.3', gone: 'not-stored' },
      indeterminate: ['groups'],
    });
    expect(snap.subjectFormat).toBe('urn:oasis:names:tc:SAML:2.0:nameid-format:persistent');
    expect({ ...snap.aliases }).toEqual({ mail: 'urn:oid:0.9.2342.19200300.100.1.3' });
    expect(snap.indeterminate).toEqual(['groups']);
  });

  it('does not depend on claim key order, never exceeds the cap, and counts what it omits', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer({ min: 200, max: 4000 }), (claims, cap) => {
        const snap = snapshotClaims({ ...makeClaims(), claims: claims as never }, cap);
        const reversed = Object.fromEntries(Object.entries(claims).reverse());
        expect(JSON.stringify(snapshotClaims({ ...makeClaims(), claims: reversed as never }, cap))).toBe(
          JSON.stringify(snap),
        );
        expect(Buffer.byteLength(JSON.stringify(snap))).toBeLessThanOrEqual(cap);
        expect(Object.keys(snap.claims).length + (snap.omitted ?? 0)).toBe(Object.keys(claims).length);
      }),
    );
  });

  it('omits nesting deeper than 32 levels instead of failing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const snap = snapshotClaims({ ...makeClaims(), claims: { deep: deep as never, ok: 1 } });
    expect(Object.keys(snap.claims)).toEqual(['ok']);
    expect(snap.omitted).toBe(1);
  });

  it('keeps a "__proto__" claim as data', () => {
    const claims = JSON.parse('{"__proto__": {"admin": true}, "x": 1}') as Record<string, never>;
    const snap = snapshotClaims({ ...makeClaims(), claims });
    expect(Object.keys(snap.claims)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('stores claim values with object keys sorted at every depth', () => {
    const snap = snapshotClaims({ ...makeClaims(), claims: { x: { b: 1, a: { d: [1, { f: 1, e: 2 }], c: null } } } });
    expect(JSON.stringify(snap.claims)).toBe('{"x":{"a":{"c":null,"d":[1,{"e":2,"f":1}]},"b":1}}');
  });

  const oddShapes: { name: string; claims?: unknown; aliases?: unknown }[] = [
    { name: 'claims null', claims: null },
    { name: 'claims a string', claims: 'abc' },
    { name: 'claims an array', claims: ['a', 'b'] },
    { name: 'aliases a string', aliases: 'abc' },
    { name: 'aliases an array', aliases: ['email'] },
  ];
  for (const c of oddShapes) {
    it(`reads a claim set with ${c.name} as having no such claims or aliases`, () => {
      const cs = {
        ...makeClaims(),
        ...('claims' in c ? { claims: c.claims as never } : {}),
        ...('aliases' in c ? { aliases: c.aliases as never } : {}),
      };
      const snap = snapshotClaims(cs);
      if ('claims' in c) expect({ ...snap.claims }).toEqual({});
      expect(snap.aliases).toBeUndefined();
      expect(verifiedEmail(cs)).toBeNull();
    });
  }
});
