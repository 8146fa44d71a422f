/**
 * Reading untrusted JSON (plans, claim-set files) strictly: a small parser that refuses duplicate keys and
 * `__proto__` keys and limits nesting depth, and a copier that turns an already-parsed value into plain JSON data
 * with the same checks (no cycles, getters, functions, class instances or non-finite numbers). Problems are
 * returned as data, never thrown.
 */
import type { JsonValue } from '../claims/claim-set.js';

/** Why a JSON text or value was refused; `offset` is set for text, `path` (JSON pointer) when known. */
export interface JsonProblem {
  kind: 'syntax' | 'duplicate-key' | 'proto-key' | 'not-json' | 'too-deep';
  message: string;
  offset?: number;
  path: string;
}

/** Limits for {@link parseStrictJson} and {@link toJsonData}. */
export interface StrictJsonOptions {
  /** Deepest nesting of arrays and objects. */
  maxDepth: number;
  /** Keys whose objects get a null prototype (JSON pointers of objects, e.g. `/claims`); others are plain. */
  nullPrototypeAt?: (path: string) => boolean;
}

type Result = { ok: true; value: JsonValue } | { ok: false; problem: JsonProblem };

const pointer = (path: string, key: string | number): string =>
  `${path}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;

class Stop {
  constructor(readonly problem: JsonProblem) {}
}

/**
 * Parses JSON text (RFC 8259) refusing duplicate keys, `__proto__` keys and nesting deeper than `maxDepth`.
 *
 * @example
 * ```ts
 * parseStrictJson('{"a":1,"a":2}', { maxDepth: 64 }); // { ok: false, problem: { kind: 'duplicate-key', path: '/a', ... } }
 * ```
 */
export function parseStrictJson(text: string, options: StrictJsonOptions): Result {
  let pos = 0;
  const fail = (kind: JsonProblem['kind'], message: string, path: string, offset = pos): never => {
    throw new Stop({ kind, message, offset, path });
  };
  const ws = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const string = (path: string): string => {
    const start = pos;
    pos++; // opening quote
    for (;;) {
      if (pos >= text.length) fail('syntax', 'Unterminated string.', path, start);
      const c = text.charCodeAt(pos);
      if (c === 0x22) break;
      if (c < 0x20) fail('syntax', 'Control character in a string.', path);
      if (c === 0x5c) {
        const e = text[pos + 1];
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(pos + 2, pos + 6))) fail('syntax', 'Invalid \\u escape.', path);
          pos += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail('syntax', 'Invalid escape in a string.', path);
        pos += 2;
        continue;
      }
      pos++;
    }
    pos++; // closing quote
    return JSON.parse(text.slice(start, pos)) as string;
  };
  const value = (path: string, depth: number): JsonValue => {
    ws();
    const c = text[pos];
    if (c === '{' || c === '[') {
      if (depth >= options.maxDepth) fail('too-deep', `JSON nested deeper than ${options.maxDepth}.`, path);
    }
    if (c === '{') {
      pos++;
      const obj: Record<string, JsonValue> = options.nullPrototypeAt?.(path) ? Object.create(null) : {};
      ws();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('syntax', 'Expected a string key.', path);
        const keyStart = pos;
        const key = string(path);
        const childPath = pointer(path, key);
        if (key === '__proto__') fail('proto-key', 'The key "__proto__" is not allowed.', childPath, keyStart);
        if (Object.prototype.hasOwnProperty.call(obj, key)) fail('duplicate-key', `Duplicate key "${key}".`, childPath, keyStart);
        ws();
        if (text[pos] !== ':') fail('syntax', "Expected ':'.", path);
        pos++;
        obj[key] = value(childPath, depth + 1);
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail('syntax', "Expected ',' or '}'.", path);
      }
    }
    if (c === '[') {
      pos++;
      const arr: JsonValue[] = [];
      ws();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(value(pointer(path, arr.length), depth + 1));
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail('syntax', "Expected ',' or ']'.", path);
      }
    }
    if (c === '"') return string(path);
    const m = /^(?:true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)/.exec(text.slice(pos, pos + 400));
    if (!m) return fail('syntax', c === undefined ? 'Unexpected end of JSON.' : `Unexpected character '${c}'.`, path);
    pos += m[0].length;
    if (m[0] === 'true') return true;
    if (m[0] === 'false') return false;
    if (m[0] === 'null') return null;
    const n = Number(m[0]);
    if (!Number.isFinite(n)) fail('syntax', 'Number out of range.', path, pos - m[0].length);
    return n;
  };
  try {
    const v = value('', 0);
    ws();
    if (pos < text.length) fail('syntax', 'Unexpected text after the JSON value.', '');
    return { ok: true, value: v };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, problem: e.problem };
    throw e;
  }
}

/**
 * Copies an already-parsed value into fresh plain JSON data, refusing anything JSON cannot hold (cycles,
 * functions, symbols, `undefined` in arrays, non-finite numbers, non-plain objects, accessors) and `__proto__` keys.
 * Object properties whose value is `undefined` are dropped, as `JSON.stringify` does.
 *
 * @example
 * ```ts
 * toJsonData({ a: [1, 'x'] }, { maxDepth: 64 }); // { ok: true, value: { a: [1, 'x'] } }
 * ```
 */
export function toJsonData(input: unknown, options: StrictJsonOptions): Result {
  const seen = new Set<object>();
  const copy = (v: unknown, path: string, depth: number): JsonValue => {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new Stop({ kind: 'not-json', message: 'Non-finite number.', path });
      return v;
    }
    if (typeof v !== 'object') throw new Stop({ kind: 'not-json', message: `A ${typeof v} is not JSON.`, path });
    if (depth >= options.maxDepth) throw new Stop({ kind: 'too-deep', message: `Nested deeper than ${options.maxDepth}.`, path });
    if (seen.has(v)) throw new Stop({ kind: 'not-json', message: 'Cyclic value.', path });
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        const out: JsonValue[] = [];
        for (let i = 0; i < v.length; i++) {
          const d = Object.getOwnPropertyDescriptor(v, i);
          if (!d || !('value' in d) || d.value === undefined) {
            throw new Stop({ kind: 'not-json', message: 'Array hole, accessor or undefined element.', path: pointer(path, i) });
          }
          out.push(copy(d.value, pointer(path, i), depth + 1));
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new Stop({ kind: 'not-json', message: 'Only plain objects are JSON.', path });
      }
      const out: Record<string, JsonValue> = options.nullPrototypeAt?.(path) ? Object.create(null) : {};
      for (const key of Object.keys(v)) {
        const childPath = pointer(path, key);
        if (key === '__proto__') throw new Stop({ kind: 'proto-key', message: 'The key "__proto__" is not allowed.', path: childPath });
        const d = Object.getOwnPropertyDescriptor(v, key)!;
        if (!('value' in d)) throw new Stop({ kind: 'not-json', message: 'Accessor properties are not JSON.', path: childPath });
        if (d.value === undefined) continue;
        out[key] = copy(d.value, childPath, depth + 1);
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  try {
    return { ok: true, value: copy(input, '', 0) };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, problem: e.problem };
    throw e;
  }
}
