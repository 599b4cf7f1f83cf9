#!/usr/bin/env bash
# A Redis on 127.0.0.1:${PASS_REDIS_PORT:-63799} (Debian's redis-server), like scripts/postgres.sh.
#   scripts/redis.sh start   installs redis-server if missing, starts it, prints its URL (redis://...)
#   scripts/redis.sh stop    stops it and removes its files (unless PASS_REDIS_DIR was given)
#   scripts/redis.sh serve   runs it in the foreground, for the launcher to supervise (make run-prod)
# PASS_REDIS_DIR keeps the data in a directory of your choice (make run-prod: var/redis).
set -euo pipefail
PORT=${PASS_REDIS_PORT:-63799}
DATA=${PASS_REDIS_DIR:-/tmp/pass-redis-$PORT}

case "${1:-}" in
  start)
    if ! command -v redis-server >/dev/null; then
      echo "installing Redis (Debian package)..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    fi
    "$0" stop >/dev/null 2>&1 || true
    mkdir -p "$DATA"
    # Loopback only, no disk writes needed for locks; the pid file lets `stop` find it.
    redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DATA" --daemonize yes \
      --pidfile "$DATA/redis.pid" --logfile "$DATA/redis.log" --save '' --appendonly no >/dev/null
    for _ in $(seq 50); do
      redis-cli -p "$PORT" ping 2>/dev/null | grep -q PONG && { echo "redis://127.0.0.1:$PORT/0"; exit 0; }
      sleep 0.1
    done
    echo "Redis did not start, see $DATA/redis.log" >&2; exit 1
    ;;
  stop)
    if [ -f "$DATA/redis.pid" ]; then
      redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$DATA/redis.pid")" 2>/dev/null || true
      for _ in $(seq 50); do [ -f "$DATA/redis.pid" ] || break; sleep 0.1; done
    fi
    if [ -z "${PASS_REDIS_DIR:-}" ]; then rm -rf "$DATA"; else rm -f "$DATA/redis.pid"; fi
    ;;
  serve)
    if ! command -v redis-server >/dev/null; then
      echo "installing Redis (Debian package)..." >&2
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    fi
    mkdir -p "$DATA"
    exec redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DATA" --logfile "$DATA/redis.log" --save '' --appendonly no
    ;;
  *) echo "usage: $0 start|stop|serve" >&2; exit 2 ;;
esac
