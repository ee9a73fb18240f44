# Private PostgreSQL clusters for FeedWorker's scripts (sourced, not run).
#
#   pg_start DIR   start (creating if needed) a cluster in DIR on a free loopback port;
#                  sets PG_PORT, PG_DIR and FEEDWORKER_PG_CONNECTION
#   pg_stop        stop the cluster started by pg_start (safe to call twice)
#
# PG_SERVER_OPTIONS (optional) adds server settings, e.g. "-c max_connections=30"; they come last,
# so they override the defaults below.
#
# The cluster listens on 127.0.0.1 only, with its socket inside DIR and trust authentication:
# it is reachable only from this machine. initdb refuses to run as root, so under root the
# cluster runs as the unprivileged user `postgres` through runuser.

PG_DB_USER=feedworker
PG_DB_NAME=feedworker

pg_log() { echo "[postgres] $*" >&2; }

pg_find_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN=$(dirname "$(command -v pg_ctl)")
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      PG_BIN=$dir
      return 0
    fi
  done
  return 1
}

pg_install() {
  if pg_find_bin; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    pg_log "initdb/pg_ctl not found: installing postgresql with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2 || return 1
    pg_find_bin && return 0
  fi
  pg_log "PostgreSQL server binaries (initdb, pg_ctl) not found."
  pg_log "Install them, e.g. 'sudo apt-get install postgresql' (Debian/Ubuntu), or put them on PATH."
  return 1
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# Runs a PostgreSQL binary as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_psql() {
  if [ -x "$PG_BIN/psql" ]; then pg_as_owner "$PG_BIN/psql" "$@"; else pg_as_owner psql "$@"; fi
}

pg_start() {
  PG_DIR=$1
  pg_install || return 1
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres || return 1
  fi
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_DIR"
    # the cluster's owner must be able to reach DIR through its parents
    local d=$PG_DIR
    while [ "$d" != / ] && [ -n "$d" ]; do
      d=$(dirname "$d")
      runuser -u postgres -- test -x "$d" || chmod o+x "$d"
    done
  fi
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_DB_USER" -A trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
      pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_DB_USER" -A trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 || {
        pg_log "initdb failed, see $PG_DIR/initdb.log"; cat "$PG_DIR/initdb.log" >&2; return 1; }
  fi
  PG_PORT=${PG_PORT:-$(pg_free_port)}
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$PG_DIR' -c max_connections=300 -c fsync=${PG_FSYNC:-on} ${PG_SERVER_OPTIONS:-}" >/dev/null || {
      pg_log "PostgreSQL did not start, see $PG_DIR/server.log"; tail -20 "$PG_DIR/server.log" >&2; return 1; }
  pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$PG_DB_NAME'" | grep -q 1 ||
    pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d postgres -qc "CREATE DATABASE $PG_DB_NAME" >/dev/null || return 1
  FEEDWORKER_PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_DB_USER;Database=$PG_DB_NAME"
  export FEEDWORKER_PG_CONNECTION PG_PORT PG_DIR
  pg_log "running on 127.0.0.1:$PG_PORT (data in $PG_DIR/data)"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
}
