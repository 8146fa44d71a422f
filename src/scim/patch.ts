/**
 * PATCH (RFC 7644 §3.5.2) applied to a resource's JSON, as Okta and Microsoft Entra ID send it: ops in any case
 * (`Replace`), with or without `path`, value paths with a filter (`emails[type eq "work"].value`,
 * `members[value eq "2819c223"]`), extension attributes by URN (`urn:…:enterprise:2.0:User:department`) and, in
 * a path-less value, keys that are paths (`"name.givenName"`). Filters inside a path are parsed by
 * scim2-parse-filter; the rest of the path grammar (RFC 7644 §3.5.2 PATH) is small and parsed here.
 *
 * Group membership is not applied to the JSON: {@link splitGroupPatch} turns `members` operations into ids to add
 * and remove (or a full replacement), which the service applies without rewriting the group.
 *
 * Every attribute name is checked against the ATTRNAME grammar before it is used as a key, so no path can reach
 * `__proto__`; the JSON was read with `__proto__` keys refused.
 */
import { filter as compileFilter, parse, type Filter } from 'scim2-parse-filter';
import type { JsonValue } from '../model/claim-set.js';
import { jsonEqual } from '../json/equal.js';
import { ScimHttpError } from './errors.js';
import { GROUP_SCHEMA, printable, USER_SCHEMA } from './filter.js';

type JsonObject = { [key: string]: JsonValue };

/** The PatchOp message schema URN. */
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One operation, normalised: the op in lower case, the path parsed. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: PatchPath;
  value?: JsonValue;
}

/** A parsed PATCH path: `[schema:]attr[filter][.sub]`. */
export interface PatchPath {
  /** The extension schema URN that holds the attribute (undefined for core attributes). */
  schema?: string;
  /** The attribute; undefined when the path is a whole extension (`urn:…:enterprise:2.0:User`). */
  attr?: string;
  filter?: Filter;
  sub?: string;
  /** The path as sent, for error details. */
  text: string;
}

const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const URN = /^urn:[A-Za-z0-9._~%!$&'()*+,;=:-]+$/i;
const CORE = [USER_SCHEMA, GROUP_SCHEMA].map((s) => s.toLowerCase());

const isObject = (v: JsonValue | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function invalidPath(text: string, why: string): ScimHttpError {
  return new ScimHttpError(400, 'invalidPath', `The path "${printable(text)}" ${why}.`);
}

/**
 * Parses a PATCH message body into operations, refusing (400) what is not one: no `Operations` array, more than
 * `maxOperations` (400 tooMany), an unknown `op`, a path that does not parse, a remove without a path.
 *
 * @example
 * ```ts
 * parsePatchBody({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'Replace', value: { active: false } }] }, 100)
 * // [{ op: 'replace', value: { active: false } }]
 * ```
 */
export function parsePatchBody(body: JsonValue, maxOperations: number, schemas: readonly string[]): PatchOperation[] {
  if (!isObject(body)) throw new ScimHttpError(400, 'invalidSyntax', 'A PATCH body is a JSON object.');
  const opsKey = Object.keys(body).find((k) => k.toLowerCase() === 'operations');
  const ops = opsKey === undefined ? undefined : body[opsKey];
  if (!Array.isArray(ops)) {
    throw new ScimHttpError(400, 'invalidSyntax', 'A PATCH body needs an "Operations" array (RFC 7644 §3.5.2).');
  }
  if (ops.length > maxOperations) {
    throw new ScimHttpError(400, 'tooMany', `A PATCH may carry at most ${maxOperations} operations.`);
  }
  return ops.map((raw, i) => {
    if (!isObject(raw)) throw new ScimHttpError(400, 'invalidSyntax', `Operations[${i}] is not an object.`);
    const get = (name: string) => {
      const k = Object.keys(raw).find((x) => x.toLowerCase() === name);
      return k === undefined ? undefined : raw[k];
    };
    const op = get('op');
    const lower = typeof op === 'string' ? op.toLowerCase() : undefined;
    if (lower !== 'add' && lower !== 'replace' && lower !== 'remove') {
      throw new ScimHttpError(400, 'invalidSyntax', `Operations[${i}].op must be add, replace or remove.`);
    }
    const path = get('path');
    if (path !== undefined && (typeof path !== 'string' || path === '')) {
      throw new ScimHttpError(400, 'invalidPath', `Operations[${i}].path must be a non-empty string.`);
    }
    const value = get('value');
    if (lower === 'remove' && path === undefined) {
      throw new ScimHttpError(400, 'noTarget', `Operations[${i}] removes without a path.`);
    }
    if (lower !== 'remove' && value === undefined) {
      throw new ScimHttpError(400, 'invalidValue', `Operations[${i}] (${lower}) has no value.`);
    }
    return {
      op: lower,
      ...(path === undefined ? {} : { path: parsePath(path, schemas) }),
      ...(value === undefined ? {} : { value }),
    };
  });
}

/**
 * Parses `[urn:…:]attr[.sub]` or `[urn:…:]attr[filter][.sub]`. `schemas` are the extension URNs the resource may
 * carry, so `urn:…:enterprise:2.0:User` alone names the whole extension.
 *
 * @example
 * ```ts
 * parsePath('members[value eq "2819c223"]', []) // { attr: 'members', filter: {...}, text: ... }
 * ```
 */
export function parsePath(text: string, schemas: readonly string[]): PatchPath {
  if (text.length > 1000) throw invalidPath(text.slice(0, 64), 'is too long');
  const open = text.indexOf('[');
  let head = open === -1 ? text : text.slice(0, open);
  let filter: Filter | undefined;
  let tail = '';
  if (open !== -1) {
    const close = closingBracket(text, open);
    if (close === -1) throw invalidPath(text, 'has no closing "]"');
    try {
      filter = parse(text.slice(open + 1, close));
    } catch {
      throw invalidPath(text, 'has a filter that does not parse');
    }
    tail = text.slice(close + 1);
    if (tail !== '' && !tail.startsWith('.')) throw invalidPath(text, 'has text after "]" that is not ".subAttribute"');
    tail = tail.slice(1);
    if (tail !== '' && !ATTRNAME.test(tail)) throw invalidPath(text, 'has an invalid sub-attribute');
  }
  let schema: string | undefined;
  if (/^urn:/i.test(head)) {
    const whole = schemas.find((s) => s.toLowerCase() === head.toLowerCase());
    if (whole !== undefined && open === -1) return { schema: whole, text };
    const i = head.lastIndexOf(':');
    const urn = head.slice(0, i);
    if (!URN.test(urn)) throw invalidPath(text, 'has an invalid schema URN');
    schema = CORE.includes(urn.toLowerCase()) ? undefined : urn;
    head = head.slice(i + 1);
  }
  const dot = head.indexOf('.');
  const attr = dot === -1 ? head : head.slice(0, dot);
  const sub = dot === -1 ? undefined : head.slice(dot + 1);
  if (!ATTRNAME.test(attr)) throw invalidPath(text, 'does not name an attribute');
  if (sub !== undefined && (!ATTRNAME.test(sub) || filter !== undefined)) {
    throw invalidPath(text, 'has an invalid sub-attribute');
  }
  const subAttr = sub ?? (tail === '' ? undefined : tail);
  return {
    ...(schema === undefined ? {} : { schema }),
    attr,
    ...(filter === undefined ? {} : { filter }),
    ...(subAttr === undefined ? {} : { sub: subAttr }),
    text,
  };
}

/** The index of the `]` closing the `[` at `open`, skipping quoted strings; -1 when there is none. */
function closingBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return -1;
}

/** The existing key of `obj` that equals `name` case-insensitively, or `name`. */
function keyOf(obj: JsonObject, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(obj).find((k) => k.toLowerCase() === lower) ?? name;
}

/** Keys of a path-less add/replace value that are ignored: the server's own, and the never-stored password. */
const IGNORED_IN_VALUE = new Set(['id', 'meta', 'schemas', 'password']);

/** Attributes no PATCH may write: the server's own (RFC 7643 §3.1) and the computed `groups`. */
const READ_ONLY = new Set(['id', 'meta', 'groups', 'schemas']);

/**
 * Applies `ops` to a copy of `resource` and returns it. Semantics of RFC 7644 §3.5.2.1-3, with the leniency real
 * clients need: removing something absent is a no-op; `add`/`replace` through an `eq` filter that matches nothing
 * creates the element (`emails[type eq "work"].value` on a user with no work email).
 *
 * @example
 * ```ts
 * applyPatch({ userName: 'a', active: true }, [{ op: 'replace', value: { active: false } }])
 * // { userName: 'a', active: false }
 * ```
 */
export function applyPatch(
  resource: JsonObject,
  ops: readonly PatchOperation[],
  schemas: readonly string[],
): JsonObject {
  const out = structuredClone(resource);
  for (const op of ops) {
    if (op.path === undefined) {
      if (!isObject(op.value)) {
        throw new ScimHttpError(400, 'invalidValue', `An ${op.op} without a path needs an object value.`);
      }
      for (const [k, v] of Object.entries(op.value)) {
        // Okta's group rename sends the id along ({"id": …, "displayName": …}); like a POST's, it is ignored.
        if (IGNORED_IN_VALUE.has(k.toLowerCase())) continue;
        if (/^urn:/i.test(k) && schemas.some((s) => s.toLowerCase() === k.toLowerCase()) && isObject(v)) {
          for (const [sk, sv] of Object.entries(v)) {
            applyOne(out, { op: op.op, path: parsePath(`${k}:${sk}`, schemas), value: sv });
          }
        } else {
          applyOne(out, { op: op.op, path: parsePath(k, schemas), value: v });
        }
      }
    } else {
      applyOne(out, { ...op, path: op.path });
    }
  }
  return out;
}

function applyOne(resource: JsonObject, op: PatchOperation & { path: PatchPath }): void {
  const { path } = op;
  // A password is write-only and never stored (claimmap authenticates through the IdP): dropped.
  if (path.schema === undefined && path.attr?.toLowerCase() === 'password') return;
  if (path.schema === undefined && path.attr !== undefined && READ_ONLY.has(path.attr.toLowerCase())) {
    throw new ScimHttpError(400, 'mutability', `The attribute "${path.attr}" is read-only.`);
  }
  // The object that holds the attribute: the resource, or its extension object.
  let holder: JsonObject | undefined = resource;
  if (path.schema !== undefined) {
    const k = keyOf(resource, path.schema);
    const ext = resource[k];
    if (path.attr === undefined) {
      setValue(resource, k, op);
      return;
    }
    if (isObject(ext)) holder = ext;
    else if (op.op === 'remove') holder = undefined;
    else {
      holder = {};
      resource[k] = holder;
    }
  }
  if (holder === undefined || path.attr === undefined) return;
  const key = keyOf(holder, path.attr);
  if (path.filter === undefined) {
    if (path.sub === undefined) {
      setValue(holder, key, op);
      return;
    }
    let parent = holder[key];
    if (!isObject(parent)) {
      if (op.op === 'remove') return;
      if (parent !== undefined && parent !== null)
        throw invalidPath(path.text, 'reaches into a value that is not complex');
      parent = {};
      holder[key] = parent;
    }
    setValue(parent, keyOf(parent, path.sub), op);
    return;
  }
  // A value path: the elements of a multi-valued attribute that match the filter.
  const list = holder[key];
  const test = compileFilter(path.filter) as (r: unknown) => boolean;
  const matching = Array.isArray(list) ? list.filter((el) => isObject(el) && test(el)) : [];
  if (list !== undefined && !Array.isArray(list))
    throw invalidPath(path.text, 'filters an attribute that is not multi-valued');
  if (op.op === 'remove') {
    if (!Array.isArray(list)) return;
    if (path.sub === undefined) holder[key] = list.filter((el) => !matching.includes(el));
    else for (const el of matching as JsonObject[]) delete el[keyOf(el, path.sub)];
    return;
  }
  if (matching.length === 0) {
    const seed = eqTerms(path.filter);
    if (seed === undefined)
      throw new ScimHttpError(400, 'noTarget', `The path "${printable(path.text)}" matches nothing.`);
    const created: JsonObject = { ...seed };
    if (path.sub === undefined) {
      if (!isObject(op.value))
        throw new ScimHttpError(400, 'invalidValue', `The value for "${printable(path.text)}" must be an object.`);
      Object.assign(created, op.value);
    } else created[path.sub] = op.value as JsonValue;
    holder[key] = [...(Array.isArray(list) ? list : []), created];
    return;
  }
  for (const el of matching as JsonObject[]) {
    if (path.sub === undefined) {
      if (!isObject(op.value))
        throw new ScimHttpError(400, 'invalidValue', `The value for "${printable(path.text)}" must be an object.`);
      Object.assign(el, op.value);
    } else el[keyOf(el, path.sub)] = op.value as JsonValue;
  }
}

/** Sets, merges, appends or deletes `holder[key]` as `op` says (RFC 7644 §3.5.2.1-3 without a filter). */
function setValue(holder: JsonObject, key: string, op: PatchOperation): void {
  const cur = holder[key];
  const value = op.value;
  if (op.op === 'remove') {
    if (value !== undefined && Array.isArray(cur)) {
      // Entra removes members with a value list: drop the elements equal to one sent (by `value` when present).
      const drop = Array.isArray(value) ? value : [value];
      holder[key] = cur.filter((el) => !drop.some((d) => sameElement(el, d)));
    } else delete holder[key];
    return;
  }
  if (value === undefined) return;
  if (op.op === 'add' && Array.isArray(cur)) {
    const add = Array.isArray(value) ? value : [value];
    holder[key] = [...cur, ...add.filter((v) => !cur.some((c) => sameElement(c, v)))];
    return;
  }
  if (isObject(cur) && isObject(value)) {
    holder[key] = { ...cur, ...value };
    return;
  }
  holder[key] = value;
}

/** Two elements of a multi-valued attribute are the same when their `value`s are, or when they are equal. */
function sameElement(a: JsonValue, b: JsonValue): boolean {
  if (isObject(a) && isObject(b) && a.value !== undefined && b.value !== undefined) return jsonEqual(a.value, b.value);
  return jsonEqual(a, b);
}

/** The attribute values an `eq` filter (or an `and` of them) pins, to create the element it describes. */
function eqTerms(f: Filter): JsonObject | undefined {
  if (f.op === 'eq' && ATTRNAME.test(f.attrPath)) return { [f.attrPath]: f.compValue };
  if (f.op === 'and') {
    const out: JsonObject = {};
    for (const g of f.filters) {
      const t = eqTerms(g);
      if (t === undefined) return undefined;
      Object.assign(out, t);
    }
    return out;
  }
  return undefined;
}

/**
 * A group PATCH split into its effect on membership and the operations on the group's other attributes.
 * `members` is either a delta (`add`, `remove`: user ids, applied in order, so the last word on an id wins) or,
 * when an operation replaced or cleared the whole list, `replace` with the final ids.
 */
export interface GroupPatch {
  add: string[];
  remove: string[];
  /** The whole new member list, when an operation replaced it (`add`/`remove` are then folded into it). */
  replace?: string[];
  /** Operations on the group's other attributes. */
  other: PatchOperation[];
}

/**
 * Splits a group PATCH into membership changes and other operations. `current` is the member list now (needed for
 * a remove by a filter other than `value eq`), `maxMembers` caps the ids one request may name (400 tooMany).
 *
 * @example
 * ```ts
 * splitGroupPatch([{ op: 'remove', path: parsePath('members[value eq "u1"]', []) }], [], 1000)
 * // { add: [], remove: ['u1'], other: [] }
 * ```
 */
export function splitGroupPatch(
  ops: readonly PatchOperation[],
  current: readonly string[],
  maxMembers: number,
): GroupPatch {
  const add = new Set<string>();
  const remove = new Set<string>();
  let replace: Set<string> | undefined;
  const other: PatchOperation[] = [];
  let named = 0;
  const count = (n: number) => {
    named += n;
    if (named > maxMembers) {
      throw new ScimHttpError(400, 'tooMany', `A request may name at most ${maxMembers} members.`);
    }
  };
  const doAdd = (ids: string[]) => {
    count(ids.length);
    for (const id of ids) {
      if (replace) replace.add(id);
      else {
        add.add(id);
        remove.delete(id);
      }
    }
  };
  const doRemove = (ids: string[]) => {
    count(ids.length);
    for (const id of ids) {
      if (replace) replace.delete(id);
      else {
        remove.add(id);
        add.delete(id);
      }
    }
  };
  const doReplace = (ids: string[]) => {
    count(ids.length);
    add.clear();
    remove.clear();
    replace = new Set(ids);
  };
  const isMembers = (p: PatchPath | undefined) =>
    p !== undefined && p.schema === undefined && p.attr?.toLowerCase() === 'members';
  for (const op of ops) {
    if (op.path === undefined && isObject(op.value)) {
      const mk = Object.keys(op.value).find((k) => k.toLowerCase() === 'members');
      if (mk !== undefined) {
        const ids = memberIds(op.value[mk]);
        if (op.op === 'add') doAdd(ids);
        else doReplace(ids);
        const rest = { ...op.value };
        delete rest[mk];
        if (Object.keys(rest).length > 0) other.push({ ...op, value: rest });
        continue;
      }
    }
    if (!isMembers(op.path) || op.path === undefined) {
      other.push(op);
      continue;
    }
    const p = op.path;
    if (p.sub !== undefined) throw invalidPath(p.text, 'names a sub-attribute of members, which are set whole');
    if (p.filter !== undefined) {
      if (op.op !== 'remove')
        throw invalidPath(p.text, 'filters members; only remove may (add and replace take a list)');
      const pinned = valueIds(p.filter);
      if (pinned !== undefined) doRemove(pinned);
      else {
        const test = compileFilter(p.filter) as (r: unknown) => boolean;
        const base = replace ? [...replace] : current;
        doRemove(base.filter((id) => test({ value: id })));
      }
      continue;
    }
    if (op.op === 'add') doAdd(memberIds(op.value));
    else if (op.op === 'replace') doReplace(memberIds(op.value));
    else if (op.value === undefined) doReplace([]);
    else doRemove(memberIds(op.value));
  }
  return {
    add: [...add],
    remove: [...remove],
    ...(replace === undefined ? {} : { replace: [...(replace as Set<string>)] }),
    other,
  };
}

/** The ids of a members value: `[{ "value": "id" }, …]` (a single object is accepted too). */
export function memberIds(value: JsonValue | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map((m, i) => {
    const v = isObject(m) ? m[keyOf(m, 'value')] : undefined;
    if (typeof v !== 'string' || v === '') {
      throw new ScimHttpError(400, 'invalidValue', `members[${i}] needs a "value" holding a member id.`);
    }
    return v;
  });
}

/** The ids of `value eq "a"` or `value eq "a" or value eq "b"`, or undefined for any other filter. */
function valueIds(f: Filter): string[] | undefined {
  if (f.op === 'eq' && f.attrPath.toLowerCase() === 'value' && typeof f.compValue === 'string') return [f.compValue];
  if (f.op === 'or') {
    const out: string[] = [];
    for (const g of f.filters) {
      const ids = valueIds(g);
      if (ids === undefined) return undefined;
      out.push(...ids);
    }
    return out;
  }
  return undefined;
}
