#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster on 127.0.0.1 for the test suite.
#   scripts/pg.sh start DIR   initialise (if needed) and start; writes DIR/url (a DATABASE_URL)
#   scripts/pg.sh stop DIR    stop it (and delete DIR when PG_PURGE=1)
# Runs the server as user postgres when called as root (PostgreSQL refuses root).
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?cluster directory}

pgbin() {
  if command -v pg_config >/dev/null 2>&1 && [[ -x "$(pg_config --bindir)/initdb" ]]; then
    pg_config --bindir; return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -z "$newest" ]]; then
    echo "pg.sh: PostgreSQL not found; installing it with apt-get" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    newest=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$newest"
}

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  bin=$(pgbin)
  if [[ $(id -u) == 0 ]] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  mkdir -p "$dir"
  [[ $(id -u) == 0 ]] && chown postgres: "$dir"
  if [[ ! -f "$dir/data/PG_VERSION" ]]; then
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  echo "$bin" >"$dir/bin"
  url="postgres://postgres@127.0.0.1:$port/algoregister"
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qtA -c "CREATE DATABASE algoregister" >/dev/null
  echo "$url" >"$dir/url"
  echo "$url"
  ;;
stop)
  if [[ -f "$dir/bin" && -f "$dir/data/postmaster.pid" ]]; then
    as_pg "$(cat "$dir/bin")/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || true
  fi
  if [[ "${PG_PURGE:-0}" == 1 ]]; then rm -rf "$dir"; fi
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
