#!/usr/bin/env bash
# Proof on a clean system (docs/packaging.md): builds the amd64 packages, checks them with lintian,
# installs both with apt into a fresh Debian root (debootstrap), runs the server the way its
# systemd unit does, enrols the installed command line, records a visit and syncs it, takes a
# headless screenshot of the installed app, then upgrades over data made by the previous version.
#   scripts/test-packages.sh [--no-build]      (root; about 5 minutes with a cached root)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=${LIAISON_CACHE:-/var/cache/liaison-test}
BASE_TAR=$CACHE/bookworm-minbase.tar
PORT=${LIAISON_TEST_PORT:-18517}
start=$(date +%s)
say() { printf '== %s\n' "$*"; }
die() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

for p in debootstrap lintian dpkg-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" >/dev/null
done
[ "${1:-}" = "--no-build" ] || ./scripts/package.sh amd64
version=$(sed -n 's/^project(Liaison VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)-1
TABLET=dist/liaison_${version}_amd64.deb
CENTRAL=dist/liaison-central_${version}_amd64.deb
[ -f "$TABLET" ] && [ -f "$CENTRAL" ] || die "no packages for $version in dist/"

say "lintian (and on the arm64 packages when dist/ has them)"
debs=("$TABLET" "$CENTRAL")
for f in dist/liaison_"${version}"_arm64.deb dist/liaison-central_"${version}"_arm64.deb; do
  [ -f "$f" ] && debs+=("$f")
done
lintian --allow-root --fail-on error "${debs[@]}" || die "lintian reports errors"

# A fresh root for each part (LIAISON_KEEP_ROOT=1 leaves the last one for a look), from a cached debootstrap of Debian's minimal base.
ROOT=""
cleanup() {
  [ -n "$ROOT" ] || return 0
  pkill -f "$ROOT" 2>/dev/null || true
  for m in dev/pts dev proc; do umount -l "$ROOT/$m" 2>/dev/null || true; done
  if [ -n "${LIAISON_KEEP_ROOT:-}" ]; then echo "kept $ROOT" >&2; else rm -rf "$ROOT"; fi
}
trap cleanup EXIT
new_root() {
  cleanup
  if [ ! -f "$BASE_TAR" ]; then
    say "debootstrap bookworm (once, cached in $CACHE)"
    mkdir -p "$CACHE"
    local tmp
    tmp=$(mktemp -d)
    debootstrap --variant=minbase bookworm "$tmp" http://deb.debian.org/debian >/dev/null
    tar -C "$tmp" -cf "$BASE_TAR" . && rm -rf "$tmp"
  fi
  ROOT=$(mktemp -d /tmp/liaison-root.XXXXXX)
  tar -C "$ROOT" -xf "$BASE_TAR"
  mount -t proc proc "$ROOT/proc"
  mount --bind /dev "$ROOT/dev"
  mount --bind /dev/pts "$ROOT/dev/pts"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  mkdir -p "$ROOT/tmp/debs"
  in_root apt-get update -qq
}
in_root() { chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
# The desk signs in as the tablet's first administrator, set up by the first enrol (docs/security.md).
as_desk() { chroot "$ROOT" runuser -u desk -- env -i PATH=/usr/bin:/bin HOME=/home/desk LANG=C.UTF-8 \
  LIAISON_USER=王芳 LIAISON_PIN=582913 "$@"; }
apt_install() { in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }

# The unit's own ExecStart line, run under the unit's own user.
start_service() {
  local unit="$ROOT/lib/systemd/system/liaison-central.service" exec user
  exec=$(sed -n 's/^ExecStart=//p' "$unit")
  user=$(sed -n 's/^User=//p' "$unit")
  chroot "$ROOT" runuser -u "$user" -- sh -c "umask 077; exec $exec" >"$ROOT/tmp/central.out" 2>"$ROOT/tmp/central.err" &
  for _ in $(seq 50); do
    grep -q "listening on" "$ROOT/tmp/central.out" 2>/dev/null && return 0
    sleep 0.2
  done
  cat "$ROOT/tmp/central.err" >&2
  die "the service did not start"
}
stop_service() {
  pkill -TERM -f "liaison-central --config" || true
  for _ in $(seq 50); do pgrep -f "liaison-central --config" >/dev/null || return 0; sleep 0.2; done
  die "the service did not stop on SIGTERM"
}
admin() { chroot "$ROOT" runuser -u liaison-central -- /usr/bin/liaison-central --config /etc/liaison-central/liaison-central.conf "$@"; }
set_port() { sed -i "s/^listen = .*/listen = 127.0.0.1:$PORT/" "$ROOT/etc/liaison-central/liaison-central.conf"; }


install_packages() {
  cp "$@" "$ROOT/tmp/debs/"
  local args=()
  for f in "$@"; do args+=("/tmp/debs/$(basename "$f")"); done
  apt_install "${args[@]}"
}

# No file of either package names the build folder.
no_build_paths() {
  local f
  for f in $(in_root dpkg -L liaison liaison-central); do
    [ -f "$ROOT$f" ] || continue
    ! grep -q "$REPO" "$ROOT$f" || die "$f contains the build path $REPO"
  done
}

fresh_install_checks() {
  say "apt-get install ./liaison_*.deb ./liaison-central_*.deb into a clean root"
  install_packages "$TABLET" "$CENTRAL"
  in_root getent passwd liaison-central >/dev/null || die "postinst made no liaison-central user"
  [ "$(in_root stat -c '%a %U' /var/lib/liaison-central)" = "700 liaison-central" ] || die "/var/lib/liaison-central not 0700 liaison-central"
  [ "$(in_root stat -c '%a %U' /var/lib/liaison-central/central.db)" = "600 liaison-central" ] || die "central.db not 0600 liaison-central"
  for f in usr/share/applications/liaison.desktop usr/share/applications/liaison-kiosk.desktop \
           usr/share/icons/hicolor/256x256/apps/liaison.png usr/share/liaison/i18n/zh.json; do
    [ -f "$ROOT/$f" ] || die "missing /$f"
  done
  no_build_paths

  say "the service's ExecStart under its user; a tablet enrols, records a visit, syncs"
  set_port
  start_service
  local station code
  station=$(admin station add "打包测试联络站" --kind station | tail -1)
  code=$(admin enrol-code "$station" | tail -1)
  in_root useradd -m desk
  as_desk liaison enrol --server "http://127.0.0.1:$PORT" --code "$code" >/dev/null
  as_desk liaison visit add --visitor 包测甲 --phone 13912340000 --people 2 --category urban --subject 路灯不亮 >/dev/null
  as_desk liaison sync >/dev/null
  [ "$(admin stats | sed -n 's/^  "visits": \([0-9]*\).*/\1/p')" = 1 ] || die "the visit did not reach the server"
  ! grep -q -e 13912340000 -e 包测甲 "$ROOT/tmp/central.err" || die "the server log holds a voter's data"

  say "the installed app, headless: a screenshot of the visit list"
  as_desk env SDL_VIDEODRIVER=dummy liaison --screenshot /tmp/visits.png --view visits --size 1280x800 --lang zh
  mkdir -p "$REPO/out/packages"
  cp "$ROOT/tmp/visits.png" "$REPO/out/packages/installed-visits-1280x800-zh.png"
  [ "$(stat -c %s "$ROOT/tmp/visits.png")" -gt 20000 ] || die "the screenshot is (nearly) empty"
  stop_service
}

# The same binaries with a lower version: dpkg takes the real upgrade path (prerm upgrade,
# unpack, postinst configure OLD_VERSION, conffiles kept) while the data comes from the
# previous release's own code (tests/fixtures/upgrade).
older_package() {
  local deb=$1 out=$2 tmp
  tmp=$(mktemp -d)
  dpkg-deb -R "$deb" "$tmp"
  sed -i "s/^Version: .*/Version: 0.1.0-1/" "$tmp/DEBIAN/control"
  dpkg-deb -b "$tmp" "$out" >/dev/null
  rm -rf "$tmp"
}

upgrade_checks() {
  new_root
  say "upgrade: 0.1.0 data, then this version installed over it"
  local old=$ROOT/tmp/old
  mkdir -p "$old"
  older_package "$TABLET" "$old/liaison_0.1.0-1_amd64.deb"
  older_package "$CENTRAL" "$old/liaison-central_0.1.0-1_amd64.deb"
  install_packages "$old"/*.deb
  set_port  # an administrator's edit of the conffile, which the upgrade must keep
  local srv desk
  srv=$(in_root id -u liaison-central)
  install -o "$srv" -g "$srv" -m 0600 tests/fixtures/upgrade/central.db "$ROOT/var/lib/liaison-central/central.db"
  in_root useradd -m desk
  desk=$(in_root id -u desk)
  install -d -o "$desk" -g "$desk" -m 0700 "$ROOT/home/desk/.local" "$ROOT/home/desk/.local/share" "$ROOT/home/desk/.local/share/liaison"
  install -o "$desk" -g "$desk" -m 0600 tests/fixtures/upgrade/tablet/liaison.db "$ROOT/home/desk/.local/share/liaison/liaison.db"

  install_packages "$TABLET" "$CENTRAL"
  [ "$(in_root dpkg-query -W -f='${Version}' liaison-central)" = "$version" ] || die "liaison-central was not upgraded"
  grep -q "^listen = 127.0.0.1:$PORT" "$ROOT/etc/liaison-central/liaison-central.conf" || die "the upgrade replaced the edited conffile"
  admin station list | grep -q 旧版联络站 || die "the upgraded database lost its station"
  # A store from before sign-in: its first administrator is set up (from LIAISON_USER/PIN) by init.
  as_desk liaison init >/dev/null
  [ "$(as_desk liaison visit list --json | grep -o '"id"' | wc -l)" = 3 ] || die "the upgraded store lost visits"
  start_service
  as_desk liaison sync >/dev/null
  [ "$(admin stats | sed -n 's/^  "visits": \([0-9]*\).*/\1/p')" = 3 ] || die "the old tablet's waiting visit did not sync after the upgrade"
  stop_service

  say "remove keeps the data, purge deletes it"
  in_root env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq liaison-central >/dev/null
  [ -f "$ROOT/var/lib/liaison-central/central.db" ] || die "remove deleted the database"
  in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq liaison-central >/dev/null
  [ ! -e "$ROOT/var/lib/liaison-central" ] || die "purge left /var/lib/liaison-central"
}

# The arm64 packages' own binaries under qemu-user (this machine's arm64 libraries from
# install-deps.sh --arm64): the packaged server takes a visit from the packaged command line.
arm64_smoke() {
  local tablet=dist/liaison_${version}_arm64.deb central=dist/liaison-central_${version}_arm64.deb
  [ -f "$tablet" ] && [ -f "$central" ] || { say "no arm64 packages in dist/: arm64 smoke test skipped"; return 0; }
  command -v qemu-aarch64-static >/dev/null || { say "no qemu-aarch64-static: arm64 smoke test skipped"; return 0; }
  say "arm64: the packaged server and command line under qemu-aarch64-static"
  local x
  x=$(mktemp -d)
  dpkg-deb -x "$tablet" "$x" && dpkg-deb -x "$central" "$x"
  local srv="qemu-aarch64-static $x/usr/bin/liaison-central --db $x/central.db"
  local cli="env LIAISON_USER=王芳 LIAISON_PIN=582913 qemu-aarch64-static $x/usr/bin/liaison --data $x/tablet"
  local station code port
  station=$($srv station add "arm64联络站" | tail -1)
  code=$($srv enrol-code "$station" | tail -1)
  $srv --listen 127.0.0.1:0 >"$x/out" 2>"$x/err" &
  local pid=$!
  for _ in $(seq 100); do grep -q listening "$x/out" 2>/dev/null && break; sleep 0.2; done
  port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$x/out")
  [ -n "$port" ] || die "the arm64 server did not start: $(cat "$x/err")"
  $cli enrol --server "http://127.0.0.1:$port" --code "$code" >/dev/null
  $cli visit add --visitor 臂测 --category urban --subject 架构测试 >/dev/null
  $cli sync >/dev/null
  kill -TERM "$pid" && wait "$pid" || die "the arm64 server did not stop cleanly on SIGTERM"
  [ "$($srv stats | sed -n 's/^  "visits": \([0-9]*\).*/\1/p')" = 1 ] || die "the arm64 visit did not reach the arm64 server"
  rm -rf "$x"
}

arm64_smoke
new_root
fresh_install_checks
upgrade_checks
echo "packages: all checks passed in $(($(date +%s) - start)) s"
