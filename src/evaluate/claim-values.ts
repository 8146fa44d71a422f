/**
 * Claim extraction and typing: one compiled reader per declared claim turns the raw claim-set value into exactly
 * one {@link ClaimState} (present, absent or malformed). Lookups use own properties only, so `__proto__`,
 * `constructor` or `toString` never resolve to anything inherited.
 *
 * - SAML: one source segment, looked up in `claims`, then through `aliases`. 0 values => absent; a scalar with more
 *   than one value => malformed `multiple-values`; each string is normalised, then parsed to the type.
 * - OIDC: a path of literal object keys; `null` => absent; JSON types are never coerced.
 * - Sets are de-duplicated and sorted after normalisation (order carries no meaning); lists keep order.
 * - A claim whose source is listed in `claimSet.indeterminate` is malformed `indeterminate`.
 * - A set or list claim declared `absent empty` (`plan.absentEmpty`) reads as present `[]` wherever it would read as
 *   absent; malformed and indeterminate stay malformed.
 */
import type { ClaimSet, JsonValue, Protocol } from '../model/claim-set.js';
import type { ClaimPlan, ScalarType } from '../model/plan.js';
import type { ClaimState } from './decision.js';
import { composeNormalizers } from './normalize.js';
import { sortInPlace } from './sort.js';
import { BAD, type Bad, type ScalarParser, isBad, oidcScalarParser, samlScalarParser } from './scalar.js';
import { defined } from '../model/invariant.js';

/** The shared `absent` state (frozen: safe to share between decisions). */
export const ABSENT: ClaimState = Object.freeze({ state: 'absent' as const });

/** What an `absent empty` claim reads as when absent (frozen, like ABSENT). */
const ABSENT_AS_EMPTY: ClaimState = Object.freeze({
  state: 'present' as const,
  value: Object.freeze([]) as unknown as JsonValue[],
});

/** Reads one declared claim out of the raw claims object (already checked to be a non-array object). */
export type ClaimReader = (
  claims: Readonly<Record<string, unknown>>,
  aliases: Readonly<Record<string, unknown>> | undefined,
  indeterminate: ReadonlySet<string> | null,
) => ClaimState;

function malformed(b: Bad): ClaimState {
  return { state: 'malformed', reason: b.reason, detail: b.detail };
}

const hasOwn = Object.hasOwn;

/** Own-property lookup; `undefined` when the key is not an own property. */
function own(obj: Readonly<Record<string, unknown>>, key: string): unknown {
  return hasOwn(obj, key) ? obj[key] : undefined;
}

/** A sentinel returned by an OIDC path walk that crosses a non-object. */
const CROSSES_NON_OBJECT: unique symbol = Symbol('crosses-non-object');

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oidcLocator(path: readonly string[]): (claims: Readonly<Record<string, unknown>>) => unknown {
  if (path.length === 1) {
    const k = defined(path[0]);
    return (claims) => own(claims, k);
  }
  return (claims) => {
    let cur: unknown = claims;
    for (const seg of path) {
      if (cur === undefined || cur === null) return undefined;
      if (!isPlainObject(cur)) return CROSSES_NON_OBJECT;
      cur = own(cur, seg);
    }
    return cur;
  };
}

function samlLocator(
  name: string,
): (claims: Readonly<Record<string, unknown>>, aliases: Readonly<Record<string, unknown>> | undefined) => unknown {
  return (claims, aliases) => {
    if (hasOwn(claims, name)) return claims[name];
    if (aliases === undefined) return undefined;
    const target = own(aliases, name);
    return typeof target === 'string' ? own(claims, target) : undefined;
  };
}

/**
 * Sorts and de-duplicates in place (set semantics: order and multiplicity carry no meaning): code-unit order for
 * strings, numeric for int, false < true for bool.
 */
function canonicalSet(values: JsonValue[]): JsonValue[] {
  const n = values.length;
  if (n < 2) return values;
  sortInPlace(values as (string | number | boolean)[]);
  let w = 1;
  for (let r = 1; r < n; r++) {
    if (values[r] !== values[w - 1]) values[w++] = defined(values[r]);
  }
  values.length = w;
  return values;
}

/**
 * Types every element of a set or list. `canonical` false leaves a set's values in the order and multiplicity sent
 * (for claims only conditions read: their results do not depend on order or duplicates); true sorts and
 * de-duplicates them.
 */
function elementsOf(
  raw: readonly unknown[],
  parse: ScalarParser,
  set: boolean,
  notElement: Bad,
  canonical: boolean,
): ClaimState {
  const out: JsonValue[] = new Array(raw.length);
  let worst: Bad | null = null;
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    const p = v === undefined || v === null ? notElement : parse(v as JsonValue);
    if (isBad(p)) {
      // A list names the first bad position. A set has no positions: report the same failure whatever the
      // order, the least by (reason, detail) among all bad values.
      if (!set) return { state: 'malformed', reason: p.reason, detail: `value ${i + 1}: ${p.detail}` };
      if (worst === null || p.reason < worst.reason || (p.reason === worst.reason && p.detail < worst.detail))
        worst = p;
      continue;
    }
    out[i] = p;
  }
  if (worst !== null) return { state: 'malformed', reason: worst.reason, detail: `a value: ${worst.detail}` };
  return { state: 'present', value: set && canonical ? canonicalSet(out) : out };
}

/**
 * The common set or list of plain strings (type `string`, no normaliser): every element a non-empty string is the
 * value as sent, copied; anything else goes through {@link elementsOf} for its exact failure.
 */
function plainStrings(
  raw: readonly unknown[],
  parse: ScalarParser,
  set: boolean,
  notElement: Bad,
  canonical: boolean,
): ClaimState {
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i];
    if (typeof v !== 'string' || v === '') return elementsOf(raw, parse, set, notElement, canonical);
  }
  const out = raw.slice() as JsonValue[];
  return { state: 'present', value: set && canonical ? canonicalSet(out) : out };
}

function scalarOf(plan: ClaimPlan): ScalarType {
  const t = plan.type;
  return 'element' in t ? t.element : t;
}

/**
 * Compiles the reader of one declared claim for the plan's protocol. With `canonical: false`, a set's values are
 * typed and normalised but neither sorted nor de-duplicated: only for a claim that nothing but conditions reads
 * (`contains`, `any`/`all` tests give the same result in any order and with duplicates); every other use (profile,
 * key, `for each`, traces, the simulator) needs the canonical reader.
 *
 * @example
 * ```ts
 * const read = compileClaimReader(groupsPlan, 'oidc');
 * read({ groups: ['eng', 'ops'] }, undefined, null) // { state: 'present', value: ['eng', 'ops'] }
 * ```
 */
export function compileClaimReader(
  plan: ClaimPlan,
  protocol: Protocol,
  options: { canonical?: boolean } = {},
): ClaimReader {
  const canonical = options.canonical !== false;
  if (!Array.isArray(plan.source) || plan.source.length === 0 || !plan.source.every((k) => typeof k === 'string')) {
    throw new TypeError(`invalid plan: claim ${JSON.stringify(plan.name)} has no valid source`);
  }
  if (protocol === 'saml' && plan.source.length !== 1) {
    throw new TypeError(`invalid plan: SAML claim ${JSON.stringify(plan.name)} has a source of more than one segment`);
  }
  const norm = composeNormalizers(plan.normalize ?? []);
  const multi = plan.type.kind === 'set' || plan.type.kind === 'list';
  const set = plan.type.kind === 'set';
  // A scalar has no empty value: `absentEmpty` on one (a hand-edited plan) changes nothing.
  const absent = multi && plan.absentEmpty === true ? ABSENT_AS_EMPTY : ABSENT;
  const scalar = scalarOf(plan);
  // The name the reader lists in `indeterminate`: the SAML attribute name, or the OIDC path joined with '.'.
  const indetName0 = protocol === 'saml' ? defined(plan.source[0]) : plan.source.join('.');
  // Plain strings (no normaliser, type string): typed by one check per element, then copied.
  const elements = scalar.kind === 'string' && norm === null ? plainStrings : elementsOf;

  if (protocol === 'saml') {
    const name = defined(plan.source[0]);
    const locate = samlLocator(name);
    const parse = samlScalarParser(scalar, norm);
    return (claims, aliases, indeterminate) => {
      if (indeterminate !== null && isIndeterminate(indeterminate, indetName0, aliases)) {
        return malformed(BAD.indeterminate);
      }
      const raw = locate(claims, aliases);
      if (raw === undefined || raw === null) return absent;
      if (!Array.isArray(raw)) return malformed(BAD.samlNotArray);
      if (raw.length === 0) return absent;
      if (multi) return elements(raw, parse, set, BAD.samlNotString, canonical);
      if (raw.length > 1) return malformed(BAD.multiple);
      const p = parse(raw[0] as JsonValue);
      return isBad(p) ? malformed(p) : { state: 'present', value: p };
    };
  }

  const locate = oidcLocator(plan.source);
  const parse = oidcScalarParser(scalar, norm);
  const notElement = scalar.kind === 'bool' ? BAD.notBool : scalar.kind === 'int' ? BAD.notInt : BAD.notString;
  return (claims, _aliases, indeterminate) => {
    if (indeterminate?.has(indetName0)) return malformed(BAD.indeterminate);
    const raw = locate(claims);
    if (raw === undefined || raw === null) return absent;
    if (raw === CROSSES_NON_OBJECT) return malformed(BAD.notObject);
    if (multi) {
      if (!Array.isArray(raw)) return malformed(BAD.notArray);
      return elements(raw, parse, set, notElement, canonical);
    }
    const p = parse(raw as JsonValue);
    return isBad(p) ? malformed(p) : { state: 'present', value: p };
  };
}

/** Finds the raw value of one declared claim (undefined when there is none). */
export type ClaimLocator = (
  claims: Readonly<Record<string, unknown>>,
  aliases: Readonly<Record<string, unknown>> | undefined,
) => unknown;

/**
 * Compiles the lookup of one declared claim's raw value, exactly as its reader finds it.
 *
 * @example
 * ```ts
 * compileClaimLocator(groupsPlan, 'oidc')({ groups: ['eng'] }, undefined) // ['eng']
 * ```
 */
export function compileClaimLocator(plan: ClaimPlan, protocol: Protocol): ClaimLocator {
  if (protocol === 'saml') return samlLocator(defined(plan.source[0]));
  const locate = oidcLocator(plan.source);
  return (claims) => locate(claims);
}

/** SAML: the attribute is indeterminate under its own name, or under the attribute name an alias points to. */
function isIndeterminate(
  indeterminate: ReadonlySet<string>,
  name: string,
  aliases: Readonly<Record<string, unknown>> | undefined,
): boolean {
  if (indeterminate.has(name)) return true;
  if (aliases === undefined) return false;
  const target = own(aliases, name);
  return typeof target === 'string' && indeterminate.has(target);
}

/**
 * The raw claims object of a claim set, or an empty one when it is not a JSON object (never throws).
 *
 * @example
 * ```ts
 * claimsObject({ ...cs, claims: [1, 2] as never }) // {} (an array is not a claims object)
 * ```
 */
export function claimsObject(cs: ClaimSet): Readonly<Record<string, unknown>> {
  const c: unknown = cs.claims;
  return isPlainObject(c) ? c : EMPTY_CLAIMS;
}

/**
 * The aliases object of a claim set, or undefined.
 *
 * @example
 * ```ts
 * aliasesObject({ ...cs, aliases: { mail: 'urn:oid:0.9.2342.19200300.100.1.3' } }) // the same object
 * ```
 */
export function aliasesObject(cs: ClaimSet): Readonly<Record<string, unknown>> | undefined {
  const a: unknown = cs.aliases;
  return isPlainObject(a) ? a : undefined;
}

/**
 * The indeterminate names of a claim set as a Set, or null when there are none (the common case).
 *
 * @example
 * ```ts
 * indeterminateSet({ ...cs, indeterminate: ['groups'] }) // Set { 'groups' }
 * ```
 */
export function indeterminateSet(cs: ClaimSet): ReadonlySet<string> | null {
  const list: unknown = cs.indeterminate;
  if (!Array.isArray(list) || list.length === 0) return null;
  const s = new Set<string>();
  for (const n of list) if (typeof n === 'string') s.add(n);
  return s;
}

const EMPTY_CLAIMS: Readonly<Record<string, unknown>> = Object.freeze(Object.create(null) as Record<string, unknown>);
