/**
 * Adversarial inputs against patterns the analyser proves native-safe: V8 must stay linear. And the classic
 * ReDoS shapes must never be proven safe.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegex } from '../../src/regex/analyze.js';
import { compileMatcher } from '../../src/regex/matcher.js';

const N = 50_000;
const attacks: [string, string][] = [
  ['^gh-([a-z0-9-]+)$', 'gh-' + 'a-'.repeat(N) + '!'],
  ['^([a-z]+)-([a-z]+)$', 'a'.repeat(N) + '-' + 'a'.repeat(N) + '!'],
  ['^([a-z]+)(-admin)?$', 'a'.repeat(N) + '-admi'],
  ['^app-[a-z]+-admin$', 'app-' + 'a'.repeat(N) + '-admix'],
  ['^(?:ab)+$', 'ab'.repeat(N) + 'a'],
  ['^[a-z]+@[a-z]+\\.com$', 'a'.repeat(N) + '@' + 'a'.repeat(N)],
  ['-admin$', '-admi'.repeat(N)],
];

describe('native-safe patterns stay linear on adversarial input', () => {
  it.each(attacks)('%j', (source, input) => {
    const a = analyzeRegex(source, '');
    expect(a.nativeSafe).toBe(true);
    const m = compileMatcher({ source, flags: '', engine: 'native', groups: a.groups, names: a.names });
    const t0 = performance.now();
    m.test(input);
    m.exec(input);
    expect(performance.now() - t0).toBeLessThan(250);
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
