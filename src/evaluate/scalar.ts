/**
 * Scalar claim types: parsing a SAML string, or checking an OIDC JSON value, against a declared {@link ScalarType}.
 * A failure is one of the frozen {@link Bad} constants below (no allocation, no untrusted text in the detail).
 */
import type { JsonValue } from '../model/claim-set.js';
import type { ScalarType } from '../model/plan.js';
import type { MalformedReason } from './decision.js';
import type { NormalizeFn } from './normalize.js';

/** Why one value was rejected. */
export interface Bad {
  readonly bad: true;
  readonly reason: MalformedReason;
  readonly detail: string;
}

function bad(reason: MalformedReason, detail: string): Bad {
  return Object.freeze({ bad: true as const, reason, detail });
}

export const BAD = Object.freeze({
  empty: bad('empty', 'the value is empty'),
  notString: bad('wrong-type', 'expected a JSON string'),
  notBool: bad('wrong-type', 'expected a JSON boolean'),
  notInt: bad('wrong-type', 'expected a JSON integer'),
  notArray: bad('wrong-type', 'expected a JSON array'),
  notObject: bad('wrong-type', 'the path crosses a value that is not a JSON object'),
  samlNotArray: bad('wrong-type', 'expected SAML attribute values (an array of strings)'),
  samlNotString: bad('wrong-type', 'a SAML attribute value is not a string'),
  multiple: bad('multiple-values', 'a single-valued claim has more than one value'),
  bool: bad('invalid-format', 'not an xs:boolean (true, false, 1, 0)'),
  int: bad('invalid-format', 'not an integer within the safe range'),
  uuid: bad('invalid-format', 'not a UUID'),
  url: bad('invalid-format', 'not an absolute http or https URL'),
  email: bad('invalid-format', 'not an email address'),
  datetime: bad('invalid-format', 'not an ISO 8601 date-time with a time zone'),
  enum: bad('not-in-enum', 'not one of the declared values'),
  indeterminate: bad('indeterminate', 'the identity provider marked the value as incomplete'),
});

/**
 * Narrows a parse result.
 *
 * @example
 * ```ts
 * isBad(BAD.email) // true
 * ```
 */
export function isBad(v: unknown): v is Bad {
  return typeof v === 'object' && v !== null && (v as { bad?: unknown }).bad === true;
}

const INT_RE = /^-?[0-9]+$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SPACE_OR_CONTROL_RE = /[\s\p{Cc}]/u;
const DATETIME_RE =
  /^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(?:[Zz]|[+-]([0-9]{2}):?([0-9]{2}))$/;
/** Characters never valid unquoted in an addr-spec (RFC 5322 specials other than `.` and `@`). */
const EMAIL_SPECIALS_RE = /[<>()[\]\\,;:"]/;

/**
 * A reasonable addr-spec check: exactly one `@`, a non-empty local part (at most 64 code units) and domain (at most
 * 253), no white space, controls or RFC 5322 specials, no empty dot-separated labels. Quoted local parts and
 * address literals are not accepted.
 *
 * @example
 * ```ts
 * isEmail('jane.doe@example.com') // true
 * ```
 */
export function isEmail(s: string): boolean {
  const at = s.indexOf('@');
  if (at <= 0 || at !== s.lastIndexOf('@') || at === s.length - 1) return false;
  if (at > 64 || s.length - at - 1 > 253) return false;
  if (SPACE_OR_CONTROL_RE.test(s) || EMAIL_SPECIALS_RE.test(s)) return false;
  return dotLabelsOk(s, 0, at) && dotLabelsOk(s, at + 1, s.length);
}

function dotLabelsOk(s: string, from: number, to: number): boolean {
  if (s.charCodeAt(from) === 0x2e || s.charCodeAt(to - 1) === 0x2e) return false;
  const dd = s.indexOf('..', from);
  return dd < 0 || dd + 1 >= to;
}

/**
 * An absolute `http:` or `https:` URL as WHATWG URL parses it, with no white space or controls anywhere.
 *
 * @example
 * ```ts
 * isHttpUrl('https://example.com/a') // true
 * ```
 */
export function isHttpUrl(s: string): boolean {
  if (SPACE_OR_CONTROL_RE.test(s)) return false;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return false;
  }
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * An ISO 8601 / RFC 3339 date-time with a time zone (`Z` or an offset); seconds and fractions optional.
 *
 * @example
 * ```ts
 * isDateTime('2026-11-05T09:30:00Z') // true
 * ```
 */
function isDateTime(s: string): boolean {
  const m = DATETIME_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59) return false;
  if (m[6] !== undefined && Number(m[6]) > 60) return false; // 60: a leap second
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

/** Parses or checks one scalar value; the result is the typed value or a {@link Bad}. */
export type ScalarParser = (raw: JsonValue | undefined) => JsonValue | Bad;

/** Checks a (normalised) string against a string-valued scalar type. */
function stringChecker(type: ScalarType): (s: string) => string | Bad {
  switch (type.kind) {
    case 'string':
      return (s) => (s === '' ? BAD.empty : s);
    case 'email':
      return (s) => (s === '' ? BAD.empty : isEmail(s) ? s : BAD.email);
    case 'uuid':
      // UUIDs are case-insensitive (RFC 9562): the canonical form is lower case, so keys and comparisons are stable.
      return (s) => (s === '' ? BAD.empty : UUID_RE.test(s) ? s.toLowerCase() : BAD.uuid);
    case 'url':
      return (s) => (s === '' ? BAD.empty : isHttpUrl(s) ? s : BAD.url);
    case 'datetime':
      return (s) => (s === '' ? BAD.empty : isDateTime(s) ? s : BAD.datetime);
    case 'enum': {
      const members = new Set(type.values);
      return (s) => (s === '' ? BAD.empty : members.has(s) ? s : BAD.enum);
    }
    default:
      throw new TypeError(`invalid plan: ${JSON.stringify(type.kind)} is not a string type`);
  }
}

/** SAML `xs:boolean` and `-?digits` integers, after normalisation. */
function samlBool(s: string): boolean | Bad {
  if (s === 'true' || s === '1') return true;
  if (s === 'false' || s === '0') return false;
  return s === '' ? BAD.empty : BAD.bool;
}

function samlInt(s: string): number | Bad {
  if (s === '') return BAD.empty;
  if (!INT_RE.test(s)) return BAD.int;
  const n = Number(s);
  if (!Number.isSafeInteger(n)) return BAD.int;
  return n === 0 ? 0 : n; // no -0
}

function checkKnownScalar(type: ScalarType): void {
  const known = ['string', 'email', 'bool', 'int', 'uuid', 'url', 'datetime', 'enum'];
  if (typeof type !== 'object' || type === null || !known.includes(type.kind)) {
    throw new TypeError(`invalid plan: unknown claim type ${JSON.stringify((type as { kind?: unknown })?.kind)}`);
  }
  if (type.kind === 'enum' && !Array.isArray(type.values)) throw new TypeError('invalid plan: enum without values');
}

/**
 * The parser of one SAML attribute value (always a string on the wire): normalise, then parse to the type.
 *
 * @example
 * ```ts
 * samlScalarParser({ kind: 'int' }, null)('42') // 42
 * ```
 */
export function samlScalarParser(type: ScalarType, norm: NormalizeFn | null): ScalarParser {
  checkKnownScalar(type);
  const parse: (s: string) => JsonValue | Bad =
    type.kind === 'bool' ? samlBool : type.kind === 'int' ? samlInt : stringChecker(type);
  if (norm === null) return (raw) => (typeof raw === 'string' ? parse(raw) : BAD.samlNotString);
  return (raw) => (typeof raw === 'string' ? parse(norm(raw)) : BAD.samlNotString);
}

/**
 * The checker of one OIDC JSON value: no coercion between JSON types (`"true"` is not a bool, `"42"` not an int).
 * Normalisers apply to string values only.
 *
 * @example
 * ```ts
 * oidcScalarParser({ kind: 'bool' }, null)('true') // BAD.notBool
 * ```
 */
export function oidcScalarParser(type: ScalarType, norm: NormalizeFn | null): ScalarParser {
  checkKnownScalar(type);
  if (type.kind === 'bool') return (raw) => (typeof raw === 'boolean' ? raw : BAD.notBool);
  if (type.kind === 'int') {
    return (raw) => (typeof raw === 'number' && Number.isSafeInteger(raw) ? (raw === 0 ? 0 : raw) : BAD.notInt);
  }
  const check = stringChecker(type);
  if (norm === null) return (raw) => (typeof raw === 'string' ? check(raw) : BAD.notString);
  return (raw) => (typeof raw === 'string' ? check(norm(raw)) : BAD.notString);
}
