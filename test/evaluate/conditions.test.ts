import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/model/claim-set.js';
import type { Cond } from '../../src/model/plan.js';
import { compileCond, truthName } from '../../src/evaluate/conditions.js';
import type { ClaimState, Truth } from '../../src/evaluate/decision.js';
import { evaluate } from '../../src/evaluate/index.js';
import { c, claim, grant, oidc, plan, regex, scalar, setOf } from './plan-builder.js';

const SLOTS: Record<string, number> = { a: 0, b: 1, x: 2 };
const index = (name: string): number => {
  const i = SLOTS[name];
  if (i === undefined) throw new TypeError(name);
  return i;
};

function truthOf(cond: Cond, states: ClaimState[]): Truth {
  return truthName(compileCond(cond, index, 'test', new Set())(states));
}

const P = (value: JsonValue): ClaimState => ({ state: 'present', value });
const ABSENT: ClaimState = { state: 'absent' };
const MALFORMED: ClaimState = { state: 'malformed', reason: 'wrong-type', detail: 'x' };
/** A bool claim state that makes `truthy` evaluate to the given truth value. */
const leaf: Record<Truth, ClaimState> = { true: P(true), false: P(false), unknown: ABSENT };
const TRUTHS: Truth[] = ['true', 'false', 'unknown'];

describe('Kleene logic', () => {
  const and: Record<string, Truth> = {
    'true,true': 'true',
    'true,false': 'false',
    'true,unknown': 'unknown',
    'false,true': 'false',
    'false,false': 'false',
    'false,unknown': 'false',
    'unknown,true': 'unknown',
    'unknown,false': 'false',
    'unknown,unknown': 'unknown',
  };
  const or: Record<string, Truth> = {
    'true,true': 'true',
    'true,false': 'true',
    'true,unknown': 'true',
    'false,true': 'true',
    'false,false': 'false',
    'false,unknown': 'unknown',
    'unknown,true': 'true',
    'unknown,false': 'unknown',
    'unknown,unknown': 'unknown',
  };
  const pairs = TRUTHS.flatMap((x) => TRUTHS.map((y) => [x, y] as const));
  it.each(pairs)('%s and %s', (x, y) => {
    expect(truthOf(c.and(c.truthy('a'), c.truthy('b')), [leaf[x], leaf[y], ABSENT])).toBe(and[`${x},${y}`]);
  });
  it.each(pairs)('%s or %s', (x, y) => {
    expect(truthOf(c.or(c.truthy('a'), c.truthy('b')), [leaf[x], leaf[y], ABSENT])).toBe(or[`${x},${y}`]);
  });
  it.each(pairs)('three-way and/or agree with the pairwise tables (%s, %s, unknown)', (x, y) => {
    const states = [leaf[x], leaf[y], ABSENT];
    const three = (op: 'and' | 'or') => truthOf({ op, args: [c.truthy('a'), c.truthy('b'), c.truthy('x')] }, states);
    const table = (op: 'and' | 'or') => (op === 'and' ? and : or);
    for (const op of ['and', 'or'] as const) {
      expect(three(op)).toBe(table(op)[`${table(op)[`${x},${y}`]},unknown`]);
    }
  });
  it.each([
    ['true', 'false'],
    ['false', 'true'],
    ['unknown', 'unknown'],
  ] as const)('not %s is %s', (x, want) => {
    expect(truthOf(c.not(c.truthy('a')), [leaf[x], ABSENT, ABSENT])).toBe(want);
  });
});

describe('tests over claims', () => {
  const groups = (v: JsonValue): ClaimState[] => [ABSENT, ABSENT, P(v)];
  const scalarX = (v: JsonValue): ClaimState[] => [ABSENT, ABSENT, P(v)];
  const cases: [string, Cond, ClaimState[], Truth][] = [
    ['contains: member', c.contains('x', 'eng'), groups(['eng', 'ops']), 'true'],
    ['contains: not member', c.contains('x', 'eng'), groups(['ops']), 'false'],
    ['contains: exact (no case folding)', c.contains('x', 'eng'), groups(['Eng']), 'false'],
    ['contains: empty set', c.contains('x', 'eng'), groups([]), 'false'],
    ['contains: absent', c.contains('x', 'eng'), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['contains: malformed', c.contains('x', 'eng'), [ABSENT, ABSENT, MALFORMED], 'unknown'],
    ['contains: over a scalar value', c.contains('x', 'eng'), scalarX('eng'), 'unknown'],
    ['contains: int literal in int set', c.contains('x', 3), groups([1, 3]), 'true'],
    ['contains: string literal in int set', c.contains('x', '3'), groups([1, 3]), 'false'],
    ['one_of: in', c.oneOf('x', ['FTE', 'Intern']), scalarX('Intern'), 'true'],
    ['one_of: out', c.oneOf('x', ['FTE', 'Intern']), scalarX('Contractor'), 'false'],
    ['one_of: absent', c.oneOf('x', ['FTE']), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['one_of: over a set', c.oneOf('x', ['FTE']), groups(['FTE']), 'unknown'],
    ['eq: equal', c.eq('x', 'FTE'), scalarX('FTE'), 'true'],
    ['eq: different', c.eq('x', 'FTE'), scalarX('fte'), 'false'],
    ['eq: int', c.eq('x', 3), scalarX(3), 'true'],
    ['eq: int vs string', c.eq('x', 3), scalarX('3'), 'false'],
    ['eq: absent', c.eq('x', 'FTE'), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['ne: equal', c.ne('x', 'FTE'), scalarX('FTE'), 'false'],
    ['ne: different', c.ne('x', 'FTE'), scalarX('Intern'), 'true'],
    ['ne: absent is unknown, not true', c.ne('x', 'FTE'), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['ne: malformed is unknown', c.ne('x', 'FTE'), [ABSENT, ABSENT, MALFORMED], 'unknown'],
    ['truthy: true', c.truthy('x'), scalarX(true), 'true'],
    ['truthy: false', c.truthy('x'), scalarX(false), 'false'],
    ['truthy: a string', c.truthy('x'), scalarX('true'), 'unknown'],
    ['matches one', c.matches('one', 'x', regex('^eng-')), scalarX('eng-web'), 'true'],
    ['matches one: no', c.matches('one', 'x', regex('^eng-')), scalarX('ops'), 'false'],
    ['matches one: re2 engine', c.matches('one', 'x', regex('^eng-', { engine: 're2' })), scalarX('eng-web'), 'true'],
    ['matches one: i flag', c.matches('one', 'x', regex('^ENG-', { flags: 'i' })), scalarX('eng-web'), 'true'],
    ['matches any: one matches', c.matches('any', 'x', regex('^eng-')), groups(['ops', 'eng-web']), 'true'],
    ['matches any: none', c.matches('any', 'x', regex('^eng-')), groups(['ops']), 'false'],
    ['matches any: empty set is false', c.matches('any', 'x', regex('^eng-')), groups([]), 'false'],
    ['matches all: all match', c.matches('all', 'x', regex('^eng-')), groups(['eng-a', 'eng-b']), 'true'],
    ['matches all: one does not', c.matches('all', 'x', regex('^eng-')), groups(['eng-a', 'ops']), 'false'],
    [
      'matches all: empty set is unknown (no vacuous truth)',
      c.matches('all', 'x', regex('^eng-')),
      groups([]),
      'unknown',
    ],
    ['starts_with all: empty set is unknown', c.startsWith('all', 'x', 'eng-'), groups([]), 'unknown'],
    [
      'not (matches all) over the empty set stays unknown',
      c.not(c.matches('all', 'x', regex('^eng-'))),
      groups([]),
      'unknown',
    ],
    ['matches any: absent', c.matches('any', 'x', regex('^eng-')), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['matches all: malformed', c.matches('all', 'x', regex('^eng-')), [ABSENT, ABSENT, MALFORMED], 'unknown'],
    ['matches all: over a scalar', c.matches('all', 'x', regex('^eng-')), scalarX('eng-a'), 'unknown'],
    ['matches one: over a set', c.matches('one', 'x', regex('^eng-')), groups(['eng-a']), 'unknown'],
    ['starts_with one', c.startsWith('one', 'x', 'eng-'), scalarX('eng-web'), 'true'],
    ['starts_with any', c.startsWith('any', 'x', 'eng-'), groups(['ops', 'eng-x']), 'true'],
    ['starts_with all', c.startsWith('all', 'x', 'eng-'), groups(['ops', 'eng-x']), 'false'],
    ['ends_with one', c.endsWith('one', 'x', '@example.com'), scalarX('a@example.com'), 'true'],
    ['ends_with all over empty is unknown', c.endsWith('all', 'x', '-admins'), groups([]), 'unknown'],
    [
      'matches all over a set of one non-matching value',
      c.matches('all', 'x', regex('^eng-')),
      groups(['ops']),
      'false',
    ],
    ['ends_with any over empty', c.endsWith('any', 'x', '-admins'), groups([]), 'false'],
    ['ends_with absent', c.endsWith('any', 'x', '-admins'), [ABSENT, ABSENT, ABSENT], 'unknown'],
    ['matches any: booleans are unknown', c.matches('any', 'x', regex('x')), groups([true]), 'unknown'],
    ['matches all: decisive false beats unknown', c.matches('all', 'x', regex('^e')), groups([true, 'ops']), 'false'],
    ['matches any: decisive true beats unknown', c.matches('any', 'x', regex('^e')), groups([true, 'eng']), 'true'],
  ];
  it.each(cases)('%s', (_name, cond, states, want) => {
    expect(truthOf(cond, states)).toBe(want);
  });
});

describe('compile errors are TypeError (invalid plan)', () => {
  it('an undeclared claim', () => {
    const p = plan({ roles: [grant('admin', c.contains('nope', 'x'))] });
    expect(() => evaluate(p, oidc({}))).toThrow(TypeError);
  });
  it('an unknown op', () => {
    const p = plan({
      claims: [claim('g', setOf(scalar('string')))],
      roles: [grant('admin', { op: 'xor', args: [] } as unknown as Cond)],
    });
    expect(() => evaluate(p, oidc({}))).toThrow(TypeError);
  });
});
