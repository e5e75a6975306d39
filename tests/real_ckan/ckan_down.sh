#!/usr/bin/env bash
# Stop what ckan_up.sh started in CKAN_HOME: CKAN and fake Solr (by PID, with their
# process groups), the watchdog, then the private PostgreSQL cluster.
#   CKAN_HOME     the instance's folder (required)
#   CKAN_PURGE=1  also delete CKAN_HOME (cluster, logs, tokens)
set -uo pipefail
CKAN_HOME=${CKAN_HOME:?CKAN_HOME is required}
[[ -d $CKAN_HOME ]] || exit 0

# alive = exists and is not a zombie (orphans may be reaped late by PID 1); no `ps`
# needed (a bare Debian has no procps)
alive() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}
stop_pid() { # pidfile: TERM the process group (setsid leaders), wait 5 s, then KILL
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if [[ -n $pid ]] && { kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null; }; then
    for _ in $(seq 100); do alive "$pid" || break; sleep 0.05; done
    if alive "$pid"; then kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null; fi
  fi
  rm -f "$f"
}

# the watchdog runs this script itself when its owner is gone: do not kill it then
if [[ -f $CKAN_HOME/watchdog.pid ]]; then
  wd=$(cat "$CKAN_HOME/watchdog.pid")
  if [[ $wd == "$$" || $wd == "$PPID" ]]; then
    rm -f "$CKAN_HOME/watchdog.pid"
  else
    stop_pid "$CKAN_HOME/watchdog.pid"
  fi
fi
stop_pid "$CKAN_HOME/ckan.pid"
stop_pid "$CKAN_HOME/solr.pid"

PG_DIR=$CKAN_HOME/pg
if [[ -f $PG_DIR/data/postmaster.pid && -f $CKAN_HOME/pg_bin ]]; then
  pg_ctl=$(cat "$CKAN_HOME/pg_bin")/pg_ctl
  if [[ $(id -u) == 0 ]]; then
    runuser -u postgres -- "$pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null
  else
    "$pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null
  fi
fi
if [[ ${CKAN_PURGE:-0} == 1 ]]; then
  rm -rf "$CKAN_HOME"
fi
exit 0
