/**
 * Full mode decides identical mutated logins once. Two mutated logins of one sample that are equal in everything
 * a transaction or the classification of its result reads run the same transactions on the same stores (the update
 * path's seeded fork, the JIT path's empty store) and get the same findings, so the second reuses the first's
 * outcome (drive-store.ts).
 *
 * What is compared (exactly, never by a hash): of the decision, its outcome, key, refusals, roles, entitlements,
 * the profile under each of its field names (Login.profileNames, compared too) and the rule ids under each granted
 * name (grantedBy), as proposeProfile and reconcileGrants read them; not what only evaluate() reports (denied,
 * absent, malformed, warnings); of the login, the verified email, the issue instant (normalised, or why it is
 * refused), the audit key and the fired rules. The login's other fields are the same for every mutated login of a
 * run (nowIso, maxClaimBytes, skewMs, bound, plan, mapping), but for the claim set itself, which only two steps
 * read and neither runs here: the claim snapshot (mutated logins take none: `snapshot: false`; a login that takes
 * one is never shared) and a SCIM-managed account's login (a ScratchStore holds no SCIM data). provision() never
 * writes to a Login (a test runs it on a deeply frozen one), so a login compared after its transactions is the
 * login they read.
 *
 * Logins are kept in buckets by a number computed from their lengths and a few characters (no string is built or
 * hashed whole), then compared field by field; most mutations differ from an earlier login in a length, a count or
 * the first field compared.
 */
import type { Decision, ProfileValue } from '../evaluate/decision.js';
import type { Login } from '../runtime/provision/decide.js';

/**
 * The outcomes of decided logins (of one sample), found by an equal login.
 *
 * @example
 * ```ts
 * const outcomes = new DecidedLogins<Finding[]>();
 * const earlier = outcomes.get(login); // the findings of an equal earlier login, if any
 * if (earlier === undefined) outcomes.set(login, findingsOf(login));
 * ```
 */
export class DecidedLogins<T> {
  private readonly buckets = new Map<number, { login: Login; value: T }[]>();
  /** Logins compared field by field so far (tests bound it). */
  compared = 0;

  /** The value kept for a login {@link sameLogin} as `login`, or undefined. */
  get(login: Login): T | undefined {
    if (login.snapshot) return undefined;
    const list = this.buckets.get(bucketOf(login));
    if (list === undefined) return undefined;
    for (const e of list) {
      this.compared++;
      if (sameLogin(e.login, login)) return e.value;
    }
    return undefined;
  }

  /** Keeps `value` for later logins equal to `login` (a login that takes a claim snapshot is never shared). */
  set(login: Login, value: T): void {
    if (login.snapshot) return;
    const b = bucketOf(login);
    const list = this.buckets.get(b);
    if (list === undefined) this.buckets.set(b, [{ login, value }]);
    else list.push({ login, value });
  }
}

/**
 * Whether two decided logins are equal in every field their transactions and their classification read (see the
 * module comment): strings by `===`, other values by {@link sameValue}; the profile and grantedBy under the names
 * provision() reads them by.
 *
 * @example
 * ```ts
 * sameLogin(decideLogin(plan, a, settings), decideLogin(plan, structuredClone(a), settings)) // true
 * ```
 */
export function sameLogin(a: Login, b: Login): boolean {
  if (a === b) return true;
  const x = a.decision;
  const y = b.decision;
  return (
    a.snapshot === b.snapshot &&
    x.outcome === y.outcome &&
    a.issuedIso === b.issuedIso &&
    a.emailVerified === b.emailVerified &&
    sameValue(x.roles, y.roles, 0) &&
    sameValue(x.entitlements, y.entitlements, 0) &&
    sameValue(a.profileNames, b.profileNames, 0) &&
    sameValue(x.key, y.key, 0) &&
    sameValue(x.refusals, y.refusals, 0) &&
    sameProfile(a.profileNames, x.profile, y.profile) &&
    sameGrantedBy(x.roles, x.grantedBy.roles, y.grantedBy.roles) &&
    sameGrantedBy(x.entitlements, x.grantedBy.entitlements, y.grantedBy.entitlements) &&
    sameValue(a.issuedBad, b.issuedBad, 0) &&
    sameValue(a.auditKey, b.auditKey, 0) &&
    sameValue(a.rules, b.rules, 0)
  );
}

/** Depth bound of {@link sameValue}: deeper values are not equal unless they are the same object. */
const MAX_DEPTH = 64;

/**
 * Whether `a` and `b` are the same value to any deterministic reader: primitives by `Object.is` (so `0` is not
 * `-0`, NaN is NaN), the same object, or arrays (Array.prototype: the same length, holes where the other has holes,
 * elements the same by this definition; other properties of an array are not read by the login's steps) and plain
 * records (Object.prototype or no prototype, both the same) with the same own enumerable keys in the same order and
 * values the same by this definition. Anything else (a Date, a Map, a class instance) is the same only as the same
 * object; so are values nested deeper than 64.
 *
 * @example
 * ```ts
 * sameValue({ a: [1, 'x'] }, { a: [1, 'x'] }, 0) // true
 * sameValue(0, -0, 0) // false
 * ```
 */
export function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth >= MAX_DEPTH) return false;
  const proto = Object.getPrototypeOf(a);
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Array.prototype) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      const x: unknown = a[i];
      // The usual element, a string equal to the other's, settles without a call (neither side is a hole then).
      if (typeof x === 'string' && x === b[i]) continue;
      const has = i in a;
      if (has !== i in b || (has && !sameValue(x, b[i], depth + 1))) return false;
    }
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i] as string;
    if (k !== kb[i]) return false;
    if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  }
  return true;
}

/**
 * The fields of a ProfileValue, each compared by {@link sameProfile}: a field added to ProfileValue and not listed
 * here fails the type check below, so no field is left out of the comparison.
 */
const PROFILE_VALUE_FIELDS = ['sync', 'clear', 'state', 'value'] as const;
type FieldsOf<T> = T extends unknown ? keyof T : never;
const everyProfileField: [Exclude<FieldsOf<ProfileValue>, (typeof PROFILE_VALUE_FIELDS)[number]>] extends [never]
  ? true
  : never = true;
void everyProfileField;

/**
 * Whether two decisions' profiles hold the same values under each of `names` (the sorted field names of both,
 * Login.profileNames, already compared): ProfileValues (the evaluator's object literals, of no other fields: a test
 * checks) compared field by field (PROFILE_VALUE_FIELDS). provision() reads a profile by these names only
 * (proposeProfile), never its order.
 */
function sameProfile(names: readonly string[], a: Decision['profile'], b: Decision['profile']): boolean {
  if (a === b) return true;
  for (const name of names) {
    const x = a[name];
    const y = b[name];
    if (x === y) continue;
    if (x === undefined || y === undefined) return false;
    if (x.sync !== y.sync || x.clear !== y.clear || x.state !== y.state) return false;
    if (x.state === 'present' && !sameValue(x.value, (y as { value: unknown }).value, 2)) return false;
  }
  return true;
}

/**
 * Whether two records of rule-id lists (a decision's grantedBy.roles or .entitlements) hold the same lists under
 * each of `names` (the granted names, already compared): reconcileGrants reads them by these names only.
 */
function sameGrantedBy(
  names: readonly string[],
  a: Readonly<Record<string, string[]>>,
  b: Readonly<Record<string, string[]>>,
): boolean {
  if (a === b) return true;
  for (const name of names) if (!sameValue(a[name], b[name], 1)) return false;
  return true;
}

/**
 * The bucket of a login: a number that equal logins share, from counts, lengths and a few characters of the fields
 * mutations most often change (the outcome, the granted names, the profile values, the issue instant).
 */
function bucketOf(login: Login): number {
  const d = login.decision;
  let h = d.outcome === 'allow' ? 1 : 2;
  h = mix(h, d.refusals.length);
  h = mix(h, d.roles.length);
  for (const r of d.roles) h = mix(h, r.length);
  h = mix(h, d.entitlements.length);
  h = mix(h, login.issuedIso === null ? -1 : login.issuedIso.length);
  h = mix(h, login.emailVerified === null ? -1 : login.emailVerified.length);
  for (const name of login.profileNames) {
    const pv = d.profile[name];
    if (pv === undefined || pv.state !== 'present') h = mix(h, pv === undefined ? 0 : pv.state === 'absent' ? 1 : 2);
    else h = mix(h, sketch(pv.value));
  }
  return h;
}

/** A number equal values share: the type, and for a string its length and three of its characters. */
function sketch(v: unknown): number {
  if (typeof v === 'string') {
    const n = v.length;
    return n === 0 ? 3 : mix(mix(mix(n, v.charCodeAt(0)), v.charCodeAt(n >> 1)), v.charCodeAt(n - 1));
  }
  if (Array.isArray(v)) return mix(4, v.length);
  return typeof v === 'number' ? 5 : typeof v === 'boolean' ? (v ? 6 : 7) : 8;
}

/** Folds `v` into hash `h` (a signed 32-bit integer: a small integer to V8, no heap number as a Map key). */
function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x9e3779b1);
}
