/**
 * The plan digest: sha256 (hex) of the plan's canonical JSON without its `digest` field and without source
 * positions (`loc`) and rule texts (`text`). It identifies what a mapping does, so a decision or a grant can name
 * the mapping it came from, while editing comments or layout does not make a new mapping; `loadPlan` re-verifies it.
 */
import { sha256Hex } from './sha256.js';
import type { Plan } from '../model/plan.js';

/**
 * Canonical JSON: object keys sorted recursively (by UTF-16 code units, as `Array.prototype.sort` does), no
 * whitespace, strings and numbers as `JSON.stringify` writes them, properties whose value is `undefined` omitted.
 * Throws TypeError on values JSON cannot hold (a caller mistake: plans are JSON data).
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown, skipKeys?: ReadonlySet<string>): string {
  const out: string[] = [];
  writeCanonical(value, skipKeys, out);
  return out.join('');
}

/** Appends the pieces of `value`'s canonical JSON to `out` (one join at the end, no nested string copies). */
function writeCanonical(value: unknown, skipKeys: ReadonlySet<string> | undefined, out: string[]): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      writeCanonical(value[i], skipKeys, out);
    }
    out.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    out.push('{');
    let first = true;
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined || skipKeys?.has(key)) continue;
      out.push(first ? JSON.stringify(key) : `,${JSON.stringify(key)}`, ':');
      first = false;
      writeCanonical(v, skipKeys, out);
    }
    out.push('}');
  } else {
    throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/** Keys that say where and how a construct was written, not what it does. */
const PRESENTATION_KEYS: ReadonlySet<string> = new Set(['loc', 'text']);

/**
 * The digest of a plan: sha256 hex of {@link canonicalJson} of the plan without `digest` (a `digest` field, if
 * present, is ignored, so `planDigest(plan) === plan.digest` verifies a plan).
 *
 * @example
 * ```ts
 * const { digest: _, ...body } = plan;
 * const fresh: Plan = { ...body, digest: planDigest(body) };
 * ```
 */
export function planDigest(plan: Omit<Plan, 'digest'> | Plan): string {
  const { digest: _ignored, ...body } = plan as Plan;
  return sha256Hex(canonicalJson(body, PRESENTATION_KEYS));
}
