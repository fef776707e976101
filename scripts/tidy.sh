#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the C++ files changed since BASE (default: the previous commit),
# using build/compile_commands.json. Any diagnostic named in WarningsAsErrors fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-HEAD~1}
TIDY=$(command -v clang-tidy-14 || command -v clang-tidy)
git rev-parse -q --verify "$BASE" >/dev/null || { echo "tidy: no base $BASE, nothing to check"; exit 0; }
mapfile -t files < <(git diff --name-only --diff-filter=AM "$BASE" -- '*.cpp' | grep -v '^tests/fuzz/' || true)
if [ ${#files[@]} -eq 0 ]; then echo "tidy: no changed .cpp files since $BASE"; exit 0; fi
echo "tidy: ${#files[@]} changed file(s) since $BASE"
out=$(mktemp)
rc=0
"$TIDY" -p build --quiet "${files[@]}" >"$out" 2>/dev/null || rc=$?
grep -E 'warning:|error:' "$out" || true
rm -f "$out"
[ "$rc" -eq 0 ] || { echo "tidy: errors above"; exit 1; }
echo "tidy: done"
