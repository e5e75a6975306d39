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

# A real CKAN 2.12 (own venv, cached) for the tests marked `ckan`; the fixtures in
# tests/real_ckan/fixtures.py start and stop the instances.
step "real CKAN (install into ${CKAN_VENV:-.venv-ckan})"
bash tests/real_ckan/ckan_install.sh

# Debian's Chromium and axe-core for the browser tests (marked `browser`).
step "browser test dependencies"
bash scripts/browser_deps.sh

step "test suite on PostgreSQL"
DATABASE_URL=$DATABASE_URL "$PY" -m pytest "$@"

step "test suite on SQLite"
env -u DATABASE_URL "$PY" -m pytest -q -m "not slow and not postgres and not ckan and not browser" "$@"

# The oldest supported Wagtail (7.4 LTS), in a venv of its own, on SQLite.
step "test suite with Wagtail 7.4 LTS"
compat=.venv-wagtail7.4
if [[ ! -x $compat/bin/python ]] || [[ pyproject.toml -nt $compat/.installed ]]; then
  "$PY" -m venv "$compat"
  "$compat/bin/python" -m pip install --quiet "wagtail>=7.4,<7.5" -e ".[testing]"
  touch "$compat/.installed"
fi
"$compat/bin/python" -c 'import wagtail; print("wagtail", wagtail.__version__)'
env -u DATABASE_URL "$compat/bin/python" -m pytest -q -p no:cacheprovider -m "not slow and not postgres and not ckan and not browser" "$@"
(cd example_site && ../"$compat"/bin/python manage.py makemigrations --check --dry-run --noinput)
