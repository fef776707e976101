#!/usr/bin/env bash
# A newcomer's first run: install, build, start a central server on loopback, enrol a tablet
# store to it, and open the app with demo data. Run it again to come back to the same station.
#   LIAISON_HOME  where the demo keeps its data (default ~/.local/share/liaison-demo)
#   LIAISON_PORT  the central server's loopback port (default 8765)
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh

home="${LIAISON_HOME:-$HOME/.local/share/liaison-demo}"
port="${LIAISON_PORT:-8765}"
central=./build/sync/server/liaison-central
liaison=./build/client/liaison
mkdir -p "$home"

if [ ! -f "$home/central.db" ]; then
  "$central" --db "$home/central.db" station add "东湖街道人大代表联络站" --kind 代表联络站 >/dev/null
fi
"$central" --db "$home/central.db" --listen "127.0.0.1:$port" --synchronous normal >"$home/central.log" 2>&1 &
central_pid=$!
trap 'kill $central_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  grep -q "listening on" "$home/central.log" 2>/dev/null && break
  kill -0 $central_pid 2>/dev/null || { echo "liaison-central did not start:"; cat "$home/central.log"; exit 1; }
  sleep 0.1
done
echo "central server: http://127.0.0.1:$port (log: $home/central.log)"

if [ ! -f "$home/tablet/liaison.db" ]; then
  code=$("$central" --db "$home/central.db" enrol-code "东湖街道人大代表联络站" | tail -n 1)
  "$liaison" --data "$home/tablet" enrol --server "http://127.0.0.1:$port" --code "$code" --device-name "desk"
fi

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SDL_VIDEODRIVER:-}" != "dummy" ]; then
  echo "No display found: the app needs a desktop session (or run it under Xvfb)."
  echo "The command line works without one:  $liaison --data $home/tablet help"
  exit 1
fi
"$liaison" --data "$home/tablet" --demo
