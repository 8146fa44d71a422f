/**
 * Account summaries: what a table of accounts shows (key, status, last login, role names), derived from a full
 * account the way the stores' summary reads (StoreTx.listAccountSummaries) derive it from their rows.
 */
import type { Account, AccountSummary, Grant } from './types.js';

/**
 * The summary of a full account: its role names in the order of its (sorted) grants, entitlements left out.
 *
 * @example
 * ```ts
 * const account = await getAccount(store, key);
 * if (account) console.log(accountSummary(account).roles.join(',')); // 'admin,developer'
 * ```
 */
export function accountSummary(account: Account): AccountSummary {
  return summaryOf(account, account.grants);
}

/**
 * The summary of an account's columns and its grants (in any order). Internal to the runtime (MemoryStore).
 *
 * @example
 * ```ts
 * summaryOf(record, [{ kind: 'role', name: 'b', ... }, { kind: 'role', name: 'a', ... }]).roles // ['a', 'b']
 * ```
 */
export function summaryOf(
  a: Pick<Account, 'id' | 'issuer' | 'subject' | 'status' | 'lastLoginAt'>,
  grants: readonly Grant[],
): AccountSummary {
  const roles: string[] = [];
  for (const g of grants) if (g.kind === 'role') roles.push(g.name);
  return {
    id: a.id,
    issuer: a.issuer,
    subject: a.subject,
    status: a.status,
    lastLoginAt: a.lastLoginAt,
    roles: sortRoleNames(roles),
  };
}

/**
 * Role names sorted in place as sorted grants order them: by UTF-16 code units (`<` on strings), not by locale and
 * not by UTF-8 bytes (which order characters above U+FFFF differently). Equal names stay adjacent.
 *
 * @example
 * ```ts
 * sortRoleNames(['viewer', 'Admin', 'admin']) // ['Admin', 'admin', 'viewer']
 * ```
 */
export function sortRoleNames(names: string[]): string[] {
  // The default order of Array.prototype.sort on strings is by UTF-16 code units.
  return names.sort();
}
