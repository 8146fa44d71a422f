/**
 * scripts/long-functions.ts: which functions it counts, how it names them, and where it draws the line.
 */
import { describe, expect, it } from 'vitest';
import { formatLongFunction, longFunctionsIn } from '../../scripts/long-functions.js';

/** A function body of `n` lines in all (first and last line included). */
const body = (n: number): string => Array.from({ length: n - 2 }, (_, i) => `  const v${i} = ${i};`).join('\n');

describe('longFunctionsIn', () => {
  it('counts every kind of function, from its first token to its closing brace, and names it', () => {
    const text = [
      '/** doc comments are not counted */',
      'export function declared() {',
      body(5),
      '}',
      'const arrow = () => {',
      body(5),
      '};',
      'class K {',
      '  method() {',
      body(5),
      '  }',
      '  get value() {',
      body(5),
      '  }',
      '  constructor() {',
      body(5),
      '  }',
      '}',
      'const o = { prop: function () {',
      body(5),
      '} };',
    ].join('\n');
    const found = longFunctionsIn('x.ts', text, { max: 4, maxNested: 4 });
    expect(found.map((f) => [f.name, f.line, f.lines, f.nested])).toEqual([
      ['declared', 2, 5, false],
      ['arrow', 7, 5, false],
      ['method', 13, 5, false],
      ['get value', 18, 5, false],
      ['constructor', 23, 5, false],
      ['prop', 29, 5, false],
    ]);
  });

  it('lists a function only when it has more lines than its limit', () => {
    const text = `function f() {\n${body(10)}\n}`;
    expect(longFunctionsIn('x.ts', text, { max: 10, maxNested: 1 })).toEqual([]);
    expect(longFunctionsIn('x.ts', text, { max: 9, maxNested: 1 })).toHaveLength(1);
  });

  it('holds closures to their own limit and names them by their enclosing functions', () => {
    const text = [
      'function outer() {',
      '  const inner = async () => {',
      body(6),
      '  };',
      '  [1].forEach((x) => {',
      body(3),
      '  });',
      '}',
    ].join('\n');
    const found = longFunctionsIn('x.ts', text, { max: 100, maxNested: 5 });
    expect(found).toEqual([{ file: 'x.ts', line: 2, lines: 6, name: 'outer > inner', nested: true }]);
    const all = longFunctionsIn('x.ts', text, { max: 100, maxNested: 2 });
    expect(all.map((f) => f.name)).toEqual(['outer > inner', 'outer > <forEach callback>']);
  });

  it('formats one line per function', () => {
    const f = { file: 'src/a.ts', line: 3, lines: 61, name: 'outer > inner', nested: true };
    expect(formatLongFunction(f)).toBe('  61  src/a.ts:3  outer > inner  (closure)');
  });
});
