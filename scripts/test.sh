#!/usr/bin/env bash
# Installs what is missing, builds, and runs every check and test, in four phases (docs/fuzzing.md):
#   0. checks: clang-format on the whole tree, clang-tidy on the files the newest commit changed;
#   1. build/ (warnings are errors): unit, integration, UI screenshots and e2e scripts;
#   2. build-fuzz/ (clang, ASan + UBSan on every library, target headless_tests): unit,
#      integration and the fuzz corpora;
#   3. the same tree: each libFuzzer target for LIAISON_FUZZ_SECONDS (default 10).
# LIAISON_TEST_PHASES picks phases (default 0123). LIAISON_TIDY_BASE is clang-tidy's base
# (default HEAD~1).
# The last line is `total: N passed, N failed`: every ctest test of phases 1 and 2, each check of
# phase 0, each fuzz target of phase 3, and a build that fails counts as one failure.
set -euo pipefail
cd "$(dirname "$0")/.."
phases=${LIAISON_TEST_PHASES:-0123}
fuzz_seconds=${LIAISON_FUZZ_SECONDS:-10}
./scripts/install-deps.sh
export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
summary=()
failed=0
passed_n=0 failed_n=0
phase_done() {  # a closing line per phase, repeated together at the end; $2 is 0 when it passed
  local verdict=passed
  if [ "$2" -ne 0 ]; then verdict=FAILED; failed=1; fi
  local line="== $1: $verdict ($(( SECONDS - $3 )) s)"
  echo "$line"
  summary+=("$line")
}
step() {  # runs a command that counts as one check in the total; returns its status
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 0 ]; then passed_n=$(( passed_n + 1 )); else failed_n=$(( failed_n + 1 )); fi
  return "$rc"
}
build_sanitized() {  # one clang tree for phases 2 and 3, configured as scripts/fuzz.sh does
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIAISON_FUZZ=ON >/dev/null &&
    cmake --build build-fuzz -j"$(nproc)" --target headless_tests
}
run_ctest() {  # ctest with its output kept, adding its counts to the closing total
  local log rc=0
  log=$(mktemp)
  ctest "$@" 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed_n=$(( failed_n + BASH_REMATCH[1] ))
    passed_n=$(( passed_n + BASH_REMATCH[2] - BASH_REMATCH[1] ))
  elif [ "$rc" -ne 0 ]; then
    failed_n=$(( failed_n + 1 ))  # ctest itself failed (no test found, say)
  fi
  rm -f "$log"
  return $rc
}

if [[ $phases == *0* ]]; then
  t0=$SECONDS rc=0
  step ./scripts/check-format.sh || rc=1
  step ./scripts/tidy.sh "${LIAISON_TIDY_BASE:-HEAD~1}" || rc=1
  phase_done "checks (clang-format, clang-tidy)" $rc $t0
fi

if [[ $phases == *1* ]]; then
  t0=$SECONDS rc=0
  if step env LIAISON_WERROR=ON ./scripts/build.sh; then
    run_ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600 || rc=1
  else
    rc=1
  fi
  phase_done "tests (build/)" $rc $t0
fi

if [[ $phases == *2* ]]; then
  t0=$SECONDS rc=0
  if step build_sanitized; then
    export UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
    run_ctest --test-dir build-fuzz --output-on-failure -j"$(nproc)" --timeout 900 -L "unit|integration|fuzz" || rc=1
  else
    rc=1
  fi
  phase_done "sanitizers (build-fuzz/: unit, integration, fuzz corpora)" $rc $t0
fi

if [[ $phases == *3* ]]; then
  t0=$SECONDS rc=0
  log=$(mktemp)
  ./scripts/fuzz.sh "$fuzz_seconds" 2>&1 | tee "$log" || rc=1
  ok=$(grep -cE '^fuzz [a-z_]+: .*no crash$' "$log" || true)
  bad=$(grep -cE '^fuzz [a-z_]+: FAILED' "$log" || true)
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then bad=1; fi  # the build failed: no target ran
  passed_n=$(( passed_n + ok )) failed_n=$(( failed_n + bad ))
  rm -f "$log"
  phase_done "fuzzing (build-fuzz/, $fuzz_seconds s per target)" $rc $t0
fi

printf '%s\n' "${summary[@]}"
echo "total: $passed_n passed, $failed_n failed"
exit $failed
