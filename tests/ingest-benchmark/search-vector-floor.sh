#!/usr/bin/env bash
# What PostgreSQL must spend on full-text search, whatever FeedWorker does (issue 18): the articles of a set of feed
# files, as `FeedWorker parse` cleans them, loaded into a throwaway PostgreSQL and inserted again in one statement
# into tables like `articles` (LZ4 text, the search-vector trigger as shipped) that differ in one thing each:
#   shipped          the trigger computes search_vector; GIN index on it
#   expression-gin   no stored vector: a GIN index on the same expression (what a search query would have to repeat)
#   vector-no-gin    the trigger, no index
#   no-vector        neither
# then the parts of the vector alone, as SELECTs over the loaded text: the text-search parser (ts_parse), one
# to_tsvector over the article text, and the three weighted fields as the trigger builds them. One backend does
# each statement and is CPU-bound, so its wall time is its CPU time. Prints seconds; run it twice and compare within
# a run.
#   FEEDWORKER_DLL=<published FeedWorker.dll> tests/ingest-benchmark/search-vector-floor.sh <feed files...>
# e.g. the peerbench farm: search-vector-floor.sh $(ls <farm>/htdocs/feeds/* | grep -v '\.gz$')
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
: "${FEEDWORKER_DLL:?set FEEDWORKER_DLL to a published FeedWorker.dll}"
[ $# -gt 0 ] || { sed -n '2,14p' "$0"; exit 2; }
# shellcheck source=../../deploy/lib/postgres.sh
. "$root/deploy/lib/postgres.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-search-floor.XXXXXX")
trap 'pg_stop; rm -rf "$work"' EXIT

dotnet "$FEEDWORKER_DLL" parse "$@" > "$work/articles.jsonl"
python3 - "$work/articles.jsonl" "$work/articles.csv" <<'EOF'
import csv, json, sys
with open(sys.argv[2], "w", newline="") as out:
    rows = csv.writer(out)
    for line in open(sys.argv[1]):
        feed = json.loads(line).get("feed") or {}
        for a in feed.get("articles", []):
            rows.writerow([a.get(k) or "" for k in ("title", "summary", "contentText", "contentHtml")])
EOF
chmod -R a+rX "$work"
# A SELECT over the 25,000 rows would be planned as a parallel scan, halving its wall time; the inserts never are.
# One backend per statement keeps every figure the CPU of one process, comparable with the inserts'.
PG_SERVER_OPTIONS="${PG_SERVER_OPTIONS:-} -c max_parallel_workers_per_gather=0"
pg_start "$work/pg"
P() { pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" "$@"; }
P -q <<EOF
CREATE TABLE src(title text, summary text, content_text text, content_html text);
\copy src FROM '$work/articles.csv' CSV
CREATE FUNCTION weighted_vector(cfg regconfig, title text, summary text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS \$\$
    SELECT setweight(to_tsvector(cfg, coalesce(title, '')), 'A') || setweight(to_tsvector(cfg, coalesce(summary, '')), 'B')
        || setweight(to_tsvector(cfg, coalesce(body, '')), 'C') \$\$;
CREATE FUNCTION set_vector() RETURNS trigger LANGUAGE plpgsql AS \$fn\$
BEGIN
    NEW.search_vector := setweight(to_tsvector(NEW.search_config, coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector(NEW.search_config, coalesce(NEW.summary, '')), 'B') ||
        setweight(to_tsvector(NEW.search_config, coalesce(NEW.content_text, '')), 'C');
    RETURN NEW;
END \$fn\$;
EOF
P -tAc "SELECT count(*) || ' articles, text ' || avg(length(content_text))::int || ' characters on average' FROM src"

columns="id bigserial PRIMARY KEY, title text, summary text COMPRESSION lz4, content_html text COMPRESSION lz4,
    content_text text COMPRESSION lz4, search_config regconfig"
create_variant() {
  P -qc "SET client_min_messages = warning; DROP TABLE IF EXISTS t"
  case $1 in
    shipped) P -qc "CREATE TABLE t($columns, search_vector tsvector COMPRESSION lz4);
        CREATE TRIGGER v BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION set_vector(); CREATE INDEX ON t USING gin(search_vector);" ;;
    expression-gin) P -qc "CREATE TABLE t($columns); CREATE INDEX ON t USING gin(weighted_vector(search_config, title, summary, content_text));" ;;
    vector-no-gin) P -qc "CREATE TABLE t($columns, search_vector tsvector COMPRESSION lz4);
        CREATE TRIGGER v BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION set_vector();" ;;
    no-vector) P -qc "CREATE TABLE t($columns);" ;;
  esac
  P -qc "CHECKPOINT"
}
seconds() {
  local s e
  s=$(date +%s.%N)
  P -qc "$1" >/dev/null
  e=$(date +%s.%N)
  printf '%.2f' "$(echo "$e - $s" | bc)"
}
for variant in shipped expression-gin vector-no-gin no-vector; do
  create_variant "$variant"
  # ||'' makes every value new, so it is compressed again as a writer's would be
  echo "insert, $variant: $(seconds "INSERT INTO t(title, summary, content_html, content_text, search_config)
      SELECT title||'', summary||'', content_html||'', content_text||'', 'english' FROM src") s"
done
echo "ts_parse over the article text: $(seconds "SELECT count(*) FROM src, LATERAL ts_parse('default', content_text)") s"
echo "to_tsvector('english', article text): $(seconds "SELECT sum(length(to_tsvector('english', content_text))) FROM src") s"
echo "to_tsvector('simple', article text): $(seconds "SELECT sum(length(to_tsvector('simple', content_text))) FROM src") s"
echo "the three weighted fields: $(seconds "SELECT sum(length(weighted_vector('english', title, summary, content_text))) FROM src") s"
