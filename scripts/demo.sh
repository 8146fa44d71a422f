#!/usr/bin/env bash
# The main job on the examples, against the embedded SQLite store (no server): lint every example mapping, then
# three logins through the Okta example: a JIT create, an update after a group change, and a refused login.
set -euo pipefail
cd "$(dirname "$0")/.."
claimmap() { node --import tsx src/cli/main.ts "$@"; }
DB=demo.claimmap.db
rm -f "$DB" "$DB-wal" "$DB-shm"
M=examples/okta-saml/acme.claimmap

step() { printf '\n\033[1m$ claimmap %s\033[0m\n' "$*"; }

step lint examples/
claimmap lint examples/

step login "$M" examples/okta-saml/jane.saml.xml --store "sqlite:$DB"
claimmap login "$M" examples/okta-saml/jane.saml.xml --store "sqlite:$DB" --now 2026-11-29T09:12:45Z

step login "$M" examples/okta-saml/jane.later.saml.xml --store "sqlite:$DB"
claimmap login "$M" examples/okta-saml/jane.later.saml.xml --store "sqlite:$DB" --now 2026-12-14T08:42:00Z

step login "$M" examples/okta-saml/sam.no-employee-type.saml.xml --store "sqlite:$DB"
# A refused login exits 1 by design; the demo goes on.
claimmap login "$M" examples/okta-saml/sam.no-employee-type.saml.xml --store "sqlite:$DB" --now 2026-12-14T08:43:00Z || true

step accounts list --store "sqlite:$DB"
claimmap accounts list --store "sqlite:$DB"

step audit --store "sqlite:$DB"
claimmap audit --store "sqlite:$DB"
