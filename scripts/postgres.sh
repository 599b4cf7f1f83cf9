#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, on 127.0.0.1:${PASS_TEST_PG_PORT:-54329}.
#   scripts/postgres.sh start [db...]  installs Debian's postgresql if missing, starts a fresh cluster,
#                               creates the databases (default pass_test), prints the first one's URL
#   scripts/postgres.sh stop    stops it and removes its files
#   scripts/postgres.sh prepare [db...]  start, create the databases, stop again; prints the URL
#   scripts/postgres.sh serve   runs the prepared cluster in the foreground (as the postgres user
#                               when root), for the launcher to supervise (make run-prod)
# PASS_PG_DIR keeps the cluster in a directory of your choice across starts (make run-prod).
set -euo pipefail
PORT=${PASS_TEST_PG_PORT:-54329}
DATA=${PASS_PG_DIR:-/tmp/pass-test-pg-$PORT}
RUN_AS=postgres

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su "$RUN_AS" -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-}" in
  start)
    if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/postgres" ]; then
      echo "installing PostgreSQL (Debian package)..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    BIN=$(pg_bin)
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown "$RUN_AS" "$DATA"
    [ -f "$DATA/PG_VERSION" ] || as_postgres "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
    as_postgres "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=200' start" >/dev/null
    shift
    DBS=("${@:-pass_test}")
    for db in "${DBS[@]}"; do
      exists=$(as_postgres "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='$db'\"")
      [ "$exists" = 1 ] || as_postgres "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -qc 'CREATE DATABASE $db'" >/dev/null
    done
    echo "postgresql://postgres@127.0.0.1:$PORT/${DBS[0]}"
    ;;
  stop)
    BIN=$(pg_bin)
    if [ -n "$BIN" ] && [ -d "$DATA" ]; then as_postgres "$BIN/pg_ctl -D $DATA -m fast -w stop" >/dev/null || true; fi
    [ -n "${PASS_PG_DIR:-}" ] || rm -rf "$DATA"
    ;;
  prepare)
    shift
    url=$("$0" start "$@")
    PASS_PG_DIR=$DATA "$0" stop
    echo "$url"
    ;;
  serve)
    BIN=$(pg_bin)
    # exec, and setpriv rather than su: the launcher's signals reach postgres itself.
    if [ "$(id -u)" = 0 ]; then
      exec setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups -- "$BIN/postgres" -D "$DATA" -p "$PORT" -k "$DATA" \
        -c listen_addresses=127.0.0.1 -c max_connections=200 2>>"$DATA/server.log"
    fi
    exec "$BIN/postgres" -D "$DATA" -p "$PORT" -k "$DATA" -c listen_addresses=127.0.0.1 -c max_connections=200 \
      2>>"$DATA/server.log"
    ;;
  *) echo "usage: $0 start|stop|prepare|serve" >&2; exit 2 ;;
esac
