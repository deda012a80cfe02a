#!/usr/bin/env bash
# Bench: 500 generated trivial migrations applied from empty, and the status
# command in a cold process, side by side in one run:
#   connector-db migrate upgrade head     (node-pg-migrate runner, one transaction per file)
#   psql -f all.sql                       (the same 500 statements, autocommitted)
#   psql -1 -f all.sql                    (the same, one transaction)
#   alembic upgrade head                  (Debian's alembic, an equivalent generated project,
#                                          transaction_per_migration = True like us; and its default)
#   connector-db migrate current  vs  alembic current   (cold processes, database at head)
#   bench/node-floor.mjs                  (the least a Node.js client on node-postgres pays
#                                          for the same work, bundled like us: the floor)
# Needs: the built bin/connector-db (npm run build), psql, the
# PostgreSQL server binaries, and `apt-get install alembic python3-psycopg2`.
# Not run by CI. Usage: bench/migrations-bench.sh [COUNT] [ROUNDS]   (defaults 500, 10)
# Writes bench/results/migrations-{apply,current}.csv (one line per run, in µs),
# migrations-summary.md (medians and ratios) and migrations-environment.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
COUNT=${1:-500}
RUNS=${2:-10}
BIN="$ROOT/bin/connector-db"
PGBIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
for tool in psql /usr/bin/alembic; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done
[ -f "$ROOT/dist/cli.js" ] || { echo 'bench: run `npm run build` first' >&2; exit 1; }
FLOOR=$("$ROOT/bench/build-floor.sh")

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

echo "bench: $COUNT migrations, $RUNS rounds, PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}'), node $(node --version), $(/usr/bin/alembic --version), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/migrations-environment.txt"

# Rounds rather than one tool after another: each round runs every tool once
# (in a rotated order), so a burst of load from elsewhere on the machine falls
# on all of them alike; the medians over the rounds are compared.
APPLY=(
  "connector-db migrate upgrade head|$BIN --migrations-dir $SQLDIR migrate upgrade head"
  "psql -f (autocommit)|psql -X -q -v ON_ERROR_STOP=1 -d bench -f $WORK/all.sql"
  "psql -1 -f (one transaction)|psql -X -q -1 -v ON_ERROR_STOP=1 -d bench -f $WORK/all.sql"
  "node + pg floor (the same 500 statements, autocommit)|node $FLOOR apply $WORK/all.sql"
  "alembic upgrade head (transaction_per_migration)|env BENCH_ALEMBIC_TX=each /usr/bin/alembic -c $ALEMBIC/alembic.ini upgrade head"
  "alembic upgrade head (default: one transaction)|/usr/bin/alembic -c $ALEMBIC/alembic.ini upgrade head"
)
STATUS=(
  "connector-db migrate current|$BIN --migrations-dir $SQLDIR migrate current"
  "alembic current|/usr/bin/alembic -c $ALEMBIC/alembic.ini current"
  "connector-db --version (start-up alone)|$BIN --version"
  "node -e 0 (bare node)|node -e 0"
  "node + pg floor (connect, one query)|node $FLOOR status"
)
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; exit 1; }; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
: >"$OUT/migrations-apply.csv"; : >"$OUT/migrations-current.csv"
for round in $(seq 1 "$RUNS"); do
  n=${#APPLY[@]}
  for k in $(seq 0 $((n - 1))); do
    entry=${APPLY[$(( (k + round) % n ))]}
    sh -c "$RESET"
    # shellcheck disable=SC2086
    echo "$round,${entry%%|*},$(ms ${entry#*|})" >>"$OUT/migrations-apply.csv"
  done
  echo "round $round/$RUNS applied" >&2
done
# Status at head, cold processes: both records exist (connector-db's run, then alembic stamp).
sh -c "$RESET"
"$BIN" --migrations-dir "$SQLDIR" migrate upgrade head >/dev/null 2>&1
/usr/bin/alembic -c "$ALEMBIC/alembic.ini" stamp head >/dev/null 2>&1
for entry in "${STATUS[@]}"; do ms ${entry#*|} >/dev/null; done # warm the page cache
for round in $(seq 1 "$RUNS"); do
  n=${#STATUS[@]}
  for k in $(seq 0 $((n - 1))); do
    entry=${STATUS[$(( (k + round) % n ))]}
    # shellcheck disable=SC2086
    echo "$round,${entry%%|*},$(ms ${entry#*|})" >>"$OUT/migrations-current.csv"
  done
done

node - "$OUT" "$COUNT" "$RUNS" <<'JS' | tee "$OUT/migrations-summary.md"
const fs = require('fs');
const [out, count, runs] = process.argv.slice(2);
// Lines: round,command,microseconds.
const read = (f) => fs.readFileSync(`${out}/${f}`, 'utf8').trim().split('\n').map((line) => {
  const first = line.indexOf(','), last = line.lastIndexOf(',');
  return { round: Number(line.slice(0, first)), name: line.slice(first + 1, last), ms: Number(line.slice(last + 1)) / 1000 };
});
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const names = (rows) => [...new Set(rows.map((r) => r.name))];
const times = (rows, name) => rows.filter((r) => r.name === name).map((r) => r.ms);
const table = (rows) => ['| command | median | min | max |', '|---|---:|---:|---:|', ...names(rows).map((n) => { const xs = times(rows, n); return `| ${n} | ${median(xs).toFixed(0)} ms | ${Math.min(...xs).toFixed(0)} ms | ${Math.max(...xs).toFixed(0)} ms |`; })].join('\n');
// Ratio of medians, and the median of the ratios within each round (both ran under the same load).
const ratio = (rows, a, b) => {
  const rounds = [...new Set(rows.map((r) => r.round))];
  const paired = rounds.map((k) => rows.find((r) => r.round === k && r.name === a).ms / rows.find((r) => r.round === k && r.name === b).ms);
  return `**${(median(times(rows, a)) / median(times(rows, b))).toFixed(2)}** (median of per-round ratios ${median(paired).toFixed(2)}, best round ${Math.min(...paired).toFixed(2)})`;
};
const a = read('migrations-apply.csv'), c = read('migrations-current.csv');
console.log(`### ${count} trivial migrations from empty (${runs} rounds)\n\n${table(a)}\n`);
console.log(`### status at head, cold process (${runs} rounds)\n\n${table(c)}\n`);
console.log('### ratios\n');
console.log(`- connector-db upgrade / psql -f (autocommit): ${ratio(a, 'connector-db migrate upgrade head', 'psql -f (autocommit)')}; target <= 1.2`);
console.log(`- connector-db upgrade / alembic upgrade (transaction_per_migration): ${ratio(a, 'connector-db migrate upgrade head', 'alembic upgrade head (transaction_per_migration)')}`);
console.log(`- connector-db upgrade / alembic upgrade (default, one transaction): ${ratio(a, 'connector-db migrate upgrade head', 'alembic upgrade head (default: one transaction)')}`);
console.log(`- connector-db migrate current / alembic current: ${ratio(c, 'connector-db migrate current', 'alembic current')}; target <= 0.33`);
console.log('\nThe floor: the least a Node.js client on node-postgres pays for the same work (bench/node-floor.mjs).\n');
console.log(`- node + pg, 500 autocommitted statements / psql -f: ${ratio(a, 'node + pg floor (the same 500 statements, autocommit)', 'psql -f (autocommit)')}`);
console.log(`- node + pg, connect and one query / alembic current: ${ratio(c, 'node + pg floor (connect, one query)', 'alembic current')}`);
JS
