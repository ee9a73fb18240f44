#!/usr/bin/env bash
# Parse + clean speed of FeedWorker against Python's feedparser on the same generated feed files,
# both timed in process (no start-up), median of RUNS passes over every file. The CPU-time ratio is
# the one to quote on a shared machine; the wall-time ratio also depends on what else runs.
#
#   tests/ingest-benchmark/compare-feedparser.sh [--feeds 20] [--items 50] [--runs 3] [--dir DIR]
#
# Needs python3-feedparser (Debian: apt-get install -y python3-feedparser) for /usr/bin/python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
feeds=20 items=50 runs=3 dir=""
while [ $# -gt 0 ]; do
  case $1 in
    --feeds) feeds=$2; shift 2 ;;
    --items) items=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-/usr/bin/python3}
"$python" -c 'import feedparser' 2>/dev/null || {
  echo "feedparser is not importable by $python: apt-get install -y python3-feedparser" >&2; exit 1; }
shim=${FEEDPARSER_SHIM:-/work/shared/tools/feedparser_shim.py}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$root/tests/ingest-benchmark/FeedServer" -c Release --nologo -v q >/dev/null
dotnet build "$root/tests/FeedWorker.Benchmarks" -c Release --nologo -v q >/dev/null

if [ -z "$dir" ]; then
  dir=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-compare.XXXXXX")
  trap 'rm -rf "$dir"' EXIT
fi
"$root/tests/ingest-benchmark/FeedServer/bin/Release/net10.0/FeedServer" generate --dir "$dir" --feeds "$feeds" --items "$items" >&2

ours=$("$root/tests/FeedWorker.Benchmarks/bin/Release/net10.0/FeedWorker.Benchmarks" time-parse "$dir/feeds" "$runs")
theirs=$("$python" "$root/tests/ingest-benchmark/feedparser_timer.py" "$dir/feeds" "$runs" "$shim")
echo "$ours"
echo "$theirs"
"$python" - "$ours" "$theirs" <<'PY'
import sys
def figure(line, key):
    return float(dict(p.split("=", 1) for p in line.split() if "=" in p)[key])
for key, what in (("cpu_s", "CPU time"), ("median_s", "wall time")):
    ours, theirs = figure(sys.argv[1], key), figure(sys.argv[2], key)
    print(f"speed-up ({what}): FeedWorker parse+clean is {theirs / ours:.1f}x feedparser (target: >= 10x)")
PY
