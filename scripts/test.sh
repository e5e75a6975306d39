#!/usr/bin/env bash
# The whole test suite, as `make test` and CI run it.
# Starts a private PostgreSQL cluster, runs the checks and the suite on
# PostgreSQL, then the suite again on SQLite, and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export PYTHONDONTWRITEBYTECODE=1

pgdir=$(mktemp -d /tmp/algoregister-pg.XXXXXX)
cleanup() { PG_PURGE=1 bash scripts/pg.sh stop "$pgdir" || true; }
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }

step "lint (ruff)"
"$PY" -m ruff check .
"$PY" -m ruff format --check .

step "example site: check and migrations"
(cd example_site && ../"$PY" manage.py check --fail-level WARNING)
(cd example_site && ../"$PY" manage.py makemigrations --check --dry-run --noinput)

step "PostgreSQL cluster"
DATABASE_URL=$(bash scripts/pg.sh start "$pgdir")
echo "$DATABASE_URL"

step "test suite on PostgreSQL"
DATABASE_URL=$DATABASE_URL "$PY" -m pytest "$@"

step "test suite on SQLite"
env -u DATABASE_URL ALGOREGISTER_SKIP_SLOW=1 "$PY" -m pytest -q -m "not slow and not postgres" "$@"
