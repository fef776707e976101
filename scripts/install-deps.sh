#!/usr/bin/env bash
# Installs the Debian packages Liaison builds and runs with.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(cmake g++ make pkg-config
      libsqlite3-dev libcurl4-openssl-dev libssl-dev zlib1g-dev
      libimgui-dev libsdl2-dev doctest-dev
      libmicrohttpd-dev nlohmann-json3-dev libpq-dev
      clang libclang-rt-14-dev clang-format clang-tidy   # libFuzzer, sanitizer runtimes, format and tidy checks
      fonts-noto-cjk fonts-dejavu-core)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
