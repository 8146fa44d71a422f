/**
 * PostgresStore: the production store, on a `pg` Pool. Transactions run at READ COMMITTED; a login locks its
 * account row (`SELECT ... FOR UPDATE`), and a race on a new key or a unique value (23505), a serialization failure
 * (40001) or a deadlock (40P01) rolls back and re-runs the whole transaction, up to `maxRetries` times, with
 * jittered back-off. Migrations run at open under a transaction-scoped advisory lock, so concurrent openers queue.
 *
 * A lost connection (backend terminated, server stopped or restarted, network reset) is a `store/unavailable`,
 * never a crash: every checked-out client has an 'error' listener ({@link guardPool}), and a client that lost its
 * connection is released as broken, so the pool discards it and connects afresh. The transaction is re-run (at
 * most {@link CONNECTION_RETRIES} times) only when COMMIT was not sent: the server rolls back the open transaction
 * of a lost connection, so nothing of the attempt was written. A connection lost while COMMIT was in flight leaves
 * the outcome unknown (the server may have committed): it is never re-run, and the error says so.
 */
import type { Pool, PoolClient, PoolConfig } from 'pg';
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
import { loadDriver } from './driver.js';
import { MIGRATIONS, MIGRATIONS_TABLE_SQL, SCHEMA_VERSION } from './migrations.js';
import { readOnlyTx, storeNotFound } from './read-only.js';
import {
  accountParams,
  accountSummariesSql,
  insertAccountSql,
  listAccountsWhere,
  POSTGRES_ROLE_NAMES,
  sameUnique,
  updateAccountParams,
  updateAccountSql,
} from './sql.js';
import { scimSqlTx } from './scim-sql.js';
import { uuidV7 } from './uuid.js';
import { present } from '../../model/invariant.js';

/**
 * TLS options of a PostgreSQL connection, handed to Node's `tls.connect` (the common ones are declared; the names
 * and types are Node's, so a `tls.ConnectionOptions` with only these fields fits).
 *
 * @example
 * ```ts
 * const ssl: PostgresTlsOptions = { ca: readFileSync('db-ca.pem', 'utf8'), servername: 'db.internal' };
 * const store = await PostgresStore.open({ host: 'db.internal', database: 'app', user: 'app', ssl });
 * ```
 */
export interface PostgresTlsOptions {
  /** Whether the server's certificate must verify against `ca` (default true: keep it). */
  rejectUnauthorized?: boolean;
  /** Trusted CA certificates (PEM), instead of Node's bundled ones. */
  ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** A client certificate chain (PEM), for certificate authentication. */
  cert?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** The client certificate's private key (PEM). */
  key?: string | Uint8Array | ReadonlyArray<string | Uint8Array | { pem: string | Uint8Array; passphrase?: string }>;
  /** The passphrase of `key`. */
  passphrase?: string;
  /** The host name the server's certificate must name (SNI), when it differs from `host`. */
  servername?: string;
  /** The lowest TLS version to accept. */
  minVersion?: 'TLSv1.3' | 'TLSv1.2' | 'TLSv1.1' | 'TLSv1';
}

/**
 * How {@link PostgresStore.open} connects: the `pg` pool options claimmap accepts and forwards, declared here so an
 * app type-checks without `@types/pg`. Names and meanings are pg's (https://node-postgres.com/apis/pool,
 * https://node-postgres.com/apis/client). Any other key is a TypeError: options that change how rows are decoded
 * (`types`) or replace the driver's parts (`Client`, `stream`) would break the store, and the session `options`
 * are claimmap's (`schema` sets the search_path through them).
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open(
 *   { host: 'db', database: 'app', user: 'app', password: () => readSecret('db'), ssl: { ca: caPem } },
 *   { poolSize: 20 },
 * );
 * ```
 */
export interface PostgresConnectionOptions {
  /** A `postgres://user:password@host:port/database?...` URL; the fields below override its parts. */
  connectionString?: string;
  host?: string;
  port?: number;
  user?: string;
  /** The password, or a function that returns it (called for each new connection: rotating credentials). */
  password?: string | (() => string | Promise<string>);
  database?: string;
  /** true: TLS with the default checks; an object: TLS with these options; false (default): no TLS. */
  ssl?: boolean | PostgresTlsOptions;
  /** Shown in `pg_stat_activity`. */
  application_name?: string;
  /** How long a connect may take; also the default of `connectTimeoutMs`. */
  connectionTimeoutMillis?: number;
  /** How long a connection may sit idle in the pool before it is closed (pg's default 10000; 0 never). */
  idleTimeoutMillis?: number;
  /** Pool size, when `poolSize` is not given. */
  max?: number;
  /** Close a connection after it has served this many checkouts. */
  maxUses?: number;
  /** Close a connection this many seconds after it was opened. */
  maxLifetimeSeconds?: number;
  /** Let the process exit while idle connections remain open. */
  allowExitOnIdle?: boolean;
  /** TCP keep-alive on the connection's socket. */
  keepAlive?: boolean;
  keepAliveInitialDelayMillis?: number;
  /** Server-side limits, in milliseconds (`false` or 0: none). */
  statement_timeout?: number | false;
  lock_timeout?: number;
  idle_in_transaction_session_timeout?: number;
  /** Client-side limit on each query, in milliseconds. */
  query_timeout?: number;
}

/** The keys of {@link PostgresConnectionOptions}: what {@link PostgresStore.open} forwards to the pool. */
const CONNECTION_OPTIONS: ReadonlySet<string> = new Set<keyof PostgresConnectionOptions>([
  'connectionString',
  'host',
  'port',
  'user',
  'password',
  'database',
  'ssl',
  'application_name',
  'connectionTimeoutMillis',
  'idleTimeoutMillis',
  'max',
  'maxUses',
  'maxLifetimeSeconds',
  'allowExitOnIdle',
  'keepAlive',
  'keepAliveInitialDelayMillis',
  'statement_timeout',
  'lock_timeout',
  'idle_in_transaction_session_timeout',
  'query_timeout',
]);

/** A copy of `connection` with only the declared options; a TypeError names the first other key. */
function connectionOptions(connection: string | PostgresConnectionOptions): PostgresConnectionOptions {
  if (typeof connection === 'string') return { connectionString: connection };
  if (typeof connection !== 'object' || connection === null) {
    throw new TypeError('connection must be a postgres:// URL or an object of PostgresConnectionOptions');
  }
  for (const key of Object.keys(connection)) {
    if (!CONNECTION_OPTIONS.has(key)) {
      throw new TypeError(
        `unsupported connection option "${key}" (PostgresConnectionOptions: ${[...CONNECTION_OPTIONS].join(', ')})`,
      );
    }
  }
  return { ...connection };
}

/**
 * Options of {@link PostgresStore.open}.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { poolSize: 10, schema: 'claimmap' };
 * const store = await PostgresStore.open(process.env.DATABASE_URL!, options);
 * ```
 */
export interface PostgresStoreOptions {
  /** How many times a transaction is re-run after a serialization failure or a lost insert race. Default 30. */
  maxRetries?: number;
  /** Pool size. Default 10. */
  poolSize?: number;
  /** A schema to create (if missing) and use instead of the connection's default search_path. */
  schema?: string;
  /**
   * How long a transaction waits to check a connection out (for a free pool slot, or to connect) before a
   * `store/unavailable`. Default: the connection's `connectionTimeoutMillis`, else 10000 ms. 0 waits forever.
   */
  connectTimeoutMs?: number;
  /**
   * Whether open migrates the schema (default true). false: open runs no DDL and only checks that the schema is at
   * this claimmap's version (`store/schema-too-old` or `store/schema-too-new` otherwise), for an app that connects
   * as a least-privilege role while an owner role runs the migrations (docs/runtime.md).
   */
  migrate?: boolean;
  /**
   * Open for reading only (default false): every session runs with `default_transaction_read_only` on and every
   * transaction is `BEGIN READ ONLY`; open runs no DDL and no migration, and refuses a database without a claimmap
   * schema (`store/not-found`) or with an older one (`store/schema-too-old`). A write fails with `store/read-only`.
   */
  readOnly?: boolean;
}

const dollar = (i: number) => `$${i}`;
const INSERT_ACCOUNT_SQL = insertAccountSql(dollar);
const UPDATE_ACCOUNT_SQL = updateAccountSql(dollar);
const RETRYABLE = new Set(['40001', '40P01', '23505']);
const MIGRATION_LOCK = 0x636c6d70; // "clmp"

/** Re-runs of a transaction whose connection was lost (or could not be made) before COMMIT was sent. */
const CONNECTION_RETRIES = 3;

/** Default `connectTimeoutMs`: how long a checkout waits for a connection (or a free pool slot). */
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

function pgCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 3; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** SQLSTATEs of a lost or refused connection besides class 08: the server shutting down or starting up. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03']);

/** Socket errors of a lost or refused connection. */
const CONNECTION_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
]);

/** What pg and pg-pool throw, without a code, when a connection ends, is unusable or cannot be made in time. */
const CONNECTION_MESSAGES =
  /Connection terminated|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect|Client was closed/i;

/**
 * Whether `e` (or an error it wraps) says the connection to the server was lost or could not be made, as opposed to
 * an error of a statement. Such a connection is unusable; the transaction on it, if any, did not commit unless
 * COMMIT was in flight.
 */
export function isConnectionError(e: unknown): boolean {
  for (
    let cur: unknown = e, depth = 0;
    cur && typeof cur === 'object' && depth < 4;
    cur = (cur as { cause?: unknown }).cause, depth++
  ) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^08[0-9A-Z]{3}$/.test(code) || CONNECTION_SQLSTATES.has(code) || CONNECTION_ERRNOS.has(code)) return true;
    }
    if (cur instanceof Error && CONNECTION_MESSAGES.test(cur.message)) return true;
  }
  return false;
}

function mapPgError(e: unknown, what: string): unknown {
  if (e instanceof RuntimeError) return e;
  if (isConnectionError(e)) {
    return new RuntimeError('store/unavailable', `PostgreSQL connection lost (${what}).`, { cause: e });
  }
  const code = pgCode(e);
  if (code === undefined) {
    const sys = (e as { code?: unknown } | null)?.code;
    if (typeof sys === 'string' && /^E[A-Z]+$/.test(sys)) {
      return new RuntimeError('store/unavailable', `PostgreSQL is unreachable (${what}): ${sys}.`, { cause: e });
    }
    if (e instanceof Error && /Connection terminated|Client has encountered a connection error/i.test(e.message)) {
      return new RuntimeError('store/unavailable', `PostgreSQL connection lost (${what}).`, { cause: e });
    }
    return e;
  }
  if (code === '25006') {
    return new RuntimeError('store/read-only', `The PostgreSQL store is open read-only (${what}).`, { cause: e });
  }
  if (code === '23505' || code.startsWith('23')) {
    return new RuntimeError('store/conflict', `A constraint rejected the write (${what}): ${code}.`, { cause: e });
  }
  if (code === '40001' || code === '40P01' || code === '55P03') {
    return new RuntimeError('store/busy', `PostgreSQL could not serialise the transaction (${what}): ${code}.`, {
      cause: e,
    });
  }
  if (code.startsWith('08') || code.startsWith('57') || code.startsWith('28') || code === '3D000') {
    return new RuntimeError('store/unavailable', `PostgreSQL is unavailable (${what}): ${code}.`, { cause: e });
  }
  return new RuntimeError('store/write-failed', `PostgreSQL failed (${what}): ${code}.`, { cause: e });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Jittered exponential back-off before re-run `attempt + 1`: 1 ms doubling to 200 ms, times 0.5..1.5. */
const backoff = (attempt: number) => sleep(Math.min(200, 2 ** Math.min(attempt, 7)) * (0.5 + Math.random()));

/** The first connection error each checked-out client emitted (see {@link guardPool}). */
const lostConnection = new WeakMap<object, unknown>();

function recordLostConnection(this: object, err: unknown): void {
  if (!lostConnection.has(this)) lostConnection.set(this, err ?? new Error('Connection terminated'));
}

/**
 * Gives every client of the pool an 'error' listener for as long as it is checked out. pg emits 'error' on a
 * client whose connection dies (a terminated backend, a server shutdown, a reset), even between queries, and an
 * 'error' event without a listener is an uncaught exception that ends the process; pg-pool listens only while a
 * client is idle. The listener is attached in the pool's 'acquire' event, which pg-pool emits synchronously
 * before it removes its idle listener, so no event falls in between (the message that ends a connection may
 * arrive in the same network read as the one that completes its startup). It records the error: the next
 * statement on the client fails, and {@link Lease.release} discards the client.
 */
function guardPool(pool: Pool): void {
  pool.on('error', () => {
    // An idle client lost its connection; pg-pool has discarded it, and the next checkout connects afresh.
  });
  pool.on('acquire', (client) => {
    lostConnection.delete(client);
    client.on('error', recordLostConnection);
  });
  // pg-pool emits 'release' after it has attached its idle listener again.
  pool.on('release', (_err, client) => {
    client.removeListener('error', recordLostConnection);
  });
}

/** A checked-out client of a guarded pool. */
interface Lease {
  readonly client: PoolClient;
  /** The connection error the client emitted while checked out, if any. */
  readonly lost: unknown;
  /** Returns the client to the pool; a broken one (or one that lost its connection) is discarded. */
  release(broken: boolean): void;
}

async function checkout(pool: Pool): Promise<Lease> {
  const client = await pool.connect();
  return {
    client,
    get lost() {
      return lostConnection.get(client);
    },
    release(broken) {
      client.release(broken || lostConnection.has(client));
    },
  };
}

/**
 * The PostgreSQL {@link Store}.
 *
 * @example
 * ```ts
 * const store = await PostgresStore.open(process.env.DATABASE_URL!);
 * try { await provision(plan, claimSet, { store }) } finally { await store.close() }
 * ```
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  private closed = false;

  private constructor(
    private readonly pool: Pool,
    private readonly maxRetries: number,
    /** Whether this store was opened read-only ({@link PostgresStoreOptions.readOnly}). */
    readonly readOnly: boolean = false,
  ) {}

  /**
   * Connects a pool and migrates the schema to the current version.
   *
   * @example
   * ```ts
   * const store = await PostgresStore.open('postgres://app:secret@db/app', { poolSize: 20 });
   * ```
   */
  static async open(
    connection: string | PostgresConnectionOptions,
    options: PostgresStoreOptions = {},
  ): Promise<PostgresStore> {
    const maxRetries = options.maxRetries ?? 30;
    if (!Number.isInteger(maxRetries) || maxRetries < 0)
      throw new TypeError('maxRetries must be a non-negative integer');
    const schema = options.schema;
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new TypeError('schema must be a lower-case SQL identifier');
    }
    const base = connectionOptions(connection);
    const connectTimeout = options.connectTimeoutMs ?? base.connectionTimeoutMillis ?? DEFAULT_CONNECT_TIMEOUT_MS;
    if (!Number.isInteger(connectTimeout) || connectTimeout < 0) {
      throw new TypeError('connectTimeoutMs must be a non-negative integer');
    }
    const readOnly = options.readOnly ?? false;
    const pg = await loadDriver('pg');
    const settings = [
      ...(schema ? [`-c search_path=${schema}`] : []),
      ...(readOnly ? ['-c default_transaction_read_only=on'] : []),
    ];
    const config: PoolConfig = {
      // PostgresTlsOptions declares byte strings as Uint8Array, which Node's tls takes; pg's types say Buffer.
      ...(base as PoolConfig),
      connectionTimeoutMillis: connectTimeout,
      max: options.poolSize ?? base.max ?? 10,
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    };
    const pool = new pg.Pool(config);
    guardPool(pool);
    try {
      if (readOnly) await checkSchemaVersion(pool, 'read-only');
      else if (options.migrate ?? true) await migrate(pool, schema);
      else await checkSchemaVersion(pool, 'migrate-false');
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw e;
    }
    return new PostgresStore(pool, maxRetries, readOnly);
  }

  async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const connectionLimit = Math.min(CONNECTION_RETRIES, this.maxRetries);
    for (let attempt = 0; ; attempt++) {
      if (this.closed) throw new RuntimeError('store/unavailable', 'The PostgreSQL store is closed.');
      let lease: Lease;
      try {
        lease = await checkout(this.pool);
      } catch (e) {
        // Nothing was sent: trying again is safe.
        if (isConnectionError(e) && attempt < connectionLimit && !this.closed) {
          await backoff(attempt);
          continue;
        }
        throw new RuntimeError('store/unavailable', 'Cannot connect to PostgreSQL.', { cause: e });
      }
      const client = lease.client;
      let committing = false;
      let broken = false;
      try {
        await client.query(this.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
        const result = await fn(this.readOnly ? readOnlyTx(pgTx(client, ''), 'PostgreSQL') : pgTx(client));
        // The connection died while fn ran (between statements): COMMIT is not sent.
        if (lease.lost !== undefined) throw lease.lost;
        committing = true;
        await client.query('COMMIT');
        return result;
      } catch (e) {
        if (lease.lost !== undefined || isConnectionError(e)) {
          broken = true;
          if (committing) {
            throw new RuntimeError(
              'store/unavailable',
              'The PostgreSQL connection was lost while COMMIT was in flight: the transaction may or may not ' +
                'have committed.',
              {
                cause: e,
                hint: 'It is not re-run: look the change up (the account, the audit log) before repeating it.',
              },
            );
          }
          // The server rolls back the open transaction of a lost connection: nothing of this attempt was written.
          if (attempt < connectionLimit && !this.closed) {
            await backoff(attempt);
            continue;
          }
          throw new RuntimeError('store/unavailable', 'The PostgreSQL connection was lost; nothing was written.', {
            cause: e,
          });
        }
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true;
        }
        const code = pgCode(e);
        // A lost insert race (23505) resolves on the first re-run, which sees the winner's committed row; a value
        // that stays duplicate is a real conflict, so it gets only a few re-runs.
        const limit = code === '23505' ? Math.min(3, this.maxRetries) : this.maxRetries;
        if (code !== undefined && RETRYABLE.has(code) && attempt < limit) {
          await backoff(attempt);
          continue;
        }
        throw mapPgError(e, 'transaction');
      } finally {
        lease.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/** The transaction view on one client; `lock` is appended to the account lookups (none in a read-only store). */
function pgTx(c: PoolClient, lock = ' FOR UPDATE'): StoreTx {
  const run = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      // Keep the pg error as the cause: transaction() retries on its SQLSTATE.
      throw mapPgError(e, what);
    }
  };
  const load = async (row: AccountRow | undefined): Promise<Account | null> => {
    if (!row) return null;
    const rec = decodeAccountRow(row);
    const g = await c.query('SELECT kind, name, source, provenance, granted_at FROM grants WHERE account_id = $1', [
      rec.id,
    ]);
    return withGrants(
      rec,
      (g.rows as GrantRow[]).map((r) => decodeGrantRow(r, rec.id)),
    );
  };
  const numbered = (sql: string): string => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const scim = scimSqlTx({
    lock,
    all: (what, sql, params) =>
      run(what, async () => (await c.query(numbered(sql), params as unknown[])).rows as Record<string, unknown>[]),
    run: (what, sql, params) =>
      run(what, async () => (await c.query(numbered(sql), params as unknown[])).rowCount ?? 0),
  });
  return {
    ...scim,
    findByKey: (issuer, subject) =>
      run('findByKey', async () => {
        const r = await c.query(`SELECT * FROM accounts WHERE issuer = $1 AND subject = $2${lock}`, [issuer, subject]);
        return load(r.rows[0] as AccountRow | undefined);
      }),
    findById: (id) =>
      run('findById', async () => {
        const r = await c.query(`SELECT * FROM accounts WHERE id = $1${lock}`, [id]);
        return load(r.rows[0] as AccountRow | undefined);
      }),
    findByUnique: (issuer, field, value) =>
      run('findByUnique', async () => {
        const r = await c.query(
          'SELECT account_id, field, value, verified FROM account_unique WHERE issuer = $1 AND field = $2 AND ' +
            'value = $3',
          [issuer, field, value],
        );
        const row = r.rows[0] as Parameters<typeof decodeUniqueRow>[0] | undefined;
        return row ? decodeUniqueRow(row) : null;
      }),
    insertAccount: (a: AccountRecord) =>
      run('insertAccount', async () => {
        await c.query(INSERT_ACCOUNT_SQL, accountParams(a));
      }),
    updateAccount: (a: AccountRecord, expectedVersion: number) =>
      run('updateAccount', async () => {
        const r = await c.query(UPDATE_ACCOUNT_SQL, updateAccountParams(a, expectedVersion));
        if (r.rowCount !== 1) {
          throw new RuntimeError(
            'store/conflict',
            `Account ${a.id} changed concurrently (expected version ${expectedVersion}).`,
          );
        }
      }),
    replaceGrants: (accountId: string, grants: Grant[]) =>
      run('replaceGrants', async () => {
        await c.query('DELETE FROM grants WHERE account_id = $1', [accountId]);
        for (const g of grants) {
          await c.query(
            'INSERT INTO grants (account_id, kind, name, source, provenance, granted_at) VALUES ($1, $2, $3, ' +
              '$4, $5, $6)',
            [accountId, g.kind, g.name, g.source, encodeProvenance(g), g.grantedAt],
          );
        }
      }),
    replaceUnique: (accountId: string, issuer: string, entries: UniqueEntry[]) =>
      run('replaceUnique', async () => {
        // Unchanged entries (the usual returning login) cost one read instead of a delete and re-insert.
        const stored = await c.query({
          text: 'SELECT issuer, field, value, verified FROM account_unique WHERE account_id = $1',
          values: [accountId],
          rowMode: 'array',
        });
        const rows = stored.rows as unknown[][];
        if (sameUnique(rows, issuer, entries)) return;
        if (rows.length > 0) await c.query('DELETE FROM account_unique WHERE account_id = $1', [accountId]);
        for (const e of entries) {
          await c.query(
            'INSERT INTO account_unique (issuer, field, value, account_id, verified) VALUES ($1, $2, $3, $4, $5)',
            [issuer, e.field, e.value, accountId, e.verified],
          );
        }
      }),
    appendAudit: (e: NewAuditEvent) =>
      run('appendAudit', async () => {
        const id = uuidV7();
        await c.query(
          'INSERT INTO audit_events (id, at, action, issuer, subject, account_id, actor, data) VALUES ($1, $2, ' +
            '$3, $4, $5, $6, $7, $8)',
          [id, e.at, e.action, e.issuer, e.subject, e.accountId, e.actor, encodeAuditData(e)],
        );
        return id;
      }),
    listAccounts: (query: ListAccountsQuery) =>
      run('listAccounts', async () => {
        const { where, params } = listAccountsWhere(query, dollar);
        const r = await c.query(
          `SELECT * FROM accounts ${where} ORDER BY issuer, subject LIMIT $${params.length + 1}`,
          [...params, query.limit],
        );
        // The grants of the whole page in one round trip, not one query per account.
        const recs = (r.rows as AccountRow[]).map(decodeAccountRow);
        if (recs.length === 0) return [];
        const byId = new Map<string, Grant[]>();
        for (const rec of recs) byId.set(rec.id, []);
        const g = await c.query(
          'SELECT account_id, kind, name, source, provenance, granted_at FROM grants WHERE account_id = ANY($1::text[])',
          [recs.map((rec) => rec.id)],
        );
        for (const row of g.rows as (GrantRow & { account_id: string })[]) {
          present(byId.get(row.account_id)).push(decodeGrantRow(row, row.account_id));
        }
        return recs.map((rec) => withGrants(rec, present(byId.get(rec.id))));
      }),
    listAccountSummaries: (query: ListAccountsQuery) =>
      run('listAccountSummaries', async () => {
        const { where, params } = listAccountsWhere(query, dollar);
        const r = await c.query({
          text: accountSummariesSql(POSTGRES_ROLE_NAMES, where, `$${params.length + 1}`),
          values: [...params, query.limit],
          rowMode: 'array',
        });
        return (r.rows as unknown[][]).map(decodeSummaryRow);
      }),
    listAudit: (query: ListAuditQuery) =>
      run('listAudit', async () => {
        const r = query.key
          ? await c.query('SELECT * FROM audit_events WHERE issuer = $1 AND subject = $2 ORDER BY seq DESC LIMIT $3', [
              query.key.issuer,
              query.key.subject,
              query.limit,
            ])
          : await c.query('SELECT * FROM audit_events ORDER BY seq DESC LIMIT $1', [query.limit]);
        return (r.rows as AuditRow[]).map(decodeAuditRow);
      }),
    insertScimToken: (t) =>
      run('insertScimToken', async () => {
        await c.query('INSERT INTO scim_tokens (name, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4)', [
          t.name,
          t.hash,
          t.createdAt,
          t.revokedAt,
        ]);
      }),
    revokeScimToken: (name, at) =>
      run('revokeScimToken', async () => {
        const r = await c.query('UPDATE scim_tokens SET revoked_at = $1 WHERE name = $2 AND revoked_at IS NULL', [
          at,
          name,
        ]);
        return r.rowCount === 1;
      }),
    listScimTokens: () =>
      run('listScimTokens', async () => {
        const r = await c.query('SELECT name, hash, created_at, revoked_at FROM scim_tokens ORDER BY name COLLATE "C"');
        return (r.rows as ScimTokenRow[]).map(decodeScimTokenRow);
      }),
  };
}

async function migrate(pool: Pool, schema: string | undefined): Promise<void> {
  let lease: Lease;
  try {
    lease = await checkout(pool);
  } catch (e) {
    throw new RuntimeError('store/unavailable', 'Cannot connect to PostgreSQL.', { cause: e });
  }
  const client = lease.client;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(MIGRATIONS_TABLE_SQL);
    const r = await client.query('SELECT MAX(version) AS v FROM schema_migrations');
    const current = Number((r.rows[0] as { v: number | null }).v ?? 0);
    if (current > SCHEMA_VERSION) throw schemaTooNew(current);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      try {
        await client.query(m.postgres);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      } catch (e) {
        if (isConnectionError(e)) throw e;
        throw new RuntimeError('store/migration-failed', `Schema migration ${m.version} (${m.name}) failed.`, {
          cause: e,
        });
      }
    }
    await client.query('COMMIT');
  } catch (e) {
    if (lease.lost === undefined) await client.query('ROLLBACK').catch(() => undefined);
    throw mapPgError(e, 'migrate');
  } finally {
    lease.release(false);
  }
}

function schemaTooNew(current: number): RuntimeError {
  return new RuntimeError(
    'store/schema-too-new',
    `The database schema is at version ${current}, newer than this claimmap knows (${SCHEMA_VERSION}).`,
    { hint: 'Upgrade claimmap.' },
  );
}

/**
 * Checks, without DDL or locks, that the schema is at {@link SCHEMA_VERSION}: for `migrate: false`, and for a
 * read-only store, which also refuses a database that has no claimmap schema at all (`store/not-found`).
 */
async function checkSchemaVersion(pool: Pool, why: 'migrate-false' | 'read-only'): Promise<void> {
  let current: number;
  try {
    const r = await pool.query('SELECT MAX(version) AS v FROM schema_migrations');
    current = Number((r.rows[0] as { v: number | null }).v ?? 0);
  } catch (e) {
    if (pgCode(e) !== '42P01') throw mapPgError(e, 'schema version');
    // no schema_migrations table: never migrated
    if (why === 'read-only')
      throw storeNotFound('this PostgreSQL database', 'no claimmap schema (no schema_migrations table)');
    current = 0;
  }
  if (current > SCHEMA_VERSION) throw schemaTooNew(current);
  if (current < SCHEMA_VERSION) {
    throw new RuntimeError(
      'store/schema-too-old',
      `The database schema is at version ${current}, older than this claimmap needs (${SCHEMA_VERSION}), and this store does not migrate (${why === 'read-only' ? 'read-only' : 'migrate: false'}).`,
      {
        hint: 'Run the migrations as the schema owner: PostgresStore.open with the owner role (migrate defaults to true), or a writing command such as `claimmap login MAPPING CLAIMS --store <owner url>` (read commands never migrate).',
      },
    );
  }
}
