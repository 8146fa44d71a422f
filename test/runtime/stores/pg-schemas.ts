/**
 * Cleanup of the throwaway schemas the PostgreSQL suites create. One DROP per schema, each its own commit, took
 * longer than a hook's time limit on a loaded 2-core runner once a run had made a hundred schemas; a failed run then
 * left them all behind, and the next run's drops were slower still. Here the drops go in batches (one statement and
 * one commit per batch, few enough schemas that their locks fit in max_locks_per_transaction), and the hook has a
 * limit sized for the batch count, not for one statement.
 */
import type pg from 'pg';

/** Schemas per DROP statement: each takes a lock per table, index and sequence in it (about 20). */
const BATCH = 10;

/** Time limit for an `afterAll` that calls {@link dropSchemas}. */
export const DROP_HOOK_TIMEOUT_MS = 120_000;

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Drops `schemas` (and everything in them) in batches; names must be plain lower-case identifiers. */
export async function dropSchemas(pool: pg.Pool, schemas: readonly string[]): Promise<void> {
  for (const s of schemas) if (!IDENT.test(s)) throw new Error(`not a plain schema name: ${JSON.stringify(s)}`);
  for (let i = 0; i < schemas.length; i += BATCH) {
    await pool.query(`DROP SCHEMA IF EXISTS ${schemas.slice(i, i + BATCH).join(', ')} CASCADE`);
  }
}
