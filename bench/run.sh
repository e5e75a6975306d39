#!/usr/bin/env bash
# `make bench`: every benchmark in one run, then a summary (bench/README.md).
#
#   PY=.venv/bin/python bash bench/run.sh [--skip-ckan]
#
# One private PostgreSQL cluster (scripts/pg.sh) serves bench.pages, bench.exports and
# bench.imports (when bench/imports.py exists); it is stopped and deleted at the end,
# also after an error or Ctrl-C. bench.production and bench.ckan_sync start their own
# PostgreSQL (and CKAN).
# BENCH_ARGS go to bench.ckan_sync. Exit status: 0 when every target is met, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
skip_ckan=0
[[ "${1:-}" == "--skip-ckan" ]] && skip_ckan=1

work=$(mktemp -d "${TMPDIR:-/tmp}/algoregister-bench.XXXXXX")
chmod 755 "$work" # the server runs as user postgres when we are root (scripts/pg.sh)
cleanup() {
  PG_PURGE=1 bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

declare -a names=() codes=()
run() {
  local name=$1
  shift
  echo
  echo "===== $name: $* ====="
  "$@" 2>&1 | tee "$work/$name.log"
  local rc=${PIPESTATUS[0]}
  names+=("$name")
  codes+=("$rc")
}

if ! bash scripts/pg.sh start "$work/pg" >/dev/null; then
  echo "bench: could not start PostgreSQL" >&2
  exit 2
fi
export DATABASE_URL
DATABASE_URL=$(cat "$work/pg/url")

run pages "$PY" -m bench.pages
run exports "$PY" -m bench.exports
if [[ -f bench/imports.py ]]; then
  run imports "$PY" -m bench.imports
fi
PG_PURGE=1 bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true
unset DATABASE_URL
# The example site under gunicorn with two task workers, on its own PostgreSQL cluster.
run production "$PY" -m bench.production
if [[ $skip_ckan == 0 ]]; then
  # shellcheck disable=SC2086  # BENCH_ARGS are options, split on purpose
  run ckan_sync bash -c "bash tests/real_ckan/ckan_install.sh && '$PY' -m bench.ckan_sync ${BENCH_ARGS:-}"
fi

echo
echo "===== summary ====="
failed=0
for i in "${!names[@]}"; do
  name=${names[$i]} rc=${codes[$i]}
  case $rc in
    0) verdict=PASS ;;
    1) verdict=FAIL ;;
    *) verdict="ERROR (exit $rc)" ;;
  esac
  [[ $rc == 0 ]] || failed=1
  echo "$name: $verdict"
  # each benchmark's own lines with a ratio and a verdict
  grep -E '(PASS|FAIL)' "$work/$name.log" | grep -v '^RESULT' | sed 's/^/  /'
done
echo "RESULT: $([[ $failed == 0 ]] && echo PASS || echo FAIL)"
exit $failed
