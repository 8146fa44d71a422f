import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonPointer, parseStrictJson, toJsonData, type StrictJsonOptions } from '../../src/json/strict-json.js';

const PLAN: StrictJsonOptions = { maxDepth: 8 };
const CLAIMS: StrictJsonOptions = {
  maxDepth: 3,
  maxStringLength: 5,
  maxArrayLength: 2,
  maxTopLevelKeys: 2,
  protoKey: 'data',
};

describe('parseStrictJson', () => {
  it.each([
    // [name, text, options, kind, path, offset]
    ['empty text', '', PLAN, 'syntax', '', 0],
    ['trailing text', '{} x', PLAN, 'syntax', '', 3],
    ['a trailing comma', '{"a":1,}', PLAN, 'syntax', '', 7],
    ['a single-quoted key', "{'a':1}", PLAN, 'syntax', '', 1],
    ['a leading zero', '[01]', PLAN, 'syntax', '', 2],
    ['NaN', '[NaN]', PLAN, 'syntax', '/0', 1],
    ['a number out of range', '{"n":1e400}', PLAN, 'syntax', '/n', 5],
    ['a raw newline in a string', '["a\nb"]', PLAN, 'syntax', '/0', 3],
    ['a bad escape', '["\\x"]', PLAN, 'syntax', '/0', 2],
    ['a short \\u escape', '["\\u12"]', PLAN, 'syntax', '/0', 2],
    ['an unclosed object', '{"a":1', PLAN, 'syntax', '', 6],
    ['a duplicate key', '{"a":{"b":1,"b":2}}', PLAN, 'duplicate-key', '/a/b', 12],
    ['a __proto__ key (plans)', '{"x":{"__proto__":{}}}', PLAN, 'proto-key', '/x/__proto__', 6],
    ['nesting over maxDepth', '{"a":[[[]]]}', CLAIMS, 'too-deep', '/a/0/0', 7],
    ['a string over maxStringLength', '{"a":"123456"}', CLAIMS, 'string-too-long', '/a', 5],
    ['a key over maxStringLength', '{"abcdef":1}', CLAIMS, 'string-too-long', '', 1],
    ['an array over maxArrayLength', '{"a":[1,2,3]}', CLAIMS, 'array-too-long', '/a/2', 10],
    ['too many top-level keys', '{"a":1,"b":2,"c":3}', CLAIMS, 'too-many-keys', '/c', 13],
    ['pointer escaping', '{"a/b":{"c~d":[1,"x","y",{"e":1,"e":2}]}}', PLAN, 'duplicate-key', '/a~1b/c~0d/3/e', 32],
  ])('refuses %s', (_name, text, options, kind, path, offset) => {
    const r = parseStrictJson(text, options);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ kind, path, offset });
  });

  it('keeps __proto__ as inert data under the claims policy, in null-prototype objects', () => {
    const r = parseStrictJson('{"__proto__":{"admin":true},"a":{"constructor":1}}', { ...CLAIMS, maxStringLength: 20 });
    expect(r.ok).toBe(true);
    const v = (r as { value: Record<string, Record<string, unknown>> }).value;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.getPrototypeOf(v.a)).toBeNull();
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('gives null prototypes only where the plan policy asks', () => {
    const r = parseStrictJson('{"claims":{"a":1},"other":{"b":2}}', {
      maxDepth: 4,
      nullPrototypeAt: (p) => p === '/claims',
    });
    const v = (r as { value: Record<string, object> }).value;
    expect(Object.getPrototypeOf(v.claims)).toBeNull();
    expect(Object.getPrototypeOf(v.other)).toBe(Object.prototype);
  });

  it('reads what JSON.parse reads, when there is no duplicate or __proto__ key', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 6 }), (text) => {
        const native = JSON.parse(text) as unknown;
        if (/"__proto__"/.test(text)) return;
        const r = parseStrictJson(text, { maxDepth: 10 });
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(native);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const r = parseStrictJson(text, CLAIMS);
        if (!r.ok) expect(r.problem.offset).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('toJsonData', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const hole: unknown[] = [1];
  hole.length = 2;
  it.each([
    ['a cycle', { a: cyclic }, PLAN, 'not-json', '/a/self'],
    ['a function', { f: () => 1 }, PLAN, 'not-json', '/f'],
    ['a bigint', [1n], PLAN, 'not-json', '/0'],
    ['a non-finite number', { n: Infinity }, PLAN, 'not-json', '/n'],
    ['an array hole', { h: hole }, PLAN, 'not-json', '/h/1'],
    ['a class instance', { d: new Date(0) }, PLAN, 'not-json', '/d'],
    ['an accessor', Object.defineProperty({}, 'g', { get: () => 1, enumerable: true }), PLAN, 'not-json', '/g'],
    ['a __proto__ key (plans)', JSON.parse('{"__proto__":1}') as unknown, PLAN, 'proto-key', '/__proto__'],
    ['nesting over maxDepth', { a: [[[]]] }, CLAIMS, 'too-deep', '/a/0/0'],
    ['too many top-level keys', { a: 1, b: 2, c: 3 }, CLAIMS, 'too-many-keys', ''],
    ['an array over maxArrayLength', { a: [1, 2, 3] }, CLAIMS, 'array-too-long', '/a'],
    [
      'an undefined property, when refused',
      { a: undefined },
      { ...PLAN, undefinedProperty: 'refuse' as const },
      'not-json',
      '/a',
    ],
  ])('refuses %s', (_name, value, options, kind, path) => {
    const r = toJsonData(value, options);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ kind, path });
  });

  it('drops undefined properties by default, as JSON.stringify does, and copies', () => {
    const input = { a: undefined, b: [1, 'x', { c: null }] };
    const r = toJsonData(input, PLAN);
    expect(r).toEqual({ ok: true, value: { b: [1, 'x', { c: null }] } });
    if (r.ok) expect((r.value as { b: unknown }).b).not.toBe(input.b);
  });

  it('writes RFC 6901 pointers', () => {
    expect(jsonPointer([])).toBe('');
    expect(jsonPointer(['a/b', 'c~d', 0])).toBe('/a~1b/c~0d/0');
  });
});
