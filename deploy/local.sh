#!/usr/bin/env bash
# Runs FeedWorker from this checkout against a private, persistent PostgreSQL kept in .data/ of the
# repository (same port on every run, so reruns reuse the database).
#
#   deploy/local.sh [run]                          the scheduled worker until Ctrl-C or SIGTERM
#   deploy/local.sh once [--feed URL-or-path]...   refresh the configured feeds once
#   deploy/local.sh feeds [--wide]                 the feed table: state, errors, articles
#   deploy/local.sh health                         exit 0 when the database and the scheduler are fine
#   deploy/local.sh export-opml                    the enabled feeds as OPML on stdout
#   deploy/local.sh migrate                        apply the migrations
#   deploy/local.sh parse [--base-url URL] FILE-OR-URL...   parse feeds, no database
#   deploy/local.sh psql [psql options]            query the database (e.g. -c 'SELECT ...')
#
# Settings: src/FeedWorker/appsettings.json (reread when it changes), then environment variables;
# relative paths in it (feeds, OPML files) resolve against the repository root. The worker is built
# once with `dotnet build -c Release` and rebuilt when a source file is newer than the build.
# The database is started for the command and stopped after it, unless another local.sh already
# runs it (then it is used and left running).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/postgres.sh
. "$root/deploy/lib/postgres.sh"

command=${1:-run}
case "$command" in
  run|once|migrate|feeds|health|export-opml|prune|history|parse|psql) shift || true ;;
  *) echo "usage: deploy/local.sh [run|once|feeds|health|export-opml|prune|history|migrate|parse|psql] [options]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export FEEDWORKER_SETTINGS=$root/src/FeedWorker/appsettings.json DOTNET_CONTENTROOT=$root
data=$root/.data
mkdir -p "$data"
dll=$root/src/FeedWorker/bin/Release/net10.0/FeedWorker.dll

build() {
  if [ -f "$dll" ] && [ -z "$(find "$root/src" "$root/Directory.Build.props" "$root/Directory.Packages.props" \
      -path '*/bin' -prune -o -path '*/obj' -prune -o -type f -newer "$dll" \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit)" ]; then
    return 0
  fi
  echo "Building FeedWorker (Release; once, then again only when the sources change)..." >&2
  dotnet build "$root/src/FeedWorker/FeedWorker.csproj" -c Release -nologo -v quiet >"$data/build.log" 2>&1 || {
    cat "$data/build.log" >&2; echo "error: the build failed (log: $data/build.log)" >&2; return 1; }
}

# Runs the built worker in the background and waits for it, so that SIGTERM and SIGINT sent to this
# script reach the worker (which drains its fetches) and the database is stopped only after it exits.
run_worker() {
  set +e
  # a 16 MB young generation whatever the CPU's cache size, as in the container image (see deploy/Dockerfile)
  DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x1000000} dotnet "$dll" "$@" &
  local worker=$!
  trap 'kill -TERM "$worker" 2>/dev/null' TERM INT
  while kill -0 "$worker" 2>/dev/null; do wait "$worker"; done
  wait "$worker"
  local status=$?
  trap - TERM INT
  set -e
  return $status
}

trap 'exit 130' INT TERM
build
if [ "$command" = parse ]; then
  status=0
  run_worker parse "$@" || status=$?
  exit $status
fi

# the port is chosen once and kept, so the printed psql command stays valid
if [ -f "$data/port" ]; then PG_PORT=$(cat "$data/port"); else PG_PORT=$(pg_free_port); echo "$PG_PORT" >"$data/port"; fi
export PG_PORT
if pg_find_bin && [ -f "$data/pg/data/postmaster.pid" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$data/pg/data" status >/dev/null 2>&1; then
  # another local.sh (e.g. the running worker) owns the database: use it, leave it running
  PG_DIR=$data/pg
  export FEEDWORKER_PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=$PG_DB_USER;Database=$PG_DB_NAME"
else
  trap pg_stop EXIT
  pg_start "$data/pg"
fi
if [ "$command" = psql ]; then
  pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" "$@"
  exit
fi

export ConnectionStrings__FeedWorker=$FEEDWORKER_PG_CONNECTION
# the default list: the seed fixtures (appsettings.json) and a few real public feeds
export FeedWorker__OpmlFiles__0=${FeedWorker__OpmlFiles__0:-$root/deploy/public-feeds.opml}
if [ "$command" = run ]; then
  echo "Settings: $FEEDWORKER_SETTINGS (edits are picked up while the worker runs)"
  echo "While the worker runs, try in another terminal:"
  echo "  deploy/local.sh feeds"
  echo "  deploy/local.sh psql -c 'SELECT id, title, published_at FROM articles ORDER BY id'"
  echo "Stop it with Ctrl-C."
  echo
fi
status=0
run_worker "$command" "$@" || status=$?

if [ $status -eq 0 ] && { [ "$command" = run ] || [ "$command" = once ]; }; then
  echo
  echo "Query the stored articles (the script starts the database for the query and stops it after):"
  echo "  deploy/local.sh psql -c 'SELECT id, title, published_at FROM articles ORDER BY id'"
  echo "  deploy/local.sh feeds"
  echo "or, while a database is running: psql -h 127.0.0.1 -p $PG_PORT -U $PG_DB_USER -d $PG_DB_NAME"
fi
exit $status
