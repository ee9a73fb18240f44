#!/usr/bin/env bash
# The one test command: starts a throwaway PostgreSQL, runs every test against it, and always
# stops it again (also on failure or Ctrl-C). Extra arguments go to `dotnet test`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/postgres.sh
. "$root/deploy/lib/postgres.sh"

# --- begin: headless Chromium for the XSS battery (tests/FeedWorker.Ingestion.Tests/Xss) ---
# Installed from Debian when missing and we are root; without it those tests are skipped, saying so.
if [ -z "${FEEDWORKER_CHROMIUM:-}" ]; then
  if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
      || echo "warning: could not install chromium; the XSS browser tests will be skipped" >&2
  fi
  if command -v chromium >/dev/null 2>&1; then
    FEEDWORKER_CHROMIUM=$(command -v chromium)
    export FEEDWORKER_CHROMIUM
  fi
fi
# --- end: headless Chromium ---

work=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-test.XXXXXX")
cleanup() {
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# durability is not what these tests measure; fsync off makes the throwaway cluster quicker
PG_FSYNC=off pg_start "$work/pg"
export FEEDWORKER_TEST_CONNECTION=$FEEDWORKER_PG_CONNECTION
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

cd "$root"
results="$work/results"
status=0
dotnet test FeedWorker.sln --nologo -c Release --logger "console;verbosity=normal" \
  --logger trx --results-directory "$results" "$@" || status=$?

# one closing line over every test project, in the plain form CI reads
python3 - "$results" <<'PY' || true
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
totals = {"passed": 0, "failed": 0, "notExecuted": 0}
for f in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(f).find(".//t:ResultSummary/t:Counters", ns)
    if c is not None:
        for k in totals:
            totals[k] += int(c.get(k, 0))
print(f"tests: {totals['passed']} passed, {totals['failed']} failed, {totals['notExecuted']} skipped")
PY
exit $status
