#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test, in three phases (docs/fuzzing.md):
#   1. build/ (warnings are errors): unit, integration, UI screenshots and e2e scripts;
#   2. build-asan/ (ASan + UBSan): unit, integration and the fuzz corpora;
#   3. build-fuzz/ (clang, libFuzzer): each fuzz target for LIAISON_FUZZ_SECONDS (default 20).
# LIAISON_TEST_PHASES picks phases. The default is phase 1 until the sanitizer and fuzz trees have
# run clean end to end on the CI machine (docs/fuzzing.md); LIAISON_TEST_PHASES=123 runs all three.
set -euo pipefail
cd "$(dirname "$0")/.."
phases=${LIAISON_TEST_PHASES:-1}
./scripts/install-deps.sh
export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
summary=()
phase_done() {  # a closing line per phase, repeated together at the end
  local line="== $1: $2 ($(( SECONDS - $3 )) s)"
  echo "$line"
  summary+=("$line")
}
failed=0
passed_n=0 failed_n=0
run_ctest() {  # ctest with its output kept, adding its counts to the closing total
  local log rc=0
  log=$(mktemp)
  ctest "$@" 2>&1 | tee "$log" || rc=$?
  local line
  line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
  if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
    failed_n=$(( failed_n + BASH_REMATCH[1] ))
    passed_n=$(( passed_n + BASH_REMATCH[2] - BASH_REMATCH[1] ))
  fi
  rm -f "$log"
  return $rc
}

if [[ $phases == *1* ]]; then
  t0=$SECONDS
  LIAISON_WERROR=ON ./scripts/build.sh
  if run_ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600; then
    phase_done "tests (build/)" "passed" $t0
  else
    phase_done "tests (build/)" "FAILED" $t0; failed=1
  fi
fi

if [[ $phases == *2* ]]; then
  t0=$SECONDS
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIAISON_SANITIZE=ON -DLIAISON_WERROR=ON >/dev/null
  cmake --build build-asan -j"$(nproc)" --target headless_tests
  export UBSAN_OPTIONS=print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1
  if run_ctest --test-dir build-asan --output-on-failure -j"$(nproc)" --timeout 900 -L "unit|integration|fuzz" -LE ui; then
    phase_done "sanitizers (build-asan/: unit, integration, fuzz corpora)" "passed" $t0
  else
    phase_done "sanitizers (build-asan/: unit, integration, fuzz corpora)" "FAILED" $t0; failed=1
  fi
fi

if [[ $phases == *3* ]]; then
  t0=$SECONDS
  if ./scripts/fuzz.sh "${LIAISON_FUZZ_SECONDS:-20}"; then
    phase_done "fuzzing (build-fuzz/, ${LIAISON_FUZZ_SECONDS:-20} s per target)" "no crash" $t0
  else
    phase_done "fuzzing (build-fuzz/, ${LIAISON_FUZZ_SECONDS:-20} s per target)" "FAILED" $t0; failed=1
  fi
fi

printf '%s\n' "${summary[@]}"
echo "total: $passed_n passed, $failed_n failed"
exit $failed
