#!/usr/bin/env bash
# clang-tidy (.clang-tidy) on the C++ files changed since BASE (default: the previous commit), using
# build/compile_commands.json (configured here when missing). A changed header brings in the .cpp
# of the same name. Every finding is an error (.clang-tidy: WarningsAsErrors '*') and fails the run.
#   scripts/tidy.sh [BASE]        e.g. scripts/tidy.sh origin/main
#   scripts/tidy.sh --all         every file of the compile database (slow: minutes per core)
# Without BASE in the clone (a shallow CI clone has no HEAD~1) it checks a small fixed set of
# the input readers instead, and says so. At most LIAISON_TIDY_MAX files (default 30) are checked;
# the rest are named as skipped. docs/fuzzing.md, "The CI".
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:-HEAD~1}
TIDY=$(command -v clang-tidy-14 || command -v clang-tidy)
max=${LIAISON_TIDY_MAX:-30}
fallback=(sync/core/hlc.cpp sync/core/wire.cpp sync/server/import.cpp client/cli/csv.cpp)

[ -f build/compile_commands.json ] || ./scripts/build.sh --configure
# The repository's own sources in the compile database, relative to the root.
mapfile -t known < <(sed -n 's|^ *"file": *"\(.*\)",*$|\1|p' build/compile_commands.json |
  sed "s|^$PWD/||" | grep -v '^/' | sort -u)

if [ "$BASE" = "--all" ]; then
  files=("${known[@]}")
  max=${#files[@]}
  echo "tidy: all ${#files[@]} files of the compile database"
elif git rev-parse -q --verify "$BASE^{commit}" >/dev/null; then
  mapfile -t changed < <(git diff --name-only --diff-filter=AM "$BASE" -- '*.cpp' '*.h')
  files=()
  for f in "${changed[@]}"; do
    case $f in *.h) f=${f%.h}.cpp ;; esac
    printf '%s\n' "${known[@]}" | grep -qxF "$f" && files+=("$f")
  done
  mapfile -t files < <(printf '%s\n' "${files[@]}" | sed '/^$/d' | sort -u)
  if [ ${#files[@]} -eq 0 ]; then
    echo "tidy: no C++ file of the build changed since $BASE"
    exit 0
  fi
  echo "tidy: ${#files[@]} file(s) changed since $BASE"
else
  shallow=$(git rev-parse --is-shallow-repository 2>/dev/null || echo unknown)
  echo "tidy: no commit $BASE in this clone (shallow: $shallow); checking the fixed set instead"
  files=("${fallback[@]}")
fi
if [ ${#files[@]} -gt "$max" ]; then
  echo "tidy: ${#files[@]} files, checking the first $max (LIAISON_TIDY_MAX); skipped: ${files[*]:$max}"
  files=("${files[@]:0:$max}")
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# One clang-tidy per file, one per core; each file's findings go to its own log.
printf '%s\n' "${files[@]}" | xargs -P"$(nproc)" -I{} sh -c \
  '"$1" -p build --quiet "$2" >"$3/$(echo "$2" | tr / _).log" 2>&1 || echo "$2" >>"$3/failed"' \
  sh "$TIDY" {} "$out"
if [ -f "$out/failed" ]; then
  for f in $(sort "$out/failed"); do
    echo "-- $f"
    grep -E -A3 '(warning|error):' "$out/$(echo "$f" | tr / _).log" || tail -20 "$out/$(echo "$f" | tr / _).log"
  done
  echo "tidy: findings in $(wc -l <"$out/failed") of ${#files[@]} file(s): $(sort "$out/failed" | tr '\n' ' ')"
  exit 1
fi
echo "tidy: ${#files[@]} file(s) checked, no finding: ${files[*]}"
