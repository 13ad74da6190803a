#!/usr/bin/env bash
# Style and lint checks of make test. Each failure names its file.
#   scripts/lint.sh format   clang-format (.clang-format) over every C++ file: lists files that differ
#   scripts/lint.sh tidy     clang-tidy (.clang-tidy) over every C++ source in build/compile_commands.json
#   scripts/lint.sh web      ESLint and Prettier over web/ (web/eslint.config.js, web/.prettierrc.json)
#   scripts/lint.sh          all three
# scripts/lint.sh fix-format rewrites the C++ files instead of checking them.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
what=("$@")
((${#what[@]})) || what=(format tidy web)

cpp_files() { git ls-files '*.cpp' '*.hpp' | grep -v '^web/'; }

for step in "${what[@]}"; do
  case "$step" in
    format)
      echo "lint: clang-format"
      bad=$(cpp_files | while read -r f; do
        clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || echo "$f"
      done)
      if [ -n "$bad" ]; then
        echo "lint: these files are not formatted (scripts/lint.sh fix-format):"
        echo "$bad" | sed 's/^/  /'
        failed=1
      fi
      ;;
    fix-format)
      cpp_files | xargs clang-format -i
      ;;
    tidy)
      echo "lint: clang-tidy"
      [ -f build/compile_commands.json ] || { echo "lint: build/compile_commands.json missing (scripts/build.sh first)"; exit 1; }
      sources=$(cpp_files | grep '\.cpp$' | grep -v '^tests/fuzz/')
      out=$(echo "$sources" | xargs -P 2 -n 8 clang-tidy -p build --quiet 2>/dev/null | grep -E '^/.*: (warning|error):')
      if [ -n "$out" ]; then
        echo "$out" | sed "s|^$PWD/||" | sort -u
        failed=1
      fi
      ;;
    web)
      echo "lint: eslint and prettier (web/)"
      (cd web && npx --no-install eslint . && npx --no-install prettier --check 'src/**/*.{ts,vue}' 'e2e/**/*.mjs') || failed=1
      ;;
    *)
      echo "usage: scripts/lint.sh [format] [tidy] [web] [fix-format]" >&2
      exit 2
      ;;
  esac
done
[ $failed -eq 0 ] && echo "lint: clean"
exit $failed
