#!/usr/bin/env bash
# Bench: 500 generated trivial migrations applied from empty, and the status
# command in a cold process, side by side in one run:
#   connector-db migrate upgrade head     (node-pg-migrate runner, one transaction per file)
#   psql -f all.sql                       (the same 500 statements, autocommitted)
#   psql -1 -f all.sql                    (the same, one transaction)
#   alembic upgrade head                  (Debian's alembic, an equivalent generated project,
#                                          transaction_per_migration = True like us; and its default)
#   connector-db migrate current  vs  alembic current   (cold processes, database at head)
# Needs: the built bin/connector-db (npm run build), hyperfine, psql, the
# PostgreSQL server binaries, and `apt-get install alembic python3-psycopg2`.
# Not run by CI. Usage: bench/migrations-bench.sh [COUNT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=${1:-500}
RUNS=${2:-10}
BIN="$ROOT/bin/connector-db"
PGBIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
for tool in hyperfine psql /usr/bin/alembic; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
[ -f "$ROOT/dist/cli.js" ] || { echo 'bench: run `npm run build` first' >&2; exit 1; }

WORK=$(mktemp -d /tmp/cdb-bench-XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"

# A private cluster with the server's default durability (fsync on): every tool pays the same commit cost.
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
cat >>"$WORK/data/postgresql.conf" <<EOF
port = $PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$WORK'
EOF
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

export PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres
export DATABASE__URL="postgresql://postgres@127.0.0.1:$PORT/bench" DATABASE__SSLMODE=disable
RESET="psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS bench' -c 'CREATE DATABASE bench'"

# The same trivial migration COUNT times, in each tool's format.
SQLDIR="$WORK/sql-migrations"; ALEMBIC="$WORK/alembic"; mkdir -p "$SQLDIR" "$ALEMBIC/versions"
: >"$WORK/all.sql"
prev=None
for i in $(seq 1 "$COUNT"); do
  id=$(printf '%04d' "$i")
  printf -- '-- Up Migration\nCREATE TABLE t_%s (id int);\n\n-- Down Migration\nDROP TABLE t_%s;\n' "$id" "$id" >"$SQLDIR/${id}_t_${id}.sql"
  printf 'CREATE TABLE t_%s (id int);\n' "$id" >>"$WORK/all.sql"
  cat >"$ALEMBIC/versions/${id}_t_${id}.py" <<EOF
from alembic import op
revision = '$id'
down_revision = $prev
branch_labels = None
depends_on = None
def upgrade():
    op.execute("CREATE TABLE t_$id (id int)")
def downgrade():
    op.execute("DROP TABLE t_$id")
EOF
  prev="'$id'"
done
cat >"$ALEMBIC/alembic.ini" <<EOF
[alembic]
script_location = $ALEMBIC
sqlalchemy.url = postgresql://postgres@127.0.0.1:$PORT/bench
[loggers]
keys = root
[handlers]
keys =
[formatters]
keys =
[logger_root]
level = WARN
handlers =
EOF
cat >"$ALEMBIC/env.py" <<'EOF'
import os
from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    # BENCH_ALEMBIC_TX=each: one transaction per migration, as connector-db runs them; else Alembic's default (one for all).
    context.configure(connection=connection, transaction_per_migration=os.environ.get("BENCH_ALEMBIC_TX") == "each")
    with context.begin_transaction():
        context.run_migrations()
EOF

echo "bench: $COUNT migrations, $RUNS runs each, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/environment.txt"
node --version >>"$OUT/environment.txt"; /usr/bin/alembic --version >>"$OUT/environment.txt"; nproc >>"$OUT/environment.txt"

hyperfine -N --warmup 1 --runs "$RUNS" --export-markdown "$OUT/apply.md" --export-json "$OUT/apply.json" \
  --prepare "sh -c \"$RESET\"" \
  -n "connector-db migrate upgrade head ($COUNT files, one transaction each)" "$BIN --migrations-dir $SQLDIR migrate upgrade head" \
  -n "psql -f ($COUNT statements, autocommit)" "psql -X -q -v ON_ERROR_STOP=1 -d bench -f $WORK/all.sql" \
  -n "psql -1 -f (one transaction)" "psql -X -q -1 -v ON_ERROR_STOP=1 -d bench -f $WORK/all.sql" \
  -n "alembic upgrade head (transaction_per_migration)" "env BENCH_ALEMBIC_TX=each /usr/bin/alembic -c $ALEMBIC/alembic.ini upgrade head" \
  -n "alembic upgrade head (default: one transaction)" "/usr/bin/alembic -c $ALEMBIC/alembic.ini upgrade head"

# Status at head, cold processes: each tool's own record must exist, so bring the database to head with both.
sh -c "$RESET"
"$BIN" --migrations-dir "$SQLDIR" migrate upgrade head >/dev/null 2>&1
/usr/bin/alembic -c "$ALEMBIC/alembic.ini" stamp head >/dev/null
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/current.md" --export-json "$OUT/current.json" \
  -n "connector-db migrate current" "$BIN --migrations-dir $SQLDIR migrate current" \
  -n "alembic current" "/usr/bin/alembic -c $ALEMBIC/alembic.ini current" \
  -n "connector-db --version (start-up alone)" "$BIN --version"

echo
echo "Results: $OUT/apply.md and $OUT/current.md"
node -e '
  const a = require(process.argv[1]).results, c = require(process.argv[2]).results;
  const m = (r, i) => r[i].median * 1000;
  console.log(`ratio upgrade/psql -f: ${(m(a,0)/m(a,1)).toFixed(2)}  (target <= 1.2)`);
  console.log(`ratio upgrade/alembic per-migration tx: ${(m(a,0)/m(a,3)).toFixed(2)}`);
  console.log(`ratio current/alembic current: ${(m(c,0)/m(c,1)).toFixed(2)}  (target <= 0.33)`);
' "$OUT/apply.json" "$OUT/current.json" | tee "$OUT/ratios.txt"
