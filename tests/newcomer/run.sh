#!/usr/bin/env bash
# A newcomer's first hour, scripted: a fresh clone of this repository's committed HEAD, then what
# README's quick start tells a new user to do, each step checked. Not part of deploy/test.sh (it
# builds a fresh clone and starts PostgreSQL several times: several minutes).
#
#   tests/newcomer/run.sh [--keep] [--source REPO]
#     --keep           leave the clone and the steps' logs (their path is printed)
#     --source REPO    clone this repository (default: the one holding this script)
#
# Steps: 1. deploy/local.sh once stores the seed fixtures; 2. every ```sql block of README returns
# rows, and the seed article's links are absolute; 3. a feed added to the settings file README names
# (a path relative to the repository) is stored by the next once; 4. removed again, the next once
# retires it and deploy/local.sh feeds shows so; 5. deploy/local.sh (the worker) picks up a feed
# added while it runs, and SIGTERM to the script ends worker and database cleanly within the
# shutdown timeout. Ends with one "N passed, N failed" line; exit 1 when a check failed.
set -uo pipefail
source_repo=$(cd "$(dirname "$0")/../.." && pwd)
keep=false
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=true; shift ;;
    --source) source_repo=$(cd "$2" && pwd); shift 2 ;;
    *) echo "usage: tests/newcomer/run.sh [--keep] [--source REPO]" >&2; exit 2 ;;
  esac
done

work=$(mktemp -d /tmp/feedworker-newcomer.XXXXXX)
clone=$work/feedworker
passed=0 failed=0
worker_pid=
log() { echo "[newcomer] $*" >&2; }
ok() { passed=$((passed + 1)); echo "ok   - $*"; }
fail() { failed=$((failed + 1)); echo "FAIL - $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }

cleanup() {
  if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then kill -TERM "$worker_pid"; sleep 30; kill -KILL "$worker_pid" 2>/dev/null; fi
  # the database of a step that died half-way
  if [ -f "$clone/.data/pg/data/postmaster.pid" ]; then
    (. "$clone/deploy/lib/postgres.sh"; PG_DIR=$clone/.data/pg; pg_find_bin && pg_stop)
  fi
  if $keep; then log "clone kept in $clone"; else rm -rf "$work"; fi
}
trap cleanup EXIT

local_sh() { "$clone/deploy/local.sh" "$@"; }
# one value from the archive (psql -tA: unaligned, no header)
sql() { local_sh psql -tAq -c "$1" 2>>"$work/psql.err"; }

log "cloning $source_repo (HEAD) into $clone"
git clone --quiet --no-hardlinks "$source_repo" "$clone" || { echo "0 passed, 1 failed"; exit 1; }
cd "$clone" || exit 1
settings=$clone/src/FeedWorker/appsettings.json

# --- 1. the quick start -------------------------------------------------------------------------
log "step 1: deploy/local.sh once (builds the worker first)"
local_sh once >"$work/once1.out" 2>"$work/once1.err"
status=$?
check "1. deploy/local.sh once exits 0 (exit $status)" test $status -eq 0
check "1. the summary lists the seed fixture as stored" grep -Eq 'antiwar-wordpress\.rss\.xml +Stored' "$work/once1.out"
check "1. the footer tells how to query the archive" grep -q 'deploy/local.sh psql' "$work/once1.out"
FeedWorker__Feeds__0__Url='htp:/x' local_sh once >"$work/once-bad.out" 2>"$work/once-bad.err"
status=$?
check "1. a configuration error exits 1 (exit $status), naming the key" \
  bash -c "[ $status -eq 1 ] && grep -q 'FeedWorker:Feeds:0:Url' '$work/once-bad.err'"
check "1. ... and prints no footer" bash -c "! grep -q 'Query the stored articles' '$work/once-bad.out'"
articles=$(sql "SELECT count(*) FROM articles")
check "1. the seed fixtures' 5 articles are stored (found ${articles:-none})" test "${articles:-0}" -eq 5

# --- 2. the SQL cookbook --------------------------------------------------------------------------
log "step 2: every SQL block of README"
python3 - "$clone/README.md" "$work/queries" <<'EOF'
import pathlib, re, sys
blocks = re.findall(r"```sql\s*\n(.*?)```", pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"), re.S)
out = pathlib.Path(sys.argv[2]); out.mkdir()
for i, block in enumerate(blocks, 1):
    (out / f"{i:02d}.sql").write_text(block.strip() + "\n", encoding="utf-8")
EOF
count=$(ls "$work/queries" | wc -l)
check "2. README has SQL examples ($count)" test "$count" -ge 5
for query in "$work/queries"/*.sql; do
  first=$(grep -v '^--' "$query" | head -1)
  rows=$(sql "$(cat "$query")" | grep -c .)
  check "2. $rows row(s): $first" test "$rows" -gt 0
done
# with the parse-quality issue's relative-link fix for file feeds (not on every branch yet)
links=$(sql "SELECT content_html FROM articles WHERE url = 'https://news.antiwar.com/2020/09/30/us-threat-to-evacuate-iraq-embassy-raises-fear-of-war/'")
check "2. the seed article's links are absolute" \
  grep -q 'href="https://news.antiwar.com/2020/09/27/us-warns-iraq-it-may-close-baghdad-embassy/"' <<<"$links"

# --- 3. a feed added by editing the settings file ---------------------------------------------------
log "step 3: add a feed to $settings"
write_feed() { # FILE NAME ITEMS
  local file=$1 name=$2 items=$3 i
  {
    echo '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
    echo "<title>$name</title><link>https://$name.example/</link><description>newcomer test</description>"
    for i in $(seq 1 "$items"); do
      echo "<item><title>$name story $i</title><link>https://$name.example/story/$i</link><guid>$name-$i</guid>"
      echo "<pubDate>0$i Nov 2026 10:00:00 +0000</pubDate><description>Story $i of the $name feed.</description></item>"
    done
    echo '</channel></rss>'
  } >"$file"
}
edit_feeds() { # add|remove URL
  python3 - "$settings" "$1" "$2" <<'EOF'
import json, sys
path, action, url = sys.argv[1:]
settings = json.load(open(path, encoding="utf-8"))
feeds = settings["FeedWorker"]["Feeds"]
if action == "add":
    feeds.append({"Url": url, "Name": "Added by the newcomer"})
else:
    settings["FeedWorker"]["Feeds"] = [f for f in feeds if f["Url"] != url]
json.dump(settings, open(path, "w", encoding="utf-8"), indent=2)
EOF
}
write_feed "$clone/newcomer-first.rss.xml" newcomer-first 2
edit_feeds add newcomer-first.rss.xml
local_sh once >"$work/once2.out" 2>"$work/once2.err"
status=$?
check "3. once after the edit exits 0 (exit $status)" test $status -eq 0
check "3. the summary lists it as stored" grep -Eq "newcomer-first\.rss\.xml +Stored +2 " "$work/once2.out"
resolved=$(sql "SELECT count(*) FROM feeds WHERE url = 'file://$clone/newcomer-first.rss.xml' AND last_success_at IS NOT NULL")
check "3. its relative path resolves against the repository" test "${resolved:-0}" -eq 1
stored=$(sql "SELECT count(*) FROM articles WHERE url LIKE 'https://newcomer-first.example/%'")
check "3. the added feed's 2 articles are stored (found ${stored:-none})" test "${stored:-0}" -eq 2

# --- 4. the feed removed again --------------------------------------------------------------------
log "step 4: remove it"
edit_feeds remove newcomer-first.rss.xml
local_sh once >"$work/once3.out" 2>"$work/once3.err"
status=$?
check "4. once after the removal exits 0 (exit $status)" test $status -eq 0
check "4. the removed feed is not fetched" bash -c "! grep -q newcomer-first '$work/once3.out'"
local_sh feeds --wide >"$work/feeds.out" 2>"$work/feeds.err"
check "4. deploy/local.sh feeds shows it retired" \
  bash -c "grep newcomer-first '$work/feeds.out' | grep -Eqi 'retired|removed from configuration'"
kept=$(sql "SELECT count(*) FROM articles WHERE url LIKE 'https://newcomer-first.example/%'")
check "4. its articles are kept (${kept:-none})" test "${kept:-0}" -eq 2

# --- 5. the running worker: a live edit, then SIGTERM ------------------------------------------------
log "step 5: deploy/local.sh in the background"
# started directly (not through the local_sh function, whose subshell would get the signal)
"$clone/deploy/local.sh" >"$work/run.out" 2>"$work/run.err" &
worker_pid=$!
# the script prints its banner once its database is up; until then another local.sh would start one too
for _ in $(seq 1 120); do
  grep -q 'Stop it with Ctrl-C' "$work/run.out" 2>/dev/null && break
  kill -0 "$worker_pid" 2>/dev/null || break
  sleep 1
done
healthy=false
for _ in $(seq 1 60); do
  if local_sh health >/dev/null 2>&1; then healthy=true; break; fi
  kill -0 "$worker_pid" 2>/dev/null || break
  sleep 2
done
check "5. the worker becomes healthy" $healthy
write_feed "$clone/newcomer-live.rss.xml" newcomer-live 1
edit_feeds add newcomer-live.rss.xml
live=0
for _ in $(seq 1 60); do
  live=$(sql "SELECT count(*) FROM articles WHERE url LIKE 'https://newcomer-live.example/%'")
  [ "${live:-0}" -ge 1 ] && break
  sleep 2
done
check "5. a feed added to the settings file while the worker runs is stored" test "${live:-0}" -ge 1
shutdown_timeout=25   # FeedWorker:Scheduling:ShutdownTimeout
kill -TERM "$worker_pid"
exited=false
for _ in $(seq 1 $((shutdown_timeout + 15))); do
  if ! kill -0 "$worker_pid" 2>/dev/null; then exited=true; break; fi
  sleep 1
done
status=-1
if $exited; then wait "$worker_pid"; status=$?; worker_pid=; fi
check "5. SIGTERM to deploy/local.sh ends it within ${shutdown_timeout}s + 15s" $exited
check "5. ... with exit 0 (exit $status)" test "$status" -eq 0
no_worker_left() { ! pgrep -f "^dotnet $clone/src/FeedWorker/bin" >/dev/null; }
check "5. ... and no FeedWorker process of the clone is left" no_worker_left
check "5. ... and its PostgreSQL is stopped" test ! -f "$clone/.data/pg/data/postmaster.pid"
# the worker's own feed-list sync retires what step 4 removed (once does it only with the scheduler issue's fix)
local_sh feeds --wide >"$work/feeds2.out" 2>"$work/feeds2.err"
check "5. after the worker ran, the feed removed in step 4 shows retired" \
  bash -c "grep newcomer-first '$work/feeds2.out' | grep -Eqi 'retired|removed from configuration'"

if [ $failed -gt 0 ]; then log "logs of the steps: $work (kept)"; keep=true; fi
echo "newcomer: $passed passed, $failed failed"
[ $failed -eq 0 ]
