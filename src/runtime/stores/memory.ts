/**
 * MemoryStore: an in-process Store for tests and dry runs (simulate, `login --store memory:`). Transactions are
 * serialised and isolated: a transaction works on a copy of the indexes and commits by swapping them in, so a
 * failure leaves nothing half-written. Copying is O(accounts) per transaction: fine for tests, not for production.
 */
import { RuntimeError } from '../errors.js';
import type { AccountRecord, ListAccountsQuery, ListAuditQuery, Store, StoreTx } from '../store.js';
import type { Account, AuditEvent, Grant, NewAuditEvent, ScimTokenRecord, UniqueEntry } from '../types.js';
import { insertInto, keyOf, uniqueKeyOf, updateIn } from './account-index.js';
import { sortGrants, withGrants } from './codec.js';
import { readOnlyTx } from './read-only.js';
import { summaryOf } from '../summary.js';
import { copyScimState, emptyScimState, type ScimMemoryState, scimMemoryTx } from './scim-memory.js';
import { SerialQueue } from './serial.js';
import { SortedKeys } from './sorted-keys.js';
import { defined } from '../../model/invariant.js';

interface State {
  accounts: Map<string, AccountRecord>;
  byKey: Map<string, string>;
  /** The accounts' keys in (issuer, subject) order: what listAccounts pages through. */
  keys: SortedKeys;
  /** Whether `keys` is this state's own (a transaction copies the committed one on its first key change). */
  ownKeys: boolean;
  grants: Map<string, Grant[]>;
  unique: Map<string, { accountId: string; entry: UniqueEntry }>;
  audit: AuditEvent[];
  seq: number;
  scimTokens: Map<string, ScimTokenRecord>;
  scim: ScimMemoryState;
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Options of the {@link MemoryStore} constructor. */
export interface MemoryStoreOptions {
  /** An empty store that refuses every write with `store/read-only` (default false). */
  readOnly?: boolean;
}

/**
 * An in-memory {@link Store}.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const result = await provision(plan, claimSet, { store });
 * ```
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  /** Whether this store refuses writes ({@link MemoryStoreOptions.readOnly}). */
  readonly readOnly: boolean;

  constructor(options: MemoryStoreOptions = {}) {
    this.readOnly = options.readOnly ?? false;
  }

  private state: State = {
    accounts: new Map(),
    byKey: new Map(),
    keys: new SortedKeys(),
    ownKeys: true,
    grants: new Map(),
    unique: new Map(),
    audit: [],
    seq: 0,
    scimTokens: new Map(),
    scim: emptyScimState(),
  };
  private readonly queue = new SerialQueue();
  private closed = false;

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.closed) throw new RuntimeError('store/unavailable', 'The memory store is closed.');
      const s = this.state;
      const work: State = {
        accounts: new Map(s.accounts),
        byKey: new Map(s.byKey),
        keys: s.keys,
        ownKeys: false,
        grants: new Map(s.grants),
        unique: new Map(s.unique),
        audit: s.audit.slice(),
        seq: s.seq,
        scimTokens: new Map(s.scimTokens),
        scim: copyScimState(s.scim),
      };
      const tx = memoryTx(work);
      const result = await fn(this.readOnly ? readOnlyTx(tx, 'memory') : tx);
      this.state = work;
      return result;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function memoryTx(st: State): StoreTx {
  const full = (rec: AccountRecord): Account => clone(withGrants(rec, st.grants.get(rec.id) ?? []));
  return {
    ...scimMemoryTx(st.scim),
    async findByKey(issuer, subject) {
      const id = st.byKey.get(keyOf(issuer, subject));
      const rec = id === undefined ? undefined : st.accounts.get(id);
      return rec ? full(rec) : null;
    },
    async findById(id) {
      const rec = st.accounts.get(id);
      return rec ? full(rec) : null;
    },
    async findByUnique(issuer, field, value) {
      const hit = st.unique.get(uniqueKeyOf(issuer, field, value));
      return hit ? clone(hit) : null;
    },
    async insertAccount(account) {
      insertInto(st, account, clone(account));
      keysToWrite(st).insert({ issuer: account.issuer, subject: account.subject, id: account.id });
    },
    async updateAccount(account, expectedVersion) {
      const before = st.accounts.get(account.id);
      updateIn(st, account, expectedVersion, clone(account));
      if (before !== undefined && (before.issuer !== account.issuer || before.subject !== account.subject)) {
        const keys = keysToWrite(st);
        keys.remove(before);
        keys.insert({ issuer: account.issuer, subject: account.subject, id: account.id });
      }
    },
    async replaceGrants(accountId, grants) {
      st.grants.set(accountId, sortGrants(clone(grants)));
    },
    async replaceUnique(accountId, issuer, entries) {
      for (const e of entries) {
        const hit = st.unique.get(uniqueKeyOf(issuer, e.field, e.value));
        if (hit && hit.accountId !== accountId) {
          throw new RuntimeError('store/conflict', `The ${e.field} value is already held by another account.`);
        }
      }
      for (const [k, v] of st.unique) if (v.accountId === accountId) st.unique.delete(k);
      for (const e of entries) st.unique.set(uniqueKeyOf(issuer, e.field, e.value), { accountId, entry: { ...e } });
    },
    async appendAudit(event: NewAuditEvent) {
      st.seq += 1;
      const id = `evt-${String(st.seq).padStart(8, '0')}`;
      st.audit.push(clone({ id, ...event }));
      return id;
    },
    async listAccounts(q: ListAccountsQuery) {
      return matching(st, q).map(full);
    },
    async listAccountSummaries(q: ListAccountsQuery) {
      return matching(st, q).map((rec) => summaryOf(rec, st.grants.get(rec.id) ?? []));
    },
    async listAudit(q: ListAuditQuery) {
      const out: AuditEvent[] = [];
      for (let i = st.audit.length - 1; i >= 0 && out.length < q.limit; i--) {
        const e = defined(st.audit[i]);
        if (q.key && (e.issuer !== q.key.issuer || e.subject !== q.key.subject)) continue;
        out.push(clone(e));
      }
      return out;
    },
    async insertScimToken(token) {
      for (const t of st.scimTokens.values()) {
        if (t.name === token.name || t.hash === token.hash) {
          throw new RuntimeError('store/conflict', `A SCIM token named ${token.name} already exists.`);
        }
      }
      st.scimTokens.set(token.name, clone(token));
    },
    async revokeScimToken(name, at) {
      const t = st.scimTokens.get(name);
      if (!t || t.revokedAt !== null) return false;
      st.scimTokens.set(name, { ...t, revokedAt: at });
      return true;
    },
    async listScimTokens() {
      return [...st.scimTokens.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(clone);
    },
  };
}

/** The state's key index to change: its own copy, made on the transaction's first key change. */
function keysToWrite(st: State): SortedKeys {
  if (!st.ownKeys) {
    st.keys = st.keys.writable();
    st.ownKeys = true;
  }
  return st.keys;
}

/**
 * The account records of a listAccounts query, in (issuer, subject) order, at most `q.limit`: from the first key
 * after `q.after` (and at `q.issuer`, when given) by binary search, then key by key until the page is full or the
 * issuer ends.
 */
function matching(st: State, q: ListAccountsQuery): AccountRecord[] {
  const out: AccountRecord[] = [];
  const keys = st.keys;
  let i = q.after === undefined ? 0 : keys.from(q.after, true);
  if (q.issuer !== undefined) i = Math.max(i, keys.from({ issuer: q.issuer, subject: '' }));
  for (; i < keys.size && out.length < q.limit; i++) {
    const key = defined(keys.at(i));
    if (q.issuer !== undefined && key.issuer !== q.issuer) break;
    const rec = defined(st.accounts.get(key.id));
    if (q.subject !== undefined && rec.subject !== q.subject) continue;
    if (q.status !== undefined && rec.status !== q.status) continue;
    if (q.lastActiveBefore !== undefined && !((rec.lastLoginAt ?? rec.createdAt) < q.lastActiveBefore)) continue;
    out.push(rec);
  }
  return out;
}
