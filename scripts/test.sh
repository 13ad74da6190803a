#!/usr/bin/env bash
# Runs Kiln's tests by tier. With no argument: every tier but long (what make test and CI run).
#   lint   clang-format, clang-tidy and ESLint + Prettier (scripts/lint.sh); a failure names the file
#   unit   C++ unit and store-contract tests (ctest; SQLite and a private PostgreSQL 15)
#   api    black-box API tests against the real kiln binary on SQLite and on PostgreSQL (pytest)
#   e2e    the web console: type check, unit tests (vitest), build, browser tests (Debian Chromium)
#   fuzz   every fuzz target replayed for a fixed number of mutated inputs under ASan + UBSan
#   asan   unit tests, the fuzz replay and the API tests again under ASan + UBSan (includes fuzz)
#   long   not in CI: long fuzzing with libFuzzer (bench/fuzz.sh); run before resolving an issue
# Each tier prints its runner's summary; the last line says which tiers failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY=/usr/bin/python3
started=$(date +%s)
failures=()
tiers=("$@")
((${#tiers[@]})) || tiers=(lint unit api e2e asan)

step() { printf '\n==== %s (at %ss) ====\n' "$*" "$(( $(date +%s) - started ))"; }

PG_PORT="${KILN_TEST_PG_PORT:-55432}"
pg_started=""
need_pg() {
  [ -n "$pg_started" ] && return 0
  step "start PostgreSQL 15 on 127.0.0.1:$PG_PORT"
  PG_URL="$(scripts/pg-test-server.sh start "$PG_PORT")" || { echo "cannot start PostgreSQL"; exit 1; }
  trap 'scripts/pg-test-server.sh stop "$PG_PORT"' EXIT
  echo "PostgreSQL at $PG_URL"
  export KILN_TEST_PG_URL="$PG_URL"
  pg_started=1
}

built=""
need_build() {
  [ -n "$built" ] && return 0
  step "build (RelWithDebInfo)"
  scripts/build.sh release || exit 1
  built=1
}

asan_built=""
need_asan() {
  [ -n "$asan_built" ] && return 0
  step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
  scripts/build.sh asan || exit 1
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  asan_built=1
}

pytest_api() {  # binary backend name
  (cd tests && KILN_BIN="$1" KILN_TEST_BACKEND="$2" "$PY" -m pytest -q -p no:cacheprovider api scenarios)
}

for tier in "${tiers[@]}"; do
  case "$tier" in
    lint)
      need_build  # clang-tidy reads build/compile_commands.json
      step "lint: clang-format, clang-tidy, ESLint and Prettier (scripts/lint.sh)"
      [ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund >/dev/null)
      scripts/lint.sh format tidy web || failures+=("lint")
      ;;
    unit)
      need_build; need_pg
      step "unit and store contract tests (ctest, SQLite + PostgreSQL)"
      (cd build && ctest --output-on-failure -j2 -LE fuzz) || failures+=("unit")
      ;;
    api)
      need_build; need_pg
      step "API tests against the kiln binary on SQLite (pytest)"
      pytest_api "$ROOT/build/kiln" sqlite || failures+=("api-sqlite")
      step "API tests against the kiln binary on PostgreSQL (pytest)"
      pytest_api "$ROOT/build/kiln" postgres || failures+=("api-postgres")
      ;;
    e2e)
      need_build
      step "web console: install, type check, unit tests (vitest), build"
      (cd web && npm ci --no-audit --no-fund >/dev/null && npm run check:type && npm run test:unit && npm run build >/dev/null) \
        || failures+=("web")
      step "browser tests: Debian Chromium against kiln with the built console (playwright-core)"
      (cd web && KILN_BIN="$ROOT/build/kiln" node e2e/run.mjs) || failures+=("e2e")
      ;;
    fuzz)
      need_asan
      step "fuzz targets replayed under sanitizers (ctest -L fuzz)"
      (cd build-asan && ctest --output-on-failure -j2 -L fuzz) || failures+=("fuzz")
      ;;
    asan)
      need_asan; need_pg
      step "unit, store contract and fuzz replay tests under sanitizers (ctest)"
      (cd build-asan && ctest --output-on-failure -j2) || failures+=("ctest-asan")
      step "API tests against the sanitized kiln binary (pytest, SQLite)"
      pytest_api "$ROOT/build-asan/kiln" sqlite || failures+=("api-asan")
      ;;
    long)
      step "long fuzzing with libFuzzer (bench/fuzz.sh)"
      bash bench/fuzz.sh || failures+=("fuzz-long")
      ;;
    *)
      echo "unknown test tier $tier (lint, unit, api, e2e, fuzz, asan, long)" >&2
      exit 2
      ;;
  esac
done

elapsed=$(( $(date +%s) - started ))
step "done in ${elapsed}s (tiers: ${tiers[*]})"
if ((${#failures[@]})); then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
echo "all test suites passed"
