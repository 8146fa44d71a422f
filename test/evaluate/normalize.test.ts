import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeNormalizers, isAscii, lower, nfkc, trim } from '../../src/evaluate/normalize.js';
import type { Normalizer } from '../../src/model/plan.js';

describe('normalisers', () => {
  const cases: [string, (s: string) => string, string, string][] = [
    ['nfkc fullwidth', nfkc, 'ｅｎｇ－ａｄｍｉｎｓ', 'eng-admins'],
    ['nfkc ligature', nfkc, 'ﬁnance', 'finance'],
    ['nfkc leaves ASCII alone', nfkc, 'Eng Admins', 'Eng Admins'],
    ['lower ASCII', lower, 'Eng-ADMINS', 'eng-admins'],
    ['lower fullwidth upper case', lower, 'ＥＮＧ', 'eng'],
    ['lower Turkish dotted capital I (no locale)', lower, 'İ', 'i̇'],
    ['lower keeps dotless i (never upper-cases)', lower, 'ı', 'ı'],
    ['lower German sharp s stays (no upper/case-fold)', lower, 'Straße', 'straße'],
    ['lower Kelvin sign', lower, '\u212a', 'k'],
    ['trim ASCII', trim, ' \t\n eng \r\n', 'eng'],
    ['trim NBSP, ideographic space, NEL, BOM', trim, '\u00a0\u3000\u0085\ufeffeng\u2003\u2029', 'eng'],
    ['trim keeps inner space', trim, '  a  b  ', 'a  b'],
    ['trim keeps zero-width space (not White_Space)', trim, '\u200beng', '\u200beng'],
    ['trim all white space', trim, ' \u00a0 ', ''],
  ];
  it.each(cases)('%s', (_name, f, input, want) => {
    expect(f(input)).toBe(want);
  });

  it('trim is linear on a long inner run of white space (no regex backtracking)', () => {
    const s = `a${' '.repeat(200_000)}b`;
    expect(trim(s)).toBe(s);
  });

  it('composes in the declared order', () => {
    expect(composeNormalizers(['trim', 'lower'])!('  ＡB ')).toBe('ab');
    expect(composeNormalizers([])).toBeNull();
    expect(composeNormalizers(['nfkc', 'trim', 'lower'])!('\u3000X\u3000')).toBe('x');
  });

  it('rejects an unknown normaliser as an invalid plan', () => {
    expect(() => composeNormalizers(['upper' as Normalizer])).toThrow(TypeError);
    expect(() => composeNormalizers(['toString' as Normalizer])).toThrow(TypeError);
  });
});

describe('normalisers are idempotent (property)', () => {
  const strings = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    // characters with interesting case / compatibility mappings, mixed with ASCII
    fc.string({
      unit: fc.constantFrom(
        'İ',
        'ı',
        'ß',
        'ẞ',
        'ǅ',
        'Ω',
        'K',
        'Å',
        'ﬁ',
        'ｅ',
        'Ｅ',
        '㎒',
        'ⅸ',
        'Ⅸ',
        '\u0345',
        'ΐ',
        'A',
        ' ',
        '\u3000',
        '¨',
      ),
    }),
  );
  for (const [name, f] of [
    ['nfkc', nfkc],
    ['lower', lower],
    ['trim', trim],
  ] as const) {
    it(`${name}(${name}(x)) === ${name}(x)`, () => {
      fc.assert(
        fc.property(strings, (s) => {
          const once = f(s);
          expect(f(once)).toBe(once);
        }),
        { numRuns: 2000 },
      );
    });
  }
  it('lower never produces an upper-case letter that toLowerCase would change', () => {
    fc.assert(
      fc.property(strings, (s) => {
        const l = lower(s);
        expect(l.toLowerCase()).toBe(l);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('isAscii (the fast path of lower and nfkc)', () => {
  const byUnits = (s: string): boolean => [...Array(s.length).keys()].every((i) => s.charCodeAt(i) <= 0x7f);

  it('is true exactly when every UTF-16 code unit is at most U+007F', () => {
    for (const s of ['', 'a', '\u0000', '\u007f', '\u0080', 'abc\u00e9', '\ud800', 'x\udfff', '😀', 'a\nb\r\u2028'])
      expect(isAscii(s)).toBe(byUnits(s));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => isAscii(s) === byUnits(s)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 40 }), (s) => isAscii(s)),
      { numRuns: 500 },
    );
  });
});
