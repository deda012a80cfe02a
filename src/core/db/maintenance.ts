/**
 * A connection for work on databases as a whole (CREATE, DROP, RENAME,
 * who is connected): to the `postgres` maintenance database as the
 * configured role, or `template1` where `postgres` is missing, as
 * createdb and dropdb do.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { openClient, type DbSettings, type OpenOptions } from './connect.js';

export async function openMaintenance(settings: DbSettings, options: OpenOptions = {}): Promise<pg.Client> {
  try {
    return await openClient(settings, { ...options, database: 'postgres' });
  } catch (error) {
    if (error instanceof ToolError && error.code === 'database_missing') return openClient(settings, { ...options, database: 'template1' });
    throw error;
  }
}

/** A database name of at most 63 bytes (PostgreSQL's limit) made of `base` and a suffix that must survive whole. */
export function derivedDatabaseName(base: string, suffix: string): string {
  const room = 63 - Buffer.byteLength(suffix);
  let cut = base;
  while (Buffer.byteLength(cut) > room) cut = cut.slice(0, -1);
  return cut + suffix;
}

/** YYYYMMDDHHMMSS in UTC, for names of scratch databases. */
export function compactStamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
