/**
 * The witness generator (src/simulate/regex-witness.ts): for each inexact privileged test, a few values it accepts
 * that no exact reading names; none for an exact test. Every witness is checked here with V8's RegExp (the
 * generator itself checks with re2js), so a witness that does not match fails the test whichever engine erred.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { regexShape } from '../../src/check/exact-path.js';
import type { Cond } from '../../src/model/plan.js';
import { v8Source } from '../../src/regex/analyze.js';
import { MAX_WITNESSES, MAX_WITNESS_LENGTH, regexWitnesses, testWitnesses } from '../../src/simulate/regex-witness.js';

const v8 = (source: string, flags: '' | 'i' = ''): RegExp => new RegExp(v8Source(source), flags === 'i' ? 'iu' : 'u');

/** pattern → its witnesses, in order. */
const INEXACT: [pattern: string, witnesses: string[]][] = [
  // leaf-name matches: any parent path, one parent segment, an unanchored leaf
  ['^.*\\/admins$', ['x/admins', 'xx/admins', '/sandbox/admins']],
  ['^\\/[^\\/]+\\/admins$', ['/xx/admins', '/xxx/admins', '/sandbox/admins']],
  ['\\/admins$', ['x/admins', 'x-/admins', '/sandbox/admins']],
  // open families: a repeat gets min + 1, then min + 2 repetitions
  ['^gh-[a-z]+$', ['gh-xx', 'gh-xxx']],
  ['^gh-.*$', ['gh-x', 'gh-xx']],
  ['^team-\\d+$', ['team-00', 'team-000']],
  ['^[^a-z]+-ops$', ['00-ops', '000-ops']],
  // unanchored, prefix, suffix: decorated at the open end
  ['admins', ['xadminsx', 'x-admins-x']],
  ['^admins', ['adminsx', 'admins-x']],
  ['admins$', ['xadmins', 'x-admins']],
  // the open alternative is chosen, never the exact one
  ['^(vault-admins|ops-.*)$', ['ops-x', 'ops-xx']],
  ['^admins$|root', ['xrootx', 'x-root-x']],
  // finite but more than the checker's 256 names
  ['^ops-[0-9]{1,3}$', ['ops-00', 'ops-000']],
  ['^[a-z]{3}$', ['xxx']],
  // the representative character: x when the class has it, else a lower-case letter, a digit, a space...
  ['^[^x]+$', ['aa', 'aaa']],
  ['^\\s+x$', ['  x', '   x']],
];

const EXACT = [
  '^vault-admins$',
  '^(admins|root)$',
  '^ops-[0-3]$',
  '^\\/eng\\/admins$',
  '^(?:a|b)(?:c|d)$',
  '^x{1000}$',
];
const INVALID = ['', '(', '^a(?=b)$', '^\\1$', '['];

describe('regex witnesses', () => {
  it.each(INEXACT)('%s', (pattern, witnesses) => {
    expect(regexShape(pattern)).not.toBe('exact');
    const got = regexWitnesses(pattern);
    expect(got).toEqual(witnesses);
    for (const w of got) expect(v8(pattern).test(w), w).toBe(true);
  });

  it.each(EXACT)('exact %s: none', (pattern) => {
    expect(regexShape(pattern)).toBe('exact');
    expect(regexWitnesses(pattern)).toEqual([]);
  });

  it.each(INVALID)('invalid %j: none, no exception', (pattern) => {
    expect(regexWitnesses(pattern)).toEqual([]);
  });

  it('a case-insensitive regex: witnesses as written, matching under the flag; an exact one has none (case-fold covers it)', () => {
    expect(regexWitnesses('^GH-[a-z]+$', 'i')).toEqual(['GH-xx', 'GH-xxx']);
    expect(regexWitnesses('^vault-admins$', 'i')).toEqual([]);
  });

  it('starts_with and ends_with: the checker reads both as inexact', () => {
    const t = (op: 'starts_with' | 'ends_with', value: string): Cond => ({
      op,
      quantifier: 'any',
      claim: 'groups',
      value,
    });
    expect(testWitnesses(t('starts_with', 'admin'))).toEqual(['adminx', 'admin-x']);
    expect(testWitnesses(t('ends_with', '-admins'))).toEqual(['x-admins', 'x--admins']);
    expect(testWitnesses(t('ends_with', '/admins'))).toEqual(['x/admins', 'x-/admins', '/sandbox/admins']);
    // metacharacters in the literal are escaped, not read as regex syntax
    expect(testWitnesses(t('starts_with', 'a.b*('))).toEqual(['a.b*(x', 'a.b*(-x']);
  });

  it('only matches, starts_with and ends_with tests have witnesses', () => {
    expect(testWitnesses({ op: 'contains', claim: 'groups', value: 'admins' })).toEqual([]);
    expect(testWitnesses({ op: 'ne', claim: 'kind', value: 'vendor' })).toEqual([]);
  });

  it('a normaliser that turns a witness into a non-match drops it', () => {
    const c: Cond = { op: 'starts_with', quantifier: 'any', claim: 'groups', value: 'Admin' };
    expect(testWitnesses(c, (s) => s.toLowerCase())).toEqual([]);
    expect(testWitnesses(c, (s) => s.trim())).toEqual(['Adminx', 'Admin-x']);
  });

  it('max caps the count', () => {
    expect(regexWitnesses('^.*\\/admins$', '', 1)).toEqual(['x/admins']);
    expect(regexWitnesses('^.*\\/admins$').length).toBeLessThanOrEqual(MAX_WITNESSES);
  });

  it('nested repeats stay within the length cap', () => {
    // 40 nested + would repeat 2^40 times: each level falls back to its minimum once the cap is near
    const deep = `^${'(?:'.repeat(40)}a+${')+'.repeat(40)}$`;
    const ws = regexWitnesses(deep);
    expect(ws.length).toBeGreaterThan(0);
    for (const w of ws) {
      expect(w.length).toBeLessThanOrEqual(MAX_WITNESS_LENGTH);
      expect(v8(deep).test(w)).toBe(true);
    }
    // 1000 repetitions are generated (a witness of 1000 characters), 1001 could not be
    expect(regexWitnesses('^[a-z]{1000}$')).toEqual(['x'.repeat(1000)]);
  });
});

// ---- properties over generated patterns ----

const atom = fc.constantFrom(
  'a',
  'x',
  '\\/',
  '-',
  '.',
  '[a-z]',
  '[^\\/]',
  '\\d',
  '\\w',
  '[0-3]',
  '(?:ab|cd)',
  '(?:admins|root)',
);
const piece = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{2,}')).map(([a, q]) => a + q);
const pattern = fc
  .tuple(
    fc.boolean(),
    fc.array(piece, { minLength: 1, maxLength: 6 }),
    fc.boolean(),
    fc.option(fc.array(piece, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  )
  .map(
    ([start, body, end, alt]) => `${start ? '^' : ''}${body.join('')}${end ? '$' : ''}${alt ? `|${alt.join('')}` : ''}`,
  );

describe('regex witness properties', () => {
  it('every witness matches, is distinct and non-empty; at most 4; none exactly when the checker reads the regex as exact', () => {
    fc.assert(
      fc.property(pattern, (p) => {
        const shape = regexShape(p);
        const ws = regexWitnesses(p);
        expect(ws.length).toBeLessThanOrEqual(MAX_WITNESSES);
        expect(new Set(ws).size).toBe(ws.length);
        for (const w of ws) {
          expect(w).not.toBe('');
          expect(v8(p).test(w), `${p} ∋ ${JSON.stringify(w)}`).toBe(true);
        }
        if (shape === 'exact' || shape === null) expect(ws).toEqual([]);
        else expect(ws.length, p).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('deterministic: the same pattern gives the same witnesses', () => {
    fc.assert(
      fc.property(pattern, (p) => {
        expect(regexWitnesses(p)).toEqual(regexWitnesses(p));
      }),
      { numRuns: 100 },
    );
  });
});
