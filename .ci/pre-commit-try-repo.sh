#!/usr/bin/env bash
# Proves the repository's pre-commit hooks (.pre-commit-hooks.yaml: claimmap-lint, claimmap-fmt) offline:
# `pre-commit try-repo` on a scratch repository holding a clean and a broken mapping. The clean one must pass
# both hooks, the broken one must be blocked. Needs dist/ (npm ci builds it through `prepare`) and pre-commit
# (PRE_COMMIT=path/to/pre-commit to pick one; .ci/run installs Debian's). Run from .ci/run and by
# test/docs/hook-recipes.test.ts.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pre_commit="${PRE_COMMIT:-pre-commit}"
log() { echo "pre-commit-try-repo: $*" >&2; }

[ -f "$root/dist/cli/main.js" ] || { log "dist/cli/main.js is missing: run npm run build first"; exit 1; }
command -v "$pre_commit" >/dev/null || { log "$pre_commit not found (apt-get install pre-commit)"; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/cache" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=ci GIT_AUTHOR_EMAIL=ci@example.invalid GIT_COMMITTER_NAME=ci GIT_COMMITTER_EMAIL=ci@example.invalid

git init -q "$tmp/repo"
cd "$tmp/repo"
# The project's own claimmap, as `npm install --save-dev claimmap` would install it.
mkdir -p node_modules/.bin
printf '#!/bin/sh\nexec node "%s/dist/cli/main.js" "$@"\n' "$root" > node_modules/.bin/claimmap
chmod +x node_modules/.bin/claimmap
printf 'node_modules/\n' > .gitignore
mkdir idp
cp "$root/examples/okta-saml/acme.claimmap" idp/clean.claimmap
# Folding group names makes "Okta-Admins" unmatchable and admin reachable by look-alikes: two lint errors.
sed 's/from "groups"         optional/from "groups"         optional normalize lower/' idp/clean.claimmap > idp/broken.claimmap
cmp -s idp/clean.claimmap idp/broken.claimmap && { log "could not derive the broken mapping"; exit 1; }
git add .gitignore idp

log "$("$pre_commit" --version), hooks from $root"
if ! "$pre_commit" try-repo "$root" --files idp/clean.claimmap; then
  log "FAIL: the hooks refused a clean mapping"; exit 1
fi
if "$pre_commit" try-repo "$root" --files idp/broken.claimmap > "$tmp/broken.out" 2>&1; then
  cat "$tmp/broken.out" >&2; log "FAIL: the hooks let a broken mapping through"; exit 1
fi
cat "$tmp/broken.out" >&2
grep -q 'literal/never-matches' "$tmp/broken.out" || { log "FAIL: blocked, but not by claimmap lint"; exit 1; }
log "ok: clean mapping passes, broken mapping is blocked"
