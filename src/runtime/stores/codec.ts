/**
 * Row ↔ record conversion shared by the SQL stores. Store contents are untrusted: every column is checked, and
 * anything that does not decode is a `store/corrupt-record` error naming the row and column, never a crash.
 */
import type { ScimGroupRow, ScimUserRow } from '../scim/store-types.js';
import type { JsonValue } from '../../model/claim-set.js';
import { RuntimeError } from '../errors.js';
import type { AccountRecord } from '../store.js';
import { sortRoleNames } from '../summary.js';
import type {
  Account,
  AccountStatus,
  AccountSummary,
  AuditAction,
  AuditEvent,
  Change,
  ClaimSnapshot,
  Grant,
  ScimTokenRecord,
  UniqueEntry,
} from '../types.js';

export interface AccountRow {
  id: unknown;
  issuer: unknown;
  subject: unknown;
  status: unknown;
  profile: unknown;
  last_seen_claims: unknown;
  mapping_digest: unknown;
  mapping_version: unknown;
  last_login_at: unknown;
  last_issued_at: unknown;
  created_at: unknown;
  updated_at: unknown;
  version: unknown;
}

export interface GrantRow {
  kind: unknown;
  name: unknown;
  source: unknown;
  provenance: unknown;
  granted_at: unknown;
}

export interface AuditRow {
  id: unknown;
  at: unknown;
  action: unknown;
  issuer: unknown;
  subject: unknown;
  account_id: unknown;
  actor: unknown;
  data: unknown;
}

const STATUSES: readonly AccountStatus[] = ['active', 'suspended', 'deprovisioned'];
const ACTIONS: readonly AuditAction[] = [
  'created',
  'updated',
  'unchanged',
  'refused',
  'conflict',
  'deprovisioned',
  'suspended',
  'reactivated',
  'granted',
  'revoked',
  'scim-token-created',
  'scim-token-revoked',
  'scim-unauthenticated',
];
const CHANGE_FIELDS: readonly Change['field'][] = ['profile', 'role', 'entitlement', 'status', 'subject', 'mapping'];
const CHANGE_OPS: readonly Change['op'][] = ['add', 'remove', 'change'];

function corrupt(path: string, what: string, cause?: unknown): RuntimeError {
  return new RuntimeError('store/corrupt-record', `Stored record ${path} is corrupt: ${what}.`, {
    position: { path },
    hint: 'Restore the row from a backup, or delete the account and let the next login recreate it.',
    ...(cause === undefined ? {} : { cause }),
  });
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw corrupt(path, `expected a string, got ${typeof v}`);
  return v;
}

function strOrNull(v: unknown, path: string): string | null {
  return v === null || v === undefined ? null : str(v, path);
}

/**
 * The form `Date.prototype.toISOString` writes for years 0000-9999, with fields in range (the day up to 31 in
 * every month, as Date.parse accepts it): every string of this form parses (tested), so a stored instant of it
 * needs no Date.parse, a tenth of the cost.
 */
const CANONICAL_INSTANT = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Whether a stored text is an instant: Date.parse reads it (the canonical form is checked without parsing).
 *
 * @example
 * ```ts
 * isInstant('2026-01-01T00:00:00.000Z') // true
 * isInstant('yesterday') // false
 * ```
 */
export function isInstant(s: string): boolean {
  return CANONICAL_INSTANT.test(s) || !Number.isNaN(Date.parse(s));
}

function isoOrNull(v: unknown, path: string): string | null {
  const s = strOrNull(v, path);
  if (s !== null && !isInstant(s)) throw corrupt(path, 'not an ISO 8601 instant');
  return s;
}

function iso(v: unknown, path: string): string {
  const s = isoOrNull(v, path);
  if (s === null) throw corrupt(path, 'missing instant');
  return s;
}

function int(v: unknown, path: string): number {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw corrupt(path, 'expected a non-negative integer');
  return n;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/**
 * Parses a JSON text column; objects come back with a null prototype so a stored `__proto__` key stays data.
 *
 * @example
 * ```ts
 * parseJsonColumn(row.profile, `accounts/${id}/profile`) // throws store/corrupt-record on bad JSON
 * ```
 */
export function parseJsonColumn(v: unknown, path: string): unknown {
  return nullProto(parseJsonText(v, path));
}

/** JSON.parse of a text column (plain prototypes: for values that are validated and copied field by field). */
function parseJsonText(v: unknown, path: string): unknown {
  const text = str(v, path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw corrupt(path, 'invalid JSON', e);
  }
}

/**
 * Gives every object of a freshly parsed JSON value a null prototype, in place for arrays. A walk instead of a
 * JSON.parse reviver: V8's reviver path is several times slower, and this runs on every login. JSON.parse defines
 * `__proto__` as an own data property, so copying own keys keeps it as data.
 */
function nullProto(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'object' && x !== null) v[i] = nullProto(x);
    }
    return v;
  }
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of Object.keys(v)) out[k] = nullProto((v as Record<string, unknown>)[k]);
  return out;
}

function jsonObject(v: unknown, path: string): Record<string, JsonValue> {
  const parsed = parseJsonColumn(v, path);
  if (!isPlainObject(parsed)) throw corrupt(path, 'expected a JSON object');
  return parsed as Record<string, JsonValue>;
}

function decodeSnapshot(v: unknown, path: string): ClaimSnapshot | null {
  if (v === null || v === undefined) return null;
  const o = parseJsonColumn(v, path);
  if (
    !isPlainObject(o) ||
    typeof o.protocol !== 'string' ||
    typeof o.issuer !== 'string' ||
    typeof o.subject !== 'string' ||
    !(o.issuedAt === null || typeof o.issuedAt === 'string') ||
    !isPlainObject(o.claims) ||
    !(o.omitted === undefined || (typeof o.omitted === 'number' && Number.isSafeInteger(o.omitted))) ||
    !(o.subjectFormat === undefined || typeof o.subjectFormat === 'string') ||
    !(
      o.aliases === undefined ||
      (isPlainObject(o.aliases) && Object.values(o.aliases).every((x) => typeof x === 'string'))
    ) ||
    !(
      o.indeterminate === undefined ||
      (Array.isArray(o.indeterminate) && o.indeterminate.every((x) => typeof x === 'string'))
    )
  ) {
    throw corrupt(path, 'not a claim snapshot');
  }
  return o as unknown as ClaimSnapshot;
}

/** A stored account status: one of {@link STATUSES}, else `store/corrupt-record` at `path`. */
function accountStatus(v: unknown, path: string): AccountStatus {
  const status = str(v, path);
  if (!(STATUSES as readonly string[]).includes(status)) throw corrupt(path, `unknown status "${status}"`);
  return status as AccountStatus;
}

/**
 * Decodes an `accounts` row (without grants).
 *
 * @example
 * ```ts
 * const rec = decodeAccountRow(db.prepare('SELECT * FROM accounts WHERE id = ?').get(id) as AccountRow);
 * ```
 */
export function decodeAccountRow(row: AccountRow): AccountRecord {
  const id = str(row.id, 'accounts/?/id');
  const p = `accounts/${id}`;
  const status = accountStatus(row.status, `${p}/status`);
  return {
    id,
    issuer: str(row.issuer, `${p}/issuer`),
    subject: str(row.subject, `${p}/subject`),
    status,
    profile: jsonObject(row.profile, `${p}/profile`),
    lastSeenClaims: decodeSnapshot(row.last_seen_claims, `${p}/last_seen_claims`),
    mappingDigest: strOrNull(row.mapping_digest, `${p}/mapping_digest`),
    mappingVersion: strOrNull(row.mapping_version, `${p}/mapping_version`),
    lastLoginAt: isoOrNull(row.last_login_at, `${p}/last_login_at`),
    lastIssuedAt: isoOrNull(row.last_issued_at, `${p}/last_issued_at`),
    createdAt: iso(row.created_at, `${p}/created_at`),
    updatedAt: iso(row.updated_at, `${p}/updated_at`),
    version: int(row.version, `${p}/version`),
  };
}

/**
 * Decodes a row of a summary read (StoreTx.listAccountSummaries) as an array: id, issuer, subject, status,
 * last_login_at, and the account's role names: SQLite's text of names each after a U+0000 (SQLITE_ROLE_NAMES:
 * `''` for none), PostgreSQL's array (the driver's parse of a JSON array). Anything else, a text that does not
 * start with U+0000 or a `NULL` (a name SQLite found corrupt), is `store/corrupt-record`. Only these columns are
 * read and checked: a summary never decodes the profile, the claim snapshot or provenance.
 *
 * @example
 * ```ts
 * decodeSummaryRow(['a1', 'https://idp', '00u1', 'active', null, '\0viewer\0admin']).roles // ['admin', 'viewer']
 * ```
 */
export function decodeSummaryRow(row: readonly unknown[]): AccountSummary {
  const [id, issuer, subject, status, lastLoginAt] = row;
  // The checks of decodeAccountRow's columns, with each error's path built only when there is an error (a table of
  // 100,000 accounts decodes 100,000 rows).
  if (
    typeof id !== 'string' ||
    typeof issuer !== 'string' ||
    typeof subject !== 'string' ||
    !(STATUSES as readonly unknown[]).includes(status) ||
    !(lastLoginAt === null || lastLoginAt === undefined || (typeof lastLoginAt === 'string' && isInstant(lastLoginAt)))
  ) {
    const rowId = str(id, 'accounts/?/id');
    const p = `accounts/${rowId}`;
    accountStatus(status, `${p}/status`);
    str(issuer, `${p}/issuer`);
    str(subject, `${p}/subject`);
    isoOrNull(lastLoginAt, `${p}/last_login_at`);
  }
  return {
    id: id as string,
    issuer: issuer as string,
    subject: subject as string,
    status: status as AccountStatus,
    lastLoginAt: (lastLoginAt ?? null) as string | null,
    roles: summaryRoles(row[5], id as string),
  };
}

/** The role names of a summary row (see {@link decodeSummaryRow}), in sorted-grant order. */
function summaryRoles(stored: unknown, id: string): string[] {
  let roles: unknown;
  if (typeof stored === 'string') {
    if (stored === '') return [];
    if (stored.charCodeAt(0) !== 0) throw corrupt(`grants/${id}/name`, 'not a list of role names');
    roles = stored.slice(1).split('\u0000');
  } else roles = stored;
  if (!isStringArray(roles)) throw corrupt(`grants/${id}/name`, 'a role name is not a string');
  return sortedRoleNames(roles);
}

/**
 * `names` in sortRoleNames order: as they are when already in it (SQLite reads them from the grants index in UTF-8
 * byte order, which is the same order unless a name holds characters above U+FFFF), else sorted.
 */
function sortedRoleNames(names: string[]): string[] {
  for (let i = 1; i < names.length; i++) {
    if ((names[i] as string) < (names[i - 1] as string)) return sortRoleNames(names);
  }
  return names;
}

/**
 * Decodes a `grants` row of account `accountId`.
 *
 * @example
 * ```ts
 * const grants = rows.map((r) => decodeGrantRow(r, rec.id));
 * ```
 */
export function decodeGrantRow(row: GrantRow, accountId: string): Grant {
  const name = str(row.name, `grants/${accountId}/name`);
  const p = `grants/${accountId}/${name}`;
  const kind = str(row.kind, `${p}/kind`);
  if (kind !== 'role' && kind !== 'entitlement') throw corrupt(`${p}/kind`, `unknown kind "${kind}"`);
  const source = str(row.source, `${p}/source`);
  if (source === 'mapping') {
    const prov = mappingProvenance(row.provenance, `${p}/provenance`);
    return {
      kind,
      name,
      grantedAt: iso(row.granted_at, `${p}/granted_at`),
      source: 'mapping',
      rules: [...prov.rules],
      mappingDigest: prov.mappingDigest,
      mappingVersion: prov.mappingVersion,
    };
  }
  if (source !== 'manual') throw corrupt(`${p}/source`, `unknown source "${source}"`);
  // Validated and copied field by field (no field read is an Object.prototype member): a plain parse is enough.
  const prov = parseJsonText(row.provenance, `${p}/provenance`);
  if (!isPlainObject(prov)) throw corrupt(`${p}/provenance`, 'expected a JSON object');
  if (
    !(prov.actor === undefined || typeof prov.actor === 'string') ||
    !(prov.note === undefined || typeof prov.note === 'string')
  ) {
    throw corrupt(`${p}/provenance`, 'not a manual provenance');
  }
  return {
    kind,
    name,
    grantedAt: iso(row.granted_at, `${p}/granted_at`),
    source: 'manual',
    ...(prov.actor === undefined ? {} : { actor: prov.actor }),
    ...(prov.note === undefined ? {} : { note: prov.note }),
  };
}

type MappingProvenance = Readonly<{ rules: readonly string[]; mappingDigest: string; mappingVersion: string | null }>;

/**
 * Decoded mapping provenances by their stored text. A returning login decodes every grant of the account, and the
 * texts repeat across grants and accounts (same rules, same plan digest), so most decodes are a lookup. Only
 * texts that decoded and validated are kept (frozen; callers get a copy of `rules`); the map is emptied when it
 * reaches {@link PROVENANCE_CACHE_SIZE} entries.
 */
const provenanceCache = new Map<string, MappingProvenance>();
const PROVENANCE_CACHE_SIZE = 1024;

function mappingProvenance(v: unknown, path: string): MappingProvenance {
  if (typeof v === 'string') {
    const hit = provenanceCache.get(v);
    if (hit !== undefined) return hit;
  }
  const prov = parseJsonText(v, path);
  if (
    !isPlainObject(prov) ||
    !isStringArray(prov.rules) ||
    typeof prov.mappingDigest !== 'string' ||
    !(prov.mappingVersion === null || typeof prov.mappingVersion === 'string')
  ) {
    throw corrupt(path, isPlainObject(prov) ? 'not a mapping provenance' : 'expected a JSON object');
  }
  const out: MappingProvenance = Object.freeze({
    rules: Object.freeze([...prov.rules]),
    mappingDigest: prov.mappingDigest,
    mappingVersion: prov.mappingVersion,
  });
  if (provenanceCache.size >= PROVENANCE_CACHE_SIZE) provenanceCache.clear();
  provenanceCache.set(v as string, out);
  return out;
}

/**
 * The provenance column of a grant (everything but kind, name, source and grantedAt).
 *
 * @example
 * ```ts
 * encodeProvenance({ kind: 'role', name: 'admin', grantedAt, source: 'manual', actor: 'ops' }) // '{"actor":"ops"}'
 * ```
 */
export function encodeProvenance(g: Grant): string {
  if (g.source === 'mapping') {
    return JSON.stringify({ rules: g.rules, mappingDigest: g.mappingDigest, mappingVersion: g.mappingVersion });
  }
  return JSON.stringify({
    ...(g.actor === undefined ? {} : { actor: g.actor }),
    ...(g.note === undefined ? {} : { note: g.note }),
  });
}

/**
 * Decodes a unique-index row.
 *
 * @example
 * ```ts
 * decodeUniqueRow({ account_id: 'a1', field: 'email', value: 'j@x', verified: 1 }).entry.verified // true
 * ```
 */
export function decodeUniqueRow(row: { account_id: unknown; field: unknown; value: unknown; verified: unknown }): {
  accountId: string;
  entry: UniqueEntry;
} {
  const accountId = str(row.account_id, 'account_unique/?/account_id');
  const p = `account_unique/${accountId}`;
  const verified = row.verified;
  if (!(verified === 0 || verified === 1 || verified === true || verified === false)) {
    throw corrupt(`${p}/verified`, 'expected a boolean');
  }
  return {
    accountId,
    entry: {
      field: str(row.field, `${p}/field`),
      value: str(row.value, `${p}/value`),
      verified: verified === 1 || verified === true,
    },
  };
}

function decodeChanges(v: unknown, path: string): Change[] {
  if (!Array.isArray(v)) throw corrupt(path, 'expected an array of changes');
  return v.map((c, i) => {
    if (
      !isPlainObject(c) ||
      !(CHANGE_FIELDS as readonly unknown[]).includes(c.field) ||
      !(CHANGE_OPS as readonly unknown[]).includes(c.op) ||
      typeof c.name !== 'string' ||
      !(c.rules === undefined || isStringArray(c.rules))
    ) {
      throw corrupt(`${path}/${i}`, 'not a change');
    }
    return c as unknown as Change;
  });
}

/**
 * The data column of an audit event (everything not in its own column).
 *
 * @example
 * ```ts
 * insert.run(id, e.at, e.action, e.issuer, e.subject, e.accountId, e.actor, encodeAuditData(e));
 * ```
 */
export function encodeAuditData(e: Omit<AuditEvent, 'id'>): string {
  return JSON.stringify({ reason: e.reason, changes: e.changes, rules: e.rules, mapping: e.mapping });
}

/**
 * Decodes an `audit_events` row.
 *
 * @example
 * ```ts
 * const events = (stmt.all(limit) as AuditRow[]).map(decodeAuditRow);
 * ```
 */
export function decodeAuditRow(row: AuditRow): AuditEvent {
  const id = str(row.id, 'audit_events/?/id');
  const p = `audit_events/${id}`;
  const action = str(row.action, `${p}/action`);
  if (!(ACTIONS as readonly string[]).includes(action)) throw corrupt(`${p}/action`, `unknown action "${action}"`);
  const data = parseJsonColumn(row.data, `${p}/data`);
  if (!isPlainObject(data)) throw corrupt(`${p}/data`, 'expected a JSON object');
  const reason = data.reason;
  if (
    !(
      reason === null ||
      (isPlainObject(reason) && typeof reason.code === 'string' && typeof reason.message === 'string')
    )
  ) {
    throw corrupt(`${p}/data/reason`, 'not a reason');
  }
  const mapping = data.mapping;
  if (
    !(
      mapping === null ||
      (isPlainObject(mapping) &&
        typeof mapping.name === 'string' &&
        typeof mapping.digest === 'string' &&
        (mapping.version === null || typeof mapping.version === 'string'))
    )
  ) {
    throw corrupt(`${p}/data/mapping`, 'not a mapping reference');
  }
  if (!isStringArray(data.rules)) throw corrupt(`${p}/data/rules`, 'expected an array of rule ids');
  return {
    id,
    at: iso(row.at, `${p}/at`),
    action: action as AuditAction,
    issuer: str(row.issuer, `${p}/issuer`),
    subject: str(row.subject, `${p}/subject`),
    accountId: strOrNull(row.account_id, `${p}/account_id`),
    actor: str(row.actor, `${p}/actor`),
    reason: reason === null ? null : { code: reason.code as string, message: reason.message as string },
    changes: decodeChanges(data.changes, `${p}/data/changes`),
    rules: [...data.rules],
    mapping:
      mapping === null
        ? null
        : { name: mapping.name as string, version: mapping.version as string | null, digest: mapping.digest as string },
  };
}

/**
 * Joins an account record and its grants.
 *
 * @example
 * ```ts
 * const account = withGrants(decodeAccountRow(row), grants);
 * ```
 */
export function withGrants(record: AccountRecord, grants: Grant[]): Account {
  return accountOf(record, sortGrants(grants));
}

/**
 * The account of a record and its grants, already in {@link sortGrants} order. Built field by field, in the order a
 * store decodes a record and with the grants last (the order JSON output shows): one object shape for every account,
 * and nothing of `record` beyond its fields.
 *
 * @example
 * ```ts
 * const account = accountOf(record, sortGrants(grants));
 * ```
 */
export function accountOf(record: AccountRecord, grants: Grant[]): Account {
  return {
    id: record.id,
    issuer: record.issuer,
    subject: record.subject,
    status: record.status,
    profile: record.profile,
    lastSeenClaims: record.lastSeenClaims,
    mappingDigest: record.mappingDigest,
    mappingVersion: record.mappingVersion,
    lastLoginAt: record.lastLoginAt,
    lastIssuedAt: record.lastIssuedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
    grants,
  };
}

/**
 * Grants in a stable order: kind, name, source.
 *
 * @example
 * ```ts
 * sortGrants(grants).map((g) => g.name)
 * ```
 */
export function sortGrants(grants: Grant[]): Grant[] {
  return [...grants].sort(compareGrants);
}

/**
 * Orders grants by kind, then name, then source (UTF-16 code units, like `<` on strings): the order of
 * {@link sortGrants}.
 *
 * @example
 * ```ts
 * grants.sort(compareGrants);
 * ```
 */
export function compareGrants(a: Grant, b: Grant): number {
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  return 0;
}

/** A `scim_tokens` row as the drivers return it (SQLite and PostgreSQL: the same TEXT columns). */
export interface ScimTokenRow {
  name: unknown;
  hash: unknown;
  created_at: unknown;
  revoked_at: unknown;
}

/**
 * Decodes a `scim_tokens` row; a malformed one is `store/corrupt-record` (a token that does not decode never
 * authenticates).
 *
 * @example
 * ```ts
 * const tokens = rows.map(decodeScimTokenRow);
 * ```
 */
export function decodeScimTokenRow(row: ScimTokenRow): ScimTokenRecord {
  const p = '/scim_tokens';
  const name = str(row.name, `${p}/name`);
  const hash = str(row.hash, `${p}/${name}/hash`);
  if (!/^[0-9a-f]{64}$/.test(hash)) throw corrupt(`${p}/${name}/hash`, 'not a hex SHA-256');
  const createdAt = isoOrNull(row.created_at, `${p}/${name}/created_at`);
  if (createdAt === null) throw corrupt(`${p}/${name}/created_at`, 'missing');
  return { name, hash, createdAt, revokedAt: isoOrNull(row.revoked_at, `${p}/${name}/revoked_at`) };
}

/**
 * Decodes a `scim_users` row (column names as stored).
 *
 * @example
 * ```ts
 * const user = decodeScimUserRow(db.prepare('SELECT * FROM scim_users WHERE id = ?').get(id) as Record<string, unknown>);
 * ```
 */
export function decodeScimUserRow(row: Record<string, unknown>): ScimUserRow {
  const id = str(row.id, 'scim_users/?/id');
  const p = `scim_users/${id}`;
  return {
    id,
    issuer: str(row.issuer, `${p}/issuer`),
    externalId: strOrNull(row.external_id, `${p}/external_id`),
    userName: str(row.user_name, `${p}/user_name`),
    displayName: strOrNull(row.display_name, `${p}/display_name`),
    resource: jsonObject(row.resource, `${p}/resource`),
    accountId: strOrNull(row.account_id, `${p}/account_id`),
    version: int(row.version, `${p}/version`),
    createdAt: iso(row.created_at, `${p}/created_at`),
    updatedAt: iso(row.updated_at, `${p}/updated_at`),
  };
}

/**
 * Decodes a `scim_groups` row (column names as stored).
 *
 * @example
 * ```ts
 * const group = decodeScimGroupRow(row as Record<string, unknown>);
 * ```
 */
export function decodeScimGroupRow(row: Record<string, unknown>): ScimGroupRow {
  const id = str(row.id, 'scim_groups/?/id');
  const p = `scim_groups/${id}`;
  return {
    id,
    issuer: str(row.issuer, `${p}/issuer`),
    externalId: strOrNull(row.external_id, `${p}/external_id`),
    displayName: str(row.display_name, `${p}/display_name`),
    resource: jsonObject(row.resource, `${p}/resource`),
    version: int(row.version, `${p}/version`),
    createdAt: iso(row.created_at, `${p}/created_at`),
    updatedAt: iso(row.updated_at, `${p}/updated_at`),
  };
}
