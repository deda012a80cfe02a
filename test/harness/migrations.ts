/** Throwaway migration folders and named clients for the migration tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestDatabase } from './pg.js';

/** A folder holding the given files (name → text). */
export function migrationsFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-migs-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** A file with both sections. */
export function migration(up: string, down = ''): string {
  return `-- test migration\n\n-- Up Migration\n${up}\n\n-- Down Migration\n${down}\n`;
}

/** A connected client with an application name (so a lock holder is recognisable). */
export async function clientOf(db: TestDatabase, applicationName = 'cdb-test'): Promise<pg.Client> {
  const t = db.target;
  const client = new pg.Client({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  return client;
}

export async function names(db: TestDatabase, table = 'pgmigrations'): Promise<string[]> {
  const exists = (await db.query(`select to_regclass($1) is not null as ok`, [table])).rows[0]?.ok;
  if (!exists) return [];
  const order = table === 'pgmigrations' ? 'run_on, id' : 'name';
  return (await db.query<{ name: string }>(`select name from ${table} order by ${order}`)).rows.map((r) => r.name);
}

export async function tableExists(db: TestDatabase, name: string): Promise<boolean> {
  return Boolean((await db.query(`select to_regclass($1) is not null as ok`, [name])).rows[0]?.ok);
}
