/**
 * Untrusted claims as JSON: the shared strict parser (src/json/strict-json.ts) under the claims policy. Duplicate
 * keys are refused, every object has a null prototype (so `__proto__`, `constructor` and `prototype` are plain
 * data), and the depth, claim-count, array-length and string-length caps of {@link JsonLimits} apply while parsing.
 * Problems become a {@link ClaimsError} with a `json/` code.
 */
import {
  type JsonProblem,
  type JsonProblemKind,
  type StrictJsonOptions,
  parseStrictJson,
  toJsonData,
} from '../../json/strict-json.js';
import type { JsonValue } from '../../model/claim-set.js';
import { ClaimsError, type ClaimsErrorCode } from '../errors.js';
import type { JsonLimits } from '../options.js';
import { LineCounter } from '../../diagnostics/line-counter.js';

const CODES: Readonly<Record<JsonProblemKind, ClaimsErrorCode>> = {
  syntax: 'json/malformed',
  'duplicate-key': 'json/duplicate-key',
  'proto-key': 'json/invalid-value', // claim-set files refuse `__proto__`; claims keep it as data
  'not-json': 'json/invalid-value',
  'too-deep': 'json/too-deep',
  'too-many-keys': 'json/too-many-claims',
  'array-too-long': 'json/array-too-long',
  'string-too-long': 'json/string-too-long',
};

function policy(limits: JsonLimits): StrictJsonOptions {
  return {
    maxDepth: limits.maxDepth,
    maxStringLength: limits.maxStringLength,
    maxArrayLength: limits.maxArrayLength,
    maxTopLevelKeys: limits.maxClaims,
    protoKey: 'data',
  };
}

/**
 * The {@link ClaimsError} for a problem found by the strict JSON parser in `text` (the whole input: the position then
 * has line and column), or by the copier in an already-parsed value (`text` null: the position is the JSON pointer).
 *
 * @param what names the input in messages ('the claims', 'the claim set', 'the verified payload')
 *
 * @example
 * ```ts
 * const r = parseStrictJson(text, { maxDepth: 16 });
 * if (!r.ok) throw claimsJsonError(r.problem, 'the claim set', text);
 * ```
 */
export function claimsJsonError(
  problem: JsonProblem,
  what: string,
  text: string | null,
  limits?: JsonLimits,
): ClaimsError {
  const m =
    problem.kind === 'too-many-keys' && limits ? `more than maxClaims (${limits.maxClaims}) claims` : problem.message;
  const at = text === null ? {} : new LineCounter(text).position(problem.offset ?? 0);
  return new ClaimsError(CODES[problem.kind], `${what}: ${m}`, { position: { ...at, path: problem.path } });
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
  if (/^[ \t\n\r]*$/.test(text)) throw new ClaimsError('input/empty', `${what} is empty`);
  const r = parseStrictJson(text, policy(limits));
  if (!r.ok) throw claimsJsonError(r.problem, what, text, limits);
  if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
    throw new ClaimsError('json/not-an-object', `${what}: the top-level JSON value is not an object`, {
      position: new LineCounter(text).position(0),
    });
  }
  return r.value as Record<string, JsonValue>;
}

/**
 * Copies an already-parsed payload (from jose or openid-client) into null-prototype JSON, checking the same caps and
 * refusing anything that is not JSON (functions, `undefined`, non-finite numbers, bigint, cycles, array holes, class
 * instances).
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
  const r = toJsonData(payload, { ...policy(limits), undefinedProperty: 'refuse' });
  if (!r.ok) throw claimsJsonError(r.problem, 'the verified payload', null, limits);
  return r.value as Record<string, JsonValue>;
}
