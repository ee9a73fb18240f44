#!/usr/bin/env bash
# Runs FeedWorker on this machine against a private, persistent PostgreSQL kept in .data/ of the
# repository (same port on every run, so reruns reuse the database).
#
#   deploy/local.sh [run]                          run the scheduled worker until Ctrl-C, then stop the database
#   deploy/local.sh once [--feed URL-or-path]...   refresh the configured feeds once, then stop the database
#   deploy/local.sh migrate                        apply the migrations, then stop the database
#   deploy/local.sh psql [psql options]            query the database (e.g. -c 'SELECT ...')
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/postgres.sh
. "$root/deploy/lib/postgres.sh"

command=${1:-run}
case "$command" in
  run|once|migrate|psql) shift || true ;;
  *) echo "usage: deploy/local.sh [run|once|migrate|psql] [options]" >&2; exit 2 ;;
esac

data=$root/.data
mkdir -p "$data"
# the port is chosen once and kept, so the printed psql command stays valid
if [ -f "$data/port" ]; then PG_PORT=$(cat "$data/port"); else PG_PORT=$(pg_free_port); echo "$PG_PORT" >"$data/port"; fi
export PG_PORT
trap pg_stop EXIT
trap 'exit 130' INT TERM
pg_start "$data/pg"
if [ "$command" = psql ]; then
  pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" "$@"
  exit
fi

export ConnectionStrings__FeedWorker=$FEEDWORKER_PG_CONNECTION
# the default list: the seed fixture (appsettings.json) and a few real public feeds
export FeedWorker__OpmlFiles__0=${FeedWorker__OpmlFiles__0:-$root/deploy/public-feeds.opml}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$root"
if [ "$command" = run ]; then
  echo "While the worker runs, query what it stores with:"
  echo "  psql -h 127.0.0.1 -p $PG_PORT -U $PG_DB_USER -d $PG_DB_NAME"
  echo "Stop it with Ctrl-C."
  echo
fi
status=0
dotnet run --project src/FeedWorker -c Release -- "$command" "$@" || status=$?

echo
echo "Query the stored articles (the script starts the database for the query and stops it after):"
echo "  deploy/local.sh psql -c 'SELECT id, title, published_at FROM articles ORDER BY id'"
echo "or, while a database is running: psql -h 127.0.0.1 -p $PG_PORT -U $PG_DB_USER -d $PG_DB_NAME"
exit $status
