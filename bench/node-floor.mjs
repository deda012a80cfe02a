// The least any Node.js tool built on node-postgres pays for the migrations
// bench's two measurements, run side by side with them so that a ratio can
// be read against what the platform allows:
//   node bench/node-floor.mjs apply FILE   each line of FILE sent as its own
//                                          statement (autocommit), one round
//                                          trip each: what `psql -f` does
//   node bench/node-floor.mjs status       connect, one query, exit
// Connection from DATABASE__URL. Not run by CI.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const [mode, file] = process.argv.slice(2);
const client = new pg.Client({ connectionString: process.env.DATABASE__URL });
await client.connect();
if (mode === 'apply') {
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) await client.query(line);
} else if (mode === 'status') {
  const { rows } = await client.query("select to_regclass('pgmigrations') is not null as has_record");
  process.stdout.write(`${JSON.stringify(rows[0])}\n`);
} else {
  throw new Error(`usage: node-floor.mjs apply FILE | status (got ${mode})`);
}
await client.end();
