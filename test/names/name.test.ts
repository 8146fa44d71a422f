/**
 * src/names: the name rules shared by manual grants, the checker and loadPlan, and the look-alike skeleton.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confusableWith, cyrillicConfusable, lookalikeDetail, skeleton } from '../../src/names/confusables.js';
import {
  DEFAULT_MAX_NAME_LENGTH,
  describeNameProblem,
  nameProblem,
  quoteName,
  templateProblem,
  type NameProblem,
} from '../../src/names/name.js';
import { validateManualGrant } from '../../src/runtime/grants.js';
import { fullwidth } from '../../src/simulate/mutations.js';

describe('nameProblem', () => {
  it.each<[string, string, NameProblem | null]>([
    ['a plain name', 'admin', null],
    ['inner spaces and punctuation', 'ops: on-call (EU)', null],
    ['non-Latin letters', 'администратор', null],
    ['empty', '', 'empty'],
    ['only white space', ' \t\u3000', 'empty'],
    ['too long', 'a'.repeat(DEFAULT_MAX_NAME_LENGTH + 1), 'too-long'],
    ['a control character', 'ad\u0007min', 'invisible'],
    ['a zero-width space', 'ad\u200bmin', 'invisible'],
    ['a zero-width joiner', 'ad\u200dmin', 'invisible'],
    ['a bidi override', '\u202eadmin', 'invisible'],
    ['a bidi isolate', 'admin\u2066', 'invisible'],
    ['a soft hyphen', 'ad\u00admin', 'invisible'],
    ['a Hangul filler', 'admin\u3164', 'invisible'],
    ['a variation selector', 'admin\ufe0f', 'invisible'],
    ['a line separator', 'ad\u2028min', 'invisible'],
    ['a lone surrogate', 'ad\ud800min', 'invisible'],
    ['a trailing space', 'admin ', 'padded'],
    ['a leading no-break space', '\u00a0admin', 'padded'],
  ])('%s', (_what, name, problem) => {
    expect(nameProblem(name)).toBe(problem);
  });

  it('is the rule manual grants apply: a name one refuses, the other refuses, with the same words', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => {
        const problem = nameProblem(name);
        let refused: string | null = null;
        try {
          validateManualGrant({ kind: 'role', name, actor: 'runbook:jane' });
        } catch (e) {
          refused = (e as Error).message;
        }
        expect(refused === null).toBe(problem === null);
        if (problem !== null) expect(refused).toContain(describeNameProblem(problem));
      }),
      { numRuns: 500 },
    );
  });

  it.each<[string, (string | object)[], 'invisible' | 'padded' | null]>([
    ['literal text around a capture', ['team:', { group: 1 }, ':rw'], null],
    ['inner white space', ['team ', { group: 1 }], null],
    ['a capture first and last', [{ group: 1 }, ' x ', { group: 'b' }], null],
    ['a bidi isolate', ['team:\u2066', { group: 1 }], 'invisible'],
    ['a zero-width space in the middle', [{ group: 1 }, '\u200b', { group: 2 }], 'invisible'],
    ['a leading space', [' team:', { group: 1 }], 'padded'],
    ['a trailing space', [{ group: 1 }, ' '], 'padded'],
  ])('templateProblem: %s', (_what, parts, problem) => {
    expect(templateProblem(parts)).toBe(problem);
  });
});

describe('quoteName', () => {
  it.each([
    ['admin', '"admin"'],
    ['read only', '"read only"'],
    ['ad\u202emin', '"ad\\u202emin"'],
    ['admin\u200b', '"admin\\u200b"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\u00a0x\t', '"\\u00a0x\\u0009"'],
    ['x\u{e0001}', '"x\\u{e0001}"'],
  ])('%j → %s', (name, shown) => {
    expect(quoteName(name)).toBe(shown);
  });
});

describe('skeleton and confusableWith', () => {
  it.each([
    ['another case', 'Admin'],
    ['upper case', 'ADMIN'],
    ['a Cyrillic а', '\u0430dmin'],
    ['a Cyrillic capital А', '\u0410dmin'],
    ['a Greek capital alpha', '\u0391DMIN'],
    ['a Cyrillic і', 'adm\u0456n'],
    ['a Greek iota', 'adm\u03b9n'],
    ['fullwidth forms', 'ａｄｍｉｎ'],
    ['a zero-width space', 'ad\u200bmin'],
    ['a trailing space', 'admin '],
  ])('%s is confusable with admin', (_what, name) => {
    expect(name).not.toBe('admin');
    expect(confusableWith(name, ['owner', 'admin'])).toBe('admin');
  });

  it('a Greek omicron and a dotless i are confusable with their Latin letters', () => {
    expect(confusableWith('r\u03bfot', ['root'])).toBe('root');
    expect(confusableWith('adm\u0131n', ['admin'])).toBe('admin');
  });

  it('white space variants of a two-word name are confusable with it', () => {
    expect(confusableWith('break\u00a0glass', ['break glass'])).toBe('break glass');
    expect(confusableWith('break  glass', ['break glass'])).toBe('break glass');
  });

  it.each([['admin'], ['admins'], ['auditor'], ['администратор'], ['adm1n']])(
    '%s is not confusable with admin',
    (name) => {
      expect(confusableWith(name, ['admin'])).toBeUndefined();
    },
  );

  it('finds every near miss the simulator forges for an ASCII name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/), (name) => {
        const near = [name.toUpperCase(), fullwidth(name), cyrillicConfusable(name)].filter(
          (v): v is string => v !== null && v !== name,
        );
        for (const v of near) expect(confusableWith(v, [name]), v).toBe(name);
        expect(skeleton(name)).toBe(name);
      }),
      { numRuns: 300 },
    );
  });

  it('the printable-ASCII shortcut gives the skeleton the general path gives', () => {
    // The general path (NFKC, look-alike tables, invisible characters, white space), as the module comment defines it:
    // a non-ASCII letter appended forces it, and is removed again (it maps to nothing Latin and is not white space).
    const general = (s: string): string => {
      const withMark = skeleton(`${s}\u00e9`);
      expect(withMark.endsWith('\u00e9')).toBe(true);
      return withMark.slice(0, -1).trimEnd();
    };
    fc.assert(
      fc.property(fc.stringMatching(/^[\x20-\x7e]{0,16}$/), (name) => {
        expect(skeleton(name)).toBe(general(name));
      }),
      { numRuns: 500 },
    );
    expect(skeleton('  Break   Glass ')).toBe('break glass');
  });

  it('says what differs', () => {
    expect(lookalikeDetail('\u0410dmin', 'admin')).toBe('holds U+0410');
    expect(lookalikeDetail('Admin', 'admin')).toBe('differs only in case');
    expect(lookalikeDetail('break  glass', 'break glass')).toBe('differs only in white space');
  });
});
