#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks (docs/server.md, "PostgreSQL").
#   scripts/pg-cluster.sh start DIR   initdb in DIR (made afresh) and start it on a Unix socket in
#                                     DIR/sock; prints the server's URL as its last line:
#                                     postgresql://liaison@/postgres?host=DIR/sock
#   scripts/pg-cluster.sh stop DIR    stops it and removes DIR
#   scripts/pg-cluster.sh url DIR     prints the URL of a started cluster
#   scripts/pg-cluster.sh down DIR    stops a started cluster (fast: sessions are ended), keeps DIR
#   scripts/pg-cluster.sh up DIR      starts it again after `down` (the failover tests)
# PostgreSQL refuses to run as root, so as root (CI) the cluster runs as `nobody`, which owns DIR.
# No TCP port is opened: the socket lives in DIR, so any number of clusters can run side by side.
# Authentication is `trust` on the socket only, which DIR's owner alone can reach when not root.
# PG_CLUSTER_FSYNC=on keeps fsync on (benchmarks); the tests turn it off, which only matters on
# power loss.
set -euo pipefail

die() { echo "pg-cluster: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: $0 start|stop|url|down|up DIR"
cmd=$1
dir=$2
case $dir in /*) ;; *) dir="$PWD/$dir" ;; esac

bindir=""
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then bindir=$d; break; fi
done
[ -n "$bindir" ] || die "PostgreSQL is not installed (apt-get install postgresql; scripts/install-deps.sh)"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

url() { echo "postgresql://liaison@/postgres?host=$dir/sock"; }

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

start() {
  stop
  mkdir -p "$dir/sock"
  # nobody must reach DIR through its parents (a build tree under /root would not do).
  if [ "$(id -u)" -eq 0 ]; then
    chown -R nobody:nogroup "$dir"
    as_owner test -w "$dir" || die "$dir is not reachable for the user nobody: pick a folder under /tmp"
  fi
  chmod 700 "$dir"
  as_owner "$bindir/initdb" -D "$dir/data" -U liaison --auth=trust --no-sync -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local fsync=${PG_CLUSTER_FSYNC:-off}
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
max_connections = 300
shared_buffers = 128MB
fsync = $fsync
synchronous_commit = $fsync
full_page_writes = $fsync
EOF
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; die "the server did not start"; }
  url
}

down() { as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null; }
up() {
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; die "the server did not start"; }
}

case $cmd in
  start) start ;;
  down) down ;;
  up) up ;;
  stop) stop ;;
  url) url ;;
  *) die "usage: $0 start|stop|url|down|up DIR" ;;
esac
