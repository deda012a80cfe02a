/** Throwaway migration folders and named clients for the migration tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach } from 'vitest';
import { clientOf, createTestDatabase, type TestDatabase } from './pg.js';

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

export interface MigrationTestDatabase {
  db: TestDatabase;
  /** A client of `db` (named, so a lock holder is recognisable), closed after the test. */
  client: (applicationName?: string) => Promise<pg.Client>;
}

/**
 * A database per test: call once at the top of a test file; each call of the
 * returned `setup(prefix)` creates a fresh database, and after each test its
 * clients are closed and the database dropped.
 */
export function databasePerTest(): (prefix: string) => Promise<MigrationTestDatabase> {
  const open: { db: TestDatabase; clients: pg.Client[] }[] = [];
  afterEach(async () => {
    for (const { db, clients } of open.splice(0)) {
      for (const c of clients) await c.end().catch(() => {});
      await db.drop();
    }
  });
  return async (prefix) => {
    const db = await createTestDatabase(prefix);
    const entry = { db, clients: [] as pg.Client[] };
    open.push(entry);
    const client = async (applicationName?: string) => {
      const c = await clientOf(db, applicationName);
      entry.clients.push(c);
      return c;
    };
    return { db, client };
  };
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
