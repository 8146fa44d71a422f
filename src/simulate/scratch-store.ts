/**
 * ScratchStore: the store the full-mode simulator logs in to. It offers only what a login's transaction uses
 * ({@link LoginTx}) and answers each of those calls the way a MemoryStore does (the same conflicts, the same
 * lookups), without MemoryStore's costs that a simulation never needs: no structured clone on every read and write
 * (the state a login reads is frozen instead, so no login can change it), no kept audit trail (event ids only), no
 * transaction queue. A fork never commits: every login on it runs against the state it was forked from, which is
 * how one seeded store serves every mutation of a sample, where the straightforward driver would seed a fresh
 * MemoryStore per mutation.
 */
import { RuntimeError } from '../runtime/errors.js';
import type { AccountRecord, LoginStore, LoginTx } from '../runtime/store.js';
import { insertInto, keyOf, uniqueKeyOf, updateIn } from '../runtime/stores/account-index.js';
import { sortGrants, withGrants } from '../runtime/stores/codec.js';
import type { ScimUserRow } from '../runtime/scim/store-types.js';
import type { Account, Grant, NewAuditEvent, UniqueEntry } from '../runtime/types.js';

/** What a scratch store holds: accounts, their grants and unique-index entries (no SCIM data, no audit trail). */
interface State {
  accounts: Map<string, AccountRecord>;
  byKey: Map<string, string>;
  grants: Map<string, Grant[]>;
  unique: Map<string, { accountId: string; entry: UniqueEntry }>;
}

const copy = (s: State): State => ({
  accounts: new Map(s.accounts),
  byKey: new Map(s.byKey),
  grants: new Map(s.grants),
  unique: new Map(s.unique),
});

/**
 * A login store in memory for simulations (internal). `new ScratchStore()` is empty and commits its transactions;
 * {@link ScratchStore.fork} gives a store that starts from this one's state and discards every transaction.
 *
 * @example
 * ```ts
 * const store = new ScratchStore();
 * const baseline = await provisionDecided(decideLogin(plan, sample, settings), store); // committed
 * const seeded = store.fork();
 * for (const login of mutatedLogins) await provisionDecided(login, seeded); // each sees only the baseline account
 * ```
 */
export class ScratchStore implements LoginStore {
  private state: State = { accounts: new Map(), byKey: new Map(), grants: new Map(), unique: new Map() };
  private commits = true;
  private busy = false;
  /** Audit events appended (their ids count up, as MemoryStore's do; the events are not kept). */
  events = 0;
  /**
   * Whether the last transaction saw anything this store held: a lookup that found a record, an entry it replaced.
   * A transaction that saw nothing ran as it would have on an empty store (lookups found nothing there either).
   */
  sawState = false;

  /** A store holding this one's state that never commits (its transactions are discarded). */
  fork(): ScratchStore {
    const f = new ScratchStore();
    f.state = this.state;
    f.commits = false;
    return f;
  }

  async transaction<T>(fn: (tx: LoginTx) => Promise<T>): Promise<T> {
    if (this.busy) throw new TypeError('ScratchStore: transactions must not overlap');
    this.busy = true;
    this.sawState = true; // until the transaction resolves
    try {
      const tx = new ScratchTx(this.state, this, this.commits);
      const result = await fn(tx);
      this.sawState = tx.saw;
      if (this.commits) this.state = freezeState(tx.state);
      return result;
    } finally {
      this.busy = false;
    }
  }
}

/**
 * The operations of one transaction on `state`: the store's state until the first write, then a copy of it (the
 * store's state itself is never written; the copy is what a committing store keeps). A store
 * that commits keeps copies of the records and grants it is given (its state is frozen and shared with later
 * logins); a fork, whose writes nobody reads back, keeps them as given.
 */
class ScratchTx implements LoginTx {
  /** Whether a lookup found anything, or a write replaced anything (see {@link ScratchStore.sawState}). */
  saw = false;

  private owned = false;

  constructor(
    public state: State,
    private readonly store: ScratchStore,
    private readonly copies: boolean,
  ) {}

  /** The state to read. */
  private get st(): State {
    return this.state;
  }

  /** The state to write: a copy of the store's, made at the first write. */
  private writable(): State {
    if (!this.owned) {
      this.state = copy(this.state);
      this.owned = true;
    }
    return this.state;
  }

  private keep<X extends object>(x: X): X {
    return this.copies ? { ...x } : x;
  }

  private full(rec: AccountRecord): Account {
    this.saw = true;
    return withGrants(rec, this.st.grants.get(rec.id) ?? []);
  }

  async findByKey(issuer: string, subject: string): Promise<Account | null> {
    const id = this.st.byKey.get(keyOf(issuer, subject));
    const rec = id === undefined ? undefined : this.st.accounts.get(id);
    return rec ? this.full(rec) : null;
  }

  async findById(id: string): Promise<Account | null> {
    const rec = this.st.accounts.get(id);
    return rec ? this.full(rec) : null;
  }

  async findByUnique(issuer: string, field: string, value: string) {
    const hit = this.st.unique.get(uniqueKeyOf(issuer, field, value));
    if (hit === undefined) return null;
    this.saw = true;
    return hit;
  }

  async insertAccount(account: AccountRecord): Promise<void> {
    insertInto(this.writable(), account, this.keep(account));
  }

  async updateAccount(account: AccountRecord, expectedVersion: number): Promise<void> {
    updateIn(this.writable(), account, expectedVersion, this.keep(account));
  }

  async replaceGrants(accountId: string, grants: Grant[]): Promise<void> {
    // Kept sorted and copied where later logins read them; as given in a fork (a read would sort them: withGrants).
    this.writable().grants.set(accountId, this.copies ? sortGrants(grants).map((g) => this.keep(g)) : grants);
  }

  async replaceUnique(accountId: string, issuer: string, entries: UniqueEntry[]): Promise<void> {
    const unique = this.writable().unique;
    for (const e of entries) {
      const hit = unique.get(uniqueKeyOf(issuer, e.field, e.value));
      if (hit && hit.accountId !== accountId) {
        throw new RuntimeError('store/conflict', `The ${e.field} value is already held by another account.`);
      }
    }
    for (const [k, v] of unique) {
      if (v.accountId !== accountId) continue;
      unique.delete(k);
      this.saw = true;
    }
    for (const e of entries) unique.set(uniqueKeyOf(issuer, e.field, e.value), { accountId, entry: this.keep(e) });
  }

  async appendAudit(_event: NewAuditEvent): Promise<string> {
    this.store.events += 1;
    return `evt-${String(this.store.events).padStart(8, '0')}`;
  }

  // A scratch store holds no SCIM data: no account is SCIM-managed.
  async findScimUserByAccount(_accountId: string): Promise<ScimUserRow | null> {
    return null;
  }

  async scimGroupsOf(_userId: string): Promise<{ id: string; displayName: string }[]> {
    return [];
  }
}

/**
 * The committed state, frozen: the records, grants and unique entries a login reads from it are shared with
 * that login (never cloned), so a login that tried to modify one would throw instead of changing the store.
 */
function freezeState(st: State): State {
  for (const rec of st.accounts.values()) {
    Object.freeze(rec.profile);
    Object.freeze(rec);
  }
  for (const list of st.grants.values()) {
    for (const g of list) {
      if (g.source === 'mapping') Object.freeze(g.rules);
      Object.freeze(g);
    }
    Object.freeze(list);
  }
  for (const hit of st.unique.values()) {
    Object.freeze(hit.entry);
    Object.freeze(hit);
  }
  return st;
}
