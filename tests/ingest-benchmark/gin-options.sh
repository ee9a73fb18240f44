#!/usr/bin/env bash
# What PostgreSQL's full-text share costs, and whether GIN options change it (issue 18): batches of 50 rows of
# ~7.6 KB of English words inserted into a throwaway PostgreSQL, three times over, as: no vector; to_tsvector
# without an index; with a GIN index under fastupdate on (default, 4 MB pending list), off, and on with a 64 MB
# pending list (flushed at the end with gin_clean_pending_list, so deferred work is counted). Prints seconds
# per variant; the single backend is CPU-bound, so wall time is its CPU time.
#   tests/ingest-benchmark/gin-options.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../deploy/lib/postgres.sh
. "$root/deploy/lib/postgres.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/feedworker-gin.XXXXXX")
trap 'pg_stop; rm -rf "$work"' EXIT
pg_start "$work/pg"
cd "$work"
P() { pg_psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_DB_USER" -d "$PG_DB_NAME" "$@"; }
# vocabulary: the words of the repository's own prose; documents of 650 words drawn at random (seeded)
P -qc "CREATE TABLE words AS SELECT row_number() OVER () AS n, w FROM (SELECT DISTINCT w FROM regexp_split_to_table(lower(\$\$$(cat $root/tests/ingest-benchmark/README.md $root/README.md | tr -cs 'A-Za-z' ' ')\$\$), ' ') AS w WHERE length(w) > 1) s;"
P -qc "SELECT setseed(0.18); CREATE TABLE docs AS SELECT d, string_agg(w, ' ') AS body FROM generate_series(1,12000) d, LATERAL (SELECT w FROM words WHERE n = 1 + floor(random() * (SELECT count(*) FROM words) + d*0)::int) x, generate_series(1,650) g GROUP BY d;" 2>/dev/null || true
P -tAc "SELECT count(*), avg(length(body))::int FROM docs"
for run in 1 2 3; do
for variant in "no-vector" "vector-no-index" "fastupdate=on" "fastupdate=off" "fastupdate=on,gin_pending_list_limit=65536"; do
  P -qc "DROP TABLE IF EXISTS t; CREATE TABLE t(id int, body text, v tsvector);"
  case $variant in fastupdate*) P -qc "CREATE INDEX t_v ON t USING gin(v) WITH ($variant);" ;; esac
  vec="to_tsvector('english', body)"; [ "$variant" = no-vector ] && vec="NULL"
  s=$(date +%s.%N)
  for b in $(seq 0 50 11950); do echo "INSERT INTO t SELECT d, body, $vec FROM docs WHERE d > $b AND d <= $b + 50;"; done > ins.sql
  case $variant in fastupdate*) echo "SELECT gin_clean_pending_list('t_v');" >> ins.sql ;; esac
  P -q -f ins.sql >/dev/null
  e=$(date +%s.%N)
  echo "run $run $variant: $(echo "$e - $s" | bc) s"
done
done
