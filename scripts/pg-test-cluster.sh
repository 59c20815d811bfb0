#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store's tests (ctest's pg_cluster fixture,
# tests/store/CMakeLists.txt):
#   pg-test-cluster.sh start DIR   initdb in DIR, serve on a free 127.0.0.1 port, write DIR/url
#   pg-test-cluster.sh stop DIR    stop it (fast) and remove DIR
# Trust authentication, superuser kycd_test, nothing listening beyond loopback, the unix socket
# in DIR. PostgreSQL refuses to run as root, so as root the server runs as the `postgres`
# system user (Debian's postgresql package makes it) and DIR is handed to it; when that user
# cannot reach DIR (a checkout under /root), or DIR is too long a path for a socket, the
# cluster lives in a folder under /tmp instead, which DIR/home names. KYC_PG_BIN overrides
# where the server's binaries are (default: the newest /usr/lib/postgresql/*/bin).
set -euo pipefail

readonly superuser=kycd_test
readonly run_as=postgres

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

usage() { die "usage: $0 start|stop DIR"; }

[ $# -eq 2 ] || usage
action=$1
dir=$2
[ -n "$dir" ] || usage
case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
home=$dir  # where the cluster's files are: DIR, or the folder DIR/home names
if [ -f "$dir/home" ]; then home=$(cat "$dir/home"); fi

find_bin() {
  if [ -n "${KYC_PG_BIN:-}" ]; then
    [ -x "$KYC_PG_BIN/initdb" ] || die "KYC_PG_BIN=$KYC_PG_BIN holds no initdb"
    echo "$KYC_PG_BIN"
    return
  fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$newest" ] && [ -x "$newest/initdb" ] && [ -x "$newest/pg_ctl" ] ||
    die "no PostgreSQL server found in /usr/lib/postgresql/*/bin (install the postgresql package: scripts/install-deps.sh), or set KYC_PG_BIN to the folder that holds initdb and pg_ctl"
  echo "$newest"
}

# Runs a server binary: as the unprivileged user when we are root, as ourselves otherwise.
# From inside the cluster's folder, since the server user may not be allowed to read ours.
as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd "$home" && runuser -u "$run_as" -- "$@")
  else
    (cd "$home" && "$@")
  fi
}

# Whether the server's user can write folder $1 (as root: whether `postgres` can reach it).
server_can_write() {
  if [ "$(id -u)" -eq 0 ]; then
    chown "$run_as:" "$1" && runuser -u "$run_as" -- test -w "$1"
  else
    test -w "$1"
  fi
}

# A loopback port nothing answers on. Another process can still take it before the server
# does; start() then tries the next one.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "found no free port on 127.0.0.1"
}

stop_server() {
  local bin=$1
  if [ -f "$home/data/postmaster.pid" ]; then
    as_server_user "$bin/pg_ctl" stop -D "$home/data" -m fast -w -t 60 >/dev/null ||
      echo "pg-test-cluster: pg_ctl stop failed; see $home/server.log" >&2
  fi
}

remove_cluster() {
  [ "$home" = "$dir" ] || rm -rf "$home"
  rm -rf "$dir"
  home=$dir
}

start() {
  local bin
  bin=$(find_bin)
  [ -x "$bin/pg_isready" ] || die "$bin/pg_isready is missing"
  if [ "$(id -u)" -eq 0 ]; then
    id -u "$run_as" >/dev/null 2>&1 ||
      die "running as root, but there is no '$run_as' user to run the server as (it comes with Debian's postgresql package)"
    command -v runuser >/dev/null || die "runuser (util-linux) is missing"
  fi
  # What an earlier run left (a crash, an interrupted ctest) goes first.
  if [ -d "$dir" ]; then
    stop_server "$bin"
    remove_cluster
  fi
  mkdir -p "$dir"
  # A unix socket's path is limited to 107 bytes.
  if ! server_can_write "$dir" 2>/dev/null || [ ${#dir} -gt 90 ]; then
    home=$(mktemp -d /tmp/kycd-pg-test.XXXXXX)
    echo "$home" >"$dir/home"
    server_can_write "$home" || die "the server's user cannot write $home"
  fi

  # A dictionary's collation by default, as production databases have, rather than byte order:
  # a query that sorts without COLLATE "C" then orders differently from the SQLite store, and
  # the tests see it. ICU (PostgreSQL 15+) needs no OS locale but C.UTF-8.
  local locale=(--locale=C)
  # (Output taken whole: grep -q ending a pipe early would fail it under pipefail.)
  local help locales
  help=$("$bin/initdb" --help)
  locales=$(locale -a 2>/dev/null || true)
  if [[ $help == *--locale-provider* ]] && grep -qix 'c\.utf-\?8' <<<"$locales"; then
    locale=(--locale=C.UTF-8 --locale-provider=icu --icu-locale=en-US)
  fi
  as_server_user "$bin/initdb" -D "$home/data" -U "$superuser" --auth=trust -E UTF8 "${locale[@]}" \
    --no-instructions >"$home/initdb.log" 2>&1 ||
    die "initdb failed: $(cat "$home/initdb.log")"

  # Loopback only, and the socket in the cluster's folder rather than in /var/run/postgresql
  # (which a system cluster owns, and which may not exist).
  cat >>"$home/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$home'
EOF

  local port="" candidate tries
  for tries in 1 2 3 4 5; do
    candidate=$(free_port)
    if as_server_user "$bin/pg_ctl" start -D "$home/data" -l "$home/server.log" -w -t 60 \
      -o "-p $candidate" >/dev/null; then
      port=$candidate
      break
    fi
    echo "pg-test-cluster: the server did not start on port $candidate (try $tries):" >&2
    tail -n 5 "$home/server.log" >&2 || true
  done
  [ -n "$port" ] || die "the server did not start; see $home/server.log"

  local ready=""
  for _ in $(seq 1 60); do
    if "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$superuser" -d postgres; then
      ready=1
      break
    fi
    sleep 0.5
  done
  [ -n "$ready" ] || die "the server on 127.0.0.1:$port accepts no connections; see $home/server.log"
  echo "postgresql://$superuser@127.0.0.1:$port/postgres" >"$dir/url"
  echo "pg-test-cluster: serving $(cat "$dir/url") from $home"
}

stop() {
  [ -d "$dir" ] || return 0
  local bin
  bin=$(find_bin)
  stop_server "$bin"
  remove_cluster
  echo "pg-test-cluster: stopped and removed $dir"
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
