/**
 * The claim-set contract's predicates: `isEmailVerified` (JSON true, in verified claims, and nothing else),
 * `rfc3339Millis` (the issuedAt format: RFC 3339 date-time, no rollover, no Date.parse leniency) and
 * `hasUnstorable` (the answer of UNSTORABLE_CHARACTERS, without the regular expression).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  hasUnstorable,
  isEmailVerified,
  rfc3339Millis,
  UNSTORABLE_CHARACTERS,
  type ClaimSet,
} from '../../src/model/claim-set.js';

const cs = (claims: unknown, verified = true): ClaimSet =>
  ({ protocol: 'oidc', issuer: 'https://idp', subject: { id: 'u1' }, claims, verified }) as ClaimSet;

describe('isEmailVerified', () => {
  it('is true only for email_verified: true in a verified claim set', () => {
    expect(isEmailVerified(cs({ email_verified: true }))).toBe(true);
    expect(isEmailVerified(cs({ email_verified: true }, false))).toBe(false);
  });
  it.each([
    ['false', false],
    ['0', 0],
    ['1', 1],
    ['"0"', '0'],
    ['"1"', '1'],
    ['"true"', 'true'],
    ['"TRUE"', 'TRUE'],
    ['"False"', 'False'],
    ['"no"', 'no'],
    ['"yes"', 'yes'],
    ['null', null],
    ['{}', {}],
    ['[]', []],
    ['[true]', [true]],
    ['["true"] (SAML)', ['true']],
  ])('email_verified %s is not verified', (_label, value) => {
    expect(isEmailVerified(cs({ email_verified: value }))).toBe(false);
  });
  it('an absent or inherited claim is not verified, nor are odd claim-set shapes', () => {
    expect(isEmailVerified(cs({}))).toBe(false);
    expect(isEmailVerified(cs(Object.create({ email_verified: true })))).toBe(false);
    for (const claims of [null, 'email_verified', [true], 42]) expect(isEmailVerified(cs(claims))).toBe(false);
    expect(isEmailVerified(null as never)).toBe(false);
    expect(isEmailVerified({ ...cs({ email_verified: true }), verified: 'true' as never })).toBe(false);
  });
  it('no JSON value other than true counts', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(isEmailVerified(cs({ email_verified: v }))).toBe(v === true);
      }),
    );
  });
});

describe('rfc3339Millis', () => {
  it.each([
    ['2026-11-01T09:00:00Z', Date.UTC(2026, 10, 1, 9)],
    ['2026-11-01T09:00:00.5Z', Date.UTC(2026, 10, 1, 9, 0, 0, 500)],
    ['2026-11-01T09:00:00.123999Z', Date.UTC(2026, 10, 1, 9, 0, 0, 123)],
    ['2026-11-01T10:00:00+01:00', Date.UTC(2026, 10, 1, 9)],
    ['2026-11-01T00:00:00-23:59', Date.UTC(2026, 10, 1, 23, 59)],
    ['2026-11-01t09:00:00z', Date.UTC(2026, 10, 1, 9)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2000-02-29T00:00:00Z', Date.UTC(2000, 1, 29)],
    ['0050-01-01T00:00:00Z', -60589296000000],
    ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)],
  ])('%s', (text, ms) => expect(rfc3339Millis(text)).toBe(ms));

  it.each([
    '1',
    '2031',
    '2026-11-01',
    'March 7, 2031',
    '2030-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-06-31T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-11-00T00:00:00Z',
    '2026-11-01T24:00:00Z',
    '2026-11-01T23:60:00Z',
    '2026-11-01T23:00:61Z',
    '2026-11-01T09:00:00',
    '2026-11-01T09:00Z',
    '2026-11-01 09:00:00Z',
    '2026-11-01T09:00:00+24:00',
    '2026-11-01T09:00:00+01:60',
    '2026-11-01T09:00:00+0100',
    '+002026-11-01T09:00:00Z',
    '2026-11-01T09:00:00.Z',
    '2026-11-01T09:00:00.1234567890Z',
    '2026-11-01T09:00:00ZZ',
    '\u0032026-11-01T09:00:00Z\n',
    '٢٠٢٦-11-01T09:00:00Z',
    '',
  ])('refuses %j', (text) => expect(rfc3339Millis(text)).toBeNull());

  it('refuses non-strings', () => {
    for (const v of [undefined, null, 1793523600000, new Date(), ['2026-11-01T09:00:00Z']])
      expect(rfc3339Millis(v)).toBeNull();
  });

  it('agrees with the calendar: every valid instant round-trips through toISOString, nothing rolls over', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (y, mo, d, h, mi, s) => {
          const p = (n: number, w = 2) => String(n).padStart(w, '0');
          const text = `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}.000Z`;
          const ms = rfc3339Millis(text);
          const exists =
            new Date(Date.UTC(2000, mo - 1, d)).getUTCMonth() === mo - 1 &&
            (mo !== 2 || d < 29 || (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)));
          if (!exists) expect(ms).toBeNull();
          else expect(new Date(ms!).toISOString()).toBe(text);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('hasUnstorable', () => {
  it.each([
    ['00u1', false],
    ['00u1\uD800', true],
    ['\uDC00x', true],
    ['😀', false],
    ['\uDC00\uD800', true],
    ['a\u0000', true],
    ['', false],
  ])('%j: %s', (s, expected) => {
    expect(hasUnstorable(s)).toBe(expected);
    expect(UNSTORABLE_CHARACTERS.test(s)).toBe(expected);
  });

  it('property: the same answer as UNSTORABLE_CHARACTERS on any UTF-16 string', () => {
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(0, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x61),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }), (units) => {
        const s = String.fromCharCode(...units);
        expect(hasUnstorable(s)).toBe(UNSTORABLE_CHARACTERS.test(s));
      }),
      { numRuns: 2000 },
    );
  });
});
