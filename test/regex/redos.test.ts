/**
 * Adversarial inputs against patterns the analyser proves native-safe: V8 must stay linear. And the classic
 * ReDoS shapes must never be proven safe.
 */
import { describe, expect, it } from 'vitest';
import { analyzeRegex } from '../../src/regex/analyze.js';
import { compileMatcher } from '../../src/regex/matcher.js';

/** Each attack as a function of its size n (the input grows linearly with n). */
const attacks: [string, (n: number) => string][] = [
  ['^gh-([a-z0-9-]+)$', (n) => 'gh-' + 'a-'.repeat(n) + '!'],
  ['^([a-z]+)-([a-z]+)$', (n) => 'a'.repeat(n) + '-' + 'a'.repeat(n) + '!'],
  ['^([a-z]+)(-admin)?$', (n) => 'a'.repeat(n) + '-admi'],
  ['^app-[a-z]+-admin$', (n) => 'app-' + 'a'.repeat(n) + '-admix'],
  ['^(?:ab)+$', (n) => 'ab'.repeat(n) + 'a'],
  ['^[a-z]+@[a-z]+\\.com$', (n) => 'a'.repeat(n) + '@' + 'a'.repeat(n)],
  ['-admin$', (n) => '-admi'.repeat(n)],
];

/** The median time of `runs` rounds of `f` repeated `reps` times (a round long enough for the timer). */
function medianMs(f: () => void, runs = 7, reps = 10): number {
  const t: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[runs >> 1]!;
}

// No wall-clock limit (a loaded 2-core runner breaks any): the input grows 16x, so linear matching grows about 16x
// and quadratic about 256x; the ratio must stay under 64, a margin of 4x either way.
describe('native-safe patterns stay linear on adversarial input', () => {
  it.each(attacks)('%j', (source, input) => {
    const a = analyzeRegex(source, '');
    expect(a.nativeSafe).toBe(true);
    const m = compileMatcher({ source, flags: '', engine: 'native', groups: a.groups, names: a.names });
    const small = input(3_000);
    const large = input(48_000);
    const run = (s: string) => () => {
      m.test(s);
      m.exec(s);
    };
    medianMs(run(large), 1, 1); // warm up the regex and the JIT
    const ratio = medianMs(run(large)) / Math.max(medianMs(run(small)), 0.001);
    expect(ratio).toBeLessThan(64);
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
