/**
 * Strict JSON for untrusted input: OIDC claims and JWT parts, plans, claim-set and scenario files. One parser and
 * one copier, with the policy as options. Unlike `JSON.parse`, the parser refuses duplicate keys (which would
 * silently keep the last `sub`) and non-finite numbers, and enforces depth, string, array and key-count limits while
 * it reads; a `__proto__` key is either refused or kept as inert data in a null-prototype object. Problems are
 * returned as data (kind, message, offset, JSON pointer), never thrown: each caller turns them into its own coded
 * error.
 */
import type { JsonValue } from '../model/claim-set.js';
import { defined } from '../model/invariant.js';

/** What kind of problem refused the input. */
export type JsonProblemKind =
  | 'syntax'
  | 'duplicate-key'
  | 'proto-key'
  | 'not-json'
  | 'too-deep'
  | 'too-many-keys'
  | 'array-too-long'
  | 'string-too-long';

/** Why a JSON text or value was refused; `offset` is set for text, `path` (JSON pointer) always. */
export interface JsonProblem {
  kind: JsonProblemKind;
  message: string;
  offset?: number;
  path: string;
}

/** Limits and policy. Only `maxDepth` is required; the other limits default to none. */
export interface StrictJsonOptions {
  /** Deepest nesting of arrays and objects (the top-level container is level 1). */
  maxDepth: number;
  /** Longest string or key, in UTF-16 code units. */
  maxStringLength?: number;
  /** Longest array. */
  maxArrayLength?: number;
  /** Most keys in the top-level object. */
  maxTopLevelKeys?: number;
  /**
   * `refuse` (default): a `__proto__` key is a `proto-key` problem. `data`: it is an ordinary key; every object
   * then has a null prototype, so no key can reach `Object.prototype`.
   */
  protoKey?: 'refuse' | 'data';
  /** With `protoKey: 'refuse'`: which objects (by JSON pointer, e.g. `/claims`) get a null prototype. */
  nullPrototypeAt?: (path: string) => boolean;
}

/** The result of {@link parseStrictJson} and {@link toJsonData}. */
export type JsonResult = { ok: true; value: JsonValue } | { ok: false; problem: JsonProblem };

/** The JSON pointer of `keys` (RFC 6901). */
export function jsonPointer(keys: readonly (string | number)[]): string {
  let out = '';
  for (const k of keys) out += `/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return out;
}

class Stop {
  constructor(readonly problem: JsonProblem) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
/** A run of plain string characters (no quote, backslash or control character). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: RFC 8259 forbids unescaped U+0000-U+001F in strings
const PLAIN = /[^"\\\u0000-\u001F]*/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const ESCAPES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    '"': '"',
    '\\': '\\',
    '/': '/',
    b: '\b',
    f: '\f',
    n: '\n',
    r: '\r',
    t: '\t',
  }),
);

class Parser {
  i = 0;
  /** The keys and indexes from the top to the value being read, for JSON pointers. */
  readonly keys: (string | number)[] = [];
  readonly maxString: number;
  readonly maxArray: number;
  readonly maxTopKeys: number;
  readonly protoData: boolean;

  constructor(
    private readonly s: string,
    private readonly o: StrictJsonOptions,
  ) {
    this.maxString = o.maxStringLength ?? Infinity;
    this.maxArray = o.maxArrayLength ?? Infinity;
    this.maxTopKeys = o.maxTopLevelKeys ?? Infinity;
    this.protoData = o.protoKey === 'data';
  }

  fail(kind: JsonProblemKind, message: string, at = this.i): never {
    throw new Stop({ kind, message, offset: at, path: jsonPointer(this.keys) });
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.i);
  }

  value(depth: number): JsonValue {
    this.ws();
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return this.string();
    if (c === 0x74 && s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (c === 0x66 && s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (c === 0x6e && s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(s);
    if (m === null) this.fail('syntax', Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character');
    const n = Number(m[0]);
    if (!Number.isFinite(n)) this.fail('syntax', 'a number out of range');
    this.i = NUMBER.lastIndex;
    return n;
  }

  deeper(depth: number): void {
    if (depth > this.o.maxDepth) this.fail('too-deep', `nesting deeper than maxDepth (${this.o.maxDepth})`);
  }

  object(depth: number): JsonValue {
    this.deeper(depth);
    const s = this.s;
    const start = this.i;
    this.i++;
    const out: Record<string, JsonValue> =
      this.protoData || this.o.nullPrototypeAt?.(jsonPointer(this.keys)) ? Object.create(null) : {};
    let count = 0;
    this.ws();
    if (s.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (s.charCodeAt(this.i) !== 0x22) this.fail('syntax', 'expected a string key');
      const keyAt = this.i;
      const key = this.string();
      this.keys.push(key);
      if (key === '__proto__' && !this.protoData) this.fail('proto-key', 'the key "__proto__" is not allowed', keyAt);
      if (Object.hasOwn(out, key)) this.fail('duplicate-key', `the key "${key}" appears twice in one object`, keyAt);
      if (depth === 1 && ++count > this.maxTopKeys)
        this.fail('too-many-keys', `more than ${this.maxTopKeys} keys`, keyAt);
      this.ws();
      if (s.charCodeAt(this.i) !== 0x3a) this.fail('syntax', "expected ':'");
      this.i++;
      out[key] = this.value(depth);
      this.keys.pop();
      this.ws();
      const c = s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x7d) {
        this.i++;
        return out;
      }
      this.fail(
        'syntax',
        Number.isNaN(c) ? `the object opened at offset ${start} is not closed` : "expected ',' or '}'",
      );
    }
  }

  array(depth: number): JsonValue {
    this.deeper(depth);
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return out;
    }
    for (;;) {
      this.keys.push(out.length);
      if (out.length >= this.maxArray)
        this.fail('array-too-long', `an array longer than maxArrayLength (${this.maxArray})`);
      out.push(this.value(depth));
      this.keys.pop();
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        continue;
      }
      if (c === 0x5d) {
        this.i++;
        return out;
      }
      this.fail('syntax', "expected ',' or ']'");
    }
  }

  string(): string {
    const s = this.s;
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      PLAIN.lastIndex = this.i;
      PLAIN.exec(s);
      out += s.slice(this.i, PLAIN.lastIndex);
      this.i = PLAIN.lastIndex;
      if (out.length > this.maxString)
        this.fail('string-too-long', `a string longer than maxStringLength (${this.maxString})`, start);
      const c = s.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return out;
      }
      if (c === 0x5c) {
        const e = s[this.i + 1];
        if (e === 'u') {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!HEX4.test(hex)) this.fail('syntax', 'an invalid \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else {
          const r = e === undefined ? undefined : ESCAPES[e];
          if (r === undefined) this.fail('syntax', 'an invalid escape');
          out += r;
          this.i += 2;
        }
        continue;
      }
      this.fail('syntax', Number.isNaN(c) ? 'a string is not closed' : 'a control character in a string');
    }
  }
}

/**
 * Parses JSON text (RFC 8259) strictly (see the module comment). An empty text is a `syntax` problem at offset 0.
 *
 * @example
 * ```ts
 * parseStrictJson('{"a":1,"a":2}', { maxDepth: 64 });
 * // { ok: false, problem: { kind: 'duplicate-key', path: '/a', offset: 7, message: 'the key "a" appears twice in one object' } }
 * ```
 */
export function parseStrictJson(text: string, options: StrictJsonOptions): JsonResult {
  const p = new Parser(text, options);
  try {
    const value = p.value(0);
    p.ws();
    if (p.i < text.length) p.fail('syntax', 'unexpected text after the JSON value');
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, problem: e.problem };
    throw e;
  }
}

/** Options of {@link toJsonData}: those of the parser, and what to do with a property whose value is `undefined`. */
export interface ToJsonDataOptions extends StrictJsonOptions {
  /** `drop` (default): omitted, as `JSON.stringify` does. `refuse`: a `not-json` problem. */
  undefinedProperty?: 'drop' | 'refuse';
}

/**
 * Copies an already-parsed value (from YAML, jose, openid-client or an app) into fresh JSON data under the same
 * policy as {@link parseStrictJson}, refusing what JSON cannot hold: cycles, functions, symbols, bigints, array holes,
 * accessors, non-finite numbers and objects that are not plain.
 *
 * @example
 * ```ts
 * toJsonData({ a: [1, 'x'] }, { maxDepth: 64 }); // { ok: true, value: { a: [1, 'x'] } }
 * ```
 */
export function toJsonData(input: unknown, options: ToJsonDataOptions): JsonResult {
  const seen = new Set<object>();
  const keys: (string | number)[] = [];
  const maxString = options.maxStringLength ?? Infinity;
  const maxArray = options.maxArrayLength ?? Infinity;
  const maxTopKeys = options.maxTopLevelKeys ?? Infinity;
  const protoData = options.protoKey === 'data';
  const stop = (kind: JsonProblemKind, message: string): never => {
    throw new Stop({ kind, message, path: jsonPointer(keys) });
  };
  const copy = (v: unknown, depth: number): JsonValue => {
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      if (v.length > maxString) stop('string-too-long', `a string longer than maxStringLength (${maxString})`);
      return v;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) stop('not-json', 'a number that is not finite');
      return v;
    }
    if (typeof v !== 'object') return stop('not-json', `a ${typeof v} is not a JSON value`);
    if (depth + 1 > options.maxDepth) stop('too-deep', `nesting deeper than maxDepth (${options.maxDepth})`);
    if (seen.has(v)) stop('not-json', 'a cycle');
    seen.add(v);
    try {
      if (Array.isArray(v)) {
        if (v.length > maxArray) stop('array-too-long', `an array longer than maxArrayLength (${maxArray})`);
        const out: JsonValue[] = [];
        for (let i = 0; i < v.length; i++) {
          keys.push(i);
          const d = Object.getOwnPropertyDescriptor(v, i);
          if (!d || !('value' in d) || d.value === undefined)
            stop('not-json', 'an array hole, accessor or undefined element');
          out.push(copy(defined(d).value, depth + 1));
          keys.pop();
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) stop('not-json', 'an object that is not a plain object');
      const names = Object.keys(v);
      if (depth === 0 && names.length > maxTopKeys) stop('too-many-keys', `more than ${maxTopKeys} keys`);
      const out: Record<string, JsonValue> =
        protoData || options.nullPrototypeAt?.(jsonPointer(keys)) ? Object.create(null) : {};
      for (const key of names) {
        keys.push(key);
        if (key.length > maxString) stop('string-too-long', `a key longer than maxStringLength (${maxString})`);
        if (key === '__proto__' && !protoData) stop('proto-key', 'the key "__proto__" is not allowed');
        const d = defined(Object.getOwnPropertyDescriptor(v, key));
        if (!('value' in d)) stop('not-json', 'an accessor property is not JSON');
        if (d.value === undefined) {
          if (options.undefinedProperty === 'refuse') stop('not-json', 'a property whose value is undefined');
        } else out[key] = copy(d.value, depth + 1);
        keys.pop();
      }
      return out;
    } finally {
      seen.delete(v);
    }
  };
  try {
    return { ok: true, value: copy(input, 0) };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, problem: e.problem };
    throw e;
  }
}
