/**
 * Properties tying the analyser to the two engines: every accepted pattern compiles with re2js (same groups and
 * names); every nativeSafe pattern compiles with V8's `u`-mode RegExp and both matchers agree on random inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RE2JS } from 're2js';
import { analyzeRegex, v8Source } from '../../src/regex/analyze.js';
import { compileMatcher, type RegexCaptures } from '../../src/regex/matcher.js';
import type { RegexPlan } from '../../src/model/plan.js';

/** Captures as plain data (the native engine returns its match array, which also carries index and input). */
const plain = (c: RegexCaptures | null) => (c ? { groups: [...c.groups], named: { ...c.named } } : null);

/** Syntax fragments, valid and invalid, glued at random. */
const TOKENS = [
  'a',
  'b',
  'A',
  'K',
  '-',
  '_',
  '1',
  'é',
  '😀',
  ' ',
  '/',
  '\\/',
  '\\.',
  '\\-',
  '\\\\',
  '\\x41',
  '\\n',
  '[a-z]',
  '[^a]',
  '[A-Z0-9_-]',
  '[\\d.]',
  '[',
  ']',
  '\\d',
  '\\D',
  '\\w',
  '\\W',
  '\\s',
  '\\b',
  '\\B',
  '\\A',
  '\\z',
  '.',
  '^',
  '$',
  '(',
  ')',
  '(?:',
  '(?<n>',
  '(?<m>',
  '(?P<p>',
  '(?=',
  '(?!',
  '(?i)',
  '|',
  '*',
  '+',
  '?',
  '*?',
  '+?',
  '??',
  '{2}',
  '{1,3}',
  '{2,}',
  '{',
  '}',
  '\\1',
  '\\k<n>',
  '\\p{L}',
  '\\Q',
  '\\E',
  '[[:alpha:]]',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 12 }).map((t) => t.join(''));

/** Structured patterns in the style of mapping regexes: mostly accepted, often nativeSafe. */
const atom = fc.constantFrom(
  'a',
  'b',
  'A',
  '-',
  '_',
  '1',
  'é',
  'K',
  '\\.',
  '[a-z]',
  '[a-z0-9-]',
  '[^-]',
  '[A-Z]',
  '\\d',
  '\\w',
  '\\W',
  '\\b',
  '[^a]',
);
const quant = fc.constantFrom('', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}', '+?', '*?');
const piece: fc.Arbitrary<string> = fc.letrec<{ piece: string; seq: string }>((tie) => ({
  piece: fc.oneof(
    { weight: 4, arbitrary: fc.tuple(atom, quant).map(([a, q]) => a + q) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('(', '(?:', '(?P<g>', '(?<h>'),
          fc.array(tie('seq'), { minLength: 1, maxLength: 3 }),
          quant,
        )
        .map(([open, alts, q]) => `${open}${alts.join('|')})${q}`),
    },
  ),
  seq: fc.array(tie('piece'), { minLength: 1, maxLength: 4 }).map((p) => p.join('')),
})).seq;
const structured = fc
  .tuple(fc.boolean(), piece, fc.boolean())
  .map(([start, body, end]) => `${start ? '^' : ''}${body}${end ? '$' : ''}`);

const flagsArb = fc.constantFrom<'' | 'i'>('', 'i');
const inputArb = fc.string({
  unit: fc.constantFrom(
    'a',
    'b',
    'A',
    'B',
    '-',
    '_',
    '1',
    'é',
    'É',
    'K',
    'k',
    '\u212a',
    'ſ',
    's',
    '\n',
    '\r',
    ' ',
    '.',
    '\u2028',
    '😀',
  ),
  maxLength: 16,
});

function plan(source: string, flags: '' | 'i', engine: 'native' | 're2', groups: number, names: string[]): RegexPlan {
  return { source, flags, engine, groups, names };
}

function checkAgainstEngines(source: string, flags: '' | 'i', inputs: string[]): void {
  const a = analyzeRegex(source, flags);
  if (!a.ok) return;
  const re2 = RE2JS.compile(source, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
  expect(re2.groupCount()).toBe(a.groups);
  expect(Object.keys(re2.namedGroups())).toEqual(a.names);
  if (!a.nativeSafe) return;
  expect(() => new RegExp(v8Source(source), `${flags}u`)).not.toThrow();
  const native = compileMatcher(plan(source, flags, 'native', a.groups, a.names));
  const linear = compileMatcher(plan(source, flags, 're2', a.groups, a.names));
  for (const input of inputs) {
    expect(native.test(input), `${source} /${flags} on ${JSON.stringify(input)}`).toBe(linear.test(input));
    expect(plain(native.exec(input)), `${source} /${flags} on ${JSON.stringify(input)}`).toEqual(
      plain(linear.exec(input)),
    );
  }
}

describe('analyzeRegex properties', () => {
  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), flagsArb, (s, flags) => {
        const a = analyzeRegex(s, flags);
        expect(a.ok).toBe(a.issues.length === 0);
        for (const i of a.issues) {
          expect(i.offset).toBeGreaterThanOrEqual(0);
          expect(i.offset + i.length).toBeLessThanOrEqual(Math.max(s.length, 1));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('accepted token soups compile with re2js; nativeSafe ones match like re2js', () => {
    fc.assert(
      fc.property(tokenSoup, flagsArb, fc.array(inputArb, { maxLength: 8 }), (s, flags, inputs) =>
        checkAgainstEngines(s, flags, inputs),
      ),
      { numRuns: 1500 },
    );
  });

  it('structured mapping-style patterns: native and re2js matchers agree', () => {
    fc.assert(
      fc.property(structured, flagsArb, fc.array(inputArb, { minLength: 1, maxLength: 12 }), (s, flags, inputs) =>
        checkAgainstEngines(s, flags, inputs),
      ),
      { numRuns: 1500 },
    );
  });

  it('the structured generator exercises native patterns (the property is not vacuous)', () => {
    const samples = fc.sample(structured, { numRuns: 500, seed: 42 });
    const native = samples.filter((s) => analyzeRegex(s, '').nativeSafe).length;
    expect(native).toBeGreaterThan(50);
  });
});

/** Each rule that keeps a pattern off V8 guards against a real difference: the engines disagree on these inputs. */
const engineDifferences: [string, '' | 'i', string][] = [
  ['^a.b$', '', 'a\rb'], // V8's `.` stops at \r
  ['^a.b$', '', 'a\u2028b'], // ... and at U+2028
  ['^a\\sb$', '', 'a\u00a0b'], // V8's \s is Unicode
  ['^(a*)?$', '', ''], // repeat of a nullable body: V8 leaves the group unset
  ['^(?:(a)|b)+$', '', 'ab'], // V8 resets captures at each iteration
  ['^\\bſ', 'i', 'ſ'], // V8 folds U+017F into \w under i
];

describe('engine differences the analyser keeps off V8', () => {
  it.each(engineDifferences)('%j /%s on %j', (source, flags, input) => {
    const a = analyzeRegex(source, flags);
    expect(a.ok).toBe(true);
    expect(a.nativeSafe).toBe(false);
    const native = compileMatcher(plan(source, flags, 'native', a.groups, a.names));
    const linear = compileMatcher(plan(source, flags, 're2', a.groups, a.names));
    expect(plain(native.exec(input))).not.toEqual(plain(linear.exec(input)));
  });
});
