#!/usr/bin/env bash
# Builds the Debian packages of both programs into dist/ (docs/packaging.md):
#   dist/liaison_VERSION-1_ARCH.deb          the tablet app and command line
#   dist/liaison-central_VERSION-1_ARCH.deb  the server and its systemd service
# usage: scripts/package.sh [amd64|arm64|all]     (default all; arm64 is cross-built)
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-all}
case "$want" in amd64 | arm64 | all) ;; *) echo "usage: scripts/package.sh [amd64|arm64|all]" >&2; exit 2 ;; esac

./scripts/install-deps.sh
need=(dpkg-dev fakeroot)
for p in "${need[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p"
done
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
fi

# One architecture: a Release tree of its own with Debian's own compiler and hardening flags
# (dpkg-buildflags: -O2, stack protector, fortify, relro, bindnow, and -ffile-prefix-map so no
# binary names the build folder), only the two programs built (not the tests), then CPack's DEB
# generator.
package() {
  local arch=$1 dir="build-pkg-$1" extra=()
  if [ "$arch" = arm64 ]; then
    ./scripts/install-deps.sh --arm64
    extra+=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchain-arm64.cmake")
  fi
  local flags cflags cxxflags ldflags
  flags() { DEB_HOST_ARCH=$arch DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"; }
  cflags="$(flags CPPFLAGS) $(flags CFLAGS)"
  cxxflags="$(flags CPPFLAGS) $(flags CXXFLAGS)"
  ldflags="$(flags LDFLAGS)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS_RELEASE=-DNDEBUG \
    -DCMAKE_CXX_FLAGS_RELEASE=-DNDEBUG -DCMAKE_C_FLAGS="$cflags" -DCMAKE_CXX_FLAGS="$cxxflags" \
    -DCMAKE_EXE_LINKER_FLAGS="$ldflags" -DCMAKE_INSTALL_PREFIX=/usr -DLIAISON_WERROR=ON \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON "${extra[@]}" >/dev/null
  cmake --build "$dir" -j2 --target liaison liaison-central
  rm -rf "$dir/dist"
  (cd "$dir" && cpack -G DEB >/dev/null)
  mkdir -p dist
  cp "$dir"/dist/*.deb dist/
}

start=$(date +%s)
if [ "$want" = amd64 ] || [ "$want" = all ]; then package amd64; fi
if [ "$want" = arm64 ] || [ "$want" = all ]; then package arm64; fi
ls -l dist/*.deb
echo "packages built in $(($(date +%s) - start)) s"
