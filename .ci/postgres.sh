#!/usr/bin/env bash
# Installs (if missing) and starts a local PostgreSQL from Debian's packages, creates a test role and database,
# and prints `export CLAIMMAP_TEST_PG=postgres://...` on stdout (everything else goes to stderr).
# It also creates a second, disposable cluster ("faults", port 5433 by default) for the connection-loss tests,
# which stop and restart their server; it prints `export CLAIMMAP_TEST_PG_FAULTS=postgres://...` and
# `export CLAIMMAP_TEST_PG_FAULTS_CLUSTER=<version>/faults` (what `pg_ctlcluster` needs to restart it).
# The shared cluster ("main") is never restarted by any test. CLAIMMAP_PG_FAULTS=0 skips the second cluster.
# Idempotent: safe to run again on a machine where it already ran. Needs root (CI containers run as root).
# Usage from .ci/run:   eval "$(.ci/postgres.sh)"
set -euo pipefail

PG_USER="${CLAIMMAP_PG_USER:-claimmap}"
PG_PASSWORD="${CLAIMMAP_PG_PASSWORD:-claimmap}"
PG_DB="${CLAIMMAP_PG_DB:-claimmap_test}"
PG_PORT="${CLAIMMAP_PG_PORT:-5432}"
PG_FAULTS="${CLAIMMAP_PG_FAULTS:-1}"
PG_FAULTS_PORT="${CLAIMMAP_PG_FAULTS_PORT:-5433}"

log() { echo "postgres.sh: $*" >&2; }

for v in "$PG_USER" "$PG_DB"; do
  [[ "$v" =~ ^[a-z_][a-z0-9_]{0,62}$ ]] || { log "invalid identifier: $v"; exit 1; }
done
[[ "$PG_PASSWORD" =~ ^[A-Za-z0-9_.-]+$ ]] || { log "CLAIMMAP_PG_PASSWORD must be [A-Za-z0-9_.-]+"; exit 1; }
for p in "$PG_PORT" "$PG_FAULTS_PORT"; do
  [[ "$p" =~ ^[0-9]+$ ]] || { log "invalid port: $p"; exit 1; }
done

if [ "$(id -u)" -ne 0 ]; then
  log "must run as root (installs packages and starts the cluster)"; exit 1
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing postgresql from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y --no-install-recommends postgresql >&2
fi

# The newest installed major version.
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"

# ensure_cluster NAME PORT: creates (if missing) and starts a loopback-only cluster with the test role and
# database; sets PORT to the port it listens on.
ensure_cluster() {
  local cluster="$1" port="$2"
  if ! pg_lsclusters -h 2>/dev/null | awk '{print $1" "$2}' | grep -qx "$PG_VERSION $cluster"; then
    log "creating cluster $PG_VERSION/$cluster"
    pg_createcluster --port "$port" "$PG_VERSION" "$cluster" >&2
  fi

  # Listen on the loopback interface only.
  local conf="/etc/postgresql/$PG_VERSION/$cluster/postgresql.conf"
  if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
    echo "listen_addresses = '127.0.0.1'" >> "$conf"
  fi

  local status
  status="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$cluster" '$1==v && $2==c {print $4}')"
  if [ "$status" != "online" ]; then
    log "starting cluster $PG_VERSION/$cluster"
    pg_ctlcluster "$PG_VERSION" "$cluster" start >&2
  fi
  PORT="$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$cluster" '$1==v && $2==c {print $3}')"

  # Wait until it accepts connections (at most ~30 s).
  for _ in $(seq 1 60); do
    if su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT"; then break; fi
    sleep 0.5
  done
  su postgres -c "pg_isready -q -h 127.0.0.1 -p $PORT" || { log "cluster $cluster did not become ready"; exit 1; }

  psql_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -p $PORT -d postgres -c \"$1\""; }

  if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
    log "creating role $PG_USER in $cluster"
    psql_admin "CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'" >&2
  fi
  # The least-privilege test creates (and drops) its own login role, so the test role may create roles.
  psql_admin "ALTER ROLE $PG_USER CREATEROLE" >&2
  if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
    log "creating database $PG_DB in $cluster"
    psql_admin "CREATE DATABASE $PG_DB OWNER $PG_USER" >&2
  fi
}

ensure_cluster main "$PG_PORT"
echo "export CLAIMMAP_TEST_PG=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PORT/$PG_DB"

if [ "$PG_FAULTS" != "0" ]; then
  ensure_cluster faults "$PG_FAULTS_PORT"
  echo "export CLAIMMAP_TEST_PG_FAULTS=postgres://$PG_USER:$PG_PASSWORD@127.0.0.1:$PORT/$PG_DB"
  echo "export CLAIMMAP_TEST_PG_FAULTS_CLUSTER=$PG_VERSION/faults"
fi
