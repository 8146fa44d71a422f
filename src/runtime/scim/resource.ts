/**
 * Reading the SCIM resources the HTTP layer passes in (already parsed, PATCH already applied): the attributes the
 * service acts on, checked (`scim/invalid-value`), and the resource as stored (without id, meta and the computed
 * groups or members).
 */
import type { JsonValue } from '../../model/claim-set.js';
import { RuntimeError } from '../errors.js';
import { checkKeyText } from '../normalise.js';
import type { ScimJson } from './types.js';

/** The attributes of a User the service acts on. */
export interface UserFields {
  userName: string;
  externalId: string | null;
  displayName: string | null;
  /** `active` (RFC 7643 §4.1.1); absent means true. */
  active: boolean;
  resource: ScimJson;
}

/** Longest userName, externalId or displayName accepted, in UTF-16 code units. */
export const MAX_SCIM_TEXT = 1024;

export function invalid(message: string): RuntimeError {
  return new RuntimeError('scim/invalid-value', message);
}

/** An attribute by name, case-insensitively (RFC 7643 §2.1); the first match. */
function attr(r: ScimJson, name: string): JsonValue | undefined {
  const lower = name.toLowerCase();
  for (const k of Object.keys(r)) if (k.toLowerCase() === lower) return r[k];
  return undefined;
}

function text(r: ScimJson, name: string, required: boolean): string | null {
  const v = attr(r, name);
  if (v === undefined || v === null) {
    if (required) throw invalid(`${name} is required.`);
    return null;
  }
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_SCIM_TEXT)
    throw invalid(`${name} must be a non-empty string of at most ${MAX_SCIM_TEXT} characters.`);
  try {
    checkKeyText(v, 'subject', `/${name}`);
  } catch {
    throw invalid(`${name} holds a character no store keeps apart (a lone surrogate or U+0000).`);
  }
  return v;
}

/** The resource without the attributes the service owns. */
function stored(r: ScimJson, owned: readonly string[]): ScimJson {
  const out: ScimJson = {};
  for (const [k, v] of Object.entries(r)) if (!owned.includes(k.toLowerCase())) out[k] = v;
  return out;
}

/**
 * Reads a User resource.
 *
 * @example
 * ```ts
 * readUser({ userName: 'jane@example.com', externalId: '00u1', active: false }).active // false
 * ```
 */
export function readUser(r: ScimJson): UserFields {
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalid('A User must be a JSON object.');
  const active = attr(r, 'active');
  if (active !== undefined && active !== null && typeof active !== 'boolean')
    throw invalid('active must be true or false.');
  return {
    userName: text(r, 'userName', true) ?? '',
    externalId: text(r, 'externalId', false),
    displayName: text(r, 'displayName', false),
    active: active !== false,
    resource: stored(r, ['id', 'meta', 'groups']),
  };
}

/**
 * Reads a Group resource: its displayName (the groups claim value) and the resource as stored.
 *
 * @example
 * ```ts
 * readGroup({ displayName: 'admins' }).displayName // 'admins'
 * ```
 */
export function readGroup(r: ScimJson): { displayName: string; externalId: string | null; resource: ScimJson } {
  if (!r || typeof r !== 'object' || Array.isArray(r)) throw invalid('A Group must be a JSON object.');
  return {
    displayName: text(r, 'displayName', true) ?? '',
    externalId: text(r, 'externalId', false),
    resource: stored(r, ['id', 'meta', 'members']),
  };
}
