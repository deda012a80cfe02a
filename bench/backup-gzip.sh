#!/usr/bin/env bash
# Compressed backup of a ~1 GB generated database: `connector-db backup --gzip`
# beside the seed's `pg_dump | gzip`, in one hyperfine run (target: <= 1.05x).
#
# Starts its own throwaway PostgreSQL (initdb into a temp folder, its own
# port, trust over TCP on 127.0.0.1 only), fills a database shaped like the
# connector's (documentation chunks with text and jsonb, jobs with jsonb and
# arrays) with generate_series, runs the benchmark, then drops the database
# and removes the cluster. Not run by CI.
#
# Needs: the PostgreSQL server binaries (/usr/lib/postgresql/*/bin or
# PG_BENCH_BINDIR), pg_dump, gzip, hyperfine, a built dist/ (npm run build),
# ~4 GB free in $TMPDIR. Knobs: RUNS (default 5), ROWS (default 700000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS="${RUNS:-5}"
ROWS="${ROWS:-700000}"
BINDIR="${PG_BENCH_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
BASE=$(mktemp -d "${TMPDIR:-/tmp}/cdb-bench-XXXXXX")
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
OUT="$BASE/out"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

cleanup() {
  psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'DROP DATABASE IF EXISTS bench' >/dev/null 2>&1 || true
  as_pg "$BINDIR/pg_ctl" -D "$BASE/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$BASE"
}
trap cleanup EXIT

chmod 755 "$BASE"
[ "$(id -u)" = 0 ] && chown postgres "$BASE"
as_pg "$BINDIR/initdb" -D "$BASE/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$BASE/data/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BASE'
shared_buffers = 256MB
EOF
as_pg "$BINDIR/pg_ctl" -D "$BASE/data" -l "$BASE/server.log" -w start >/dev/null
export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
psql -X -q -d postgres -c 'CREATE DATABASE bench'

echo "== generating the database ($ROWS documentation chunks, as many jobs)"
export DATABASE__URL="postgresql://postgres@127.0.0.1:$PORT/bench" DATABASE__SSLMODE=disable
"$ROOT/bin/connector-db" migrate upgrade head >/dev/null
psql -X -q -d bench -v rows="$ROWS" <<'SQL'
insert into sessions (session_id) select md5('s' || g)::uuid from generate_series(1, :rows / 100) g;
insert into documentation_items (id, session_id, source, url, summary, content, metadata)
  select md5('d' || g)::uuid, md5('s' || (g % (:rows / 100) + 1))::uuid,
         case when g % 2 = 0 then 'scraper' else 'upload' end,
         'https://docs.example.com/api/v2/page/' || g,
         'Summary of page ' || g || ': ' || repeat(md5(g::text), 2),
         -- varied text so gzip has honest work (not one repeated byte)
         (select string_agg(md5(g::text || i::text), ' ') from generate_series(1, 14) i),
         jsonb_build_object('page', g, 'lang', 'en', 'tags', jsonb_build_array('api', 'v2', g % 17))
    from generate_series(1, :rows) g;
insert into jobs (job_id, session_id, job_type, status, input, result, errors)
  select md5('j' || g)::uuid, md5('s' || (g % (:rows / 100) + 1))::uuid, 'scrape', 'finished',
         jsonb_build_object('url', 'https://docs.example.com/' || g, 'depth', g % 4),
         jsonb_build_object('pages', g % 300, 'digest', md5(g::text)),
         case when g % 10 = 0 then array['timeout on ' || g] end
    from generate_series(1, :rows) g;
vacuum analyze;
SQL
SIZE=$(psql -X -At -d bench -c "select pg_size_pretty(pg_database_size('bench'))")
DATA=$(psql -X -At -d bench -c "select pg_size_pretty(sum(pg_table_size(oid))) from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r'")
echo "   database: $SIZE ($DATA of table data)"

mkdir -p "$OUT"
PG_DUMP=$(command -v pg_dump)
echo "== hyperfine: $RUNS runs each (after one warm-up), one command after the other"
hyperfine --warmup 1 --runs "$RUNS" \
  --prepare "rm -rf '$OUT'/*; sync" \
  --export-markdown "$BASE/hyperfine.md" --export-json "$BASE/hyperfine.json" \
  -n 'connector-db backup --gzip' "'$ROOT/bin/connector-db' backup --gzip --dir '$OUT' 2>/dev/null >/dev/null" \
  -n 'pg_dump | gzip' "'$PG_DUMP' -d bench | gzip > '$OUT/plain.sql.gz'"

"$ROOT/bin/connector-db" backup --gzip --dir "$OUT" --json 2>/dev/null >"$BASE/last.json"
"$PG_DUMP" -d bench | gzip >"$OUT/plain.sql.gz"
OURS=$(python3 -c "import json; print(json.load(open('$BASE/last.json'))['manifest']['size'])")
THEIRS=$(stat -c %s "$OUT/plain.sql.gz")
# Peak memory of one backup (KB), to show that streaming keeps it flat.
RSS=$( { /usr/bin/time -f '%M' "$ROOT/bin/connector-db" backup --gzip --dir "$OUT" >/dev/null 2>"$BASE/time.err"; } ; tail -1 "$BASE/time.err")

mkdir -p bench/results
{
  echo "# Compressed backup of a generated ~1 GB database"
  echo
  echo "\`bench/backup-gzip.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $(psql -X -At -d bench -c 'show server_version'), $("$PG_DUMP" --version), node $(node --version)."
  echo "Database: $SIZE on disk ($DATA of table data; $ROWS documentation chunks and $ROWS jobs)."
  echo
  cat "$BASE/hyperfine.md"
  echo
  echo "Output: connector-db $OURS bytes, pg_dump | gzip $THEIRS bytes (gzip level 6 both; connector-db's pg_dump runs with --verbose for progress, which adds comment lines)."
  echo "Peak RSS of connector-db during one backup: ${RSS} KB."
} >bench/results/backup-gzip.md
cat bench/results/backup-gzip.md
