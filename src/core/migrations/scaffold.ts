/**
 * `migrate new "message"`: the next numbered file, named the way the
 * connector app's Alembic names its revisions (its slug rule: the message's
 * words joined by "_", lower case, cut to 40 characters at a word boundary
 * with a trailing "_"), holding both markers so the runner splits it.
 */
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ToolError } from '../errors.js';
import { loadMigrationFiles, nextNumber } from './files.js';

/** Alembic's `truncate_slug_length` default. */
const SLUG_LENGTH = 40;

export function slugify(message: string): string {
  const words = message.match(/[\p{L}\p{N}_]+/gu) ?? [];
  let slug = words.join('_').toLowerCase();
  if (slug.length > SLUG_LENGTH) slug = (slug.slice(0, SLUG_LENGTH).split('_').slice(0, -1).join('_') || slug.slice(0, SLUG_LENGTH)) + '_';
  return slug;
}

export function newMigrationText(id: string, message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return [
    `-- Revision ${id}: ${oneLine}`,
    '--',
    '-- What this changes and why. Keep the down the exact undo of the up.',
    '-- A file that cannot run inside a transaction (CREATE INDEX CONCURRENTLY) needs a',
    '-- header line reading "-- connector-db: no-transaction" (without the quotes).',
    '',
    '-- Up Migration',
    '',
    '',
    '-- Down Migration',
    '',
    '',
  ].join('\n');
}

export interface CreatedMigration {
  id: string;
  name: string;
  file: string;
}

export async function createMigration(dir: string, message: string): Promise<CreatedMigration> {
  const slug = slugify(message);
  if (slug === '') throw new ToolError('usage', `The message ${JSON.stringify(message)} has no letters or digits to name the file after; say what the migration does, e.g. "add index on jobs status".`, { exitCode: 2 });
  await mkdir(dir, { recursive: true });
  const files = await loadMigrationFiles(dir);
  const id = nextNumber(files);
  const name = `${id}_${slug}`;
  const file = path.join(dir, `${name}.sql`);
  // Written whole under a temporary name, then linked: never a half-written file, never an overwrite.
  const temp = path.join(dir, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, newMigrationText(id, message), { flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ToolError('failed', `${file} already exists (another \`migrate new\` at the same moment?); nothing was written.`);
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
  return { id, name, file };
}
