/**
 * A strict JSON parser for untrusted claims. Unlike `JSON.parse` it refuses duplicate keys (which silently keep the
 * last `sub`), builds null-prototype objects (so `__proto__`, `constructor` and `prototype` are plain data), and
 * enforces depth, claim-count, array-length and string-length caps while parsing.
 */
import type { JsonValue } from '../claim-set.js';
import { ClaimsError, type ClaimsErrorCode } from '../errors.js';
import type { JsonLimits } from '../options.js';
import { positionAt } from '../position.js';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }),
);
/** A run of plain string characters (no quote, backslash or control character). */
const PLAIN = /[^"\\\u0000-\u001F]*/y;

class Parser {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly limits: JsonLimits,
    private readonly what: string,
  ) {}

  fail(code: ClaimsErrorCode, message: string, at = this.i): never {
    throw new ClaimsError(code, `${this.what}: ${message}`, { position: positionAt(this.s, at) });
  }

  ws(): void {
    const s = this.s;
    let c = s.charCodeAt(this.i);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.i);
  }

  value(depth: number): JsonValue {
    this.ws();
    const c = this.s.charCodeAt(this.i);
    if (c === 0x7b) return this.object(depth + 1);
    if (c === 0x5b) return this.array(depth + 1);
    if (c === 0x22) return this.string();
    if (c === 0x74 && this.s.startsWith('true', this.i)) { this.i += 4; return true; }
    if (c === 0x66 && this.s.startsWith('false', this.i)) { this.i += 5; return false; }
    if (c === 0x6e && this.s.startsWith('null', this.i)) { this.i += 4; return null; }
    NUMBER.lastIndex = this.i;
    const m = NUMBER.exec(this.s);
    if (m === null) this.fail('json/malformed', Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character');
    this.i = NUMBER.lastIndex;
    return Number(m[0]);
  }

  object(depth: number): JsonValue {
    if (depth > this.limits.maxDepth) this.fail('json/too-deep', `nesting deeper than maxDepth (${this.limits.maxDepth})`);
    const start = this.i;
    this.i++;
    const out = Object.create(null) as Record<string, JsonValue>;
    let count = 0;
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x7d) { this.i++; return out; }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x22) this.fail('json/malformed', 'expected a string key');
      const keyAt = this.i;
      const key = this.string();
      if (Object.hasOwn(out, key)) this.fail('json/duplicate-key', `the key "${key}" appears twice in one object`, keyAt);
      if (depth === 1 && ++count > this.limits.maxClaims) this.fail('json/too-many-claims', `more than maxClaims (${this.limits.maxClaims}) claims`, keyAt);
      this.ws();
      if (this.s.charCodeAt(this.i) !== 0x3a) this.fail('json/malformed', "expected ':'");
      this.i++;
      out[key] = this.value(depth);
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x7d) { this.i++; return out; }
      this.fail('json/malformed', Number.isNaN(c) ? `the object opened at offset ${start} is not closed` : "expected ',' or '}'");
    }
  }

  array(depth: number): JsonValue {
    if (depth > this.limits.maxDepth) this.fail('json/too-deep', `nesting deeper than maxDepth (${this.limits.maxDepth})`);
    this.i++;
    const out: JsonValue[] = [];
    this.ws();
    if (this.s.charCodeAt(this.i) === 0x5d) { this.i++; return out; }
    for (;;) {
      if (out.length >= this.limits.maxArrayLength) this.fail('json/array-too-long', `an array longer than maxArrayLength (${this.limits.maxArrayLength})`);
      out.push(this.value(depth));
      this.ws();
      const c = this.s.charCodeAt(this.i);
      if (c === 0x2c) { this.i++; continue; }
      if (c === 0x5d) { this.i++; return out; }
      this.fail('json/malformed', "expected ',' or ']'");
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
      if (out.length > this.limits.maxStringLength) this.fail('json/string-too-long', `a string longer than maxStringLength (${this.limits.maxStringLength})`, start);
      const c = s.charCodeAt(this.i);
      if (c === 0x22) { this.i++; return out; }
      if (c === 0x5c) {
        const e = s[this.i + 1];
        if (e === 'u') {
          const hex = s.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('json/malformed', 'an invalid \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else {
          const r = e === undefined ? undefined : ESCAPES[e];
          if (r === undefined) this.fail('json/malformed', 'an invalid escape');
          out += r;
          this.i += 2;
        }
        continue;
      }
      this.fail('json/malformed', Number.isNaN(c) ? 'a string is not closed' : 'a control character in a string');
    }
  }
}

/**
 * Parses untrusted JSON text whose top level must be an object; every object in the result has a null prototype.
 *
 * @param what names the input in messages ('the claims', 'the JWT payload')
 *
 * @example
 * ```ts
 * parseJsonObject('{"sub":"1"}', limits, 'the claims'); // [Object: null prototype] { sub: '1' }
 * parseJsonObject('{"sub":"1","sub":"2"}', limits, 'the claims'); // throws json/duplicate-key
 * ```
 */
export function parseJsonObject(text: string, limits: JsonLimits, what: string): Record<string, JsonValue> {
  const p = new Parser(text, limits, what);
  p.ws();
  if (p.i >= text.length) throw new ClaimsError('input/empty', `${what} is empty`);
  if (text.charCodeAt(p.i) !== 0x7b) {
    // Tell "valid JSON but not an object" apart from "not JSON".
    p.value(0);
    p.ws();
    if (p.i < text.length) p.fail('json/malformed', 'unexpected text after the JSON value');
    p.fail('json/not-an-object', 'the top-level JSON value is not an object', 0);
  }
  const v = p.value(0) as Record<string, JsonValue>;
  p.ws();
  if (p.i < text.length) p.fail('json/malformed', 'unexpected text after the JSON value');
  return v;
}

/**
 * Copies an already-parsed payload (from jose or openid-client) into null-prototype JSON, checking the same caps and
 * refusing anything that is not JSON (functions, `undefined`, non-finite numbers, bigint, cycles, class instances).
 *
 * @example
 * ```ts
 * copyJsonObject({ sub: '1', groups: ['a'] }, limits); // null-prototype copy
 * ```
 */
export function copyJsonObject(payload: unknown, limits: JsonLimits): Record<string, JsonValue> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ClaimsError('json/not-an-object', 'the verified payload is not an object');
  }
  const seen = new Set<object>();
  const fail = (code: ClaimsErrorCode, message: string, path: string): never => {
    throw new ClaimsError(code, `the verified payload: ${message}`, { position: { path } });
  };
  const copy = (v: unknown, depth: number, path: string): JsonValue => {
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) fail('json/string-too-long', `a string longer than maxStringLength (${limits.maxStringLength})`, path);
      return v;
    }
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) fail('json/invalid-value', 'a number that is not finite', path);
      return v;
    }
    if (typeof v !== 'object') return fail('json/invalid-value', `a ${typeof v} is not a JSON value`, path);
    if (depth > limits.maxDepth) fail('json/too-deep', `nesting deeper than maxDepth (${limits.maxDepth})`, path);
    if (seen.has(v)) fail('json/invalid-value', 'a cycle', path);
    seen.add(v);
    let out: JsonValue;
    if (Array.isArray(v)) {
      if (v.length > limits.maxArrayLength) fail('json/array-too-long', `an array longer than maxArrayLength (${limits.maxArrayLength})`, path);
      out = v.map((item, i) => copy(item, depth + 1, `${path}/${i}`));
    } else {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) fail('json/invalid-value', 'an object that is not a plain object', path);
      const keys = Object.keys(v);
      if (depth === 1 && keys.length > limits.maxClaims) fail('json/too-many-claims', `more than maxClaims (${limits.maxClaims}) claims`, path);
      const o = Object.create(null) as Record<string, JsonValue>;
      for (const k of keys) {
        if (k.length > limits.maxStringLength) fail('json/string-too-long', `a key longer than maxStringLength (${limits.maxStringLength})`, path);
        o[k] = copy((v as Record<string, unknown>)[k], depth + 1, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      }
      out = o;
    }
    seen.delete(v);
    return out;
  };
  return copy(payload, 1, '') as Record<string, JsonValue>;
}
