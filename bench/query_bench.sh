#!/usr/bin/env bash
# Query latency at province scale (default 20,000 points x 30 days of 5-minute
# data = 172.8 million readings) on SQLite and, with QUERY_BENCH_PG=1, on
# PostgreSQL: kiln's answer from its rollups next to the same answer computed
# from the raw readings (blocks selected by one query, decoded and grouped),
# in the same run (bench/query_bench.cpp).
#   QUERY_POINTS  metering points (default 20000)
#   QUERY_DAYS    days of data (default 30)
#   QUERY_RUNS    timed runs of each kiln query (default 100; the raw query runs a fifth as often)
#   QUERY_BENCH_PG=1  also PostgreSQL
set -euo pipefail
cd "$(dirname "$0")/.."
Q="$PWD/build/bench/kiln_query_bench"
POINTS="${QUERY_POINTS:-20000}"
DAYS="${QUERY_DAYS:-30}"
RUNS="${QUERY_RUNS:-100}"
PG_PORT=55493
WORK="$(mktemp -d /tmp/kiln-query-bench.XXXXXX)"
cleanup() {
  scripts/pg-test-server.sh stop "$PG_PORT" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -x "$Q" ] || { echo "build first: make build" >&2; exit 1; }

row() {  # label json
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, sys
label, d = sys.argv[1], json.loads(sys.argv[2])
c, e = d["county_industry_month_ytd_ms"], d["enterprise_daily_ms"]
print(f"{label}: {d['points']} points x {d['days']} days = {d['readings']:,} readings, loaded through kiln's write path "
      f"at {d['load_readings_per_second']:,.0f}/s; answers agree: {d['answers_agree']}")
print(f"  {'query (ms)':<44}{'kiln p50':>10}{'kiln p95':>10}{'raw p50':>10}{'raw p95':>10}{'p95 ratio':>11}")
for name, x in (("year-to-date county x industry x month", c), ("one enterprise's daily series", e)):
    print(f"  {name:<44}{x['kiln_p50']:>10.2f}{x['kiln_p95']:>10.2f}{x['raw_p50']:>10.2f}{x['raw_p95']:>10.2f}"
          f"{x['raw_p95'] / max(x['kiln_p95'], 1e-9):>10.0f}x")
PY
}

echo "== SQLite: loading $POINTS points x $DAYS days (progress below)" >&2
SQLITE=$("$Q" sqlite "$WORK/sqlite" "$POINTS" "$DAYS" "$RUNS")
rm -rf "$WORK/sqlite"
echo
row "SQLite" "$SQLITE"
if [ "${QUERY_BENCH_PG:-0}" = 1 ]; then
  echo "== PostgreSQL: loading $POINTS points x $DAYS days" >&2
  PG_ADMIN=$(scripts/pg-test-server.sh start "$PG_PORT")
  psql "$PG_ADMIN" -qc "CREATE DATABASE kiln_query" >/dev/null
  PG=$("$Q" postgres "postgresql://kiln@127.0.0.1:$PG_PORT/kiln_query" "$POINTS" "$DAYS" "$RUNS")
  row "PostgreSQL" "$PG"
fi
echo "target: kiln p95 <= 50 ms for both questions"
