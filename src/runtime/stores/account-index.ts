/**
 * The in-memory account table shared by MemoryStore and the simulator's scratch store: accounts by id and the
 * durable-key index (issuer, subject) → id, with the same conflict rules as the SQL stores' unique constraints.
 */
import { RuntimeError } from '../errors.js';
import type { AccountRecord } from '../store.js';

/** Accounts by id and the key index. */
export interface AccountTable {
  accounts: Map<string, AccountRecord>;
  byKey: Map<string, string>;
}

/** The key-index entry of (issuer, subject); NUL cannot occur in a stored key. */
export const keyOf = (issuer: string, subject: string): string => `${issuer}\u0000${subject}`;

/** The unique-index entry of a normalised value of a profile field of one issuer (no NUL in any of the three). */
export const uniqueKeyOf = (issuer: string, field: string, value: string): string =>
  `${issuer}\u0000${field}\u0000${value}`;

/** Inserts `stored` (the caller's copy of `account`); `store/conflict` when its key or id exists. */
export function insertInto(t: AccountTable, account: AccountRecord, stored: AccountRecord): void {
  const key = keyOf(account.issuer, account.subject);
  if (t.byKey.has(key) || t.accounts.has(account.id)) {
    throw new RuntimeError(
      'store/conflict',
      `An account with key ${account.issuer} ${account.subject} already exists.`,
    );
  }
  t.accounts.set(account.id, stored);
  t.byKey.set(key, account.id);
}

/**
 * Replaces the account with `stored` (the caller's copy of `account`) when it is still at `expectedVersion`;
 * `store/conflict` when it changed or when its new key belongs to another account.
 */
export function updateIn(
  t: AccountTable,
  account: AccountRecord,
  expectedVersion: number,
  stored: AccountRecord,
): void {
  const cur = t.accounts.get(account.id);
  if (!cur || cur.version !== expectedVersion) {
    throw new RuntimeError(
      'store/conflict',
      `Account ${account.id} changed concurrently (expected version ${expectedVersion}).`,
    );
  }
  const newKey = keyOf(account.issuer, account.subject);
  const owner = t.byKey.get(newKey);
  if (owner !== undefined && owner !== account.id) {
    throw new RuntimeError(
      'store/conflict',
      `An account with key ${account.issuer} ${account.subject} already exists.`,
    );
  }
  t.byKey.delete(keyOf(cur.issuer, cur.subject));
  t.byKey.set(newKey, account.id);
  t.accounts.set(account.id, stored);
}
