/**
 * Versioned schema migrations shared by SqliteStore and PostgresStore, applied in order at open and recorded in
 * `schema_migrations`. SQLite applies each in its own IMMEDIATE transaction; PostgreSQL applies all pending ones in
 * one transaction under an advisory lock (its DDL is transactional). A failure leaves the previous version in place.
 * Append new versions; never edit an applied one.
 *
 * JSON columns are TEXT on both engines so that one decoder (codec.ts) validates them; instants are ISO 8601 TEXT
 * in UTC (`Date.prototype.toISOString`), which sort lexicographically.
 */
export interface Migration {
  version: number;
  name: string;
  sqlite: string;
  postgres: string;
}

const CORE_TABLES = (dialect: 'sqlite' | 'postgres') => {
  const seq = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
  const bool = dialect === 'sqlite' ? 'INTEGER' : 'BOOLEAN';
  const bigint = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE accounts (
  id               TEXT PRIMARY KEY,
  issuer           TEXT NOT NULL,
  subject          TEXT NOT NULL,
  status           TEXT NOT NULL,
  profile          TEXT NOT NULL,
  last_seen_claims TEXT,
  mapping_digest   TEXT,
  mapping_version  TEXT,
  last_login_at    TEXT,
  last_issued_at   TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  version          ${bigint} NOT NULL,
  CONSTRAINT accounts_key UNIQUE (issuer, subject)
);
CREATE INDEX accounts_activity ON accounts (status, last_login_at);
CREATE TABLE account_unique (
  issuer     TEXT NOT NULL,
  field      TEXT NOT NULL,
  value      TEXT NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  verified   ${bool} NOT NULL,
  PRIMARY KEY (issuer, field, value)
);
CREATE INDEX account_unique_account ON account_unique (account_id);
CREATE TABLE grants (
  account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind       TEXT NOT NULL,
  name       TEXT NOT NULL,
  source     TEXT NOT NULL,
  provenance TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  PRIMARY KEY (account_id, kind, name, source)
);
CREATE TABLE audit_events (
  seq        ${seq},
  id         TEXT NOT NULL UNIQUE,
  at         TEXT NOT NULL,
  action     TEXT NOT NULL,
  issuer     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  account_id TEXT,
  actor      TEXT NOT NULL,
  data       TEXT NOT NULL
);
CREATE INDEX audit_events_key ON audit_events (issuer, subject, seq);
`;
};

/**
 * Version 5: SCIM users, groups and membership (src/runtime/scim/). userName is unique per issuer
 * case-insensitively (its lower-cased copy carries the constraint), externalId exactly; one SCIM user per account.
 * Version 6 is taken by the SCIM bearer tokens (scim_tokens) of the HTTP layer.
 */
const SCIM_TABLES = (dialect: 'sqlite' | 'postgres') => {
  const bigint = dialect === 'sqlite' ? 'INTEGER' : 'BIGINT';
  return `
CREATE TABLE scim_users (
  id                 TEXT PRIMARY KEY,
  issuer             TEXT NOT NULL,
  external_id        TEXT,
  user_name          TEXT NOT NULL,
  user_name_lower    TEXT NOT NULL,
  display_name       TEXT,
  display_name_lower TEXT,
  resource           TEXT NOT NULL,
  account_id         TEXT REFERENCES accounts (id),
  version            ${bigint} NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  CONSTRAINT scim_users_user_name UNIQUE (issuer, user_name_lower),
  CONSTRAINT scim_users_external_id UNIQUE (issuer, external_id),
  CONSTRAINT scim_users_account UNIQUE (account_id)
);
CREATE TABLE scim_groups (
  id                 TEXT PRIMARY KEY,
  issuer             TEXT NOT NULL,
  external_id        TEXT,
  display_name       TEXT NOT NULL,
  display_name_lower TEXT NOT NULL,
  resource           TEXT NOT NULL,
  version            ${bigint} NOT NULL,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  CONSTRAINT scim_groups_display_name UNIQUE (issuer, display_name),
  CONSTRAINT scim_groups_external_id UNIQUE (issuer, external_id)
);
CREATE INDEX scim_groups_display_name_lower ON scim_groups (issuer, display_name_lower);
CREATE TABLE scim_members (
  group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
  user_id  TEXT NOT NULL REFERENCES scim_users (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX scim_members_user ON scim_members (user_id);
`;
};

/** SCIM bearer tokens (migration 6): the same DDL on both engines. */
const SCIM_TOKENS_TABLE = `
CREATE TABLE scim_tokens (
  name       TEXT PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
`;

/** The migrations, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, unique index, grants, audit',
    sqlite: CORE_TABLES('sqlite'),
    postgres: CORE_TABLES('postgres'),
  },
  {
    version: 2,
    name: 'audit events are append-only',
    sqlite: `
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
`,
    postgres: `
CREATE FUNCTION claimmap_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION claimmap_audit_append_only();
`,
  },
  {
    version: 3,
    name: 'fewer pages written per login',
    // Every page a login dirties is written to the WAL at commit (and again at checkpoint). Two index changes:
    // - accounts_activity (status, last_login_at) moved one entry (two pages) on every login, and no query can
    //   range-scan it (dormant() filters on COALESCE(last_login_at, created_at)); an index on status alone serves
    //   the same plan (SEARCH USING INDEX (status=?)) and changes only when the status does.
    // - SQLite: audit_events.seq loses AUTOINCREMENT, which updated sqlite_sequence on every insert. A plain
    //   INTEGER PRIMARY KEY is max(seq) + 1, still strictly increasing because rows are never deleted (the
    //   append-only triggers, recreated here, refuse it). The table is rebuilt: SQLite cannot alter a key.
    //   PostgreSQL's BIGSERIAL has no such cost and is kept.
    sqlite: `
DROP INDEX accounts_activity;
CREATE INDEX accounts_status ON accounts (status);
CREATE TABLE audit_events_v3 (
  seq        INTEGER PRIMARY KEY,
  id         TEXT NOT NULL UNIQUE,
  at         TEXT NOT NULL,
  action     TEXT NOT NULL,
  issuer     TEXT NOT NULL,
  subject    TEXT NOT NULL,
  account_id TEXT,
  actor      TEXT NOT NULL,
  data       TEXT NOT NULL
);
INSERT INTO audit_events_v3 (seq, id, at, action, issuer, subject, account_id, actor, data)
  SELECT seq, id, at, action, issuer, subject, account_id, actor, data FROM audit_events ORDER BY seq;
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
DROP TABLE audit_events;
ALTER TABLE audit_events_v3 RENAME TO audit_events;
DELETE FROM sqlite_sequence WHERE name = 'audit_events';
CREATE INDEX audit_events_key ON audit_events (issuer, subject, seq);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
`,
    postgres: `
DROP INDEX accounts_activity;
CREATE INDEX accounts_status ON accounts (status);
`,
  },
  {
    version: 4,
    name: 'audit events are append-only against every SQL path',
    // Migration 2 covers UPDATE and DELETE (and so ON CONFLICT DO UPDATE, which updates). It left two paths open:
    // - SQLite: REPLACE INTO / INSERT OR REPLACE (also ... SELECT) resolve a uniqueness conflict (seq or id) by
    //   deleting the old row, and delete triggers do not fire for that unless PRAGMA recursive_triggers is on.
    //   A BEFORE INSERT trigger refuses an insert whose seq or id is already taken, before conflict resolution
    //   runs. An auto-assigned seq reads as -1 there, so an AFTER INSERT trigger keeps every stored seq positive
    //   (a row at -1 would otherwise block every later insert).
    // - PostgreSQL: TRUNCATE fires no row trigger; a statement-level BEFORE TRUNCATE trigger refuses it.
    sqlite: `
CREATE TRIGGER audit_events_no_replace BEFORE INSERT ON audit_events
WHEN EXISTS (SELECT 1 FROM audit_events WHERE seq = NEW.seq OR id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_seq_positive AFTER INSERT ON audit_events WHEN NEW.seq < 1
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: seq must be positive'); END;
`,
    postgres: `
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION claimmap_audit_append_only();
`,
  },
  {
    version: 5,
    name: 'SCIM users, groups and membership',
    sqlite: SCIM_TABLES('sqlite'),
    postgres: SCIM_TABLES('postgres'),
  },
  {
    version: 6,
    name: 'SCIM bearer tokens',
    // One row per IdP connection's token: the SHA-256 of a 32-byte random token (never the token), when it was
    // created and revoked. A revoked row stays, so a name is never reused for another token unnoticed.
    sqlite: SCIM_TOKENS_TABLE,
    postgres: SCIM_TOKENS_TABLE,
  },
];

/**
 * The newest schema version this code knows.
 *
 * @example
 * ```ts
 * console.log(`claimmap store schema v${SCHEMA_VERSION}`);
 * ```
 */
export const SCHEMA_VERSION = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);

export const MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;
