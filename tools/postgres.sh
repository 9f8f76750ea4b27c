#!/usr/bin/env bash
# A local PostgreSQL for the reporting store's tests and for trying the PostgreSQL backend: a process of ours under
# network/run/postgres (port ADRECON_BASE_PORT + 432, 127.0.0.1 only, trust authentication for the local user
# `adrecon`), its PID recorded in network/run/pids so that `npm run network:down` stops it with the network.
# Installs Debian's postgresql package when no server binaries are found and we run as root.
set -euo pipefail

usage() {
  cat <<USAGE
Usage: tools/postgres.sh start|stop|url
  start   start the server when it is not running (initialising its data folder once); prints its URL
  stop    stop the server (fast shutdown)
  url     print the URL of the reporting database (postgresql://adrecon@127.0.0.1:PORT/adrecon_reporting)
USAGE
}

root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/network/run"
data="$run/postgres/data"
log="$run/logs/postgres.log"
pids="$run/pids"
port=$((${ADRECON_BASE_PORT:-7000} + 432))
url="postgresql://adrecon@127.0.0.1:$port/adrecon_reporting"

server_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  if [[ -z $dir ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
      echo "PostgreSQL server is missing: installing it with apt-get" >&2
      (apt-get install -y -qq postgresql >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null; })
      dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)
    else
      echo "PostgreSQL server is missing: install it (Debian: apt-get install postgresql)" >&2
      exit 1
    fi
  fi
  echo "$dir"
}

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user the Debian package creates.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() {
  [[ -f $data/postmaster.pid ]] && kill -0 "$(head -n 1 "$data/postmaster.pid")" 2>/dev/null
}

start() {
  local bin pid
  bin=$(server_bin)
  if running; then
    echo "$url"
    return
  fi
  mkdir -p "$run/postgres" "$run/logs" "$pids"
  touch "$log"
  if [[ $(id -u) -eq 0 ]]; then chown postgres "$run/postgres" "$log"; fi
  if [[ ! -f $data/PG_VERSION ]]; then
    as_owner "$bin/initdb" -D "$data" -U adrecon -A trust --no-sync -E UTF8 >/dev/null
  fi
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=''" start >/dev/null
  pid=$(head -n 1 "$data/postmaster.pid")
  printf '{\n  "name": "postgres",\n  "pid": %s,\n  "command": "%s",\n  "args": [],\n  "startedAt": "%s",\n  "log": "%s"\n}\n' \
    "$pid" "$bin/postgres" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$log" >"$pids/postgres.json"
  # Held: the network's supervisor must not restart it (it is started as the postgres user, by this script only).
  touch "$pids/postgres.hold"
  if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U adrecon -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'adrecon_reporting'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$port" -U adrecon adrecon_reporting
  fi
  echo "$url"
}

stop() {
  local bin
  bin=$(server_bin)
  if running; then as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
  rm -f "$pids/postgres.json" "$pids/postgres.hold"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$url" ;;
  -h | --help) usage ;;
  *) usage >&2; exit 2 ;;
esac
