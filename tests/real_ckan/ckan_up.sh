#!/usr/bin/env bash
# Start a throw-away CKAN 2.12 for tests: a private PostgreSQL cluster, fake_solr.py (an
# in-memory stand-in for Solr) and CKAN, all on 127.0.0.1 and on free ports chosen now,
# so several instances (and the suite's own PostgreSQL) never collide.
#
#   CKAN_KIND          plain (vanilla CKAN, no plugins; default),
#                      dcat  (scheming_datasets + dcat: dataset type `dataset` with
#                             ckanext-dcat's DCAT-AP schema, `donl-dataset` with
#                             donl_dataset.yaml; /catalog.ttl and /dataset/<id>.rdf) or
#                      harvest (scheming_datasets + dcat + harvest + dcat_rdf_harvester:
#                             harvests DCAT catalogues into ckanext-dcat's DCAT-AP
#                             schema; run a job with harvest_sync.py)
#   CKAN_HOME          state folder (default: a new /tmp/algoregister-ckan-<kind>.XXXXXX)
#   CKAN_VENV          CKAN's venv (default <repo>/.venv-ckan, see ckan_install.sh)
#   CKAN_PORT, PG_PORT fixed ports instead of free ones
#   CKAN_EXTRA_CONFIG  extra "key = value" lines for [app:main]
#   CKAN_WATCH_PID     stop everything (ckan_down.sh, deleting CKAN_HOME) when this
#                      process ends, e.g. the pytest process that started the instance
#
# On success prints the CKAN_HOME and writes there ckan.env (shell: CKAN_URL, tokens, ...)
# and ckan.json (the same for the pytest fixtures). Stop with ckan_down.sh.
# On failure stops what it started, prints the relevant log tail and exits non-zero.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
CKAN_KIND=${CKAN_KIND:-plain}
CKAN_VENV=${CKAN_VENV:-$REPO/.venv-ckan}
CKAN_EXTRA_CONFIG=${CKAN_EXTRA_CONFIG:-}
H=127.0.0.1
PY=$CKAN_VENV/bin/python

case $CKAN_KIND in
plain)
  plugins=""
  kind_config=""
  ;;
dcat)
  plugins="scheming_datasets dcat"
  kind_config="scheming.dataset_schemas = ckanext.dcat.schemas:dcat_ap_full.yaml file://$HERE/donl_dataset.yaml
scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml
ckanext.dcat.rdf.profiles = euro_dcat_ap_3"
  ;;
harvest)
  # dcat + ckanext-harvest's dcat_rdf harvester; harvested datasets get ckanext-dcat's
  # DCAT-AP scheming schema (the euro_dcat_ap_scheming profile maps the RDF onto it).
  # Harvest jobs run in process (harvest_sync.py): no Redis, no gather/fetch consumers.
  plugins="scheming_datasets dcat harvest dcat_rdf_harvester"
  kind_config="scheming.dataset_schemas = ckanext.dcat.schemas:dcat_ap_full.yaml
scheming.presets = ckanext.scheming:presets.json ckanext.dcat.schemas:presets.yaml
ckanext.dcat.rdf.profiles = euro_dcat_ap_3 euro_dcat_ap_scheming"
  ;;
*)
  echo "ckan_up: unknown CKAN_KIND '$CKAN_KIND' (plain, dcat or harvest)" >&2
  exit 2
  ;;
esac
if [[ ! -x $CKAN_VENV/bin/ckan ]]; then
  echo "ckan_up: no CKAN in $CKAN_VENV; run tests/real_ckan/ckan_install.sh first" >&2
  exit 1
fi
PGBIN=""
if command -v pg_config >/dev/null && [[ -x "$(pg_config --bindir)/initdb" ]]; then
  PGBIN=$(pg_config --bindir)
else
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [[ -z $PGBIN ]]; then
  echo "ckan_up: PostgreSQL not found; run tests/real_ckan/ckan_install.sh first" >&2
  exit 1
fi

if [[ -z ${CKAN_HOME:-} ]]; then
  CKAN_HOME=$(mktemp -d "/tmp/algoregister-ckan-$CKAN_KIND.XXXXXX")
elif compgen -G "$CKAN_HOME/*.pid" >/dev/null || [[ -f $CKAN_HOME/pg/data/postmaster.pid ]]; then
  # leftovers of an earlier run in the same folder are stopped first
  CKAN_HOME=$CKAN_HOME bash "$HERE/ckan_down.sh" >/dev/null
fi
mkdir -p "$CKAN_HOME/storage"
# as root PostgreSQL runs as user postgres, which must reach $CKAN_HOME/pg
chmod 755 "$CKAN_HOME"
PG_DIR=$CKAN_HOME/pg
echo "$CKAN_KIND" >"$CKAN_HOME/kind"

fail() {
  echo "ckan_up: $*" >&2
  exit 1
}
started=0
cleanup_on_error() {
  if ((!started)); then
    CKAN_HOME=$CKAN_HOME bash "$HERE/ckan_down.sh" >/dev/null 2>&1 || true
  fi
}
trap cleanup_on_error EXIT

as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# wait_for http URL PID SECONDS: until URL answers 200
# wait_for file PATH PID SECONDS: until file PATH exists
# both give up early (exit 3) when process PID has died
wait_for() {
  "$PY" - "$@" <<'PY'
import os, sys, time, urllib.request
what, target, pid, limit = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
end = time.monotonic() + limit
while time.monotonic() < end:
    if what == "file":
        if os.path.exists(target):
            sys.exit(0)
    else:
        try:
            with urllib.request.urlopen(target, timeout=5) as r:
                if r.status == 200:
                    sys.exit(0)
        except Exception:
            pass
    try:
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                sys.exit(3)
    except FileNotFoundError:
        sys.exit(3)
    time.sleep(0.05)
sys.exit(4)
PY
}

# 1. PostgreSQL: a cluster of its own, no fsync (test data only)
mkdir -p "$PG_DIR"
[[ $(id -u) == 0 ]] && chown postgres: "$PG_DIR"
if [[ ! -f $PG_DIR/data/PG_VERSION ]]; then
  as_pg "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 || {
    tail -20 "$PG_DIR/initdb.log" >&2
    fail "initdb failed"
  }
fi
echo "$PGBIN" >"$CKAN_HOME/pg_bin"
for try in 1 2 3; do
  port=${PG_PORT:-$(free_port)}
  if as_pg "$PGBIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=$H -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null; then
    PG_PORT=$port
    break
  fi
  if ((try == 3)) || [[ -n ${PG_PORT:-} ]]; then
    tail -20 "$PG_DIR/server.log" >&2
    fail "PostgreSQL did not start"
  fi
done
export PGOPTIONS="-c client_min_messages=warning"
"$PGBIN/psql" -h $H -p "$PG_PORT" -U postgres -qtA \
  -c "CREATE USER ckan WITH PASSWORD 'ckan'" \
  -c "CREATE DATABASE ckan OWNER ckan ENCODING 'utf-8'" >/dev/null

# 2. fake Solr (in memory): binds a free port itself and writes it to solr.port
rm -f "$CKAN_HOME/solr.port"
setsid "$PY" "$HERE/fake_solr.py" --host $H --port 0 --port-file "$CKAN_HOME/solr.port" \
  >"$CKAN_HOME/solr.log" 2>&1 </dev/null &
echo $! >"$CKAN_HOME/solr.pid"
wait_for file "$CKAN_HOME/solr.port" "$(cat "$CKAN_HOME/solr.pid")" 20 || {
  tail -20 "$CKAN_HOME/solr.log" >&2
  fail "fake Solr did not start"
}
SOLR_PORT=$(cat "$CKAN_HOME/solr.port")

# 3. CKAN config (bootstrap.py sets ckan.site_url to the port it binds)
cat >"$CKAN_HOME/ckan.ini" <<EOF
[app:main]
use = egg:ckan
SECRET_KEY = ckan-tests-not-secret
api_token.jwt.encode.secret = string:ckan-tests-not-secret
api_token.jwt.decode.secret = string:ckan-tests-not-secret
ckan.site_id = default
ckan.site_url = http://$H:${CKAN_PORT:-5000}
sqlalchemy.url = postgresql://ckan:ckan@$H:$PG_PORT/ckan
solr_url = http://$H:$SOLR_PORT/solr/ckan
# Redis is not needed by the Action API (only by background jobs); nothing listens on
# port 9, so CKAN logs "Could not connect to Redis" once at start-up
ckan.redis.url = redis://$H:9/1
ckan.storage_path = $CKAN_HOME/storage
ckan.plugins = $plugins
$kind_config
$CKAN_EXTRA_CONFIG

[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
EOF

# 4. CKAN in one process (bootstrap.py): bind a free port (or CKAN_PORT); create the
# schema, sysadmin, organisation, editor and tokens; write ckan.boot.json; then serve
# the app with Werkzeug, threaded, as `ckan run` does
rm -f "$CKAN_HOME/ckan.boot.json"
setsid "$PY" "$HERE/bootstrap.py" "$CKAN_HOME/ckan.ini" --serve $H --port "${CKAN_PORT:-0}" \
  --info "$CKAN_HOME/ckan.boot.json" >"$CKAN_HOME/ckan.log" 2>&1 </dev/null &
pid=$!
echo $pid >"$CKAN_HOME/ckan.pid"
wait_for file "$CKAN_HOME/ckan.boot.json" "$pid" 120 || {
  tail -40 "$CKAN_HOME/ckan.log" >&2
  fail "CKAN bootstrap failed"
}
URL=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$CKAN_HOME/ckan.boot.json")
wait_for http "$URL/api/3/action/status_show" "$pid" 60 || {
  tail -40 "$CKAN_HOME/ckan.log" >&2
  fail "CKAN did not answer at $URL"
}

"$PY" - "$CKAN_HOME" "$URL" "$CKAN_KIND" "$PGBIN" "$PG_PORT" <<'PY'
import json, os, sys, urllib.request
home, url, kind, pg_bin, pg_port = sys.argv[1:6]
with open(os.path.join(home, "ckan.boot.json")) as f:
    info = json.load(f)
with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=10) as r:
    version = json.load(r)["result"]["ckan_version"]
info.update(url=url, kind=kind, ckan_version=version, home=home,
            ini=os.path.join(home, "ckan.ini"), pg_bin=pg_bin,
            db_url=f"postgresql://ckan:ckan@127.0.0.1:{pg_port}/ckan")
with open(os.path.join(home, "ckan.json"), "w") as f:
    json.dump(info, f, indent=1)
env = {"CKAN_URL": url, "CKAN_KIND": kind, "CKAN_VERSION": version,
       "CKAN_ORGANIZATION": info["organization"],
       "CKAN_SYSADMIN": info["sysadmin"], "CKAN_SYSADMIN_TOKEN": info["sysadmin_token"],
       "CKAN_EDITOR": info["editor"], "CKAN_EDITOR_TOKEN": info["editor_token"],
       "CKAN_INI": info["ini"], "CKAN_HOME": home, "CKAN_DB_URL": info["db_url"]}
with open(os.path.join(home, "ckan.env"), "w") as f:
    f.writelines(f"{k}={v}\n" for k, v in env.items())
PY

# 5. optional watchdog: stop everything when the owner process is gone
if [[ -n ${CKAN_WATCH_PID:-} ]]; then
  # shellcheck disable=SC2016
  setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.5; done
    CKAN_HOME=$2 CKAN_PURGE=1 bash "$3"' _ "$CKAN_WATCH_PID" "$CKAN_HOME" "$HERE/ckan_down.sh" \
    >/dev/null 2>&1 </dev/null &
  echo $! >"$CKAN_HOME/watchdog.pid"
fi

started=1
echo "$CKAN_HOME"
echo "ckan_up: CKAN $CKAN_KIND ready at $URL (settings in $CKAN_HOME/ckan.env)" >&2
