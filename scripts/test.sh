#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, integration, UI screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
export SDL_VIDEODRIVER=dummy SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
