/**
 * Manual grants: roles and entitlements an administrator gives or takes away by hand. They carry
 * `{ source: 'manual', actor, note? }` and `provision()` never touches them (a mapping grant of the same name is a
 * second, separate grant). Each call is one store transaction with its audit event, like lifecycle calls.
 */
import { DEFAULT_MAX_NAME_LENGTH, describeNameProblem, nameProblem } from '../names/name.js';
import { RuntimeError, type RuntimeErrorCode } from './errors.js';
import { checkKey, inTx, toDate, type Store, type StoreTx } from './store.js';
import { sortGrants } from './stores/codec.js';
import type { Account, AccountKey, Change, Grant } from './types.js';

/**
 * Default of {@link ManualGrantInput.maxNameLength}: at most this many UTF-16 code units in a grant name.
 *
 * @example
 * ```ts
 * await grantManual(store, key, { kind: 'role', name, actor, maxNameLength: DEFAULT_MAX_GRANT_NAME_LENGTH / 2 });
 * ```
 */
export const DEFAULT_MAX_GRANT_NAME_LENGTH = DEFAULT_MAX_NAME_LENGTH;

/**
 * Default of {@link ManualGrantInput.maxNoteLength}: at most this many UTF-16 code units in a note.
 *
 * @example
 * ```ts
 * await grantManual(store, key, { kind: 'role', name, actor, note, maxNoteLength: DEFAULT_MAX_GRANT_NOTE_LENGTH * 2 });
 * ```
 */
export const DEFAULT_MAX_GRANT_NOTE_LENGTH = 1024;

/**
 * At most this many UTF-16 code units in an actor (not an option: actors are short identifiers).
 *
 * @example
 * ```ts
 * if (actor.length > MAX_GRANT_ACTOR_LENGTH) throw new TypeError('actor name too long');
 * ```
 */
export const MAX_GRANT_ACTOR_LENGTH = 256;

/**
 * What {@link grantManual} and {@link revokeManual} take. Every string field is untrusted input.
 *
 * @example
 * ```ts
 * const input: ManualGrantInput = { kind: 'role', name: 'oncall', actor: 'jane@example.com', note: 'INC-42' };
 * await grantManual(store, { issuer, subject }, input);
 * ```
 */
export interface ManualGrantInput {
  kind: 'role' | 'entitlement';
  /** The role or entitlement name: non-empty, no surrounding white space, no control or format characters. */
  name: string;
  /** Who does it (`runbook:jane`, `admin-ui:42`): required, same character rules as `name`. */
  actor: string;
  /** Why (a ticket, a sentence). Stored on the grant (grantManual) and in the audit event. */
  note?: string;
  now?: Date | string;
  /** Longest accepted `name`, in UTF-16 code units. Default 256. */
  maxNameLength?: number;
  /** Longest accepted `note`, in UTF-16 code units. Default 1024. */
  maxNoteLength?: number;
}

/**
 * The result of {@link grantManual} or {@link revokeManual}. `unchanged`: the account already held that manual grant
 * (nothing written but the audit event).
 *
 * @example
 * ```ts
 * const { action, grant }: ManualGrantResult = await revokeManual(store, key, { kind: 'role', name: 'oncall', actor });
 * console.log(action, grant.name); // 'revoked' 'oncall'
 * ```
 */
export interface ManualGrantResult {
  action: 'granted' | 'revoked' | 'unchanged';
  /** The account after the call. */
  account: Account;
  /** The manual grant added or removed; for `unchanged`, the one already held (with its original provenance). */
  grant: Grant;
  /** `[{ field: kind, op: 'add' | 'remove', name, rules: ['manual'] }]`, or `[]` when unchanged. */
  changes: Change[];
  /** The id of the audit event recorded for this call. */
  eventId: string;
}

// A note is free text: tab and line feed are allowed; other controls, lone surrogates and bidi controls are not.
const FORBIDDEN_IN_NOTE = /(?![\t\n])[\p{Cc}\p{Cs}\u202a-\u202e\u2066-\u2069]/u;

function invalid(code: RuntimeErrorCode, field: string, what: string): RuntimeError {
  return new RuntimeError(code, `The ${field} of the manual grant ${what}.`, { position: { path: field } });
}

function checkLimit(v: number | undefined, dflt: number, what: string): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`${what} must be a positive integer`);
  return n;
}

function checkIdentifier(value: unknown, field: 'name' | 'actor', max: number): string {
  const code = field === 'name' ? 'grant/invalid-name' : 'grant/invalid-actor';
  if (typeof value !== 'string') throw invalid(code, field, 'is missing or not a string');
  // The name rules mapping names follow too (src/names/name.ts): a name one accepts, the other accepts.
  const problem = nameProblem(value, max);
  if (problem !== null) throw invalid(code, field, describeNameProblem(problem, max));
  return value;
}

/**
 * Checks a manual grant request without touching a store: what {@link grantManual} and {@link revokeManual} do
 * first. Throws a {@link RuntimeError} (`grant/invalid-kind`, `grant/invalid-name`, `grant/invalid-actor`,
 * `grant/invalid-note`, with `position.path` naming the field) for bad input, TypeError for a bad `now` or limit.
 *
 * @example
 * ```ts
 * validateManualGrant({ kind: 'role', name: 'admin', actor: 'runbook:jane', note: 'INC-114' }); // ok
 * validateManualGrant({ kind: 'role', name: 'ad\u202emin', actor: 'x' }); // throws grant/invalid-name
 * ```
 */
export function validateManualGrant(input: ManualGrantInput): {
  kind: Grant['kind'];
  name: string;
  actor: string;
  note: string | undefined;
  nowIso: string;
} {
  if (!input || typeof input !== 'object') throw new TypeError('manual grant: expected { kind, name, actor }');
  const maxName = checkLimit(input.maxNameLength, DEFAULT_MAX_GRANT_NAME_LENGTH, 'maxNameLength');
  const maxNote = checkLimit(input.maxNoteLength, DEFAULT_MAX_GRANT_NOTE_LENGTH, 'maxNoteLength');
  const now = toDate(input.now, 'manual grant');
  const kind: unknown = input.kind;
  if (kind !== 'role' && kind !== 'entitlement')
    throw invalid('grant/invalid-kind', 'kind', 'is not role or entitlement');
  const name = checkIdentifier(input.name, 'name', maxName);
  const actor = checkIdentifier(input.actor, 'actor', MAX_GRANT_ACTOR_LENGTH);
  const note: unknown = input.note;
  if (note !== undefined) {
    if (typeof note !== 'string') throw invalid('grant/invalid-note', 'note', 'is not a string');
    if (note.length > maxNote) throw invalid('grant/invalid-note', 'note', `is longer than ${maxNote} characters`);
    if (FORBIDDEN_IN_NOTE.test(note)) throw invalid('grant/invalid-note', 'note', 'contains a control character');
  }
  return {
    kind,
    name,
    actor,
    note: note === undefined || note.trim() === '' ? undefined : note,
    nowIso: now.toISOString(),
  };
}

const isManual = (g: Grant, kind: Grant['kind'], name: string): boolean =>
  g.source === 'manual' && g.kind === kind && g.name === name;

/** Writes the grants and the bumped account, returns the account as stored. */
async function writeGrants(tx: StoreTx, existing: Account, grants: Grant[], nowIso: string): Promise<Account> {
  const { grants: _old, ...rec } = existing;
  const next = { ...rec, updatedAt: nowIso, version: existing.version + 1 };
  // The optimistic check first: a concurrent writer makes this throw store/conflict before anything is replaced.
  await tx.updateAccount(next, existing.version);
  await tx.replaceGrants(existing.id, grants);
  return { ...next, grants: sortGrants(grants) };
}

/**
 * Gives an account a manual role or entitlement, in one transaction with an audit event (action `granted`, the
 * actor, the note as reason). Mapping grants are kept exactly; a mapping grant of the same name stays a separate
 * grant, so the manual one survives when the mapping stops granting it.
 *
 * - Idempotent: if the account already holds this manual grant, nothing changes (the original actor, note and
 *   `grantedAt` are kept), the result is `unchanged`, and the attempt is still audited.
 * - Refuses a deprovisioned account with `runtime/account-deprovisioned` (the refused attempt is audited as
 *   `refused`); a suspended account may be granted to (its logins stay refused until it is reactivated).
 * - `runtime/account-not-found` for an unknown key; `grant/invalid-*` for bad input (nothing written);
 *   `store/conflict` if the account changed concurrently (nothing written: retry).
 *
 * @example
 * ```ts
 * const r = await grantManual(store, { issuer, subject }, { kind: 'role', name: 'admin', actor: 'runbook:jane', note: 'INC-114' });
 * r.action // 'granted' (or 'unchanged' when it was already granted by hand)
 * ```
 */
export async function grantManual(store: Store, key: AccountKey, input: ManualGrantInput): Promise<ManualGrantResult> {
  checkKey(key, 'grantManual');
  const v = validateManualGrant(input);
  const refused = new RuntimeError(
    'runtime/account-deprovisioned',
    `The account ${key.issuer} ${key.subject} is deprovisioned; a manual grant is refused.`,
    { hint: 'Reactivate the account first if it really should get access again.' },
  );
  const out = await inTx(store, async (tx): Promise<ManualGrantResult | null> => {
    const existing = await tx.findByKey(key.issuer, key.subject);
    if (!existing)
      throw new RuntimeError('runtime/account-not-found', `No account has the key ${key.issuer} ${key.subject}.`);
    const audit = (action: 'granted' | 'refused', code: string, message: string, changes: Change[]) =>
      tx.appendAudit({
        at: v.nowIso,
        action,
        issuer: existing.issuer,
        subject: existing.subject,
        accountId: existing.id,
        actor: v.actor,
        reason: { code, message },
        changes,
        rules: [],
        mapping: null,
      });
    if (existing.status === 'deprovisioned') {
      // Audited, then thrown after the commit: a refused attempt to give access to an offboarded account is evidence.
      await audit('refused', refused.code, `${v.kind} ${v.name}: ${refused.message}`, []);
      return null;
    }
    const held = existing.grants.find((g) => isManual(g, v.kind, v.name));
    if (held) {
      const eventId = await audit(
        'granted',
        'grant/already-granted',
        v.note ?? `${v.kind} ${v.name} was already granted manually`,
        [],
      );
      return { action: 'unchanged', account: existing, grant: held, changes: [], eventId };
    }
    const grant: Grant = {
      kind: v.kind,
      name: v.name,
      grantedAt: v.nowIso,
      source: 'manual',
      actor: v.actor,
      ...(v.note === undefined ? {} : { note: v.note }),
    };
    const account = await writeGrants(tx, existing, [...existing.grants, grant], v.nowIso);
    const changes: Change[] = [{ field: v.kind, op: 'add', name: v.name, rules: ['manual'] }];
    const eventId = await audit('granted', 'grant/granted', v.note ?? `${v.kind} ${v.name} granted manually`, changes);
    return { action: 'granted', account, grant, changes, eventId };
  });
  if (out === null) throw refused;
  return out;
}

/**
 * Removes an account's manual role or entitlement, in one transaction with an audit event (action `revoked`).
 * Only the manual grant goes: a mapping grant of the same name stays (the mapping owns it; change the mapping or
 * the IdP's groups). Allowed whatever the account's status: taking access away is never blocked.
 *
 * - `grant/not-found` when the account holds no manual grant of that kind and name (the hint says when the mapping
 *   grants it), nothing written;
 * - `runtime/account-not-found`, `grant/invalid-*`, `store/conflict` as for {@link grantManual}.
 *
 * @example
 * ```ts
 * await revokeManual(store, { issuer, subject }, { kind: 'role', name: 'admin', actor: 'runbook:jane', note: 'INC-114 closed' });
 * ```
 */
export async function revokeManual(store: Store, key: AccountKey, input: ManualGrantInput): Promise<ManualGrantResult> {
  checkKey(key, 'revokeManual');
  const v = validateManualGrant(input);
  return inTx(store, async (tx) => {
    const existing = await tx.findByKey(key.issuer, key.subject);
    if (!existing)
      throw new RuntimeError('runtime/account-not-found', `No account has the key ${key.issuer} ${key.subject}.`);
    const held = existing.grants.find((g) => isManual(g, v.kind, v.name));
    if (!held) {
      const byMapping = existing.grants.some((g) => g.source === 'mapping' && g.kind === v.kind && g.name === v.name);
      throw new RuntimeError('grant/not-found', `The account holds no manual ${v.kind} "${v.name}".`, {
        ...(byMapping
          ? { hint: `The mapping grants this ${v.kind}; change the mapping or the IdP's groups to remove it.` }
          : {}),
      });
    }
    const account = await writeGrants(
      tx,
      existing,
      existing.grants.filter((g) => g !== held),
      v.nowIso,
    );
    const changes: Change[] = [{ field: v.kind, op: 'remove', name: v.name, rules: ['manual'] }];
    const eventId = await tx.appendAudit({
      at: v.nowIso,
      action: 'revoked',
      issuer: existing.issuer,
      subject: existing.subject,
      accountId: existing.id,
      actor: v.actor,
      reason: { code: 'grant/revoked', message: v.note ?? `${v.kind} ${v.name} revoked` },
      changes,
      rules: [],
      mapping: null,
    });
    return { action: 'revoked', account, grant: held, changes, eventId };
  });
}
