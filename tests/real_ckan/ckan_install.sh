#!/usr/bin/env bash
# Install a throw-away CKAN 2.12 (+ ckanext-scheming, ckanext-dcat, ckanext-harvest) into its own venv,
# for the tests that run against a real CKAN (tests/real_ckan/fixtures.py).
# Idempotent: a marker file in the venv makes a second run return at once.
#   CKAN_VENV    venv path (default <repo>/.venv-ckan)
#   CKAN_PYTHON  interpreter for the venv (default python3.11, else python3)
# The CKAN venv is separate from the project's: CKAN pins ~60 packages (SQLAlchemy,
# Flask, requests, ...) that must not leak into the package's own test environment.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CKAN_VENV=${CKAN_VENV:-$REPO/.venv-ckan}

# Everything pinned: these versions were tested together (CKAN 2.12.0 on Python 3.11).
SPECS=(
  "ckan[requirements]==2.12.0"
  "ckanapi==4.11"
  "luqum==1.0.0"            # Lucene query parser for fake_solr.py
  "ckanext-scheming==3.1.0"
  "ckanext-dcat==2.4.4"
  "ckanext-harvest==1.6.3"  # the dcat_rdf harvester (tests/test_catalog_harvest.py)
)
stamp="$CKAN_VENV/.ckan-installed-$(printf '%s\n' "${SPECS[@]}" | md5sum | cut -c1-12)"
if [[ -f $stamp && -x $CKAN_VENV/bin/ckan ]]; then
  echo "ckan_install: $CKAN_VENV is up to date"
  exit 0
fi
t0=$SECONDS

# System packages. psycopg2 is built from source (gcc, libpq-dev with pg_config, Python
# headers); python-magic needs libmagic1; the private cluster needs PostgreSQL's server
# binaries; ckan_up.sh runs the server as user postgres when called as root.
PY=${CKAN_PYTHON:-}
if [[ -z $PY ]]; then
  if command -v python3.11 >/dev/null; then PY=python3.11; else PY=python3; fi
fi
need=()
have_pkg() { dpkg -s "$1" >/dev/null 2>&1; }
for p in gcc libpq-dev libmagic1; do have_pkg "$p" || need+=("$p"); done
if ! ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
  ! { command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; }; then
  need+=(postgresql)
fi
# a Debian python needs -dev (headers) and -venv; a python built elsewhere (pyenv) has both
if ! "$PY" -c 'import sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'; then
  need+=("$(basename "$(readlink -f "$(command -v "$PY")")")-dev")
fi
if ! "$PY" -c 'import ensurepip' 2>/dev/null; then
  need+=("$(basename "$(readlink -f "$(command -v "$PY")")")-venv")
fi
if ((${#need[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "ckan_install: missing system packages (${need[*]}); install them as root" >&2
    exit 1
  fi
  echo "ckan_install: apt-get install ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

rm -f "$CKAN_VENV"/.ckan-installed-*
[[ -x $CKAN_VENV/bin/python ]] || "$PY" -m venv "$CKAN_VENV"
pip_install() { # quiet; drops pip's warnings about unreachable local index folders
  "$CKAN_VENV/bin/python" -m pip install -q --disable-pip-version-check "$@" 2>&1 |
    { grep -v "^WARNING: Location 'file:" || true; }
}
pip_install --upgrade pip wheel
# ckan's wheel pins all its runtime dependencies behind the [requirements] extra
pip_install "${SPECS[@]}"
"$CKAN_VENV/bin/python" -c "import ckan, ckanext.dcat, ckanext.harvest, ckanext.scheming, luqum, ckanapi"
touch "$stamp"
echo "ckan_install: ckan $("$CKAN_VENV/bin/python" -c 'import ckan; print(ckan.__version__)') in $CKAN_VENV ($((SECONDS - t0)) s)"
