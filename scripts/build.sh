#!/usr/bin/env bash
# Configures and builds one of Kiln's build directories. The one place where
# their options live; the Makefile and scripts/test.sh call it.
#   scripts/build.sh          build/       RelWithDebInfo (the kiln binary, benches, tests)
#   scripts/build.sh asan     build-asan/  Debug with AddressSanitizer + UndefinedBehaviorSanitizer
#   scripts/build.sh fuzz     build-fuzz/  clang with libFuzzer, the fuzz targets only (bench/fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-release}"
case "$kind" in
  release) dir="${BUILD_DIR:-build}"; options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
  asan) dir="${ASAN_BUILD_DIR:-build-asan}"; options=(-DCMAKE_BUILD_TYPE=Debug -DKILN_SANITIZE=ON) ;;
  fuzz) dir="${FUZZ_BUILD_DIR:-build-fuzz}"; options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++) ;;
  *) echo "usage: scripts/build.sh [release|asan|fuzz]" >&2; exit 2 ;;
esac
cmake -S . -B "$dir" -G Ninja "${options[@]}" >/dev/null
cmake --build "$dir"
