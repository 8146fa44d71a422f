/**
 * Adversarial inputs against patterns the analyser proves native-safe: V8 must stay linear. And the classic
 * ReDoS shapes must never be proven safe.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegex } from '../../src/regex/analyze.js';
import { compileMatcher } from '../../src/regex/matcher.js';
import { REDOS_ATTACKS } from '../../bench/fixtures/redos.js';

// No timing here (a loaded 2-core runner breaks any wall-clock limit): linearity is the analyser's proof, and its
// growth from n to 16n is measured by the `regex` group of `npm run bench`. This test checks the proof holds for
// each attack and that V8 answers as re2js (the linear-time reference) does on the adversarial input.
describe('native-safe patterns on adversarial input', () => {
  it.each(REDOS_ATTACKS)('%j', (source, input) => {
    const a = analyzeRegex(source, '');
    expect(a.nativeSafe).toBe(true);
    const plan = { source, flags: '' as const, groups: a.groups, names: a.names };
    const native = compileMatcher({ ...plan, engine: 'native' });
    const re2 = compileMatcher({ ...plan, engine: 're2' });
    const s = input(2_000);
    expect(native.test(s)).toBe(re2.test(s));
    expect(native.exec(s)).toEqual(re2.exec(s));
  });
});

describe('classic ReDoS shapes are never native', () => {
  it.each([
    '^(a+)+$', // nested quantifier (exponential)
    '^(a|a)*$', // overlapping alternation under a star
    '^(a|aa)+$',
    '^(\\w+\\s?)*$',
    '^(a*)*$',
    '^([a-z]+)*$',
    '^(.*a){12}$',
    '^a*a*a*b$', // polynomial: adjacent overlapping loops
    '^\\d+\\d+$',
    '[a-z]+x', // quadratic unanchored search
    '^(?:a?){30}a{30}$', // exponential in the pattern size
  ])('%j', (source) => {
    expect(analyzeRegex(source, '').nativeSafe).toBe(false);
  });
});
