#!/usr/bin/env bash
# Scheduler scale benchmark (not part of deploy/test.sh): the real worker in `run` mode over N
# loopback feeds that are all due every interval, through ../shared/bench/scale.sh (nginx farm,
# throwaway PostgreSQL, fetches counted in nginx's access log). Adds what the issue's table needs:
# the delay from the worker's start to its first fetch, and settings scale.sh fixes (interval,
# per-replica concurrency), then prints one table row.
#   FEEDWORKER_DLL=/tmp/fw-pub/FeedWorker.dll tests/scale-benchmark/run.sh [N] [M] [MIN] [REPLICAS]
# Environment: SB_INTERVAL (default 00:01:00; 00:00:01 keeps every feed due: the ceiling),
# SB_CONCURRENCY (FeedWorker:Scheduling:MaxConcurrentFetches per replica, default the worker's),
# SB_PER_HOST (FeedWorker:Fetcher:PerHostConcurrency; the farm is one host), SB_SCALE (scale.sh),
# SB_REUSE_FARM=1 (keep the feed farm of the last run with the same N), SB_LATENCY=1 (every fetch
# a 200 that takes about a second: a replica bound by network waits, not by CPU).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SCALE=${SB_SCALE:-$HERE/../../../shared/bench/scale.sh}
[[ -f $SCALE ]] || SCALE=/work/shared/bench/scale.sh
N=${1:-10000}; M=${2:-5}; MIN=${3:-6}; REPLICAS=${4:-1}
: "${FEEDWORKER_DLL:?set FEEDWORKER_DLL to a published FeedWorker.dll}"
OUT=$(mktemp -d /tmp/fw-scale-bench.XXXXXX)

# scale.sh fixes the interval and knows nothing of concurrency: a patched copy beside the original
# (its peerbench library is found through HERE, so the copy sets it)
sed -e "s|\$(dirname \"\$0\")|$(dirname "$SCALE")|" \
    -e "s|FeedWorker__Scheduling__DefaultInterval=00:01:00|FeedWorker__Scheduling__DefaultInterval=${SB_INTERVAL:-00:01:00} FeedWorker__Scheduling__MinimumInterval=${SB_INTERVAL:-00:01:00}|" \
    -e "s|^pgcpu=0; for p in \$PGPID |pgcpu=\$(sed 's/^.*) //' /proc/\$PGPID/stat \| awk '{print \$14+\$15}'); for p in \$PGPID |" \
    "$SCALE" >"$OUT/scale.sh"
# (the last expression adds the CPU of PostgreSQL backends that exited during the run, which the
# postmaster reaped: a pooled connection closed after its idle lifetime took its CPU time with it)
if [[ -n ${SB_LATENCY:-} ]]; then
  # a network's wait on loopback: nginx sends each body at 8 KB/s, so a feed (9 KB gzipped) takes
  # about a second, and answers 200 every time (no ETag, If-Modified-Since ignored) since a 304
  # has no body to slow down
  sed -i 's|^"\$PB/farm/nginx.sh" start "\$FARM" "\$PORT" >/dev/null$|&\
sed -i -e "s/etag on;/etag off;/" -e "s/if_modified_since exact;/if_modified_since off;/" -e "s,location / {,location / { limit_rate 8k;," "$FARM/nginx.conf"\
nginx -p "$FARM/" -c "$FARM/nginx.conf" -e "$FARM/logs/error.log" -s reload; sleep 1|' "$OUT/scale.sh"
  grep -q "limit_rate 8k" "$OUT/scale.sh" || { echo "SB_LATENCY: scale.sh's nginx start line not found" >&2; exit 1; }
fi
if [[ -n ${SB_REUSE_FARM:-} && -f /tmp/fw-scale/n$N/farm/feeds.txt ]]; then
  # the farm of an earlier run with the same N (generating 10,000 feeds takes minutes on a busy machine)
  sed -i -e 's|^rm -rf "\$WORK"; |rm -rf "$PG" "$WORK/out"; |' -e '/gen_feeds.py" generate/d' \
         -e 's|^python3 - "\$FARM/htdocs/feeds" <<|cat >/dev/null <<|' "$OUT/scale.sh"
fi
[[ -n ${SB_CONCURRENCY:-} ]] && export FeedWorker__Scheduling__MaxConcurrentFetches=$SB_CONCURRENCY
[[ -n ${SB_PER_HOST:-} ]] && export FeedWorker__Fetcher__PerHostConcurrency=$SB_PER_HOST FeedWorker__Fetcher__GlobalConcurrency=$((SB_PER_HOST * 2))

# the worker's start: the first `run` process seen (polled every 0.1 s)
( while ! pid=$(pgrep -f -o -- "$FEEDWORKER_DLL run"); do sleep 0.1; done
  date +%s.%N >"$OUT/started"; echo "$pid" >"$OUT/pid" ) &
watcher=$!
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bash "$OUT/scale.sh" "$N" "$M" "$MIN" "$REPLICAS" | tee "$OUT/scale.out"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$watcher" 2>/dev/null || true

LOG=/tmp/fw-scale/n$N/farm/logs/access.log
python3 - "$LOG" "$(cat "$OUT/started" 2>/dev/null || echo 0)" "$OUT/scale.out" "$REPLICAS" "$load_before" "$load_after" <<'PY'
import re, sys
log, started, out, replicas, lb, la = sys.argv[1], float(sys.argv[2]), open(sys.argv[3]).read(), sys.argv[4], sys.argv[5], sys.argv[6]
fetches = {}
for line in open(log):
    f = line.split()
    if len(f) > 3 and f[3].startswith("/feeds/"):
        fetches.setdefault(f[3], []).append(float(f[0]))
first = min((t[0] for t in fetches.values()), default=None)
# the shortest gap between two fetches of one feed: with replicas, a feed fetched twice by two of
# them shows here as a gap far below the interval
min_gap = min((b - a for t in fetches.values() for a, b in zip(sorted(t), sorted(t)[1:])), default=float("nan"))
per_min = re.search(r"per-minute fetches: \[([^\]]*)\]", out).group(1).split(", ")
s = dict(re.findall(r"(\w+)=(\S+)", out))
row = (f"| {replicas} | {', '.join(f'{int(x):,}' for x in per_min[:6])} | {int(s['never']):,} | {s['gap_p50']} / {s['gap_p95']} "
       f"| {min_gap:.1f} s | {s['worker_cpu_s']} + {s['pg_cpu_s']} | {first - started:.1f} s | {s['peak_rss_mb']} MB | {lb} → {la} |" if first and started else "n/a")
print("| replicas | fetches per minute, minutes 0–5 | feeds never fetched | gap p50 / p95 | shortest gap | FeedWorker + PostgreSQL CPU s | first fetch after start | peak RSS | load before → after |")
print("|---|---|--:|---|--:|---|--:|--:|---|")
print(row)
PY
