#!/usr/bin/env bash
# Long fuzzing with libFuzzer (Debian's clang, ASan + UBSan) of every target in
# tests/fuzz: the meter batch decoder, the JSON body parser and its limits, the
# CSV and xlsx readers, and the report content rules. Prints executions and
# crashes per target. make test runs the same targets briefly through a
# corpus-replay driver; this is the long run (make test-long).
#
#   bench/fuzz.sh                    # 10 million executions per target
#   FUZZ_RUNS=100000 bench/fuzz.sh   # a quick look
#   FUZZ_SECONDS=600 bench/fuzz.sh   # or a time budget per target instead
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
BUILD="${FUZZ_BUILD_DIR:-build-fuzz}"
RUNS="${FUZZ_RUNS:-10000000}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-}"
TARGETS=(batch_decoder:batch json_input:json csv_reader:csv xlsx_reader:xlsx report_rules:report)

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_FUZZ=ON \
      -DCMAKE_CXX_COMPILER=clang++ >/dev/null || exit 1
cmake --build "$BUILD" --target $(printf 'fuzz_%s ' "${TARGETS[@]%%:*}") || exit 1

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf '\n%-16s %14s %10s %8s  %s\n' target executions seconds crashes artifacts
failed=0
for entry in "${TARGETS[@]}"; do
  target="${entry%%:*}" corpus="${entry##*:}"
  # A working corpus that grows; the checked-in seeds stay as they are.
  mkdir -p "$work/$target"
  cp "tests/fuzz/corpus/$corpus"/* "$work/$target/" 2>/dev/null
  limit=(-runs="$RUNS")
  [ -n "$SECONDS_PER_TARGET" ] && limit=(-max_total_time="$SECONDS_PER_TARGET")
  log="$work/$target.log"
  started=$(date +%s)
  "$BUILD/tests/fuzz/fuzz_$target" "${limit[@]}" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/$target-" "$work/$target" >"$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - started ))
  execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  crashes=0
  artifacts=""
  if [ $rc -ne 0 ]; then
    crashes=1
    failed=1
    mkdir -p "$ROOT/fuzz-artifacts"
    for a in "$work/$target-"*; do [ -e "$a" ] && cp "$a" "$ROOT/fuzz-artifacts/" && artifacts+="fuzz-artifacts/$(basename "$a") "; done
    tail -40 "$log" > "$ROOT/fuzz-artifacts/$target.log"
  fi
  printf '%-16s %14s %10s %8s  %s\n' "$target" "${execs:-?}" "$elapsed" "$crashes" "$artifacts"
done
exit $failed
