/**
 * The plan digest: sha256 (hex) of the plan's canonical JSON without its `digest` field. Identifies the exact
 * mapping a decision was made with; `loadPlan` re-verifies it.
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
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${canonicalJson(v)}`);
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
export function planDigest(plan: Omit<Plan, 'digest'> | Plan): string {
  const { digest: _ignored, ...body } = plan as Plan;
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
