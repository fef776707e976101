#!/usr/bin/env bash
# End-to-end browser test of the web console (docs/console.md), registered with ctest as
# console_e2e (tests/console/CMakeLists.txt). It sets up a fresh liaison-central (two stations, the
# demo departments, an office, a department and an admin account), enrols a tablet, seeds it with
# `liaison demo` and a visit and case whose subject and title are markup, syncs, and hands over to
# e2e.js (puppeteer-core driving Debian's chromium) for the case loop in the browser, the tablet's
# side of it, the figures, bulk assignment and screenshots of every page.
#
#   LIAISON_CENTRAL, LIAISON     the binaries (default: build/sync/server/liaison-central, build/client/liaison)
#   LIAISON_CHROMIUM             the browser (default /usr/bin/chromium)
#   LIAISON_CONSOLE_SHOTS        where the screenshots go (default build/console-shots)
#   LIAISON_CONSOLE_KEEP=1       keep the temporary folder (database, tablet, server log)
#
# Fails with one clear line when chromium, node or the binaries are missing: it never skips.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
CENTRAL=${LIAISON_CENTRAL:-$root/build/sync/server/liaison-central}
LIAISON=${LIAISON:-$root/build/client/liaison}
CHROMIUM=${LIAISON_CHROMIUM:-/usr/bin/chromium}
SHOTS=${LIAISON_CONSOLE_SHOTS:-$root/build/console-shots}
export LIAISON_CHROMIUM=$CHROMIUM LIAISON_CONSOLE_SHOTS=$SHOTS

die() { echo "console e2e FAILED: $*" >&2; exit 1; }
[ -x "$CHROMIUM" ] || die "no browser at $CHROMIUM (scripts/install-deps.sh installs Debian's chromium)"
command -v node >/dev/null 2>&1 || die "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm is not installed (apt-get install npm)"
[ -x "$CENTRAL" ] || die "no liaison-central at $CENTRAL (build it, or set LIAISON_CENTRAL)"
[ -x "$LIAISON" ] || die "no liaison at $LIAISON (build it, or set LIAISON)"

# puppeteer-core, pinned by package-lock.json; installed again when the lock file changes.
stamp=$here/node_modules/.liaison-lock
if [ ! -d "$here/node_modules/puppeteer-core" ] || ! cmp -s "$here/package-lock.json" "$stamp"; then
  echo "console e2e: npm ci"
  (cd "$here" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --prefer-offline --loglevel=error) >&2 ||
    die "npm ci in $here failed"
  cp "$here/package-lock.json" "$stamp"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/liaison-console-e2e.XXXXXX")
server_pid=""
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  if [ "$rc" -ne 0 ] && [ -s "$tmp/server.err" ]; then
    echo "--- the server's log (last 20 lines):" >&2
    tail -20 "$tmp/server.err" >&2
  fi
  if [ "${LIAISON_CONSOLE_KEEP:-0}" = 1 ]; then echo "console e2e: kept $tmp" >&2; else rm -rf "$tmp"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

db=$tmp/central.db
tab=$tmp/tablet
run() {  # a setup command; its output goes to setup.log, and on failure the log's end says why
  if ! "$@" >>"$tmp/setup.log" 2>&1; then
    tail -5 "$tmp/setup.log" >&2
    die "setup step failed: ${1##*/} ${*:2}"
  fi
}
last_line() {  # a setup command whose last line of output is wanted (an id, a code)
  if ! "$@" >"$tmp/out" 2>>"$tmp/setup.log"; then
    cat "$tmp/out" >>"$tmp/setup.log"
    tail -5 "$tmp/setup.log" >&2
    die "setup step failed: ${1##*/} ${*:2}"
  fi
  cat "$tmp/out" >>"$tmp/setup.log"
  tail -1 "$tmp/out"
}

# The centre: stations, departments, accounts.
run "$CENTRAL" --db "$db" station add 东湖区人大代表联络站 --district 东湖区 --township 湖滨街道
run "$CENTRAL" --db "$db" station add 西湖区人大代表联络站 --district 西湖区
run "$CENTRAL" --db "$db" import departments "$root/scripts/demo/departments.csv"
export E2E_OFFICE_USER=office E2E_OFFICE_PASSWORD=office-pass-1 \
       E2E_DEPT_USER=zjj E2E_DEPT_PASSWORD=zjj-pass-123 E2E_DEPARTMENT=区住建局 \
       E2E_ADMIN_USER=admin E2E_ADMIN_PASSWORD=admin-pass-12
printf '%s\n' "$E2E_OFFICE_PASSWORD" | run "$CENTRAL" --db "$db" user add "$E2E_OFFICE_USER" --role office --stations '*' --display 王主任 --password-stdin
printf '%s\n' "$E2E_DEPT_PASSWORD" | run "$CENTRAL" --db "$db" user add "$E2E_DEPT_USER" --role department --department "$E2E_DEPARTMENT" --display 李科长 --password-stdin
printf '%s\n' "$E2E_ADMIN_PASSWORD" | run "$CENTRAL" --db "$db" user add "$E2E_ADMIN_USER" --role admin --display 系统管理员 --password-stdin
run "$CENTRAL" --db "$db" station list
station=$(awk '$2 == "东湖区人大代表联络站" {print $1}' "$tmp/setup.log")
[ -n "$station" ] || die "station list does not show the station just added"
code=$(last_line "$CENTRAL" --db "$db" enrol-code "$station")
[ -n "$code" ] || die "no enrolment code for station $station"

# The server, on a free port; the port is read from its first line.
"$CENTRAL" --db "$db" --listen 127.0.0.1:0 >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^listening on \(127\.0\.0\.1:[0-9]*\).*/http:\/\/\1/p' "$tmp/server.out" | head -1)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || die "liaison-central exited at start: $(tail -1 "$tmp/server.err")"
  sleep 0.1
done
[ -n "$url" ] || die "liaison-central did not say where it listens within 10 s"

# The tablet: enrol, first sync (the centre's departments), demo data, then the markup visit and its
# case (demo data goes only into a station without visits), and sync it all up.
run "$LIAISON" --data "$tab" enrol --server "$url" --code "$code" --device-name 前台平板
run "$LIAISON" --data "$tab" sync
run "$LIAISON" --data "$tab" demo
xss='<img src=x onerror=alert(1)>'
visit=$(last_line "$LIAISON" --data "$tab" visit add --visitor 张三 --phone 13800000000 --category urban \
  --subject "$xss" --content '<b>小区</b>门口的路灯坏了<script>alert(2)</script>')
[ -n "$visit" ] || die "visit add printed no id"
case_id=$(last_line "$LIAISON" --data "$tab" case add --visit "$visit" --title "$xss" \
  --content '路灯<i>损坏</i>，夜间出行不便 <svg onload=alert(3)>')
[ -n "$case_id" ] || die "case add printed no id"
run "$LIAISON" --data "$tab" sync

echo "console e2e: server $url, tablet $tab, case $case_id"
cd "$here"
LIAISON="$LIAISON" node e2e.js --url "$url" --data "$tab" --case "$case_id" --xss "$xss"
