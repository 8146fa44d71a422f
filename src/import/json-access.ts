/** Small readers of untrusted JSON data, shared by the importers: never throw, return undefined on the wrong type. */
import type { JsonValue } from '../model/claim-set.js';

/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** `v` when it is a JSON object. */
export const asObject = (v: JsonValue | undefined): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;

/** `v` when it is an array. */
export const asArray = (v: JsonValue | undefined): JsonValue[] | undefined => (Array.isArray(v) ? v : undefined);

/** `v` when it is a string. */
export const asString = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A boolean written as JSON `true`/`false` or as the string `"true"`/`"false"` (Keycloak's config maps hold strings). */
export const asBool = (v: JsonValue | undefined): boolean | undefined =>
  typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;

/** An own property (never one of Object.prototype's). */
export const own = (o: JsonObject | undefined, k: string): JsonValue | undefined =>
  o !== undefined && Object.hasOwn(o, k) ? o[k] : undefined;

/** A list of strings: a string array (other elements dropped), or a comma-separated string (Vault's CLI form). */
export function stringList(v: JsonValue | undefined): string[] {
  if (typeof v === 'string')
    return v
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
