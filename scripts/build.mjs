// Builds dist/ with esbuild: one ESM bundle split into chunks, so the TUI
// (ink + react) and each command's heavy parts load only when used.
// STACK.md lists what the bundle needs: an alias for react-devtools-core,
// a `require` banner, and NODE_ENV=production.
import { build } from 'esbuild';
import { rm, chmod } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, 'dist');

// node-postgres's lib/stream.js probes for Cloudflare Workers with `new Response()`, which loads undici
// (~10 ms per command on Node 20); the bundle takes a Node-only stand-in (scripts/pg-stream-node.cjs).
const pgNodeStream = {
  name: 'pg-node-stream',
  setup(b) {
    b.onResolve({ filter: /^\.\/stream$/ }, (args) =>
      args.importer.includes(`${path.sep}pg${path.sep}lib${path.sep}`) ? { path: path.join(root, 'scripts', 'pg-stream-node.cjs') } : undefined,
    );
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  // jiti and glob: node-pg-migrate loads them for .js/.ts migrations and glob patterns, which connector-db never uses (scripts/stubs/).
  alias: { 'react-devtools-core': './scripts/react-devtools-stub.js', jiti: './scripts/stubs/jiti.js', glob: './scripts/stubs/glob.js' },
  plugins: [pgNodeStream],
  // libpg-query finds its .wasm beside its own files, so it loads from node_modules, not the bundle.
  external: ['pg-native', 'libpg-query'],
  banner: {
    js: "import { createRequire as __cdbCreateRequire } from 'node:module'; const require = __cdbCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
await chmod(path.join(root, 'bin', 'connector-db'), 0o755).catch(() => {});
