/**
 * The plan digest: sha256 (hex) of the plan's canonical JSON without its `digest` field and without source
 * positions (`loc`) and rule texts (`text`). It identifies what a mapping does, so a decision or a grant can name
 * the mapping it came from, while editing comments or layout does not make a new mapping; `loadPlan` re-verifies it.
 */
import { sha256HexChunks } from './sha256.js';
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
  writeCanonical(value, skipKeys, out, null);
  return out.join('');
}

/** Pieces buffered before they are handed to a flush callback (bounds the live memory of a large plan's JSON). */
const FLUSH_PIECES = 4096;

/** Object keys as JSON strings: a plan repeats a few dozen keys millions of times. Bounded (keys come from data). */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = JSON.stringify(key);
    if (quotedKeys.size < 1024) quotedKeys.set(key, q);
  }
  return q;
}

/**
 * Appends the pieces of `value`'s canonical JSON to `out`. With `flush`, the pieces are joined and handed over
 * every FLUSH_PIECES pieces (always between two whole pieces, so a surrogate pair is never split); the caller
 * flushes the rest at the end.
 */
function writeCanonical(
  value: unknown,
  skipKeys: ReadonlySet<string> | undefined,
  out: string[],
  flush: ((chunk: string) => void) | null,
): void {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    out.push(JSON.stringify(value));
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    out.push(JSON.stringify(value));
  } else if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      writeCanonical(value[i], skipKeys, out, flush);
      if (flush !== null && out.length >= FLUSH_PIECES) {
        flush(out.join(''));
        out.length = 0;
      }
    }
    out.push(']');
  } else if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    out.push('{');
    let first = true;
    for (const key of Object.keys(record).sort()) {
      const v = record[key];
      if (v === undefined || skipKeys?.has(key)) continue;
      if (!first) out.push(',');
      out.push(quotedKey(key), ':');
      first = false;
      writeCanonical(v, skipKeys, out, flush);
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
  // Hashed in chunks as it is written: the same bytes as hashing canonicalJson(body, PRESENTATION_KEYS) whole,
  // without holding a large plan's JSON (millions of pieces) in memory, which made compile superlinear in GC.
  return sha256HexChunks((emit) => {
    const out: string[] = [];
    writeCanonical(body, PRESENTATION_KEYS, out, emit);
    emit(out.join(''));
  });
}
