#!/usr/bin/env bash
# Configures and builds into ./build (Release with debug info), using every core.
#   scripts/build.sh              configure and build everything
#   scripts/build.sh --configure  configure only (build/compile_commands.json, for scripts/tidy.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache, where installed, makes rebuilds and extra build trees cheap.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
# Warnings are errors by default, as in CI. start.sh and test.sh both come here, so they share one
# configuration and the second build after the first has nothing to do; LIAISON_WERROR=OFF lets a
# new warning through on a developer's machine (and rebuilds, since every flag changes).
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIAISON_WERROR="${LIAISON_WERROR:-ON}" >/dev/null
if [ "${1:-}" = "--configure" ]; then exit 0; fi
cmake --build build -j"$(nproc)"
