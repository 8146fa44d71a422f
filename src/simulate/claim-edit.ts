/**
 * Reading and replacing one declared claim's raw value in a claim set without modifying it: every record on the way
 * to the value is copied (copy-on-write), everything else is shared. Copies keep the null prototype the ClaimSet
 * contract asks for. Lookups follow the evaluator's (src/evaluate/claim-values.ts): SAML by attribute name then
 * through `aliases`, OIDC by a path of literal own keys.
 */
import type { ClaimSet, JsonValue } from '../model/claim-set.js';
import type { ClaimPlan } from '../model/plan.js';
import { defined } from '../model/invariant.js';

const hasOwn = Object.hasOwn;

function isRecord(v: unknown): v is Record<string, JsonValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A null-prototype shallow copy (own enumerable keys, `__proto__` included as a plain key). */
export function copyRecord<V>(rec: Readonly<Record<string, V>> | undefined): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  if (rec) for (const k of Object.keys(rec)) out[k] = defined(rec[k]);
  return out;
}

/** The key of `claims` a SAML claim resolves to: its own name, or the attribute an alias points to. */
function samlKey(cs: ClaimSet, name: string): string {
  const claims = cs.claims as Record<string, unknown>;
  if (isRecord(claims) && hasOwn(claims, name)) return name;
  const aliases = cs.aliases;
  if (aliases && hasOwn(aliases, name)) {
    const target = aliases[name];
    if (typeof target === 'string' && isRecord(claims) && hasOwn(claims, target)) return target;
  }
  return name;
}

/**
 * The raw value of a declared claim, or undefined when it is not there.
 *
 * @example
 * ```ts
 * getRaw(claimSet, plan.claims.find((c) => c.name === 'groups')!) // ['eng', 'okta-admins']
 * ```
 */
export function getRaw(cs: ClaimSet, claim: ClaimPlan): JsonValue | undefined {
  const claims: unknown = cs.claims;
  if (!isRecord(claims)) return undefined;
  if (cs.protocol === 'saml') {
    const k = samlKey(cs, claim.source[0] ?? claim.name);
    return hasOwn(claims, k) ? claims[k] : undefined;
  }
  let cur: unknown = claims;
  for (const seg of claim.source) {
    if (!isRecord(cur) || !hasOwn(cur, seg)) return undefined;
    cur = cur[seg];
  }
  return cur as JsonValue;
}

/**
 * The name the readers list in `ClaimSet.indeterminate` for this claim: the SAML attribute name, or the OIDC path
 * joined with `.`.
 *
 * @example
 * ```ts
 * indeterminateName(claimSet, groupsClaim) // 'groups'
 * ```
 */
export function indeterminateName(cs: ClaimSet, claim: ClaimPlan): string {
  return cs.protocol === 'saml' ? samlKey(cs, claim.source[0] ?? claim.name) : claim.source.join('.');
}

/**
 * A new claim set whose claim `claim` holds `value`, or is removed when `value` is undefined. The input is untouched.
 *
 * @example
 * ```ts
 * const upper = withClaim(claimSet, deptClaim, ['PLATFORM ENGINEERING']);
 * ```
 */
export function withClaim(cs: ClaimSet, claim: ClaimPlan, value: JsonValue | undefined): ClaimSet {
  const base: unknown = cs.claims;
  const claims = copyRecord(isRecord(base) ? base : undefined);
  const out: ClaimSet = { ...cs, claims };
  if (cs.protocol === 'saml') {
    const name = claim.source[0] ?? claim.name;
    const k = samlKey(cs, name);
    if (value === undefined) {
      delete claims[k];
      if (cs.aliases && hasOwn(cs.aliases, name)) {
        const aliases = copyRecord(cs.aliases);
        delete aliases[name];
        out.aliases = aliases;
      }
    } else claims[k] = value;
    return out;
  }
  // OIDC: copy every object on the path; create missing ones only when setting.
  const path = claim.source;
  let parent: Record<string, JsonValue> = claims;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = defined(path[i]);
    const next = hasOwn(parent, seg) ? parent[seg] : undefined;
    if (!isRecord(next)) {
      if (value === undefined) return out;
      const created = Object.create(null) as Record<string, JsonValue>;
      parent[seg] = created;
      parent = created;
    } else {
      const copy = copyRecord(next);
      parent[seg] = copy;
      parent = copy;
    }
  }
  const leaf = defined(path[path.length - 1]);
  if (value === undefined) delete parent[leaf];
  else parent[leaf] = value;
  return out;
}

/** The string values of a raw claim value: a string, or the strings of an array. */
export function stringValues(raw: JsonValue | undefined): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw)) return raw.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Applies `fn` to a string, or to every string of an array (other values kept). */
export function mapStrings(raw: JsonValue, fn: (s: string) => string): JsonValue {
  if (typeof raw === 'string') return fn(raw);
  if (Array.isArray(raw)) return raw.map((v) => (typeof v === 'string' ? fn(v) : v));
  return raw;
}

/** A value for a label: ASCII JSON, clipped to 72 characters (with the value's length) when longer. */
export function show(v: JsonValue | undefined): string {
  if (v === undefined) return '(absent)';
  const s = asciiJson(v);
  if (s.length <= 72) return s;
  const len = typeof v === 'string' ? v.length : s.length;
  return `${s.slice(0, 48).replace(/\\u?[0-9a-f]{0,3}$/, '')}…(${len} chars)`;
}

/**
 * JSON text with every non-ASCII character escaped (`\u0430`), so look-alike characters are visible in reports.
 *
 * @example
 * ```ts
 * asciiJson('\u0430dmin') // '"\\u0430dmin"'
 * ```
 */
export function asciiJson(v: JsonValue): string {
  return JSON.stringify(v).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
