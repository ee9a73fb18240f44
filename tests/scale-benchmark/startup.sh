#!/usr/bin/env bash
# Start-up at scale (not part of deploy/test.sh): N feeds registered through one OPML file, a fresh
# PostgreSQL, `FeedWorker run` for SECONDS. Prints how long the first sync of the feed list took
# (from the process start to the start-up summary line), the delay to the first fetch nginx saw,
# the fetches in the window and the peak RSS. Then a second start against the same database: the
# reconcile of N feeds that are already registered.
#   FEEDWORKER_DLL=/tmp/fw-pub/FeedWorker.dll tests/scale-benchmark/startup.sh [N] [SECONDS]
# The feeds are the farm of tests/scale-benchmark/run.sh (run it once first with any N); URLs beyond
# the farm's size repeat its files with a query string, so N may exceed the farm.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-100000}; SECONDS_RUN=${2:-60}
: "${FEEDWORKER_DLL:?set FEEDWORKER_DLL to a published FeedWorker.dll}"
FARM=$(ls -d /tmp/fw-scale/n*/farm 2>/dev/null | head -1)
[[ -n $FARM && -f $FARM/feeds.txt ]] || { echo "no feed farm under /tmp/fw-scale: run tests/scale-benchmark/run.sh first" >&2; exit 1; }
# shellcheck source=../../deploy/lib/postgres.sh
. "$root/deploy/lib/postgres.sh"
work=$(mktemp -d /tmp/fw-startup.XXXXXX)
nginx_pid=
cleanup() { [[ -n $nginx_pid ]] && kill "$nginx_pid" 2>/dev/null; pg_stop; }
trap cleanup EXIT

PG_SERVER_OPTIONS="-c shared_buffers=256MB" pg_start "$work/pg" >/dev/null
nginx -p "$FARM/" -c "$FARM/nginx.conf" -e "$FARM/logs/error.log" & nginx_pid=$!
farm=$(wc -l <"$FARM/feeds.txt")
{ echo '<?xml version="1.0"?><opml version="2.0"><head><title>startup</title></head><body>'
  awk -v n="$N" -v farm="$farm" '{ url[NR] = $0 } END {
      for (i = 0; i < n; i++) printf "<outline type=\"rss\" text=\"f%d\" xmlUrl=\"%s?copy=%d\"/>\n", i, url[i % farm + 1], int(i / farm) }' "$FARM/feeds.txt"
  echo '</body></opml>'; } >"$work/feeds.opml"

export ConnectionStrings__FeedWorker="$FEEDWORKER_PG_CONNECTION;Maximum Pool Size=40"
export DOTNET_ENVIRONMENT=Production FeedWorker__OpmlFiles__0=$work/feeds.opml
export FeedWorker__Feeds__0__Url=$FARM/htdocs/feeds/f00000.rss
dotnet "$FEEDWORKER_DLL" migrate >"$work/migrate.log" 2>&1

start_once() {  # $1: label
  : >"$FARM/logs/access.log"
  local started peak=0 r pid
  started=$(date +%s.%N)
  setsid dotnet "$FEEDWORKER_DLL" run >"$work/$1.log" 2>&1 & pid=$!
  local synced=
  for _ in $(seq $((SECONDS_RUN * 5))); do
    sleep 0.2
    r=$(awk '/VmRSS/{print int($2/1024)}' /proc/$pid/status 2>/dev/null || echo 0); (( r > peak )) && peak=$r
    # the start-up summary follows the first sync of the feed list
    [[ -z $synced ]] && grep -q "feed(s) enabled" "$work/$1.log" && synced=$(date +%s.%N)
  done
  kill -TERM "$pid"; wait "$pid" || true
  python3 - "$work/$1.log" "$FARM/logs/access.log" "$started" "$1" "$peak" "${synced:-nan}" <<'PY'
import re, sys
log, access, started, label, peak, synced = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5], float(sys.argv[6])
summary = re.search(r"(\d+) feed\(s\) enabled", open(log).read())
times = [float(l.split()[0]) for l in open(access) if len(l.split()) > 3 and l.split()[3].startswith("/feeds/")]
first = min(times) - started if times else float("nan")
print(f"| {label} | {summary.group(1) if summary else '?'} | {synced - started:.1f} s | {first:.1f} s | {len(times):,} | {peak} MB |")
PY
}
echo "| start | feeds enabled | feed list synced after | first fetch after start | fetches in ${SECONDS_RUN} s | peak RSS |"
echo "|---|--:|--:|--:|--:|--:|"
start_once first
start_once second
