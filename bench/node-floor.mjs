// The least any Node.js tool built on node-postgres pays for what the
// migrations and query benches measure, run side by side with them (bundled
// by build-floor.sh, as connector-db is) so that a ratio can be read against
// what the platform allows:
//   node bench/node-floor.mjs apply FILE   each line of FILE sent as its own
//                                          statement (autocommit), one round
//                                          trip each: what `psql -f` does
//   node bench/node-floor.mjs status       connect, one query, exit
//   node bench/node-floor.mjs parse-query SQL
//                                          what `query` must do before its first
//                                          row: load and compile the WASM SQL
//                                          parser (compiled ahead, on V8's
//                                          background threads, while connecting),
//                                          parse SQL, then run it and print the
//                                          rows as CSV lines
// Connection from DATABASE__URL. Not run by CI.
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import pg from 'pg';

const [mode, file] = process.argv.slice(2);
let parsing;
if (mode === 'parse-query') {
  v8.setFlagsFromString('--liftoff-only');
  v8.setFlagsFromString('--no-wasm-lazy-compilation');
  parsing = import('libpg-query').then(async (m) => {
    await m.loadModule();
    return m.parse(file);
  });
}
const client = new pg.Client({ connectionString: process.env.DATABASE__URL });
await client.connect();
if (mode === 'apply') {
  for (const line of readFileSync(file, 'utf8').split('\n')) if (line.trim()) await client.query(line);
} else if (mode === 'status') {
  const { rows } = await client.query("select to_regclass('pgmigrations') is not null as has_record");
  process.stdout.write(`${JSON.stringify(rows[0])}\n`);
} else if (mode === 'parse-query') {
  await parsing;
  const { rows } = await client.query({ text: file, rowMode: 'array' });
  for (const row of rows) process.stdout.write(`${row.join(',')}\n`);
} else {
  throw new Error(`usage: node-floor.mjs apply FILE | status | parse-query SQL (got ${mode})`);
}
await client.end();
