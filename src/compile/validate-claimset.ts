/**
 * Validating a claim set read from a JSON file (`claimmap eval --claims file.json`) against
 * src/schemas/claimset.schema.json. Returns data, never throws on the input.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { ClaimSet } from '../model/claim-set.js';
import claimSetSchema from '../schemas/claimset.schema.json' with { type: 'json' };
import { toJsonData } from '../json/strict-json.js';

/**
 * One reason a value is not a claim set: the JSON pointer of the offending node and a short message.
 *
 * @example
 * ```ts
 * const r = validateClaimSet(JSON.parse(body));
 * if (!r.ok) for (const e of r.errors) console.error(`${e.path}: ${e.message}`); // '/subject: must be an object'
 * ```
 */
export interface ClaimSetError {
  path: string;
  message: string;
}

/**
 * Limits of {@link validateClaimSet}.
 *
 * @example
 * ```ts
 * const options: ValidateClaimSetOptions = { maxDepth: 16, maxErrors: 10 };
 * const r = validateClaimSet(JSON.parse(body), options);
 * ```
 */
export interface ValidateClaimSetOptions {
  /** Deepest nesting of arrays and objects (claim values included). Default 64. */
  maxDepth?: number;
  /** Most errors returned. Default 100. */
  maxErrors?: number;
}

/** Default limits of {@link validateClaimSet}. */
export const CLAIMSET_LIMITS = Object.freeze({ maxDepth: 64, maxErrors: 100 });

let validator: ValidateFunction | undefined;

/** Records read with own-property lookups only: given a null prototype in the copy. */
const NULL_PROTOTYPE = new Set(['/claims', '/aliases', '/attributes']);

/**
 * Checks that a parsed JSON value is a {@link ClaimSet}. On success `value` is a fresh copy (plain JSON data;
 * `claims`, `aliases` and `attributes` are null-prototype records, as the contract asks); the input is not
 * modified. Refuses non-JSON values (cycles, functions, non-finite numbers), `__proto__` keys and excessive depth.
 *
 * @example
 * ```ts
 * const r = validateClaimSet(JSON.parse(readFileSync('claims.json', 'utf8')));
 * if (!r.ok) for (const e of r.errors) io.stderr(`${e.path}: ${e.message}`);
 * else evaluate(plan, r.value);
 * ```
 */
export function validateClaimSet(
  value: unknown,
  options: ValidateClaimSetOptions = {},
): { ok: true; value: ClaimSet } | { ok: false; errors: ClaimSetError[] } {
  const maxDepth = options.maxDepth ?? CLAIMSET_LIMITS.maxDepth;
  const maxErrors = options.maxErrors ?? CLAIMSET_LIMITS.maxErrors;
  const copied = toJsonData(value, { maxDepth, nullPrototypeAt: (path) => NULL_PROTOTYPE.has(path) });
  if (!copied.ok) return { ok: false, errors: [{ path: copied.problem.path, message: copied.problem.message }] };
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(claimSetSchema);
  if (!validator(copied.value)) {
    const errors = (validator.errors ?? []).slice(0, maxErrors).map((e) => ({
      path: e.instancePath,
      message:
        e.keyword === 'additionalProperties'
          ? `${e.message ?? 'unknown property'} ` +
            `'${String((e.params as { additionalProperty?: unknown }).additionalProperty)}'`
          : (e.message ?? e.keyword),
    }));
    return { ok: false, errors };
  }
  return { ok: true, value: copied.value as unknown as ClaimSet };
}
