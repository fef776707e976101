#!/usr/bin/env bash
# Cross-builds Liaison for arm64 into ./build-arm64 (Debian's multiarch cross toolchain,
# cmake/toolchain-arm64.cmake; Release, warnings are errors) and runs the unit tests under
# qemu-user-static (docs/packaging.md).
#   scripts/test-arm64.sh   install what is missing, build, run `ctest -L unit` under qemu
# Builds liaison (the app with its command line), liaison-central and the unit test executables.
# LIAISON_JOBS sets the build's parallelism (default: every core).
# The last lines: the architecture of each program (file), `arm64: N passed, N failed` and the
# wall time of the build and of the emulated test run.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${LIAISON_JOBS:-$(nproc)}
./scripts/install-deps.sh --arm64
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
# The unit test executables: every test labelled `unit` that ctest runs as a target (check_layers
# is a python script on the host).
unit_targets=(test_sync_core test_text_encoding test_domain_rules test_replica test_text_wrap test_charts test_store test_kiosk_lock
              test_kiosk_duty test_cli)

t0=$SECONDS
cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake \
  -DCMAKE_BUILD_TYPE=Release -DLIAISON_WERROR=ON >/dev/null
cmake --build build-arm64 -j"$jobs" --target liaison liaison-central "${unit_targets[@]}"
build_s=$(( SECONDS - t0 ))

# The programs are arm64: `file` says so, or the run stops here.
for f in build-arm64/client/liaison build-arm64/sync/server/liaison-central \
         "${unit_targets[@]/#/build-arm64/tests/unit/}"; do
  desc=$(file -b "$f")
  echo "$f: ${desc%%, BuildID*}"
  [[ $desc == *"ARM aarch64"* ]] || { echo "arm64: $f is not an aarch64 program" >&2; exit 1; }
done

t1=$SECONDS
log=$(mktemp)
rc=0
# -V for doctest's own counts (its closing line per executable), kept in the log.
ctest --test-dir build-arm64 -L unit -V -j"$jobs" --timeout 1200 >"$log" 2>&1 || rc=$?
test_s=$(( SECONDS - t1 ))
line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1 || true)
passed=0 failed=1
if [[ $line =~ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
  failed=${BASH_REMATCH[1]}
  passed=$(( BASH_REMATCH[2] - BASH_REMATCH[1] ))
fi
if [ "$rc" -ne 0 ]; then
  grep -E 'Failed|\*\*\*|ERROR' "$log" || true
  echo "(full ctest output: $log)"
else
  cases=$(grep -oE '\[doctest\] test cases: +[0-9]+' "$log" | awk '{ n += $NF } END { print n + 0 }')
  echo "ctest -L unit under $(grep -m1 -oE 'qemu-aarch64[-a-z]*' "$log" || echo '?'): $line ($cases doctest cases)"
  rm -f "$log"
fi
echo "arm64: $passed passed, $failed failed (build ${build_s} s, emulated tests ${test_s} s)"
exit "$rc"
