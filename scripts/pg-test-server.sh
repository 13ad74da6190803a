#!/usr/bin/env bash
# Starts or stops a private PostgreSQL 15 server for tests on 127.0.0.1.
#   scripts/pg-test-server.sh start [PORT]   prints the admin URL on stdout
#   scripts/pg-test-server.sh stop [PORT]
# The cluster lives in /tmp/kiln-pg-test-PORT (recreated on each start), a
# place the postgres user can reach wherever the checkout is. PostgreSQL
# refuses to run as root, so when run as root the cluster belongs to the
# 'postgres' system user that Debian's package creates.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=/usr/lib/postgresql/15/bin
PORT="${2:-55432}"
DIR="${KILN_PG_DIR:-/tmp/kiln-pg-test-$PORT}"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    "$0" stop "$PORT" >/dev/null 2>&1 || true
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$DIR"; fi
    as_owner "$PGBIN/initdb" -D "$DIR/data" -U kiln --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=200" start >/dev/null \
      || { cat "$DIR/server.log" >&2; exit 1; }
    echo "postgresql://kiln@127.0.0.1:$PORT/postgres"
    ;;
  stop)
    if [ -f "$DIR/data/postmaster.pid" ]; then
      as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start [PORT] | stop" >&2
    exit 2
    ;;
esac
