#!/usr/bin/env bash
# Configures and builds into ./build (Release with debug info), using every core.
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache, where installed, makes rebuilds and extra build trees cheap.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi
# LIAISON_WERROR=ON (CI, scripts/test.sh) makes every warning an error.
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLIAISON_WERROR="${LIAISON_WERROR:-OFF}" >/dev/null
cmake --build build -j"$(nproc)"
