#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into ./build-fuzz and runs each one for
# SECONDS (default 600) on one core, starting from its seed corpus tests/fuzz/corpus/<target>.
# New inputs the fuzzer finds go to build-fuzz/corpus/<target>, not into the repository. A crash
# leaves its input in build-fuzz/crashes/<target>/ and makes the script fail (docs/fuzzing.md).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(fuzz_hlc fuzz_wire fuzz_csv fuzz_import_csv fuzz_service); fi
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIAISON_FUZZ=ON >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]}"

failed=()
for t in "${targets[@]}"; do
  corpus=build-fuzz/corpus/$t crashes=build-fuzz/crashes/$t
  mkdir -p "$corpus" "$crashes"
  dict=()
  if [ "$t" = fuzz_wire ] || [ "$t" = fuzz_service ]; then dict=(-dict=tests/fuzz/protocol.dict); fi
  status=0
  build-fuzz/tests/fuzz/"$t" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" tests/fuzz/corpus/"$t" >"build-fuzz/$t.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/$t.log" | tail -1)
  size=$(find "$corpus" -type f | wc -l)
  if [ "$status" -eq 0 ]; then
    echo "fuzz $t: ${runs:-?} runs in ${seconds} s, corpus $size inputs, no crash"
  else
    failed+=("$t")
    echo "fuzz $t: FAILED after ${runs:-?} runs (exit $status); input in $crashes/, log build-fuzz/$t.log"
    grep -m1 -A12 -E "ERROR: (AddressSanitizer|libFuzzer|UndefinedBehaviorSanitizer)|runtime error|fuzz property failed" \
      "build-fuzz/$t.log" || tail -20 "build-fuzz/$t.log"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets crashed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash"
