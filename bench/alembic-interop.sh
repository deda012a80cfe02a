#!/usr/bin/env bash
# Check, with Debian's real alembic, that connector-db and an Alembic project
# shaped like the connector app's (revisions 001-003, each running the same
# SQL as sql-migrations/) agree on where a database stands as they take turns.
# Not run by CI (it needs `apt-get install alembic python3-psycopg2`).
# Usage: bench/alembic-interop.sh   (prints each step; exits 1 on the first disagreement)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="$ROOT/bin/connector-db"
PGBIN=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
[ -f "$ROOT/dist/cli.js" ] || { echo 'run `npm run build` first' >&2; exit 1; }

WORK=$(mktemp -d /tmp/cdb-interop-XXXXXX)
chmod 755 "$WORK"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$PGBIN/initdb" -D "$WORK/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nfsync = off\n" "$PORT" "$WORK" >>"$WORK/data/postgresql.conf"
as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
trap 'as_pg "$PGBIN/pg_ctl" -D "$WORK/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c 'CREATE DATABASE connector_db'
export DATABASE__URL="postgresql://postgres@127.0.0.1:$PORT/connector_db" DATABASE__SSLMODE=disable

# The app's Alembic revisions, each executing our file's up / down section.
A="$WORK/alembic"; mkdir -p "$A/versions"
prev=None
for f in "$ROOT"/sql-migrations/0*.sql; do
  rev=$(basename "$f" | cut -c1-3)
  cat >"$A/versions/$(basename "$f" .sql).py" <<EOF
import re
from alembic import op
revision = '$rev'
down_revision = $prev
branch_labels = None
depends_on = None
text = open('$f').read()
up = re.split(r'(?im)^\s*--[\s-]*down\s+migration', re.split(r'(?im)^\s*--[\s-]*up\s+migration', text)[1])[0]
down = re.split(r'(?im)^\s*--[\s-]*down\s+migration', text)[1]
def upgrade():
    op.execute(up)
def downgrade():
    op.execute(down)
EOF
  prev="'$rev'"
done
printf '[alembic]\nscript_location = %s\nsqlalchemy.url = %s\n[loggers]\nkeys = root\n[handlers]\nkeys =\n[formatters]\nkeys =\n[logger_root]\nlevel = WARN\nhandlers =\n' "$A" "postgresql://postgres@127.0.0.1:$PORT/connector_db" >"$A/alembic.ini"
cat >"$A/env.py" <<'EOF'
from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
EOF

alembic() { /usr/bin/alembic -c "$A/alembic.ini" "$@" 2>/dev/null; }
cdb_at() { "$BIN" migrate current --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).current ?? "base"))'; }
expect() { # expect WHAT ALEMBIC_SAYS CONNECTOR_DB_SAYS
  local a c; a=$(alembic current | awk '{print $1}'); c=$(cdb_at)
  printf '%-48s alembic current: %-5s connector-db current: %s\n' "$1" "${a:-base}" "$c"
  [ "${a:-base}" = "$2" ] && [ "$c" = "$3" ] || { echo "DISAGREE after: $1" >&2; exit 1; }
}

alembic upgrade 002;                        expect 'alembic upgrade 002' 002 002
"$BIN" migrate upgrade head >/dev/null 2>&1; expect 'connector-db migrate upgrade head (runs 003 only)' 003 003
"$BIN" migrate downgrade --yes >/dev/null 2>&1; expect 'connector-db migrate downgrade -1' 002 002
alembic upgrade head;                       expect 'alembic upgrade head' 003 003
"$BIN" migrate check >/dev/null;            expect 'connector-db migrate check (exit 0)' 003 003
alembic downgrade base;                     expect 'alembic downgrade base' base base
"$BIN" migrate upgrade head >/dev/null 2>&1; expect 'connector-db migrate upgrade head (from base)' 003 003
"$BIN" migrate stamp 001 >/dev/null 2>&1;    expect 'connector-db migrate stamp 001' 001 001
echo 'alembic and connector-db agree at every step'
