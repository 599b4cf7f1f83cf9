#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests, on 127.0.0.1:${PASS_TEST_PG_PORT:-54329}.
#   scripts/postgres.sh start   installs Debian's postgresql if missing, starts a fresh cluster,
#                               prints its URL (postgresql://...)
#   scripts/postgres.sh stop    stops it and removes its files
set -euo pipefail
PORT=${PASS_TEST_PG_PORT:-54329}
DATA=/tmp/pass-test-pg-$PORT
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
    as_postgres "$BIN/initdb -D $DATA -A trust -U postgres" >/dev/null
    as_postgres "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '-p $PORT -k $DATA -c listen_addresses=127.0.0.1 -c max_connections=200' start" >/dev/null
    as_postgres "$BIN/psql -h 127.0.0.1 -p $PORT -U postgres -qc 'CREATE DATABASE pass_test'" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$PORT/pass_test"
    ;;
  stop)
    BIN=$(pg_bin)
    if [ -n "$BIN" ] && [ -d "$DATA" ]; then as_postgres "$BIN/pg_ctl -D $DATA -m fast -w stop" >/dev/null || true; fi
    rm -rf "$DATA"
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
