#!/usr/bin/env bash
# A newcomer's first run: install, build, start a central server on loopback with its web console,
# enrol a tablet store to it, seed demo data (synced, so the console shows it) and open the app.
# Run it again to come back to the same station.
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

demo_password=liaison-demo
if [ ! -f "$home/central.db" ]; then
  "$central" --db "$home/central.db" station add "东湖街道人大代表联络站" --kind 代表联络站 --district 东湖区 >/dev/null
  "$central" --db "$home/central.db" import departments scripts/demo/departments.csv >/dev/null
  # Demo console accounts (docs/console.md): the office, one department, the administrator.
  echo "$demo_password" | "$central" --db "$home/central.db" user add office --role office --stations '*' \
    --display 代表工委王主任 --password-stdin >/dev/null
  echo "$demo_password" | "$central" --db "$home/central.db" user add cgj --role department \
    --department 区城管局 --display 区城管局张科长 --password-stdin >/dev/null
  echo "$demo_password" | "$central" --db "$home/central.db" user add admin --role admin \
    --display 系统管理员 --password-stdin >/dev/null
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

# The demo tablet's first administrator (docs/security.md); the app's sign-in screen asks for it.
demo_admin=王芳 demo_pin=582913
export LIAISON_USER=$demo_admin LIAISON_PIN=$demo_pin
if [ ! -f "$home/tablet/liaison.db" ]; then
  code=$("$central" --db "$home/central.db" enrol-code "东湖街道人大代表联络站" | tail -n 1)
  "$liaison" --data "$home/tablet" enrol --server "http://127.0.0.1:$port" --code "$code" --device-name "desk"
  # The centre's departments first, so the demo's cases are assigned to them; then up they go.
  "$liaison" --data "$home/tablet" sync >/dev/null
  "$liaison" --data "$home/tablet" demo
  "$liaison" --data "$home/tablet" sync >/dev/null
  python3 scripts/demo/console_steps.py "http://127.0.0.1:$port" cgj "$demo_password" ||
    echo "note: the demo department's console steps failed (above); the console works without them"
fi
echo "tablet sign-in:  $demo_admin / PIN $demo_pin (administrator)"
echo "web console:    http://127.0.0.1:$port/console/  (office / $demo_password; department cgj / $demo_password; admin / $demo_password)"

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ "${SDL_VIDEODRIVER:-}" != "dummy" ]; then
  echo "No display found: the app needs a desktop session (or run it under Xvfb)."
  echo "The command line works without one:  $liaison --data $home/tablet help"
  echo "The central server and its console keep running until Ctrl-C."
  wait $central_pid
  exit 0
fi
"$liaison" --data "$home/tablet" --demo
