/**
 * The key under which full mode decides identical mutated logins once. Two mutated logins of one sample whose keys
 * are equal run the same transactions on the same stores (the update path's seeded fork, the JIT path's empty
 * store) and get the same findings, so the second reuses the first's outcome (drive-store.ts).
 *
 * The key is an exact serialization (never a hash): equal keys mean equal values. It holds every field of a decided
 * {@link Login} that a transaction or the classification of its result reads and that can differ between the
 * mutated logins of one sample: of the decision, its outcome, key, refusals, profile, roles, entitlements and
 * grantedBy (not what only evaluate() reports: denied, absent, malformed, warnings); the verified email, the issue
 * instant (normalised, or why it is refused), the audit key and the fired rules. The login's other fields are the
 * same for every mutated login of a run (nowIso, maxClaimBytes, skewMs, bound, plan, mapping; profileNames follows
 * from the profile), but for the claim set itself, which only two steps read and neither runs here: the claim
 * snapshot (mutated logins take none: `snapshot: false`) and a SCIM-managed account's login (a ScratchStore holds no
 * SCIM data).
 */
import type { Login } from '../runtime/provision/decide.js';

/**
 * The key of a decided mutated login, or null when its login must run: it takes a claim snapshot, or a profile
 * value is not {@link jsonExact} (JSON would not tell it apart from another value).
 *
 * @example
 * ```ts
 * const key = loginKey(decideLogin(plan, mutated, { ...settings, snapshot: false }));
 * if (key !== null && seen.has(key)) … // the same transactions as an earlier login of this sample
 * ```
 */
export function loginKey(login: Login): string | null {
  if (login.snapshot) return null;
  const d = login.decision;
  // Every other field is built by the evaluator and provision from strings, booleans and null.
  for (const name in d.profile) {
    const pv = d.profile[name];
    if (pv !== undefined && pv.state === 'present' && !jsonExact(pv.value, 0)) return null;
  }
  return JSON.stringify([
    d.outcome,
    d.key,
    d.refusals,
    d.profile,
    d.roles,
    d.entitlements,
    d.grantedBy,
    login.emailVerified,
    login.issuedIso,
    login.issuedBad,
    login.auditKey,
    login.rules,
  ]);
}

/** Depth cap of {@link jsonExact}: deeper values are not shared. */
const MAX_DEPTH = 64;

/**
 * Whether JSON.stringify serializes `v` exactly, so that two such values with the same JSON are equal: strings,
 * booleans, null, finite numbers but -0, arrays without holes and plain records (Object.prototype) of such values.
 * Not -0 (JSON "0"), NaN or an infinity (JSON null), undefined (left out, or null), a null-prototype record (JSON
 * like a plain one), a Date or anything else with a prototype of its own, a function, a symbol, a bigint.
 *
 * @example
 * ```ts
 * jsonExact(['a', 1, { b: null }], 0) // true
 * jsonExact(-0, 0) // false
 * ```
 */
export function jsonExact(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonExact(v[i], depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k of Object.keys(v)) if (!jsonExact((v as Record<string, unknown>)[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}
