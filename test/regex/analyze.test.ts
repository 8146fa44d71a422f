import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../src/regex/matcher.js';
import { RE2JS } from 're2js';
import { v8Source, analyzeRegex, REGEX_LIMITS } from '../../src/regex/analyze.js';
import type { RegexIssueCode } from '../../src/regex/issues.js';

const re2Compiles = (source: string, flags: string): boolean => {
  try {
    RE2JS.compile(source, flags === 'i' ? RE2JS.CASE_INSENSITIVE : 0);
    return true;
  } catch {
    return false;
  }
};
const nativeCompiles = (source: string, flags: string): boolean => {
  try {
    new RegExp(v8Source(source), `${flags}u`);
    return true;
  } catch {
    return false;
  }
};

/** [pattern, flags, nativeSafe]: accepted patterns. */
const valid: [string, '' | 'i', boolean][] = [
  // typical mapping regexes: native
  ['^gh-([a-z0-9-]+)$', '', true],
  ['^eng(-leads)?$', '', true],
  ['^app-[a-z]+-admin$', '', true],
  ['^app-[a-z]+-admin$', 'i', true],
  ['^([a-z]+)-([a-z]+)$', '', true],
  ['^([a-z]+)(-admin)?$', '', true],
  ['^(admin|user)-[a-z0-9_]+$', '', true],
  ['^(?<team>[a-z]+)-(?<env>prod|dev)$', '', true],
  ['^\\d{3,5}$', '', true],
  ['^[A-Z]{2}\\d{4}$', '', true],
  ['^okta-admins$', '', true],
  ['^(?:ab)+$', '', true],
  ['^\\w+@example\\.com$', '', true],
  ['^[^,]+$', '', true],
  ['^a\\/b$', '', true],
  ['^\\$\\^\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\$', '', true],
  ['^[\\-\\]\\\\a-c]$', '', true],
  ['^[-a]$', '', true],
  ['^[a-]$', '', true],
  ['^a*?b$', '', true],
  ['^\\x41\\t\\n\\r\\f\\v$', '', true],
  ['^é+$', '', true],
  ['admin', '', true], // unanchored but no unbounded repeat: linear
  ['-admin$', '', true],
  ['^a{0}$', '', true],
  ['^a|^b$', '', true],
  ['\\bfoo\\b', '', true],
  // accepted, but re2js only
  ['(a+)+$', '', false], // nested quantifier: exponential in V8
  ['(a|aa)*$', '', false], // repeated alternation
  ['(\\w+\\s?)*$', '', false], // nested quantifier and \s
  ['^a+a+$', '', false], // adjacent overlapping loops: quadratic
  ['^[a-z]+[a-z0-9]*$', '', false],
  ['^[A-Z]+X?$', '', false],
  ['^[a-z]+$', 'i', true],
  ['^[a-z]+[A-Z]$', 'i', false], // overlap once case-folded
  ['[a-z]+-admin', '', false], // unanchored unbounded repeat: quadratic search
  ['^a.b$', '', false], // `.` differs (\r, U+2028)
  ['^a\\sb$', '', false], // \s differs (Unicode in V8)
  ['^\\w+$', 'i', false], // \w under i differs (U+017F, U+212A)
  ['^é$', 'i', false], // non-ASCII under i
  ['\\Aabc\\z', '', false], // RE2-only anchors
  ['^(?P<team>[a-z]+)$', '', true], // RE2's group name syntax: V8 is given (?<team>...)
  ['^a{1,101}$', '', false], // count above 100
  ['^(a*)?$', '', false], // repeat of a nullable body: captures differ
  ['^(?:-[a-z]+)*$', '', false], // star height 2
  ['^(a|b)+$', '', false],
  ['^[a-z]{2,5}[a-z]+$', '', false],
];

/** [pattern, code, offset, length] of the first issue. */
const invalid: [string, RegexIssueCode, number, number][] = [
  ['', 'regex/empty', 0, 0],
  ['(a', 'regex/syntax', 0, 1],
  ['a)', 'regex/syntax', 1, 1],
  ['[a', 'regex/syntax', 0, 2],
  ['[]a]', 'regex/syntax', 1, 1],
  ['[^]a]', 'regex/syntax', 2, 1],
  ['*a', 'regex/syntax', 0, 1],
  ['a|+', 'regex/syntax', 2, 1],
  ['a**', 'regex/syntax', 2, 1],
  ['a{2}{3}', 'regex/syntax', 4, 3],
  ['a{', 'regex/syntax', 1, 1],
  ['a{,3}', 'regex/syntax', 1, 1],
  ['a{3,2}', 'regex/syntax', 1, 5],
  ['a}', 'regex/syntax', 1, 1],
  ['a]', 'regex/syntax', 1, 1],
  ['^*', 'regex/syntax', 1, 1],
  ['\\b+', 'regex/syntax', 2, 1],
  ['a\\', 'regex/syntax', 1, 1],
  ['\\xZZ', 'regex/syntax', 0, 2],
  ['\\y', 'regex/syntax', 0, 2],
  ['[z-a]', 'regex/syntax', 1, 3],
  ['[\\d-z]', 'regex/syntax', 1, 4],
  ['[a-c-e]', 'regex/syntax', 4, 1],
  ['(?<1a>x)', 'regex/syntax', 0, 6],
  ['(?<a>x)(?<a>y)', 'regex/syntax', 7, 5],
  ['(?<a', 'regex/syntax', 0, 4],
  ['(?)', 'regex/syntax', 0, 2],
  ['a\ud800', 'regex/syntax', 1, 1],
  ['(a)\\1', 'regex/backreference', 3, 2],
  ['(a)\\12', 'regex/backreference', 3, 3],
  ['(?<n>a)\\k<n>', 'regex/backreference', 7, 5],
  ['(?P<n>a)(?P=n)', 'regex/backreference', 8, 6],
  ['a(?=b)', 'regex/lookaround', 1, 3],
  ['a(?!b)', 'regex/lookaround', 1, 3],
  ['(?<=a)b', 'regex/lookaround', 0, 4],
  ['(?<!a)b', 'regex/lookaround', 0, 4],
  ['a*+', 'regex/unsupported', 1, 2],
  ['a++', 'regex/unsupported', 1, 2],
  ['(?>a+)b', 'regex/unsupported', 0, 3],
  ['(?i)abc', 'regex/unsupported', 0, 4],
  ['(?i:abc)', 'regex/unsupported', 0, 4],
  ['(?#note)a', 'regex/unsupported', 0, 8],
  ['\\Qa.b\\E', 'regex/unsupported', 0, 7],
  ['\\p{Greek}', 'regex/unsupported', 0, 9],
  ['\\pL', 'regex/unsupported', 0, 3],
  ['[[:alpha:]]', 'regex/unsupported', 1, 9],
  ['\\0', 'regex/unsupported', 0, 2],
  ['\\x{41}', 'regex/unsupported', 0, 6],
  ['\\Z', 'regex/unsupported', 0, 2],
  ['\\C', 'regex/unsupported', 0, 2],
  ['\\u0041', 'regex/unsupported', 0, 2],
  ['eng\\-leads', 'regex/unsupported', 3, 2],
  ['a\\@b', 'regex/unsupported', 1, 2],
  ['[\\b]', 'regex/unsupported', 1, 2],
  ['a{1001}', 'regex/too-complex', 1, 6],
  ['(a{10}){101}', 'regex/too-complex', 1, 5],
  ['((a{2}){3}){200}', 'regex/too-complex', 2, 4],
  ['a'.repeat(REGEX_LIMITS.maxLength + 1), 'regex/too-complex', REGEX_LIMITS.maxLength, 1],
  ['('.repeat(60) + ')'.repeat(60), 'regex/too-complex', 50, 1],
];

describe('analyzeRegex: valid patterns', () => {
  it.each(valid)('%j /%s → nativeSafe %s', (source, flags, nativeSafe) => {
    const a = analyzeRegex(source, flags);
    expect(a.issues).toEqual([]);
    expect(a.ok).toBe(true);
    expect(a.nativeSafe).toBe(nativeSafe);
    expect(re2Compiles(source, flags)).toBe(true);
    if (nativeSafe) expect(nativeCompiles(source, flags)).toBe(true);
  });
});

describe('analyzeRegex: invalid patterns', () => {
  it.each(invalid)('%j → %s at %i+%i', (source, code, offset, length) => {
    const a = analyzeRegex(source, '');
    expect(a.ok).toBe(false);
    expect(a.nativeSafe).toBe(false);
    expect(a.issues[0]).toMatchObject({ code, offset, length });
  });

  it('reports every issue, not only the first', () => {
    const a = analyzeRegex('(?=a)\\1[[:x:]](b', '');
    expect(a.issues.map((i) => i.code)).toEqual([
      'regex/lookaround',
      'regex/backreference',
      'regex/unsupported',
      'regex/syntax',
    ]);
  });

  it('honours the documented limits as options', () => {
    expect(analyzeRegex('abcdef', '', { maxLength: 5 }).issues[0]?.code).toBe('regex/too-complex');
    expect(analyzeRegex('abcdef', '', { maxNodes: 4 }).issues[0]?.code).toBe('regex/too-complex');
    expect(analyzeRegex('((a))', '', { maxDepth: 1 }).issues[0]?.code).toBe('regex/too-complex');
    expect(analyzeRegex('((a))', '', { maxDepth: 2 }).ok).toBe(true);
  });

  it("words every issue in the diagnostics style (lower-case start, no final period), the analyser's own too", () => {
    const issues = [
      ...analyzeRegex('', '').issues,
      ...analyzeRegex('abcdef', '', { maxLength: 5 }).issues,
      ...analyzeRegex('(?=a)\\1[[:x:]](b', '').issues,
    ];
    expect(issues.length).toBeGreaterThanOrEqual(6);
    for (const i of issues) {
      expect(i.message, i.code).toMatch(/^[^A-Z]|^(?:[A-Z0-9]{2,}|Unicode|V8)\b/);
      expect(i.message, i.code).not.toMatch(/\.$/);
    }
  });

  it('throws TypeError on flags other than "" and "i" (a caller mistake)', () => {
    expect(() => analyzeRegex('a', 'g')).toThrow(TypeError);
  });
});

describe('analyzeRegex: groups and names', () => {
  it.each([
    ['^a$', 0, []],
    ['^(a)(?:b)(c)$', 2, []],
    ['^(?<team>[a-z]+)-(?P<env>[a-z]+)(x)$', 3, ['team', 'env']],
    ['((a)|(b))', 3, []],
  ] as [string, number, string[]][])('%j has %i groups named %j', (source, groups, names) => {
    const a = analyzeRegex(source, '');
    expect(a.groups).toBe(groups);
    expect(a.names).toEqual(names);
    expect(RE2JS.compile(source).groupCount()).toBe(groups);
  });
});

describe('analyzeRegex: anchoring', () => {
  it.each([
    ['^abc$', true, true],
    ['^abc', true, false],
    ['abc$', false, true],
    ['abc', false, false],
    ['^a|^b', true, false],
    ['^a|b$', false, false],
    ['^a$|^b$', true, true],
    ['(^a|^b)(c$|d$)', true, true],
    ['(?:^a)+b$', true, true],
    ['\\Aabc\\z', true, true],
    ['a^', false, false],
    ['^(a|b)$', true, true],
  ] as [string, boolean, boolean][])('%j: start %s end %s', (source, start, end) => {
    const a = analyzeRegex(source, '');
    expect([a.anchoredStart, a.anchoredEnd]).toEqual([start, end]);
  });
});

describe('analyzeRegex: requiredUppercase', () => {
  it.each([
    ['^Eng-[A-Z]+$', '', [{ offset: 1, char: 'E' }]],
    [
      '^(?:A)(B)+C?D*(E|F)G{0,2}H{1,2}$',
      '',
      [
        { offset: 4, char: 'A' },
        { offset: 7, char: 'B' },
        { offset: 25, char: 'H' },
      ],
    ],
    ['^\\x41$', '', [{ offset: 1, char: 'A' }]],
    ['^É$', '', [{ offset: 1, char: 'É' }]],
    ['^eng$', '', []],
    ['^Eng$', 'i', []],
    ['^A$|^b$', '', []],
  ] as [string, '' | 'i', { offset: number; char: string }[]][])('%j /%s', (source, flags, expected) => {
    expect(analyzeRegex(source, flags).requiredUppercase).toEqual(expected);
  });
});

describe('analyzeRegex: exactLiteral', () => {
  it.each([
    ['^okta-admins$', '', 'okta-admins'],
    ['^a\\.b$', '', 'a.b'],
    ['\\Aabc\\z', '', 'abc'],
    ['^(?:ab)(c)$', '', 'abc'],
    ['^$', '', ''],
    ['^abc$', 'i', null],
    ['^ab?$', '', null],
    ['^a|b$', '', null],
    ['^a[b]$', '', null],
    ['abc$', '', null],
    ['^abc', '', null],
  ] as [string, '' | 'i', string | null][])('%j /%s → %j', (source, flags, expected) => {
    expect(analyzeRegex(source, flags).exactLiteral).toBe(expected);
  });
});

describe('v8Source', () => {
  it.each([
    ['^eng-(?P<team>[a-z]+)$', '^eng-(?<team>[a-z]+)$'],
    ['(?P<a>x)(?P<b>y)', '(?<a>x)(?<b>y)'],
    ['^[(?P<]+$', '^[(?P<]+$'], // inside a class: characters, not a group
    ['^\\\\(?P<x>a)$', '^\\\\(?<x>a)$'], // an escaped backslash, then a real group
    ['^\\(?P<x>a\\)$', '^\\(?P<x>a\\)$'], // an escaped paren: no group at all
    ['^(?<n>a)$', '^(?<n>a)$'],
    ['^a$', '^a$'],
    [`^${'y'.repeat(1500)}(?P<a>x)$`, `^${'y'.repeat(1500)}(?<a>x)$`], // past the default node limit
  ])('%s -> %s', (source, v8) => {
    expect(v8Source(source)).toBe(v8);
  });

  it('gives the same named captures as re2js', () => {
    const a = analyzeRegex('^eng-(?P<team>[a-z]+)-(?P<env>prod|dev)$', '');
    expect(a.nativeSafe).toBe(true);
    const plan = {
      source: '^eng-(?P<team>[a-z]+)-(?P<env>prod|dev)$',
      flags: '' as const,
      groups: a.groups,
      names: a.names,
    };
    const native = compileMatcher({ ...plan, engine: 'native' }).exec('eng-sre-prod');
    const re2 = compileMatcher({ ...plan, engine: 're2' }).exec('eng-sre-prod');
    expect({ ...native!.named }).toEqual({ team: 'sre', env: 'prod' });
    expect({ ...re2!.named }).toEqual({ ...native!.named });
    expect([...native!.groups]).toEqual([...re2!.groups]);
  });
});
