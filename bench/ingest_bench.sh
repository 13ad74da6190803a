#!/usr/bin/env bash
# Durable ingest throughput, one table, all in one run on this machine:
#   kiln on SQLite and on PostgreSQL, end to end: signed HTTP batches of 5,000
#   readings from `kiln sim` (a separate client process, 4 connections) on
#   loopback, in time order as meters send them (all points at t, then t + 5
#   min), register intervals and rollups maintained, answered once durable.
#   The figure counts the time until everything acknowledged is also written
#   into blocks and rollups (a read after the run waits for it), so a backlog
#   cannot flatter it. Batches in the column form (series); the row form is
#   shown too;
#   the bare limits of each store on the same rows (SQLite prepared inserts in
#   one transaction per batch, key order; PostgreSQL COPY);
#   InfluxDB 1.6 (Debian's influxdb, on 127.0.0.1) taking the same points as
#   line protocol from the same client.
#   BENCH_SECONDS  seconds per kiln/Influx run (default 15)
#   BENCH_POINTS   simulated register points (default 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SECONDS_PER_RUN="${BENCH_SECONDS:-15}"
POINTS="${BENCH_POINTS:-2000}"
CONNECTIONS=4
LOAD=(--points "$POINTS" --duration "$SECONDS_PER_RUN" --batch 5000 --connections "$CONNECTIONS" --steps-per-batch 1)
K="$ROOT/build/kiln"
BARE="$ROOT/build/bench/kiln_store_bare_bench"
WORK="$(mktemp -d /tmp/kiln-ingest-bench.XXXXXX)"
PG_PORT=55491
INFLUX_PORT=18086
pids=()
cleanup() {
  for f in "$WORK"/*.pid; do [ -f "$f" ] && kill -TERM "$(cat "$f")" 2>/dev/null || true; done
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-test-server.sh stop "$PG_PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

if ! command -v influxd >/dev/null; then
  echo "installing influxdb (Debian package) for the comparison" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq influxdb >/dev/null
  (systemctl stop influxdb || service influxdb stop || true) >/dev/null 2>&1
fi
[ -x "$K" ] && [ -x "$BARE" ] || { echo "build first: make build" >&2; exit 1; }

wait_port() { for _ in $(seq 1 200); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "no answer from $1" >&2; return 1; }

# Starts `kiln demo` (registry only) on the given store, adds the points, issues a key; echoes URL KEY_ID:SECRET.
start_kiln() {  # name port store-args...
  local name=$1 port=$2; shift 2
  "$K" demo --listen "127.0.0.1:$port" "$@" --enterprises 1 --no-meters >"$WORK/$name.log" 2>&1 &
  echo $! >"$WORK/$name.pid"  # this function runs in a subshell
  wait_port "http://127.0.0.1:$port/healthz"
  local uscc
  uscc=$(grep -o '仅本企业 [0-9A-Z]*' "$WORK/$name.log" | awk '{print $2}')
  "$K" admin add-points "$@" --enterprise "$uscc" --count "$POINTS" >/dev/null
  local key
  key=$("$K" admin issue-key "$@" --enterprise "$uscc")
  echo "http://127.0.0.1:$port $(echo "$key" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["key_id"] + ":" + d["secret"])')"
}

stop_kiln() {  # name
  local pid
  pid=$(cat "$WORK/$1.pid")
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

field() { /usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# Runs the load, then one API read, which returns once every acknowledged
# reading is materialised; prints {"readings":…,"seconds":…(load + that wait),…}.
sustained() {  # url key sim-args...
  local url=$1 key=$2; shift 2
  local out t0 t1
  out=$("$K" sim --target "$url" --key "$key" "${LOAD[@]}" "$@")
  t0=$(date +%s.%N)
  curl -sf -o /dev/null "$url/api/v1/regions"
  t1=$(date +%s.%N)
  /usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); w=float(sys.argv[2]); d["materialise_wait_s"]=w; d["sustained_per_second"]=d["readings"]/(d["seconds"]+w); print(json.dumps(d))' "$out" "$(echo "$t1 - $t0" | bc -l)"
}

echo "== kiln on SQLite" >&2
read -r URL KEY < <(start_kiln sqlite 18491 --data "$WORK/sqlite")
KILN_SQLITE=$(sustained "$URL" "$KEY" --series)
echo "$KILN_SQLITE" >&2
stop_kiln sqlite
read -r URL KEY < <(start_kiln sqlite_rows 18493 --data "$WORK/sqlite_rows")
KILN_SQLITE_ROWS=$(sustained "$URL" "$KEY")
echo "$KILN_SQLITE_ROWS" >&2
stop_kiln sqlite_rows

echo "== kiln on PostgreSQL" >&2
PG_ADMIN=$(scripts/pg-test-server.sh start "$PG_PORT")
psql "$PG_ADMIN" -qc "CREATE DATABASE kiln_bench" >/dev/null
PG_URL="postgresql://kiln@127.0.0.1:$PG_PORT/kiln_bench"
read -r URL KEY < <(start_kiln postgres 18492 --db "$PG_URL")
KILN_PG=$(sustained "$URL" "$KEY" --series)
echo "$KILN_PG" >&2
stop_kiln postgres

echo "== bare stores" >&2
BARE_ROWS=2000000
BARE_SQLITE=$("$BARE" sqlite "$WORK/bare.db" "$BARE_ROWS" 5000)
BARE_PG=$("$BARE" postgres "$PG_URL" "$BARE_ROWS" 5000 2>/dev/null)
echo "$BARE_SQLITE $BARE_PG" >&2

echo "== InfluxDB 1.6" >&2
mkdir -p "$WORK/influx"
cat >"$WORK/influx/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$((INFLUX_PORT + 1))"
[meta]
  dir = "$WORK/influx/meta"
[data]
  dir = "$WORK/influx/data"
  wal-dir = "$WORK/influx/wal"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
CONF
influxd -config "$WORK/influx/influxdb.conf" >"$WORK/influx.log" 2>&1 &
pids+=($!)
wait_port "http://127.0.0.1:$INFLUX_PORT/ping"
curl -s -XPOST "http://127.0.0.1:$INFLUX_PORT/query" --data-urlencode "q=CREATE DATABASE kiln" >/dev/null
INFLUX=$("$K" sim --influx --target "http://127.0.0.1:$INFLUX_PORT" "${LOAD[@]}")
echo "$INFLUX" >&2

ks=$(field "$KILN_SQLITE" sustained_per_second); kp=$(field "$KILN_PG" sustained_per_second)
kr=$(field "$KILN_SQLITE_ROWS" sustained_per_second)
bs=$(field "$BARE_SQLITE" rows_per_second); bp=$(field "$BARE_PG" rows_per_second)
ix=$(field "$INFLUX" readings_per_second)
printf '\n%-66s %14s\n' "ingest path ($(nproc) cores, $POINTS points in time order, batches of 5000, $CONNECTIONS connections)" "points/s"
printf '%-66s %14.0f\n' "kiln on SQLite, end to end (signed HTTP, derived, durable; series)" "$ks"
printf '%-66s %14.0f\n' "kiln on SQLite, end to end, row form" "$kr"
printf '%-66s %14.0f\n' "kiln on PostgreSQL, end to end (series)" "$kp"
printf '%-66s %14.0f\n' "bare SQLite: prepared inserts, one transaction per batch" "$bs"
printf '%-66s %14.0f\n' "bare PostgreSQL: COPY, one transaction per batch" "$bp"
printf '%-66s %14.0f\n' "InfluxDB 1.6 line protocol over HTTP" "$ix"
printf '\nratios: kiln SQLite/InfluxDB %.2f (target >= 1.0; row form %.2f), kiln PostgreSQL/COPY %.2f (target >= 0.5), kiln/bare SQLite %.2f, kiln PostgreSQL/InfluxDB %.2f\n' \
  "$(echo "$ks / $ix" | bc -l)" "$(echo "$kr / $ix" | bc -l)" "$(echo "$kp / $bp" | bc -l)" "$(echo "$ks / $bs" | bc -l)" "$(echo "$kp / $ix" | bc -l)"
