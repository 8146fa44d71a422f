/**
 * SqliteStore: the embedded default store, on better-sqlite3. WAL journal, `BEGIN IMMEDIATE` for every write
 * transaction (so concurrent writers from other threads or processes queue on the file lock, waiting up to
 * `busyTimeoutMs`), versioned migrations at open, UNIQUE (issuer, subject) in the schema.
 *
 * better-sqlite3 is synchronous: the async Store methods wrap synchronous calls, and transactions of one
 * SqliteStore instance run one at a time.
 */
import { existsSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { RuntimeError } from '../errors.js';
import type { AccountRecord, ListAccountsQuery, ListAuditQuery, Store, StoreTx } from '../store.js';
import type { Account, Grant, NewAuditEvent, UniqueEntry } from '../types.js';
import {
  decodeAccountRow,
  decodeAuditRow,
  decodeGrantRow,
  decodeScimTokenRow,
  decodeSummaryRow,
  decodeUniqueRow,
  encodeAuditData,
  encodeProvenance,
  withGrants,
  type AccountRow,
  type AuditRow,
  type GrantRow,
  type ScimTokenRow,
} from './codec.js';
import { isNativeModuleError, loadDriver, nativeModuleMissing } from './driver.js';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL, SCHEMA_VERSION } from './migrations.js';
import { readOnlyTx, storeNotFound } from './read-only.js';
import { SerialQueue } from './serial.js';
import {
  ACCOUNT_COLUMNS,
  accountParams,
  accountSummariesSql,
  insertAccountSql,
  listAccountsWhere,
  sameUnique,
  SQLITE_ROLE_NAMES,
  updateAccountParams,
  updateAccountSql,
} from './sql.js';
import { scimSqlTx } from './scim-sql.js';
import { uuidV7 } from './uuid.js';
import { present } from '../../model/invariant.js';

/**
 * Options of {@link SqliteStore.open}.
 *
 * @example
 * ```ts
 * const store = await SqliteStore.open('./claimmap.db', { busyTimeoutMs: 10_000 } satisfies SqliteStoreOptions);
 * ```
 */
export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock before failing with `store/busy`. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * Open for reading only (default false): the file must exist and hold a claimmap store at this version
   * (`store/not-found`, `store/schema-too-old` otherwise); nothing is created or migrated, and a write fails with
   * `store/read-only`. better-sqlite3 opens it with `{ readonly: true, fileMustExist: true }`.
   */
  readOnly?: boolean;
}

type Db = Database.Database;
type Stmt = Database.Statement;

const q = () => '?';

/** Maps a better-sqlite3 error to a RuntimeError; other errors pass through. */
function mapSqliteError(e: unknown, what: string): unknown {
  if (e instanceof RuntimeError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  if (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED') {
    return new RuntimeError('store/busy', `The SQLite database is locked (${what}).`, {
      cause: e,
      hint: 'Another process holds a write lock; retry, or raise busyTimeoutMs.',
    });
  }
  if (code.startsWith('SQLITE_CONSTRAINT')) {
    return new RuntimeError('store/conflict', `A uniqueness constraint rejected the write (${what}).`, { cause: e });
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_')) {
    return new RuntimeError('store/read-only', `The SQLite store is open read-only (${what}).`, { cause: e });
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') {
    return new RuntimeError('store/unavailable', `The SQLite file is damaged or not a database (${what}).`, {
      cause: e,
    });
  }
  return new RuntimeError('store/write-failed', `SQLite failed (${what}): ${code}.`, { cause: e });
}

/**
 * The SQLite {@link Store}.
 *
 * @example
 * ```ts
 * const store = await SqliteStore.open('./claimmap.db');
 * try { await provision(plan, claimSet, { store }) } finally { await store.close() }
 * ```
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const;
  private readonly queue = new SerialQueue();
  private closed = false;
  private readonly s: Record<
    | 'findByKey'
    | 'findById'
    | 'grantsOf'
    | 'grantsOfPage'
    | 'findByUnique'
    | 'insertAccount'
    | 'updateAccount'
    | 'deleteGrants'
    | 'insertGrant'
    | 'deleteUnique'
    | 'insertUnique'
    | 'insertAudit'
    | 'auditAll'
    | 'auditKey'
    | 'updateGrant'
    | 'deleteGrant'
    | 'uniqueOf'
    | 'insertScimToken'
    | 'revokeScimToken'
    | 'listScimTokens'
    | 'begin'
    | 'commit'
    | 'rollback',
    Stmt
  >;
  private readonly tx: StoreTx;
  /** What the running transaction read of the accounts it found (see {@link TxReads}). */
  private readonly seen = new TxReads();
  /** UPDATE statements by bit mask of the columns they set (bit i: ACCOUNT_COLUMNS[i]); at most 2^12 of them. */
  private readonly updates = new Map<number, Stmt>();

  private constructor(
    private readonly db: Db,
    /** Whether this store was opened read-only ({@link SqliteStoreOptions.readOnly}). */
    readonly readOnly: boolean,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      findByKey: p('SELECT * FROM accounts WHERE issuer = ? AND subject = ?'),
      findById: p('SELECT * FROM accounts WHERE id = ?'),
      grantsOf: p('SELECT kind, name, source, provenance, granted_at FROM grants WHERE account_id = ?').raw(true),
      grantsOfPage: p(
        'SELECT account_id, kind, name, source, provenance, granted_at FROM grants ' +
          'WHERE account_id IN (SELECT value FROM json_each(?))',
      ).raw(true),
      findByUnique: p(
        'SELECT account_id, field, value, verified FROM account_unique WHERE issuer = ? AND field = ? AND value = ?',
      ),
      insertAccount: p(insertAccountSql(q)),
      updateAccount: p(updateAccountSql(q)),
      deleteGrants: p('DELETE FROM grants WHERE account_id = ?'),
      insertGrant: p(
        'INSERT INTO grants (account_id, kind, name, source, provenance, granted_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      deleteUnique: p('DELETE FROM account_unique WHERE account_id = ?'),
      insertUnique: p('INSERT INTO account_unique (issuer, field, value, account_id, verified) VALUES (?, ?, ?, ?, ?)'),
      insertAudit: p(
        'INSERT INTO audit_events (id, at, action, issuer, subject, account_id, actor, data) VALUES (?, ?, ?, ' +
          '?, ?, ?, ?, ?)',
      ),
      auditAll: p('SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?'),
      auditKey: p('SELECT * FROM audit_events WHERE issuer = ? AND subject = ? ORDER BY seq DESC LIMIT ?'),
      updateGrant: p(
        'UPDATE grants SET provenance = ?, granted_at = ? WHERE account_id = ? AND kind = ? AND name = ? AND ' +
          'source = ?',
      ),
      deleteGrant: p('DELETE FROM grants WHERE account_id = ? AND kind = ? AND name = ? AND source = ?'),
      uniqueOf: p('SELECT issuer, field, value, verified FROM account_unique WHERE account_id = ?').raw(true),
      insertScimToken: p('INSERT INTO scim_tokens (name, hash, created_at, revoked_at) VALUES (?, ?, ?, ?)'),
      revokeScimToken: p('UPDATE scim_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL'),
      listScimTokens: p('SELECT name, hash, created_at, revoked_at FROM scim_tokens ORDER BY name'),
      // Prepared once, like better-sqlite3's own db.transaction() (which cannot wrap an async function): exec()
      // would parse the statement again on every login.
      // A read-only connection takes no write lock: a deferred BEGIN, and readOnlyTx refuses every write.
      begin: p(readOnly ? 'BEGIN' : 'BEGIN IMMEDIATE'),
      commit: p('COMMIT'),
      rollback: p('ROLLBACK'),
    };
    this.tx = readOnly ? readOnlyTx(this.makeTx(), 'SQLite') : this.makeTx();
  }

  /**
   * Opens (creating if needed) a database file and migrates it to the current schema; with `readOnly`, opens an
   * existing store for reading only, creating and migrating nothing. `':memory:'` opens a private in-memory
   * database. Loads better-sqlite3 on first use (`store/driver-missing` when it is not installed).
   *
   * @example
   * ```ts
   * const store = await SqliteStore.open('/var/lib/app/claimmap.db', { busyTimeoutMs: 10_000 });
   * const reader = await SqliteStore.open('/var/lib/app/claimmap.db', { readOnly: true });
   * ```
   */
  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    const busy = options.busyTimeoutMs ?? 5000;
    if (!Number.isInteger(busy) || busy < 0) throw new TypeError('busyTimeoutMs must be a non-negative integer');
    const readOnly = options.readOnly ?? false;
    if (readOnly && (path.trim() === '' || path.trim() === ':memory:')) {
      throw new TypeError('an in-memory SQLite database cannot be opened read-only');
    }
    const Driver = await loadDriver('better-sqlite3');
    if (readOnly && !existsSync(path)) throw storeNotFound(path, 'no such file');
    let db: Db;
    try {
      db = readOnly ? new Driver(path, { readonly: true, fileMustExist: true }) : new Driver(path);
    } catch (e) {
      if (isNativeModuleError(e)) throw nativeModuleMissing(e);
      if (readOnly && (e as { code?: unknown }).code === 'SQLITE_CANTOPEN') {
        throw storeNotFound(path, 'the file cannot be opened');
      }
      throw new RuntimeError('store/unavailable', `Cannot open SQLite database ${path}.`, { cause: e });
    }
    try {
      db.pragma(`busy_timeout = ${busy}`);
      if (readOnly) {
        checkSchema(db, path);
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
        migrate(db);
      }
      return new SqliteStore(db, readOnly);
    } catch (e) {
      db.close();
      const mapped = mapSqliteError(e, `opening ${path}`);
      throw mapped;
    }
  }

  /**
   * The schema version recorded in the database.
   *
   * @example
   * ```ts
   * (await SqliteStore.open('claimmap.db')).schemaVersion() === SCHEMA_VERSION
   * ```
   */
  schemaVersion(): number {
    const row = this.db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
    return row.v ?? 0;
  }

  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.closed) throw new RuntimeError('store/unavailable', 'The SQLite store is closed.');
      try {
        this.s.begin.run();
      } catch (e) {
        throw mapSqliteError(e, 'begin');
      }
      this.seen.clear();
      try {
        const result = await fn(this.tx);
        this.s.commit.run();
        return result;
      } catch (e) {
        if (this.db.inTransaction) {
          try {
            this.s.rollback.run();
          } catch {
            // the transaction is already gone (SQLite rolls back on some errors by itself)
          }
        }
        throw mapSqliteError(e, 'transaction');
      } finally {
        this.seen.clear();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.run(async () => this.db.close());
  }

  /**
   * Decodes an account row and its grants. `remember` (findByKey, findById) also reads its unique-index rows and
   * keeps all of them in {@link TxReads} for the writes that follow in this transaction.
   */
  private loadAccount(row: AccountRow | undefined, remember: boolean): Account | null {
    if (!row) return null;
    const rec = decodeAccountRow(row);
    const grants: Grant[] = [];
    const rows = this.s.grantsOf.all(rec.id) as unknown[][];
    for (const r of rows) {
      const g: GrantRow = { kind: r[0], name: r[1], source: r[2], provenance: r[3], granted_at: r[4] };
      grants.push(decodeGrantRow(g, rec.id));
    }
    if (remember) {
      this.seen.columns.set(
        rec.id,
        ACCOUNT_COLUMNS.map((c) => row[c]),
      );
      this.seen.grants.set(rec.id, rows);
      this.seen.unique.set(rec.id, this.s.uniqueOf.all(rec.id) as unknown[][]);
    }
    return withGrants(rec, grants);
  }

  /**
   * Decodes a page of account rows with their grants, read in one statement for the whole page (not one per
   * account): `account_id IN (SELECT value FROM json_each(?))` with the ids as one JSON array parameter, so the
   * statement is prepared once whatever the page size, and each id is a seek in the grants primary key.
   */
  private loadPage(rows: AccountRow[]): Account[] {
    if (rows.length === 0) return [];
    const recs = rows.map(decodeAccountRow);
    const byId = new Map<string, Grant[]>();
    for (const rec of recs) byId.set(rec.id, []);
    const grantRows = this.s.grantsOfPage.all(JSON.stringify(recs.map((r) => r.id))) as unknown[][];
    for (const r of grantRows) {
      const id = r[0] as string;
      const g: GrantRow = { kind: r[1], name: r[2], source: r[3], provenance: r[4], granted_at: r[5] };
      present(byId.get(id)).push(decodeGrantRow(g, id));
    }
    return recs.map((rec) => withGrants(rec, present(byId.get(rec.id))));
  }

  /**
   * `UPDATE accounts SET <only the columns that changed> WHERE id = ? AND version = ?`. Same end state as setting
   * every column, but a column left out of SET is not written, and an index none of whose columns is in SET is
   * not touched: a returning login no longer rewrites the (issuer, subject) index entry, nor binds the claim
   * snapshot when it is unchanged. Without the stored values of this transaction (or when they are of another
   * version, which then fails the version check anyway) every column is set, as before.
   */
  private updateAccount(a: AccountRecord, expectedVersion: number): number {
    const params = accountParams(a);
    const old = this.seen.columns.get(a.id);
    let changes: number;
    if (old === undefined || old[VERSION] !== expectedVersion) {
      changes = this.s.updateAccount.run(updateAccountParams(a, expectedVersion)).changes;
    } else {
      let mask = 0;
      const values: unknown[] = [];
      for (let i = 1; i < params.length; i++) {
        if (params[i] === old[i]) continue;
        mask |= 1 << i;
        values.push(params[i]);
      }
      if (mask === 0) return 1; // nothing differs (not even the version): the row already is this record
      let stmt = this.updates.get(mask);
      if (stmt === undefined) {
        const sets = ACCOUNT_COLUMNS.filter((_, i) => (mask & (1 << i)) !== 0)
          .map((c) => `${c} = ?`)
          .join(', ');
        stmt = this.db.prepare(`UPDATE accounts SET ${sets} WHERE id = ? AND version = ?`);
        this.updates.set(mask, stmt);
      }
      changes = stmt.run(...values, a.id, expectedVersion).changes;
    }
    if (changes === 1) this.seen.columns.set(a.id, params);
    return changes;
  }

  /**
   * Replaces the grants of an account by writing only the difference with the stored rows (same end state as
   * delete-all + insert-all, far fewer dirty pages when one role changes). Input with a repeated key takes the
   * delete + insert path, so the primary key still rejects it (`store/conflict`).
   */
  private replaceGrants(accountId: string, grants: Grant[]): void {
    const s = this.s;
    // The rows read with the account in this transaction are the stored ones (only this method writes grants);
    // once it writes, they are not.
    const stored = this.seen.grants.get(accountId);
    this.seen.grants.delete(accountId);
    const want = new Map<string, { g: Grant; provenance: string }>();
    for (const g of grants) {
      const key = `${g.kind}\u0000${g.name}\u0000${g.source}`;
      if (want.has(key)) {
        s.deleteGrants.run(accountId);
        for (const x of grants)
          s.insertGrant.run(accountId, x.kind, x.name, x.source, encodeProvenance(x), x.grantedAt);
        return;
      }
      want.set(key, { g, provenance: encodeProvenance(g) });
    }
    for (const row of stored ?? (s.grantsOf.all(accountId) as unknown[][])) {
      const [kind, name, source, provenance, grantedAt] = row;
      const key = `${String(kind)}\u0000${String(name)}\u0000${String(source)}`;
      const w = want.get(key);
      if (w === undefined) {
        s.deleteGrant.run(accountId, kind, name, source);
        continue;
      }
      want.delete(key);
      if (w.provenance !== provenance || w.g.grantedAt !== grantedAt) {
        s.updateGrant.run(w.provenance, w.g.grantedAt, accountId, kind, name, source);
      }
    }
    for (const { g, provenance } of want.values())
      s.insertGrant.run(accountId, g.kind, g.name, g.source, provenance, g.grantedAt);
  }

  private makeTx(): StoreTx {
    const s = this.s;
    const db = this.db;
    const wrap = <T>(what: string, f: () => T): Promise<T> => {
      try {
        return Promise.resolve(f());
      } catch (e) {
        return Promise.reject(mapSqliteError(e, what));
      }
    };
    const stmts = new Map<string, Stmt>();
    const prepared = (sql: string): Stmt => {
      let st = stmts.get(sql);
      if (st === undefined) {
        st = db.prepare(sql);
        stmts.set(sql, st);
      }
      return st;
    };
    const scim = scimSqlTx({
      lock: '',
      all: (what, sql, params) =>
        wrap(what, () => prepared(sql).all(...(params as unknown[])) as Record<string, unknown>[]),
      run: (what, sql, params) => wrap(what, () => prepared(sql).run(...(params as unknown[])).changes),
    });
    return {
      ...scim,
      findByKey: (issuer, subject) =>
        wrap('findByKey', () => this.loadAccount(s.findByKey.get(issuer, subject) as AccountRow | undefined, true)),
      findById: (id) => wrap('findById', () => this.loadAccount(s.findById.get(id) as AccountRow | undefined, true)),
      findByUnique: (issuer, field, value) =>
        wrap('findByUnique', () => {
          const held = this.seen.holderOf(issuer, field, value);
          if (held !== undefined) {
            const [accountId, r] = held;
            return decodeUniqueRow({ account_id: accountId, field: r[1], value: r[2], verified: r[3] });
          }
          const row = s.findByUnique.get(issuer, field, value) as Parameters<typeof decodeUniqueRow>[0] | undefined;
          return row ? decodeUniqueRow(row) : null;
        }),
      insertAccount: (a: AccountRecord) =>
        wrap('insertAccount', () => {
          const params = accountParams(a);
          s.insertAccount.run(params);
          // A new row has no grants and no unique entries: the replaceGrants / replaceUnique that follow need not
          // read them back.
          this.seen.columns.set(a.id, params);
          this.seen.grants.set(a.id, []);
          this.seen.unique.set(a.id, []);
        }),
      updateAccount: (a: AccountRecord, expectedVersion: number) =>
        wrap('updateAccount', () => {
          if (this.updateAccount(a, expectedVersion) !== 1) {
            throw new RuntimeError(
              'store/conflict',
              `Account ${a.id} changed concurrently (expected version ${expectedVersion}).`,
            );
          }
        }),
      replaceGrants: (accountId: string, grants: Grant[]) =>
        wrap('replaceGrants', () => this.replaceGrants(accountId, grants)),
      replaceUnique: (accountId: string, issuer: string, entries: UniqueEntry[]) =>
        wrap('replaceUnique', () => {
          // Unchanged entries (the usual returning login) cost one indexed read instead of a delete and re-insert:
          // every page a transaction dirties is written to the WAL at commit.
          const stored = this.seen.unique.get(accountId) ?? (s.uniqueOf.all(accountId) as unknown[][]);
          this.seen.unique.delete(accountId);
          if (sameUnique(stored, issuer, entries)) return;
          if (stored.length > 0) s.deleteUnique.run(accountId);
          for (const e of entries) s.insertUnique.run(issuer, e.field, e.value, accountId, e.verified ? 1 : 0);
        }),
      appendAudit: (e: NewAuditEvent) =>
        wrap('appendAudit', () => {
          const id = uuidV7();
          s.insertAudit.run(id, e.at, e.action, e.issuer, e.subject, e.accountId, e.actor, encodeAuditData(e));
          return id;
        }),
      listAccounts: (query: ListAccountsQuery) =>
        wrap('listAccounts', () => {
          const { where, params } = listAccountsWhere(query, q, statusColumn(query));
          const rows = prepared(`SELECT * FROM accounts ${where} ORDER BY issuer, subject LIMIT ?`).all(
            ...params,
            query.limit,
          ) as AccountRow[];
          return this.loadPage(rows);
        }),
      listAccountSummaries: (query: ListAccountsQuery) =>
        wrap('listAccountSummaries', () => {
          // The same page as listAccounts (same WHERE), five columns and the role names.
          const { where, params } = listAccountsWhere(query, q, statusColumn(query));
          const stmt = prepared(accountSummariesSql(SQLITE_ROLE_NAMES, where, '?')).raw(true);
          return (stmt.all(...params, query.limit) as unknown[][]).map(decodeSummaryRow);
        }),
      listAudit: (query: ListAuditQuery) =>
        wrap('listAudit', () => {
          const rows = (
            query.key ? s.auditKey.all(query.key.issuer, query.key.subject, query.limit) : s.auditAll.all(query.limit)
          ) as AuditRow[];
          return rows.map(decodeAuditRow);
        }),
      insertScimToken: (t) =>
        wrap('insertScimToken', () => {
          s.insertScimToken.run(t.name, t.hash, t.createdAt, t.revokedAt);
        }),
      revokeScimToken: (name, at) => wrap('revokeScimToken', () => s.revokeScimToken.run(at, name).changes === 1),
      listScimTokens: () =>
        wrap('listScimTokens', () => (s.listScimTokens.all() as ScimTokenRow[]).map(decodeScimTokenRow)),
    };
  }
}

const VERSION = ACCOUNT_COLUMNS.indexOf('version');

/**
 * The status column of a page's WHERE (listAccountsWhere): `+status` keeps SQLite from choosing the status index,
 * so the page walks the (issuer, subject) index from where the last page ended. With the status index, a page reads
 * and sorts every account of that status: for each keyset page (a walk of all pages quadratic in their number), and
 * for the first page of a dormant walk (status `active`, which most accounts have: ~36 ms of a 100,000-account
 * store before the first line, against ~3 ms). Only a first page of another status filter (`accounts list --status
 * suspended`, usually few accounts) may use the index.
 */
function statusColumn(query: ListAccountsQuery): string {
  return query.after === undefined && query.lastActiveBefore === undefined ? 'status' : '+status';
}

/**
 * The rows a transaction read with each account it found (findByKey, findById), by account id: its columns
 * (ACCOUNT_COLUMNS order), grant rows (kind, name, source, provenance, granted_at) and unique-index rows (issuer,
 * field, value, verified). `BEGIN IMMEDIATE` holds the write lock from the start, so they stay what the file holds
 * until this transaction writes them; each write drops or refreshes its entry. They save statements on a returning
 * login: updateAccount sets only the columns that differ, replaceGrants and replaceUnique diff without reading
 * again, and findByUnique of a value the account holds needs no query ((issuer, field, value) is the primary key,
 * so no other account can hold it). Cleared when every transaction starts and ends.
 */
class TxReads {
  readonly columns = new Map<string, unknown[]>();
  readonly grants = new Map<string, unknown[][]>();
  readonly unique = new Map<string, unknown[][]>();

  /** The account id and stored row holding (issuer, field, value) among the rows read, if any. */
  holderOf(issuer: string, field: string, value: string): [string, unknown[]] | undefined {
    for (const [accountId, rows] of this.unique) {
      for (const r of rows) if (r[0] === issuer && r[1] === field && r[2] === value) return [accountId, r];
    }
    return undefined;
  }

  clear(): void {
    this.columns.clear();
    this.grants.clear();
    this.unique.clear();
  }
}

/**
 * Checks, writing nothing, that a file opened read-only holds a claimmap store at {@link SCHEMA_VERSION}: no
 * `schema_migrations` table is `store/not-found`, an older version `store/schema-too-old` (a read-only open never
 * migrates), a newer one `store/schema-too-new`.
 */
function checkSchema(db: Db, path: string): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) throw storeNotFound(path, 'the file has no claimmap schema (no schema_migrations table)');
  const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new RuntimeError(
      'store/schema-too-new',
      `The database schema is at version ${current}, newer than this claimmap knows (${SCHEMA_VERSION}).`,
      { hint: 'Upgrade claimmap.' },
    );
  }
  if (current < SCHEMA_VERSION) {
    throw new RuntimeError(
      'store/schema-too-old',
      `The database schema is at version ${current}, older than this claimmap needs (${SCHEMA_VERSION}), and a read-only open does not migrate.`,
      { hint: 'Open it once for writing (SqliteStore.open without readOnly, or any `claimmap login`) to migrate it.' },
    );
  }
}

/** Applies pending migrations, each in its own IMMEDIATE transaction (so concurrent openers queue). */
function migrate(db: Db): void {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) db.exec(MIGRATIONS_TABLE_SQL);
  const current = () =>
    (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  if (current() > SCHEMA_VERSION) {
    throw new RuntimeError(
      'store/schema-too-new',
      `The database schema is at version ${current()}, newer than this claimmap knows (${SCHEMA_VERSION}).`,
      { hint: 'Upgrade claimmap.' },
    );
  }
  for (const m of MIGRATIONS) {
    if (current() >= m.version) continue; // up to date: no write lock needed
    db.exec('BEGIN IMMEDIATE');
    try {
      if (current() < m.version) {
        db.exec(m.sqlite);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
      }
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      const mapped = mapSqliteError(e, `migration ${m.version}`);
      if (mapped instanceof RuntimeError && mapped.code === 'store/busy') throw mapped;
      throw new RuntimeError('store/migration-failed', `Schema migration ${m.version} (${m.name}) failed.`, {
        cause: e,
      });
    }
  }
}
