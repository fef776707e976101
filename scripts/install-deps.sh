#!/usr/bin/env bash
# Installs the Debian packages Liaison builds and runs with.
#   scripts/install-deps.sh          the native (host) build's packages
#   scripts/install-deps.sh --arm64  also the arm64 cross build's (docs/packaging.md): adds the
#                                    arm64 architecture, the cross compilers, qemu-user-static and
#                                    the :arm64 -dev libraries the build links
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
arm64=0
for arg in "$@"; do
  case $arg in
    --arm64) arm64=1 ;;
    *) echo "usage: $0 [--arm64]" >&2; exit 2 ;;
  esac
done
PKGS=(cmake g++ make pkg-config
      libsqlite3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
      libimgui-dev libsdl2-dev doctest-dev
      libespeak-ng-dev                                    # the desk calls numbers out (its data: espeak-ng-data)
      libmicrohttpd-dev nlohmann-json3-dev libpq-dev postgresql   # PostgreSQL: the server's second backend, its tests
      libsodium-dev libqrencode-dev libxlsxwriter-dev     # the console: Argon2id, enrolment QR codes, .xlsx export
      chromium nodejs                                     # the console's browser tests (docs/console.md)
      clang libclang-rt-14-dev clang-format clang-tidy   # libFuzzer, sanitizer runtimes, format and tidy checks
      fonts-noto-cjk fonts-dejavu-core)
if [ $arm64 -eq 1 ]; then
  # The libraries CMakeLists.txt links, for the target; doctest and nlohmann-json are header-only
  # and stay native, and so do python3 and the build tools. These -dev packages are
  # Multi-Arch: same, so both architectures must have the same version: apt may upgrade the amd64
  # ones to match.
  PKGS+=(crossbuild-essential-arm64 qemu-user-static file
         libsqlite3-dev:arm64 libcurl4-openssl-dev:arm64 libssl-dev:arm64 zlib1g-dev:arm64
         libimgui-dev:arm64 libsdl2-dev:arm64 libespeak-ng-dev:arm64 libmicrohttpd-dev:arm64
         libsodium-dev:arm64 libqrencode-dev:arm64 libxlsxwriter-dev:arm64)
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    echo "adding the arm64 architecture"
    $SUDO dpkg --add-architecture arm64
  fi
fi
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm comes with a Node.js from nodejs.org; Debian's nodejs needs Debian's npm beside it.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
