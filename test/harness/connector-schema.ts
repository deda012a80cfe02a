/**
 * The connector schema in a test database: the up sections of the shipped
 * sql-migrations files, in order (split at `-- Up Migration` /
 * `-- Down Migration`), without going through the migrations engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from './pg.js';

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, '../../sql-migrations');

export function upSection(text: string): string {
  const up = text.indexOf('-- Up Migration');
  const down = text.indexOf('-- Down Migration');
  if (up === -1) throw new Error('no "-- Up Migration" marker');
  return text.slice(up, down === -1 ? undefined : down);
}

export async function applyConnectorSchema(db: TestDatabase): Promise<void> {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort();
  for (const file of files) await db.query(upSection(readFileSync(path.join(MIGRATIONS_DIR, file), 'utf8')));
}
