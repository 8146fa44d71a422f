/**
 * `filter` of a list request (RFC 7644 §3.4.2.2), parsed by scim2-parse-filter and narrowed to what the service
 * answers from its indexes: `eq` on `userName`, `externalId`, `id`, `displayName` (Users) or `externalId`, `id`,
 * `displayName` (Groups), joined by `and`, with or without the core schema URN prefix. Anything else is refused
 * with 400 invalidFilter naming what is supported: an answer computed over part of the data would be wrong, and
 * evaluating any filter over every stored resource would make one request cost O(resources).
 */
import { parse, type Filter } from 'scim2-parse-filter';
import { ScimHttpError } from './errors.js';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** The attributes a filter may test, by resource type, in their canonical spelling. */
const FILTERABLE = {
  User: ['userName', 'externalId', 'id', 'displayName'],
  Group: ['externalId', 'id', 'displayName'],
} as const;

export type UserEq = { id?: string; userName?: string; externalId?: string; displayName?: string };
export type GroupEq = { id?: string; externalId?: string; displayName?: string };

/**
 * The equality map of `filter`, or `'empty'` when it can match nothing (the same attribute equal to two different
 * values). Throws {@link ScimHttpError} 400 invalidFilter for a filter that does not parse, is longer than
 * `maxLength`, or uses anything but `eq` on the supported attributes and `and`.
 *
 * @example
 * ```ts
 * parseListFilter('userName eq "bjensen"', 'User', 1000) // { userName: 'bjensen' }
 * ```
 */
export function parseListFilter(text: string, type: 'User', maxLength: number): UserEq | 'empty';
export function parseListFilter(text: string, type: 'Group', maxLength: number): GroupEq | 'empty';
export function parseListFilter(text: string, type: 'User' | 'Group', maxLength: number): UserEq | 'empty' {
  const supported = `claimmap answers eq on ${FILTERABLE[type].join(', ')}, joined by and (for example ${type === 'User' ? 'userName eq "bjensen"' : 'displayName eq "Engineering"'})`;
  if (text.length > maxLength) {
    throw new ScimHttpError(400, 'invalidFilter', `The filter is longer than ${maxLength} characters.`);
  }
  let ast: Filter;
  try {
    ast = parse(text);
  } catch {
    throw new ScimHttpError(400, 'invalidFilter', `The filter does not parse (RFC 7644 §3.4.2.2); ${supported}.`);
  }
  const eq: Record<string, string> = {};
  let empty = false;
  const visit = (f: Filter): void => {
    if (f.op === 'and') {
      for (const g of f.filters) visit(g);
      return;
    }
    if (f.op !== 'eq') {
      throw new ScimHttpError(400, 'invalidFilter', `The operator "${f.op}" is not supported; ${supported}.`);
    }
    const attr = canonicalAttribute(f.attrPath, type);
    if (attr === undefined) {
      throw new ScimHttpError(
        400,
        'invalidFilter',
        `The attribute "${printable(f.attrPath)}" cannot be filtered on; ${supported}.`,
      );
    }
    if (typeof f.compValue !== 'string') {
      throw new ScimHttpError(400, 'invalidFilter', `The value compared with ${attr} must be a string.`);
    }
    const had = eq[attr];
    if (had !== undefined && !sameValue(attr, had, f.compValue)) empty = true;
    eq[attr] = f.compValue;
  };
  visit(ast);
  return empty ? 'empty' : eq;
}

/** `id` and `externalId` are caseExact; `userName` and `displayName` are not (RFC 7643 §4.1.1, §4.2). */
function sameValue(attr: string, a: string, b: string): boolean {
  return attr === 'id' || attr === 'externalId' ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** The canonical name of a filterable attribute (names compare case-insensitively; an optional core URN). */
function canonicalAttribute(path: string, type: 'User' | 'Group'): string | undefined {
  const urn = `${type === 'User' ? USER_SCHEMA : GROUP_SCHEMA}:`;
  const bare = path.toLowerCase().startsWith(urn.toLowerCase()) ? path.slice(urn.length) : path;
  return FILTERABLE[type].find((a) => a.toLowerCase() === bare.toLowerCase());
}

/** An attribute path for an error detail: at most 64 characters, control characters dropped. */
export function printable(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
