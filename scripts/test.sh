#!/usr/bin/env bash
# Builds and runs every test: unit and store-contract tests (ctest) against
# SQLite and a private PostgreSQL 15, black-box API tests (pytest) against the
# real kiln binary on both stores, then unit and API tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
PY=/usr/bin/python3
started=$(date +%s)
failures=()

step() { printf '\n==== %s ====\n' "$*"; }

step "build (RelWithDebInfo)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
cmake --build build || exit 1

step "start PostgreSQL 15 on 127.0.0.1"
PG_PORT="${KILN_TEST_PG_PORT:-55432}"
PG_URL="$(scripts/pg-test-server.sh start "$PG_PORT")" || { echo "cannot start PostgreSQL"; exit 1; }
trap 'scripts/pg-test-server.sh stop "$PG_PORT"' EXIT
echo "PostgreSQL at $PG_URL"
export KILN_TEST_PG_URL="$PG_URL"

step "unit and store contract tests (ctest, SQLite + PostgreSQL)"
(cd build && ctest --output-on-failure -j2) || failures+=("ctest")

step "API tests against the kiln binary on SQLite (pytest)"
(cd tests && KILN_BIN="$ROOT/build/kiln" KILN_TEST_BACKEND=sqlite "$PY" -m pytest -q -p no:cacheprovider api scenarios) \
  || failures+=("api-sqlite")

step "API tests against the kiln binary on PostgreSQL (pytest)"
(cd tests && KILN_BIN="$ROOT/build/kiln" KILN_TEST_BACKEND=postgres "$PY" -m pytest -q -p no:cacheprovider api scenarios) \
  || failures+=("api-postgres")

step "web console: install, type check, unit tests (vitest), build"
(cd web && npm ci --no-audit --no-fund >/dev/null && npm run check:type && npm run test:unit && npm run build >/dev/null) \
  || failures+=("web")

step "browser tests: Debian Chromium against kiln with the built console (playwright-core)"
(cd web && KILN_BIN="$ROOT/build/kiln" node e2e/run.mjs 2>/dev/null | grep -vE '^\[pid=') || failures+=("e2e")

step "build with AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON >/dev/null || exit 1
cmake --build build-asan || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

step "unit and store contract tests under sanitizers (ctest)"
(cd build-asan && ctest --output-on-failure -j2) || failures+=("ctest-asan")

step "API tests against the sanitized kiln binary (pytest, SQLite)"
(cd tests && KILN_BIN="$ROOT/build-asan/kiln" KILN_TEST_BACKEND=sqlite "$PY" -m pytest -q -p no:cacheprovider api scenarios) \
  || failures+=("api-asan")

elapsed=$(( $(date +%s) - started ))
step "done in ${elapsed}s"
if ((${#failures[@]})); then
  echo "FAILED: ${failures[*]}"
  exit 1
fi
echo "all test suites passed"
