#!/usr/bin/env bash
# End-to-end ingest benchmark: realistic feeds served from 127.0.0.1, a throwaway PostgreSQL, and
# `FeedWorker once` (published Release, as it ships) run three times per repetition:
#   cold       empty database, every feed new
#   unchanged  nothing changed: every fetch should be a 304 and no article row written
#   changed    a share of the feeds (default 10 %) gained new items and edited one
# For each round: wall time, CPU time (user+sys) and peak RSS of the FeedWorker process, the CPU
# time PostgreSQL spent, articles stored per second (article rows inserted / wall time), the
# requests the server answered (200/304), and the article rows inserted and updated
# (pg_stat_user_tables deltas on `articles`). With --runs N the whole sequence runs N times
# on a fresh database and the summary gives the median of each figure.
#
#   tests/ingest-benchmark/run.sh [--feeds 500] [--items 50] [--runs 1] [--changed 0.1] [--fsync on|off]
#                                 [--env NAME=VALUE]... [--trace] [--keep]
#
# --env passes a variable to FeedWorker only (a GC or runtime knob to compare, e.g.
# --env DOTNET_GCgen0size=0x4000000 or --env DOTNET_gcServer=1).
# --trace records a thread-time sampling trace of every round with dotnet-trace (`dotnet tool install -g
# dotnet-trace`) and prints its hottest methods; tracing slows the rounds, so their figures are not
# the benchmark's. --keep leaves the work directory (feeds, logs, traces, FeedWorker output).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
feeds=500 items=50 runs=1 changed=0.1 fsync=on keep="" trace="" extra_env=()
while [ $# -gt 0 ]; do
  case $1 in
    --feeds) feeds=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --changed) changed=$2; shift 2 ;;
    --fsync) fsync=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --trace) trace=1; shift ;;
    --env) extra_env+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=../../deploy/lib/postgres.sh
. "$root/deploy/lib/postgres.sh"
# shellcheck source=../lib/server.sh
. "$root/tests/lib/server.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
tracer=()
if [ -n "$trace" ]; then
  export PATH="$PATH:$HOME/.dotnet/tools"
  command -v dotnet-trace >/dev/null || { echo "--trace needs dotnet-trace: dotnet tool install -g dotnet-trace" >&2; exit 2; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  pg_stop
  if [ -n "$keep" ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "[bench] $*" >&2; }

log "publishing FeedWorker as it ships (Release, ReadyToRun) and building the feed server"
dotnet publish "$root/src/FeedWorker/FeedWorker.csproj" -c Release --nologo -v q -o "$work/app" >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; exit 1; }
dotnet build "$root/tests/ingest-benchmark/FeedServer" -c Release --nologo -v q >"$work/build-server.log" 2>&1 ||
  { tail -30 "$work/build-server.log" >&2; exit 1; }
server="$root/tests/ingest-benchmark/FeedServer/bin/Release/net10.0/FeedServer"
corpus=(--dir "$work/corpus" --feeds "$feeds" --items "$items")

log "generating $feeds feeds x $items items"
"$server" generate "${corpus[@]}" >&2

"$server" serve "${corpus[@]}" --appsettings "$work/app/appsettings.Bench.json" >"$work/server.log" 2>&1 &
server_pid=$!
stats_url=$(wait_for_line "$work/server.log" stats "$server_pid" 30) || { log "the feed server did not start"; exit 1; }
log "$(tail -1 "$work/server.log")"

# The server must answer conditional requests before we measure anything that relies on them.
first_url=$(jq -r '.FeedWorker.Feeds[0].Url' "$work/app/appsettings.Bench.json")
etag=$(curl -sfI "$first_url" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
status=$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$first_url")
[ -n "$etag" ] && [ "$status" = 304 ] || { log "conditional GET check failed (ETag '$etag', status $status)"; exit 1; }

PG_FSYNC=$fsync pg_start "$work/pg"
sql() { pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "${2:-$PG_DB_NAME}" -tAqc "$1"; }
article_writes() {
  sql "SELECT coalesce(sum(n_tup_ins), 0) || ' ' || coalesce(sum(n_tup_upd), 0) FROM pg_stat_user_tables WHERE relname = 'articles'"
}
server_stats() { curl -sf "$stats_url"; }
# CPU seconds PostgreSQL has used so far: the postmaster, its live children, and (through cutime/cstime)
# the backends that have exited, which is where a finished FeedWorker run's backends end up.
pg_cpu() {
  python3 - "$(head -1 "$PG_DIR/data/postmaster.pid")" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
def stat(pid):
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        return None
root = sys.argv[1]
fields = stat(root)
total = sum(int(x) for x in fields[11:15])  # utime stime cutime cstime
for pid in os.listdir("/proc"):
    if pid.isdigit() and pid != root and (f := stat(pid)) and f[1] == root:
        total += int(f[11]) + int(f[12])
print(f"{total / tick:.2f}")
PY
}

if ! "$work/app/FeedWorker" --help 2>/dev/null | grep -qw once; then
  log "FeedWorker has no 'once' command yet (it lands with the storage branch): the corpus, the feed server"
  log "(conditional GET checked) and PostgreSQL are ready, nothing to measure. Merge main and rerun."
  exit 3
fi

results="$work/results.tsv"
printf 'run\tround\twall_s\tcpu_s\tpg_cpu_s\trss_mb\tinserted\tupdated\trequests\tok\tnot_modified\tother\n' >"$results"
printf '%-4s %-10s %8s %8s %8s %8s %10s %9s %9s %9s %6s %6s %6s\n' run round wall_s cpu_s pg_cpu_s rss_mb articles/s inserted updated requests 200 304 other

measure() { # run label
  local run=$1 label=$2 before after stats_before stats_after pg_before pg_after code=0
  if [ -n "$trace" ]; then
    tracer=(dotnet-trace collect --profile dotnet-sampled-thread-time -o "$work/trace.$run.$label.nettrace" --)
  fi
  before=$(article_writes); stats_before=$(server_stats); pg_before=$(pg_cpu)
  /usr/bin/time -v -o "$work/time.$run.$label" env DOTNET_ENVIRONMENT=Bench \
    ConnectionStrings__FeedWorker="$FEEDWORKER_PG_CONNECTION" "${extra_env[@]}" \
    "${tracer[@]}" "$work/app/FeedWorker" once >"$work/once.$run.$label.out" 2>"$work/once.$run.$label.err" || code=$?
  if [ "$code" != 0 ]; then
    log "FeedWorker once failed (exit $code) in round $label:"; tail -20 "$work/once.$run.$label.err" >&2; exit 1
  fi
  sleep 0.5 # the backends' statistics reach pg_stat_user_tables when they end
  after=$(article_writes); stats_after=$(server_stats); pg_after=$(pg_cpu)
  python3 - "$work/time.$run.$label" "$run" "$label" "$before" "$after" "$stats_before" "$stats_after" "$pg_before" "$pg_after" >>"$results" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r": (.+)", text).group(1).strip()
clock = [float(p) for p in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(clock)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
rss = int(field("Maximum resident set size (kbytes)")) / 1024
b, a = [int(x) for x in sys.argv[4].split()], [int(x) for x in sys.argv[5].split()]
sb, sa = json.loads(sys.argv[6]), json.loads(sys.argv[7])
d = {k: sa[k] - sb[k] for k in ("requests", "ok", "notModified", "other")}
pg = float(sys.argv[9]) - float(sys.argv[8])
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{wall:.2f}\t{cpu:.2f}\t{pg:.2f}\t{rss:.0f}\t{a[0]-b[0]}\t{a[1]-b[1]}\t"
      f"{d['requests']}\t{d['ok']}\t{d['notModified']}\t{d['other']}")
PY
  tail -1 "$results" | awk -F'\t' '{ rate = $3 > 0 ? $7 / $3 : 0;
    printf "%-4s %-10s %8s %8s %8s %8s %10.0f %9s %9s %9s %6s %6s %6s\n", $1, $2, $3, $4, $5, $6, rate, $7, $8, $9, $10, $11, $12 }'
  grep '^TOTAL' "$work/once.$run.$label.out" | sed 's/^/       once: /' >&2 || true
  if [ -n "$trace" ]; then
    dotnet-trace report "$work/trace.$run.$label.nettrace" topN -n 25 --inclusive >"$work/trace.$run.$label.inclusive.txt" 2>&1 || true
    dotnet-trace report "$work/trace.$run.$label.nettrace" topN -n 25 >"$work/trace.$run.$label.exclusive.txt" 2>&1 || true
    log "hottest methods of round $label (exclusive; inclusive in $work/trace.$run.$label.inclusive.txt):"
    sed 's/^/    /' "$work/trace.$run.$label.exclusive.txt" >&2
  fi
}

for run in $(seq 1 "$runs"); do
  if [ "$run" -gt 1 ]; then
    # a fresh database and the corpus as first published, so every repetition measures the same work
    sql "DROP DATABASE IF EXISTS $PG_DB_NAME WITH (FORCE)" postgres
    sql "CREATE DATABASE $PG_DB_NAME" postgres
    "$server" change "${corpus[@]}" --fraction "$changed" --round 1 --revision 0 >/dev/null
  fi
  measure "$run" cold
  measure "$run" unchanged
  sleep 1 # Last-Modified has one-second resolution: a change must not share the second of the last fetch
  "$server" change "${corpus[@]}" --fraction "$changed" --round 1 --revision 1 >&2
  measure "$run" changed
done

python3 - "$results" "$feeds" "$items" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
feeds, items = int(sys.argv[2]), int(sys.argv[3])
def med(rnd, key):
    return statistics.median(float(r[key]) for r in rows if r["round"] == rnd)
print(f"\nmedians over {len(rows) // 3} run(s), {feeds} feeds x {items} items:")
for rnd in ("cold", "unchanged", "changed"):
    wall = med(rnd, "wall_s")
    print(f"  {rnd:<9}  wall {wall:6.2f} s  cpu {med(rnd, 'cpu_s'):6.2f} s  PostgreSQL cpu {med(rnd, 'pg_cpu_s'):6.2f} s  peak RSS {med(rnd, 'rss_mb'):5.0f} MB  "
          f"articles/s {med(rnd, 'inserted') / wall if wall else 0:7.0f}  inserted {med(rnd, 'inserted'):.0f}  updated {med(rnd, 'updated'):.0f}  "
          f"requests {med(rnd, 'requests'):.0f} (200: {med(rnd, 'ok'):.0f}, 304: {med(rnd, 'not_modified'):.0f})")
cold_rate = med("cold", "inserted") / med("cold", "wall_s")
peak = max(float(r["rss_mb"]) for r in rows)
unchanged_writes = med("unchanged", "inserted") + med("unchanged", "updated")
print("targets:")
print(f"  cold >= 5000 articles/s: {cold_rate:.0f} -> {'met' if cold_rate >= 5000 else 'NOT met'}")
print(f"  unchanged < 2 s and no article rows written: {med('unchanged', 'wall_s'):.2f} s, {unchanged_writes:.0f} rows -> "
      f"{'met' if med('unchanged', 'wall_s') < 2 and unchanged_writes == 0 else 'NOT met'}")
print(f"  peak RSS < 300 MB: {peak:.0f} MB -> {'met' if peak < 300 else 'NOT met'}")
PY
