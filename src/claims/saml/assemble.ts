/**
 * Attribute list → SAML claim set: duplicate Names merged in order (and reported), FriendlyName and well-known
 * aliases, attribute metadata, Entra ID group overage. Shared by the XML reader and the node-saml adapter.
 */
import {
  rfc3339Millis,
  type AttributeInfo,
  type ClaimSet,
  type ClaimWarning,
  type JsonValue,
  type Subject,
} from '../../model/claim-set.js';
import { ClaimsError } from '../errors.js';
import type { SamlLimits } from '../options.js';
import { ENTRA_GROUPS, ENTRA_GROUPS_LINK, WELL_KNOWN_ATTRIBUTES } from './well-known.js';
import { defined } from '../../model/invariant.js';

/** One Attribute element as read. */
export interface RawAttribute {
  name: string;
  friendlyName?: string | undefined;
  nameFormat?: string | undefined;
  values: string[];
}

/** Everything the assembler needs. */
export interface SamlParts {
  issuer: string;
  subject: Subject;
  attributes: RawAttribute[];
  issuedAt?: string | undefined;
  verified: boolean;
  warnings: ClaimWarning[];
}

const hasOwn = Object.hasOwn;

/**
 * Builds the claim set. Claims, aliases and attributes are null-prototype records.
 *
 * @example
 * ```ts
 * assembleSaml({ issuer: 'https://idp', subject: { id: 'u1' }, verified: false, warnings: [],
 *   attributes: [{ name: 'urn:oid:0.9.2342.19200300.100.1.3', values: ['a@b.c'] }] }, limits);
 * // aliases: { mail: 'urn:oid:0.9.2342.19200300.100.1.3' }
 * ```
 */
export function assembleSaml(parts: SamlParts, limits: SamlLimits): ClaimSet {
  const claims = Object.create(null) as Record<string, JsonValue>;
  const attributes = Object.create(null) as Record<string, AttributeInfo>;
  const warnings = parts.warnings;
  if (parts.attributes.length > limits.maxAttributes) {
    throw new ClaimsError('saml/too-many-attributes', `more than maxAttributes (${limits.maxAttributes}) attributes`);
  }
  for (const a of parts.attributes) {
    if (hasOwn(claims, a.name)) {
      const merged = claims[a.name] as string[];
      for (const v of a.values) merged.push(v);
      if (merged.length > limits.maxValuesPerAttribute) {
        throw new ClaimsError(
          'saml/too-many-values',
          `the attribute '${a.name}' has more than maxValuesPerAttribute (${limits.maxValuesPerAttribute}) values`,
        );
      }
      warnings.push({
        code: 'saml/duplicate-attribute',
        message: `the attribute '${a.name}' appears more than once; its values were merged in document order`,
        claim: a.name,
      });
      const info = defined(attributes[a.name]);
      if (info.friendlyName === undefined && a.friendlyName !== undefined) info.friendlyName = a.friendlyName;
      if (info.nameFormat === undefined && a.nameFormat !== undefined) info.nameFormat = a.nameFormat;
      continue;
    }
    claims[a.name] = a.values.slice();
    const info: AttributeInfo = {};
    if (a.friendlyName !== undefined) info.friendlyName = a.friendlyName;
    if (a.nameFormat !== undefined) info.nameFormat = a.nameFormat;
    attributes[a.name] = info;
  }

  // Aliases: FriendlyName first, then well-known names. An alias claimed by two different Names is dropped.
  const candidates = new Map<string, Set<string>>();
  const offer = (alias: string, name: string): void => {
    if (alias === '' || alias === name) return;
    let set = candidates.get(alias);
    if (set === undefined) {
      set = new Set();
      candidates.set(alias, set);
    }
    set.add(name);
  };
  for (const name in attributes) {
    const fn = defined(attributes[name]).friendlyName;
    if (fn !== undefined) offer(fn, name);
    const wk = WELL_KNOWN_ATTRIBUTES[name];
    if (wk !== undefined) offer(wk, name);
  }
  const aliases = Object.create(null) as Record<string, string>;
  for (const alias of [...candidates.keys()].sort()) {
    const names = defined(candidates.get(alias));
    if (hasOwn(claims, alias)) continue; // a real attribute Name always wins over an alias
    if (names.size > 1) {
      warnings.push({
        code: 'saml/ambiguous-alias',
        message: `the alias '${alias}' names several attributes (${[...names].join(', ')}); it is not defined`,
        claim: alias,
      });
      continue;
    }
    aliases[alias] = names.values().next().value as string;
  }

  const indeterminate: string[] = [];
  if (hasOwn(claims, ENTRA_GROUPS_LINK)) {
    indeterminate.push(ENTRA_GROUPS);
    warnings.push({
      code: 'saml/group-overage',
      message: 'Entra ID sent a groups link instead of the groups (group overage): the groups claim is indeterminate',
      claim: ENTRA_GROUPS,
    });
  }

  return {
    protocol: 'saml',
    issuer: parts.issuer,
    subject: parts.subject,
    claims,
    aliases,
    attributes,
    ...(indeterminate.length > 0 ? { indeterminate } : {}),
    ...(parts.issuedAt !== undefined ? { issuedAt: parts.issuedAt } : {}),
    verified: parts.verified,
    warnings,
  };
}

const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An xs:dateTime (SAML IssueInstant) as an ISO 8601 UTC string, or undefined when it is not one. A missing zone
 * means UTC, as SAML requires.
 *
 * @example
 * ```ts
 * isoInstant('2024-05-01T10:00:00Z'); // '2024-05-01T10:00:00.000Z'
 * ```
 */
export function isoInstant(value: string): string | undefined {
  const m = DATE_TIME.exec(value);
  if (m === null) return undefined;
  // rfc3339Millis checks the calendar (2030-02-30 is refused, never rolled over to March); digits past the ninth
  // fraction digit cannot change the millisecond, so they are cut before it reads them.
  const t = rfc3339Millis(defined(m[1]).replace(/(\.\d{9})\d+$/, '$1') + (m[2] ?? 'Z'));
  return t === null ? undefined : new Date(t).toISOString();
}
