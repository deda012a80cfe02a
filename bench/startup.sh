#!/usr/bin/env bash
# Cold start of connector-db beside bare node, in one hyperfine run.
# Needs: hyperfine (Debian package), a built dist/ (npm run build), and for
# the TUI line a reachable database (DATABASE__URL; default: the local
# trust server on 127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE__URL="${DATABASE__URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
hyperfine -N --warmup 3 --runs "${RUNS:-30}" --export-markdown bench/results/startup.md \
  'node -e 0' \
  './bin/connector-db --version' \
  './bin/connector-db config --json' \
  'python3 bench/first-frame.py' \
  "python3 bench/first-frame.py node -e 'process.stdout.write(\"Target\")'"
