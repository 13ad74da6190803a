#!/usr/bin/env bash
# HTTP throughput: GET /api/v1/enterprises?page_size=50 as a logged-in
# province user next to GET /healthz, in the same run, with wrk (64
# connections) against a demo kiln on 127.0.0.1. Prints a table with the ratio.
#   BENCH_DURATION  seconds per measurement (default 10)
#   BENCH_THREADS   kiln I/O threads (default 4)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10}"
THREADS="${BENCH_THREADS:-4}"
PORT="${BENCH_PORT:-18481}"
DATA="$(mktemp -d /tmp/kiln-bench.XXXXXX)"
command -v wrk >/dev/null || { echo "wrk missing: run scripts/install-deps.sh"; exit 1; }

./build/kiln demo --listen "127.0.0.1:$PORT" --data "$DATA" --threads "$THREADS" >"$DATA/kiln.log" 2>&1 &
KILN_PID=$!
cleanup() { kill -TERM "$KILN_PID" 2>/dev/null || true; wait "$KILN_PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.5
done

COOKIE=$(curl -s -i -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
  -d '{"username":"province","password":"Kiln@2026demo"}' | tr -d '\r' | sed -n 's/^Set-Cookie: \(kiln_session=[0-9a-f]*\).*/\1/Ip')
[ -n "$COOKIE" ] || { echo "login failed"; cat "$DATA/kiln.log"; exit 1; }

run() {  # url [header]
  local out
  if [ -n "${2:-}" ]; then out=$(wrk -t2 -c64 -d"${DURATION}s" -H "$2" "$1"); else out=$(wrk -t2 -c64 -d"${DURATION}s" "$1"); fi
  echo "$out" >&2
  echo "$out" | awk '/Requests\/sec/ {print $2}'
}
echo "kiln threads=$THREADS, wrk -t2 -c64 -d${DURATION}s, $(nproc) cores" >&2
HEALTH=$(run "http://127.0.0.1:$PORT/healthz")
LIST=$(run "http://127.0.0.1:$PORT/api/v1/enterprises?page_size=50" "Cookie: $COOKIE")
printf '\n%-48s %12s %8s\n' "endpoint" "requests/s" "ratio"
printf '%-48s %12.0f %8s\n' "GET /healthz (baseline)" "$HEALTH" "1.00"
printf '%-48s %12.0f %8.2f\n' "GET /api/v1/enterprises?page_size=50 (province)" "$LIST" "$(echo "$LIST / $HEALTH" | bc -l)"
