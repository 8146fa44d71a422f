/**
 * JsonArrayWriter (src/cli/format.ts) prints a JSON array element by element (`accounts list --format json`
 * streams pages): the concatenated pieces must be exactly `JSON.stringify(array, null, 2)`, for any values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArrayWriter } from '../../src/cli/format.js';

/** The writer's whole output for `values`. */
function written(values: readonly unknown[]): string {
  const w = new JsonArrayWriter();
  let out = '';
  for (const v of values) out += w.item(v);
  return out + w.end();
}

describe('JsonArrayWriter', () => {
  it('prints what JSON.stringify prints for the whole array (random JSON values)', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 4 }), { maxLength: 6 }), (values) => {
        expect(written(values)).toBe(`${JSON.stringify(values, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it.each<[string, unknown[]]>([
    ['nothing', []],
    ['undefined, a function and a symbol (null in an array)', [undefined, () => 1, Symbol('s')]],
    ['toJSON, also one giving undefined', [{ toJSON: () => 'x' }, { toJSON: () => undefined }, new Date(0)]],
    ['strings with newlines, quotes and line separators', ['a\nb', '"\\', '\u2028\u2029', '']],
    ['empty and nested containers', [{}, [], [[]], { a: {} }, { a: [] }]],
    ['undefined inside records and lists', [{ a: undefined, b: 1 }, [undefined]]],
  ])('prints %s as JSON.stringify does', (_name, values) => {
    expect(written(values)).toBe(`${JSON.stringify(values, null, 2)}\n`);
  });
});
