/**
 * SCIM bearer tokens, one per IdP connection: created with 32 random bytes and shown once, stored as their SHA-256
 * only (`scim_tokens`), compared in constant time, revoked by name. Creating, revoking and every refused SCIM call
 * are audit events under the issuer {@link SCIM_AUDIT_ISSUER}.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { inTx, toDate, type Store } from '../store.js';
import type { ScimTokenRecord } from '../types.js';

/**
 * The issuer recorded on the audit events of SCIM tokens and refused SCIM calls (they belong to no IdP account;
 * their subject is the token name, or empty when no token was recognised).
 *
 * @example
 * ```ts
 * const refused = await listAudit(store, { key: { issuer: SCIM_AUDIT_ISSUER, subject: '' } });
 * ```
 */
export const SCIM_AUDIT_ISSUER = 'urn:claimmap:scim';

/** The prefix of every token claimmap creates, so secret scanners and people recognise one. */
const TOKEN_PREFIX = 'cmscim_';

/**
 * Longest token name.
 *
 * @example
 * ```ts
 * if (name.length > MAX_SCIM_TOKEN_NAME_LENGTH) throw new Error('name too long');
 * ```
 */
export const MAX_SCIM_TOKEN_NAME_LENGTH = 64;

/**
 * Whether `name` is a usable token name: 1 to 64 characters of `A-Z a-z 0-9 . _ -`, starting with a letter or
 * digit (it is printed, logged and audited as `scim:<name>`).
 *
 * @example
 * ```ts
 * isScimTokenName('okta-prod') // true
 * isScimTokenName('okta prod') // false
 * ```
 */
export function isScimTokenName(name: string): boolean {
  return (
    typeof name === 'string' && name.length <= MAX_SCIM_TOKEN_NAME_LENGTH && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)
  );
}

/**
 * The lower-case hex SHA-256 of a token's UTF-8 bytes, as `scim_tokens.hash` stores it.
 *
 * @example
 * ```ts
 * hashScimToken('cmscim_...').length // 64
 * ```
 */
export function hashScimToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * A new random token: `cmscim_` and 32 random bytes in base64url (43 characters).
 *
 * @example
 * ```ts
 * const token = generateScimToken(); // 'cmscim_Zk3…'
 * ```
 */
export function generateScimToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * Options of the token functions: the clock (tests).
 *
 * @example
 * ```ts
 * await createScimToken(store, 'okta', { now: '2026-11-01T09:00:00Z' } satisfies ScimTokenOptions);
 * ```
 */
export interface ScimTokenOptions {
  now?: Date | string;
}

/**
 * The result of {@link createScimToken}: the token in clear, which is never stored and cannot be read again.
 *
 * @example
 * ```ts
 * const { token }: CreatedScimToken = await createScimToken(store, 'okta-prod');
 * ```
 */
export interface CreatedScimToken {
  name: string;
  token: string;
  createdAt: string;
}

function checkName(name: string, what: string): void {
  if (!isScimTokenName(name)) {
    throw new TypeError(
      `${what}: a token name is 1 to ${MAX_SCIM_TOKEN_NAME_LENGTH} characters of A-Z a-z 0-9 . _ - (got ${JSON.stringify(name)})`,
    );
  }
}

/**
 * Creates a token named `name`, stores its hash and audits it (`scim-token-created`, actor `cli` unless given).
 * A name already used (even by a revoked token) is `store/conflict`: revoked names are kept for the audit trail.
 *
 * @example
 * ```ts
 * const { token } = await createScimToken(store, 'okta-prod');
 * console.log(token); // give it to Okta; it is not shown again
 * ```
 */
export async function createScimToken(
  store: Store,
  name: string,
  options: ScimTokenOptions & { actor?: string } = {},
): Promise<CreatedScimToken> {
  checkName(name, 'createScimToken');
  const at = toDate(options.now, 'createScimToken').toISOString();
  const token = generateScimToken();
  await inTx(store, async (tx) => {
    await tx.insertScimToken({ name, hash: hashScimToken(token), createdAt: at, revokedAt: null });
    await tx.appendAudit(tokenEvent('scim-token-created', name, options.actor ?? 'cli', at));
  });
  return { name, token, createdAt: at };
}

/**
 * Revokes the token named `name` (from then on it is refused with 401) and audits it. Returns false, writing
 * nothing, when there is no such token or it is already revoked.
 *
 * @example
 * ```ts
 * if (!(await revokeScimToken(store, 'okta-prod'))) console.error('no such live token');
 * ```
 */
export async function revokeScimToken(
  store: Store,
  name: string,
  options: ScimTokenOptions & { actor?: string } = {},
): Promise<boolean> {
  checkName(name, 'revokeScimToken');
  const at = toDate(options.now, 'revokeScimToken').toISOString();
  return inTx(store, async (tx) => {
    if (!(await tx.revokeScimToken(name, at))) return false;
    await tx.appendAudit(tokenEvent('scim-token-revoked', name, options.actor ?? 'cli', at));
    return true;
  });
}

/**
 * Every stored token record (names, dates; never a token), revoked ones included, ordered by name.
 *
 * @example
 * ```ts
 * for (const t of await listScimTokens(store)) console.log(t.name, t.revokedAt ?? 'live');
 * ```
 */
export async function listScimTokens(store: Store): Promise<ScimTokenRecord[]> {
  return inTx(store, (tx) => tx.listScimTokens());
}

/**
 * Why a bearer token was not accepted: none sent (or not a Bearer credential), not a token of this store, or a
 * revoked one.
 *
 * @example
 * ```ts
 * const why: ScimAuthFailure = 'revoked';
 * ```
 */
export type ScimAuthFailure = 'missing' | 'unknown' | 'revoked';

/**
 * The outcome of checking a bearer token: the token's name, or why it was refused (and, for a revoked token, its
 * name).
 *
 * @example
 * ```ts
 * const r: ScimAuthResult = await verifyScimToken(store, token);
 * if (!r.ok) res.statusCode = 401;
 * ```
 */
export type ScimAuthResult = { ok: true; name: string } | { ok: false; reason: ScimAuthFailure; name?: string };

/**
 * Finds which of `records` has the SHA-256 of `token`, comparing every stored hash with `crypto.timingSafeEqual`
 * and never stopping early, so the time taken does not depend on where (or whether) a hash matched.
 *
 * @example
 * ```ts
 * matchScimToken(await listScimTokens(store), presented) // { ok: true, name: 'okta-prod' } | { ok: false, ... }
 * ```
 */
export function matchScimToken(records: readonly ScimTokenRecord[], token: string | undefined): ScimAuthResult {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  const presented = createHash('sha256').update(token, 'utf8').digest();
  let found: ScimTokenRecord | undefined;
  for (const r of records) {
    const stored = Buffer.from(r.hash, 'hex');
    if (stored.length === presented.length && timingSafeEqual(stored, presented) && found === undefined) found = r;
  }
  if (found === undefined) return { ok: false, reason: 'unknown' };
  if (found.revokedAt !== null) return { ok: false, reason: 'revoked', name: found.name };
  return { ok: true, name: found.name };
}

/**
 * Checks a bearer token against the store's tokens ({@link matchScimToken}); one read transaction.
 *
 * @example
 * ```ts
 * const r = await verifyScimToken(store, bearer);
 * if (r.ok) console.log(`scim:${r.name}`);
 * ```
 */
export async function verifyScimToken(store: Store, token: string | undefined): Promise<ScimAuthResult> {
  if (token === undefined || token === '') return { ok: false, reason: 'missing' };
  return matchScimToken(await listScimTokens(store), token);
}

/**
 * Records a refused SCIM call: action `scim-unauthenticated`, actor `scim:<name>` for a revoked token and
 * `scim:unauthenticated` otherwise, with the reason, the method and the path (never the token, a header or a body).
 *
 * @example
 * ```ts
 * await auditScimUnauthenticated(store, { reason: 'unknown', method: 'GET', path: '/scim/v2/Users' });
 * ```
 */
export async function auditScimUnauthenticated(
  store: Store,
  refusal: { reason: ScimAuthFailure; name?: string; method: string; path: string },
  options: ScimTokenOptions = {},
): Promise<string> {
  const at = toDate(options.now, 'auditScimUnauthenticated').toISOString();
  const messages: Record<ScimAuthFailure, string> = {
    missing: 'no bearer token',
    unknown: 'a bearer token that is not one of this store',
    revoked: 'a revoked bearer token',
  };
  return inTx(store, (tx) =>
    tx.appendAudit({
      at,
      action: 'scim-unauthenticated',
      issuer: SCIM_AUDIT_ISSUER,
      subject: refusal.name ?? '',
      accountId: null,
      actor: refusal.name === undefined ? 'scim:unauthenticated' : `scim:${refusal.name}`,
      reason: {
        code: `scim/${refusal.reason === 'missing' ? 'no-token' : refusal.reason === 'unknown' ? 'unknown-token' : 'revoked-token'}`,
        message: `${refusal.method} ${refusal.path}: ${messages[refusal.reason]}`,
      },
      changes: [],
      rules: [],
      mapping: null,
    }),
  );
}

function tokenEvent(action: 'scim-token-created' | 'scim-token-revoked', name: string, actor: string, at: string) {
  return {
    at,
    action,
    issuer: SCIM_AUDIT_ISSUER,
    subject: name,
    accountId: null,
    actor,
    reason: null,
    changes: [],
    rules: [],
    mapping: null,
  };
}
