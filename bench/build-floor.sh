#!/usr/bin/env bash
# Bundles bench/node-floor.mjs the way connector-db itself is bundled (one
# file, node-postgres inside; libpg-query stays in node_modules, where it
# finds its .wasm), so the floor pays no more module loading than we do.
# Prints the path of the bundle. Used by the benches; needs `npm ci` (esbuild).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/node_modules/.cache/connector-db-bench/node-floor.mjs"
mkdir -p "$(dirname "$OUT")"
"$ROOT/node_modules/.bin/esbuild" "$ROOT/bench/node-floor.mjs" --bundle --platform=node --format=esm \
  --external:pg-native --external:libpg-query --outfile="$OUT" --log-level=warning \
  --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);"
echo "$OUT"
