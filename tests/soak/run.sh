#!/usr/bin/env bash
# Soak test: the real FeedWorker (`run`, Release) against many loopback feeds for a long stretch,
# with faults injected at random, PostgreSQL restarted under it, and its memory sampled.
#
#   tests/soak/run.sh [--minutes 20] [--feeds 1000] [--seed 20261124] [--replicas 1]
#                     [--interval 1m] [--fault-rate 0.1] [--keep]
#
# The feed server (tests/soak/SoakServer) publishes stories over time: each feed starts with 20
# items, gains one every 1–4 minutes (15 % of them wire stories shared with other feeds under the
# same link) and keeps its newest 25, so items roll off the end; nothing can roll off unseen unless
# a feed fails for 5+ publications in a row. A share of the requests (--fault-rate) gets a seeded
# random fault, logged: HTTP 500, 503, a reset connection, a stall before the headers or in the
# middle of the body (longer than the worker's 10 s fetch timeout), a truncated body. PostgreSQL is
# stopped (pg_ctl -m fast) and started again on the same port twice, at seeded random moments.
# Every ~10 s the worker's RSS (and, with dotnet-counters installed, its GC heap) is sampled.
#
# At the end faults and publication stop, every feed must be fetched cleanly once more (its stored
# ETag is the final one and its last success is after the stop), the worker stops, and the server's
# ledger of every item each feed ever showed is checked in SQL: every story stored exactly once,
# every (feed, guid) linked exactly once, nothing else stored. The summary goes to stdout and to
# tests/soak/results/<UTC time>.txt; exit 1 when anything was lost, duplicated or crashed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
minutes=20 feeds=1000 seed=20261124 replicas=1 interval=1m fault_rate=0.1 keep=""
fetch_timeout=10 stall=15 settle_minutes=15
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=$2; shift 2 ;;
    --feeds) feeds=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    --fault-rate) fault_rate=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# shellcheck source=../../deploy/lib/postgres.sh
. "$root/deploy/lib/postgres.sh"
# shellcheck source=../lib/server.sh
. "$root/tests/lib/server.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
export PATH="$PATH:$HOME/.dotnet/tools"

work=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-soak.XXXXXX")
mkdir -p "$work/server" "$work/pids"
server_pid="" sampler_pid=""
log() { echo "[soak $(date -u +%H:%M:%S)] $*" | tee -a "$work/events.log" >&2; }

worker_pid() { cat "$work/pids/worker.$1" 2>/dev/null || true; }
stop_workers() {
  local i pid
  for i in $(seq 1 "$replicas"); do
    pid=$(worker_pid "$i"); [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true
  done
  for i in $(seq 1 "$replicas"); do
    pid=$(worker_pid "$i")
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$work/pids/worker.$i"
  done
}
cleanup() {
  stop_workers
  for pid in $sampler_pid $server_pid; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  for f in "$work"/pids/counters.*; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
  pg_stop
  if [ -n "$keep" ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building FeedWorker and the soak server (Release)"
dotnet build "$root/src/FeedWorker/FeedWorker.csproj" -c Release --nologo -v q -o "$work/app" >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log" >&2; exit 1; }
dotnet build "$root/tests/soak/SoakServer" -c Release --nologo -v q >"$work/build-server.log" 2>&1 ||
  { tail -30 "$work/build-server.log" >&2; exit 1; }
server="$root/tests/soak/SoakServer/bin/Release/net10.0/SoakServer"

pg_start "$work/pg"
sql() { pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" -v ON_ERROR_STOP=1 -tAqc "$1"; }

"$server" serve --out "$work/server" --feeds "$feeds" --seed "$seed" --interval "$interval" --fault-rate "$fault_rate" \
  --stall-seconds "$stall" --appsettings "$work/app/appsettings.Soak.json" >"$work/server.log" 2>&1 &
server_pid=$!
wait_for_line "$work/server.log" serving "$server_pid" 60 >/dev/null || { log "the soak server did not start"; exit 1; }
stats_url=$(sed -n 's/^stats //p' "$work/server.log")
[ -n "$stats_url" ] || { log "the soak server printed no stats address"; cat "$work/server.log" >&2; exit 1; }
control=${stats_url%/_stats}
log "$(tail -1 "$work/server.log")"

worker_env=(DOTNET_ENVIRONMENT=Soak ConnectionStrings__FeedWorker="$FEEDWORKER_PG_CONNECTION"
  FeedWorker__Fetcher__Timeout="00:00:$fetch_timeout" Logging__Console__FormatterName=simple)
env "${worker_env[@]}" "$work/app/FeedWorker" migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; exit 1; }

start_worker() { # replica
  env "${worker_env[@]}" "$work/app/FeedWorker" run >>"$work/worker.$1.log" 2>&1 &
  echo $! >"$work/pids/worker.$1"
  if command -v dotnet-counters >/dev/null; then
    dotnet-counters collect -p "$!" --refresh-interval 10 --format csv -o "$work/counters.$1.$!.csv" \
      --counters System.Runtime >/dev/null 2>&1 &
    echo $! >"$work/pids/counters.$1"
  fi
}
for i in $(seq 1 "$replicas"); do start_worker "$i"; done
started=$(date +%s)
log "$replicas worker(s) running $feeds feeds every $interval for $minutes min (seed $seed, fault rate $fault_rate)"

# RSS of each replica and the load average every 10 s
(
  echo "elapsed_s,replica,pid,rss_kb,load1" >"$work/memory.csv"
  while sleep 10; do
    now=$(( $(date +%s) - started )); load=$(cut -d' ' -f1 /proc/loadavg)
    for i in $(seq 1 "$replicas"); do
      pid=$(worker_pid "$i"); [ -n "$pid" ] || continue
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || continue
      [ -n "$rss" ] && echo "$now,$i,$pid,$rss,$load" >>"$work/memory.csv"
    done
  done
) &
sampler_pid=$!

# two PostgreSQL restarts at seeded random moments: one in 25–45 % of the run, one in 60–80 %
RANDOM=$seed
duration=$(( minutes * 60 ))
restart_at=( $(( started + duration * (25 + RANDOM % 21) / 100 )) $(( started + duration * (60 + RANDOM % 21) / 100 )) )
restart_down=( $(( 5 + RANDOM % 11 )) $(( 5 + RANDOM % 11 )) )
restarts=0 crashes=0
ends=$(( started + duration ))
while [ "$(date +%s)" -lt "$ends" ]; do
  for i in $(seq 1 "$replicas"); do
    pid=$(worker_pid "$i")
    if ! kill -0 "$pid" 2>/dev/null; then
      code=0; wait "$pid" 2>/dev/null || code=$?
      crashes=$((crashes + 1))
      log "CRASH: worker $i (pid $pid) exited with $code; restarting it. Last lines:"
      tail -15 "$work/worker.$i.log" | tee -a "$work/events.log" >&2
      start_worker "$i"
    fi
  done
  if [ "$restarts" -lt 2 ] && [ "$(date +%s)" -ge "${restart_at[$restarts]}" ]; then
    down=${restart_down[$restarts]}
    log "PostgreSQL restart $((restarts + 1)): stop -m fast, ${down} s down"
    pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
    sleep "$down"
    pg_start "$PG_DIR"
    restarts=$((restarts + 1))
    log "PostgreSQL is back on port $PG_PORT"
  fi
  sleep 2
done

quiesced_at=$(curl -sf -X POST "$control/_quiesce" | jq -r .quiescedAt)
log "faults and publication stopped at $quiesced_at; waiting until every feed is fetched cleanly once more"
curl -sf -X POST "$control/_ledger" >/dev/null
sql "SET client_min_messages = warning; CREATE SCHEMA IF NOT EXISTS soak; DROP TABLE IF EXISTS soak.final;
     CREATE TABLE soak.final (feed_url text PRIMARY KEY, etag text NOT NULL)"
pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" -qc "\\copy soak.final FROM '$work/server/final.tsv'"
stale_query="SELECT count(*) FROM soak.final s LEFT JOIN feeds f ON f.url = s.feed_url
  WHERE f.etag IS DISTINCT FROM s.etag OR f.last_success_at IS NULL OR f.last_success_at <= '$quiesced_at'::timestamptz"
settle_start=$(date +%s) stale=$feeds
while [ $(( $(date +%s) - settle_start )) -lt $(( settle_minutes * 60 )) ]; do
  stale=$(sql "$stale_query" 2>/dev/null || echo "$feeds")
  [ "$stale" = 0 ] && break
  sleep 10
done
settle_s=$(( $(date +%s) - settle_start ))
if [ "$stale" != 0 ]; then
  log "after ${settle_minutes} min, $stale feed(s) still lack a clean fetch after the stop:"
  sql "SELECT s.feed_url || ' etag=' || coalesce(f.etag, '-') || ' want ' || s.etag || ' errors=' || f.error_count || ' ' || coalesce(f.last_error, '')
       FROM soak.final s LEFT JOIN feeds f ON f.url = s.feed_url
       WHERE f.etag IS DISTINCT FROM s.etag OR f.last_success_at <= '$quiesced_at'::timestamptz LIMIT 10" | tee -a "$work/events.log" >&2
else
  log "every feed fetched cleanly after the stop (${settle_s} s)"
fi
ran_s=$(( $(date +%s) - started ))

for i in $(seq 1 "$replicas"); do
  pid=$(worker_pid "$i"); kill -0 "$pid" 2>/dev/null || { crashes=$((crashes + 1)); log "CRASH: worker $i is not running at the end"; }
done
stop_workers
kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""
for f in "$work"/pids/counters.*; do [ -f "$f" ] && { kill -INT "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; }; done
sleep 1
curl -sf -X POST "$control/_ledger" >/dev/null
server_stats=$(curl -sf "$stats_url")
kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""

# the ledger against the database
sql "SET client_min_messages = warning; DROP TABLE IF EXISTS soak.ledger;
     CREATE TABLE soak.ledger (feed_url text, story_url text, guid text, kind text, published_at timestamptz,
                               first_revision int, rolled_off_at int, served_whole boolean)"
pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" -qc "\\copy soak.ledger FROM '$work/server/ledger.tsv'"
sql "ANALYZE soak.ledger"
check=$(sql "
WITH stories AS (SELECT DISTINCT story_url FROM soak.ledger),
     per_story AS (SELECT s.story_url, count(a.id) AS n FROM stories s LEFT JOIN articles a ON a.url = s.story_url GROUP BY 1),
     links AS (SELECT l.*, fa.article_id, a.url AS article_url
               FROM soak.ledger l JOIN feeds f ON f.url = l.feed_url
               LEFT JOIN feed_articles fa ON fa.feed_id = f.id AND fa.guid = l.guid
               LEFT JOIN articles a ON a.id = fa.article_id)
SELECT json_build_object(
  'ledger_items', (SELECT count(*) FROM soak.ledger),
  'rolled_off', (SELECT count(*) FROM soak.ledger WHERE rolled_off_at IS NOT NULL),
  'shared_items', (SELECT count(*) FROM soak.ledger WHERE kind = 'SharedSameUrl'),
  'never_served_whole', (SELECT count(*) FROM soak.ledger WHERE NOT served_whole),
  'stories_expected', (SELECT count(*) FROM per_story),
  'stories_stored_once', (SELECT count(*) FROM per_story WHERE n = 1),
  'stories_lost', (SELECT count(*) FROM per_story WHERE n = 0),
  'stories_duplicated', (SELECT count(*) FROM per_story WHERE n > 1),
  'stories_lost_unseen', (SELECT count(*) FROM per_story p WHERE n = 0
                          AND NOT EXISTS (SELECT 1 FROM soak.ledger l WHERE l.story_url = p.story_url AND l.served_whole)),
  'articles_total', (SELECT count(*) FROM articles),
  'articles_not_in_ledger', (SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM soak.ledger l WHERE l.story_url = a.url)),
  'articles_rewritten', (SELECT count(*) FROM articles WHERE revision > 1),
  'articles_near_duplicate', (SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL),
  'links_expected', (SELECT count(*) FROM links),
  'links_missing', (SELECT count(*) FROM links WHERE article_id IS NULL),
  'links_missing_never_served_whole', (SELECT count(*) FROM links WHERE article_id IS NULL AND NOT served_whole),
  'links_wrong_story', (SELECT count(*) FROM links WHERE article_id IS NOT NULL AND article_url <> story_url),
  'links_duplicated', (SELECT count(*) FROM (SELECT 1 FROM feed_articles GROUP BY feed_id, guid HAVING count(*) > 1) d),
  'links_total', (SELECT count(*) FROM feed_articles),
  'feeds_failing_now', (SELECT count(*) FROM feeds WHERE error_count > 0))")
sql "SELECT l.feed_url, l.story_url, l.guid, l.served_whole FROM soak.ledger l JOIN feeds f ON f.url = l.feed_url
     WHERE NOT EXISTS (SELECT 1 FROM feed_articles fa WHERE fa.feed_id = f.id AND fa.guid = l.guid) LIMIT 20" >"$work/missing.txt"

errors=$(cat "$work"/worker.*.log | grep -c '^fail:' || true)
unhandled=$(cat "$work"/worker.*.log | grep -c 'Unhandled exception' || true)
mkdir -p "$root/tests/soak/results"
result_file="$root/tests/soak/results/$(date -u +%Y-%m-%dT%H%MZ).txt"
python3 - "$work" "$check" "$server_stats" "$minutes" "$feeds" "$replicas" "$interval" "$fault_rate" "$seed" "$restarts" "$crashes" \
  "$ran_s" "$settle_s" "$stale" "$errors" "$unhandled" "$fetch_timeout" "$stall" >"$work/summary.txt" <<'PY'
import csv, glob, json, os, statistics, subprocess, sys
(work, check, stats, minutes, feeds, replicas, interval, rate, seed, restarts, crashes,
 ran, settle, stale, errors, unhandled, timeout, stall) = sys.argv[1:]
c, s = json.loads(check), json.loads(stats)
rows = list(csv.DictReader(open(f"{work}/memory.csv")))
lines = []
out = lines.append
dur = int(minutes) * 60
out(f"FeedWorker soak, {subprocess.run(['date', '-u', '+%Y-%m-%d %H:%M UTC'], capture_output=True, text=True).stdout.strip()}")
out(f"  command        tests/soak/run.sh --minutes {minutes} --feeds {feeds} --seed {seed} --replicas {replicas} --interval {interval} --fault-rate {rate}")
out(f"  duration       {minutes} min of faults + {int(settle)} s to settle ({int(ran)} s in all); fetch timeout {timeout} s, stalls {stall} s")
out(f"  machine        {os.cpu_count()} cores; load average (1 min) mean {statistics.mean(float(r['load1']) for r in rows):.2f}, "
    f"max {max(float(r['load1']) for r in rows):.2f}" if rows else "  machine        no samples")
out(f"  feeds          {feeds} on 127.0.0.1, interval {interval}; stories published during the run {s['published']}")
f = s["faults"]
out(f"  fetches        {s['requests']} requests served ({s['requests'] / int(feeds):.1f} per feed): {s['ok']} x 200, {s['notModified']} x 304, "
    f"{sum(f.values())} faults")
out("  faults         " + ", ".join(f"{k} {v}" for k, v in f.items()))
out(f"  DB restarts    {restarts}; worker crashes {crashes}; worker error lines {errors}; unhandled exceptions {unhandled}")
out(f"  settle         feeds without a clean fetch after the stop: {stale}; feeds failing at the end: {c['feeds_failing_now']}")
out(f"  ledger         {c['ledger_items']} feed items ({c['shared_items']} wire-story items, {c['rolled_off']} rolled off; "
    f"{c['never_served_whole']} never served whole)")
out(f"  articles       expected {c['stories_expected']}, stored once {c['stories_stored_once']}, lost {c['stories_lost']} "
    f"({c['stories_lost_unseen']} rolled off unseen), "
    f"duplicated {c['stories_duplicated']}, not in ledger {c['articles_not_in_ledger']} (table: {c['articles_total']} rows; "
    f"rewritten {c['articles_rewritten']}, near-duplicate {c['articles_near_duplicate']})")
out(f"  feed links     expected {c['links_expected']}, missing {c['links_missing']} ({c['links_missing_never_served_whole']} never served whole), "
    f"wrong story {c['links_wrong_story']}, duplicated {c['links_duplicated']} (table: {c['links_total']} rows)")
window = min(300, dur // 3)
span = f"{window // 60} min" if window % 60 == 0 else f"{window} s"
for replica in sorted({r["replica"] for r in rows}):
    mine = [(int(r["elapsed_s"]), int(r["rss_kb"]) / 1024) for r in rows if r["replica"] == replica and int(r["elapsed_s"]) <= dur]
    if not mine:
        continue
    rss = [m for _, m in mine]
    first = [m for t, m in mine if t <= window]
    last = [m for t, m in mine if t > dur - window]
    def trend(samples):  # least-squares slope, MB per 10 minutes
        samples = samples or mine
        mt, mm = statistics.mean(t for t, _ in samples), statistics.mean(m for _, m in samples)
        var = sum((t - mt) ** 2 for t, _ in samples)
        return sum((t - mt) * (m - mm) for t, m in samples) / var * 600 if var else 0.0
    out(f"  RSS worker {replica}   min {min(rss):.0f} MB, median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB ({len(rss)} samples); "
        f"median first {span} {statistics.median(first):.0f} MB, last {span} {statistics.median(last) if last else float('nan'):.0f} MB; "
        f"trend after 2 min {trend([(t, m) for t, m in mine if t > 120]):+.1f}, over the second half "
        f"{trend([(t, m) for t, m in mine if t > dur // 2]):+.1f} MB per 10 min")
# dotnet-counters (when installed): the managed heap after the last GC, all generations summed, per sample
for path in sorted(glob.glob(f"{work}/counters.*.csv")):
    heap = {}
    try:
        for r in csv.reader(open(path)):
            if len(r) >= 5 and r[2].startswith("dotnet.gc.last_collection.heap.size"):
                heap[r[0]] = heap.get(r[0], 0) + float(r[4]) / 1048576
    except (OSError, ValueError):
        continue
    values = list(heap.values())
    if len(values) >= 3:
        third = max(1, len(values) // 3)
        out(f"  GC heap        {os.path.basename(path)}: min {min(values):.0f} MB, median {statistics.median(values):.0f} MB, max {max(values):.0f} MB; "
            f"median first third {statistics.median(values[:third]):.0f} MB, last third {statistics.median(values[-third:]):.0f} MB")
# an item no fetch ever received whole can only be stored by luck: it is counted, not held against the worker
ok = (c["stories_lost"] == c["stories_lost_unseen"] and c["stories_duplicated"] == 0 and c["articles_not_in_ledger"] == 0
      and c["links_missing"] == c["links_missing_never_served_whole"] and c["links_duplicated"] == 0 and c["links_wrong_story"] == 0 and int(crashes) == 0 and int(stale) == 0)
out(f"  verdict        {'PASS' if ok else 'FAIL'}: every story stored exactly once, every feed item linked exactly once, no crash")
print("\n".join(lines))
PY
cat "$work/summary.txt"
cp "$work/summary.txt" "$result_file"
{ echo; echo "events:"; sed 's/^/  /' "$work/events.log"; } >>"$result_file"
if [ -s "$work/missing.txt" ]; then
  { echo; echo "first missing feed items (feed, story, guid, served whole):"; sed 's/^/  /' "$work/missing.txt"; } | tee -a "$result_file" >&2
fi
echo "summary written to ${result_file#"$root"/}" >&2
grep -q 'verdict        PASS' "$work/summary.txt"
