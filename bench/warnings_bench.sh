#!/usr/bin/env bash
# Warning evaluation at province size, all in one run on this machine:
#   1. a demo province (BENCH_ENTERPRISES enterprises, BENCH_DAYS days of 5-minute and hourly meter
#      history, 36 months of department figures), built by `kiln demo` and timed: the baseline;
#   2. a full evaluation of every rule over it (`kiln admin evaluate-warnings`), timed, as a ratio
#      to the time the history took to ingest;
#   3. incremental evaluation under sustained ingest: `kiln serve` on that store while `kiln sim`
#      writes BENCH_RATE readings/s for BENCH_LOAD_SECONDS to BENCH_SIM_POINTS points of one
#      enterprise; the evaluator's backlog (points written, not yet checked) is sampled every second.
#      Keeping up means the backlog stays bounded and is worked off within a few seconds after.
#   BENCH_ENTERPRISES (default 1200)  BENCH_DAYS (default 90)  BENCH_RATE (default 20000)
#   BENCH_LOAD_SECONDS (default 60)   BENCH_SIM_POINTS (default 2000)
#   BENCH_HISTORY_ORDER  oldest-first (default: every reading in order, how a province fills when its
#                        access-ends go live) or newest-first (the interactive demo's late-data back-fill)
#   BENCH_DATA  an existing demo data directory (skips step 1; its build time is then unknown)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
K="$ROOT/build/kiln"
ENTERPRISES="${BENCH_ENTERPRISES:-1200}"
DAYS="${BENCH_DAYS:-90}"
RATE="${BENCH_RATE:-20000}"
LOAD_SECONDS="${BENCH_LOAD_SECONDS:-60}"
SIM_POINTS="${BENCH_SIM_POINTS:-2000}"
WORK="$(mktemp -d /tmp/kiln-warnings-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -x "$K" ] || { echo "build kiln first (scripts/build.sh release)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_log() {  # file pattern timeout_s
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "timed out waiting for '$2' in $1" >&2; tail -20 "$1" >&2; exit 1; }
    sleep 1
  done
}
metric() { curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$1 == m { print $2 }'; }

DATA="${BENCH_DATA:-}"
build_seconds=""
if [ -z "$DATA" ]; then
  DATA="$WORK/demo"
  port=$(free_port)
  echo "building a demo province: $ENTERPRISES enterprises, $DAYS days of meter history ..."
  started=$(date +%s.%N)
  "$K" demo --listen "127.0.0.1:$port" --data "$DATA" --enterprises "$ENTERPRISES" --history-days "$DAYS" \
    --history-order "${BENCH_HISTORY_ORDER:-oldest-first}" \
    >"$WORK/demo.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_log "$WORK/demo.log" "demo history complete" 7200
  build_seconds=$(echo "$(date +%s.%N) - $started" | bc)
  grep "demo history complete" "$WORK/demo.log" | sed 's/^.*info /  /'
  kill -TERM "$pid"
  wait "$pid" || true
fi
points=$(sqlite3 "$DATA/kiln.db" "SELECT count(*) FROM metering_points")
readings=$(sqlite3 "$DATA/kiln.db" "SELECT coalesce(sum(count), 0) FROM reading_blocks" 2>/dev/null || echo "?")

echo "full evaluation (kiln admin evaluate-warnings) ..."
/usr/bin/time -f "%e %M" -o "$WORK/eval.time" "$K" admin evaluate-warnings --data "$DATA" >"$WORK/eval.out" 2>"$WORK/eval.err" \
  || { cat "$WORK/eval.err" >&2; exit 1; }
read -r eval_seconds eval_kb <"$WORK/eval.time"
summary=$(tail -1 "$WORK/eval.out")

echo "incremental evaluation under ${RATE} readings/s for ${LOAD_SECONDS}s ..."
port=$(free_port)
cat >"$WORK/kiln.toml" <<EOF
[server]
monitoring_allow = ["127.0.0.1"]
EOF
uscc=$(sqlite3 "$DATA/kiln.db" "SELECT uscc FROM enterprises ORDER BY id LIMIT 1")
"$K" admin add-points --data "$DATA" --enterprise "$uscc" --count "$SIM_POINTS" --prefix BENCH- --interval 300 >/dev/null
key=$("$K" admin issue-key --data "$DATA" --enterprise "$uscc" | python3 -c 'import json,sys; k=json.load(sys.stdin); print(k["key_id"]+":"+k["secret"])')
"$K" serve --listen "127.0.0.1:$port" --data "$DATA" --config "$WORK/kiln.toml" >"$WORK/serve.log" 2>&1 &
pids+=("$!")
wait_log "$WORK/serve.log" "Kiln listening" 120
sleep 5
"$K" sim --target "http://127.0.0.1:$port" --key "$key" --points "$SIM_POINTS" --code-prefix BENCH- --rate "$RATE" \
  --duration "$LOAD_SECONDS" --batch 2000 --connections 2 >"$WORK/sim.out" 2>&1 &
sim=$!
pids+=("$sim")
max_backlog=0
samples=()
while kill -0 "$sim" 2>/dev/null; do
  b=$(metric "$port" kiln_warnings_backlog_points)
  samples+=("${b:-0}")
  ((${b%.*} > max_backlog)) && max_backlog=${b%.*}
  sleep 1
done
sent=$(python3 - "$WORK/sim.out" <<'PY' 2>/dev/null || true
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print("%.0f readings/s acknowledged (%d in %.0f s, %d batches refused)"
      % (r["readings_per_second"], r["readings"], r["seconds"], r["refused_503"]))
PY
)
after=0
until [ "$(metric "$port" kiln_warnings_backlog_points)" = "0" ] || ((after >= 120)); do
  sleep 1
  after=$((after + 1))
done
last=${samples[*]: -10}

echo
echo "== warning evaluation, $(date -u +%FT%TZ), $(nproc) cores =="
printf '%-44s %s\n' "province" "$ENTERPRISES enterprises, $points points, $DAYS days, $readings readings"
[ -n "$build_seconds" ] && printf '%-44s %.0f s (baseline)\n' "history ingest (demo build)" "$build_seconds"
printf '%-44s %s s, %s MB peak RSS\n' "full evaluation" "$eval_seconds" "$((eval_kb / 1024))"
[ -n "$build_seconds" ] && printf '%-44s %.3f\n' "full evaluation / history ingest" "$(echo "$eval_seconds / $build_seconds" | bc -l)"
printf '%-44s %s\n' "full evaluation summary" "$summary"
printf '%-44s %s\n' "sustained ingest" "${sent:-see $WORK/sim.out}"
printf '%-44s %s points (last 10 s: %s)\n' "evaluator backlog under load, max" "$max_backlog" "$last"
printf '%-44s %s s\n' "backlog worked off after the load stopped" "$after"
