/**
 * The plan digest: sha256 (hex) of the plan's canonical JSON without its `digest` field and without source
 * positions (`loc`) and rule texts (`text`). It identifies what a mapping does, so a decision or a grant can name
 * the mapping it came from, while editing comments or layout does not make a new mapping; `loadPlan` re-verifies it.
 */
import { createHash } from 'node:crypto';
import type { Plan } from './plan.js';

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
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, skipKeys)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined || skipKeys?.has(key)) continue;
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v, skipKeys)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
}

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
/** Keys that say where and how a construct was written, not what it does. */
const PRESENTATION_KEYS: ReadonlySet<string> = new Set(['loc', 'text']);

export function planDigest(plan: Omit<Plan, 'digest'> | Plan): string {
  const { digest: _ignored, ...body } = plan as Plan;
  return createHash('sha256').update(canonicalJson(body, PRESENTATION_KEYS), 'utf8').digest('hex');
}
