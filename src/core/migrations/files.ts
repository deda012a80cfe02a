/**
 * The migration files of a folder, in the order node-pg-migrate runs them:
 * numeric prefix first, then the name (its compareMigrationFileNames). Only
 * `*.sql` files count; dotfiles and anything else (a README) are ignored, as
 * the runner is told to ignore them (see RUNNER_IGNORE_PATTERN).
 * Revision ids are the numeric prefixes as written ("001").
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { splitMigration, type SplitMigration } from './split.js';

export interface MigrationFile {
  /** Revision id: the numeric prefix as written, e.g. "001". */
  id: string;
  /** The prefix's value, for ordering and for "2" meaning "002". */
  seq: number;
  /** The runner's name for it: the file name without ".sql", e.g. "001_initial_schema". */
  name: string;
  /** The part after the prefix, e.g. "initial_schema". */
  slug: string;
  fileName: string;
  /** Absolute path. */
  file: string;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  content: string;
  sections: SplitMigration;
}

/** What node-pg-migrate must skip in the folder: dotfiles and anything not ending in .sql (anchored by the runner as ^...$). */
export const RUNNER_IGNORE_PATTERN = '(?:\\..*|.*(?<!\\.sql))';

const FILE_NAME = /^(\d+)(?:[_-](.*))?\.sql$/;

export async function loadMigrationFiles(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    // Synchronous reads on purpose: 500 small files read in ~10 ms this way, ~60 ms through the thread pool.
    const entries = readdirSync(dir, { withFileTypes: true });
    names = entries.filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && e.name.endsWith('.sql')).map((e) => e.name);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ToolError('not_found', `The migrations folder ${dir} ${code === 'ENOTDIR' ? 'is not a folder' : 'cannot be read'} (${code ?? String(error)}).`, {
      fixes: ['point MIGRATIONS__DIR or --migrations-dir at the folder holding 001_*.sql ...'],
      cause: error,
    });
  }
  const bad = names.filter((n) => !FILE_NAME.test(n));
  if (bad.length > 0) {
    throw new ToolError('migration_files_invalid', `${bad.map((b) => path.join(dir, b)).join(', ')}: a migration file name must start with its number (e.g. 004_add_index.sql).`, {
      fixes: ['rename the file to NNN_what_it_does.sql, or move it out of the migrations folder'],
    });
  }
  names.sort(compareMigrationFileNames);
  const files: MigrationFile[] = [];
  for (let i = 0; i < names.length; i++) {
    // A turn for the event loop every 50 files, so that a connection being opened or a query
    // already sent moves on (the server works meanwhile) instead of waiting for all 500.
    if (i > 0 && i % 50 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    files.push(loadOne(dir, names[i] as string));
  }
  const seen = new Map<number, string>();
  for (const f of files) {
    const other = seen.get(f.seq);
    if (other !== undefined) {
      throw new ToolError('migration_files_invalid', `${other} and ${f.fileName} in ${dir} have the same revision number ${f.id}.`, { fixes: [`renumber one of them (the next free number is ${nextNumber(files)})`] });
    }
    seen.set(f.seq, f.fileName);
  }
  return files;
}

/** One buffer for every file's bytes: open, read, close is one system call fewer than readFileSync and allocates nothing per file. */
const shared = Buffer.allocUnsafe(64 * 1024);

function readBytes(file: string): Buffer {
  const fd = openSync(file, 'r');
  let length = 0;
  try {
    // Until the end of the file (a read may return less than asked) or a full buffer.
    let n: number;
    do {
      n = readSync(fd, shared, length, shared.length - length, length);
      length += n;
    } while (n > 0 && length < shared.length);
  } finally {
    closeSync(fd);
  }
  // A file as large as the buffer may be larger: read it whole.
  return length < shared.length ? shared.subarray(0, length) : readFileSync(file);
}

function loadOne(dir: string, fileName: string): MigrationFile {
  const file = path.resolve(dir, fileName);
  let bytes: Buffer;
  try {
    bytes = readBytes(file);
  } catch (error) {
    // A link to nothing, a folder named like a file, no permission: name the file, not an internal error.
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const why = code === 'ENOENT' ? 'is a link to nothing' : code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'cannot be read (no permission)' : 'cannot be read';
    throw new ToolError('migration_files_invalid', `The migration file ${file} ${why} (${code}).`, { fixes: [`fix or remove ${file}`] });
  }
  const content = bytes.toString('utf8');
  const match = FILE_NAME.exec(fileName) as RegExpExecArray;
  const id = match[1] as string;
  return {
    id,
    seq: Number(id),
    name: fileName.slice(0, -'.sql'.length),
    slug: match[2] ?? '',
    fileName,
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    content,
    sections: splitMigration(content),
  };
}

/** node-pg-migrate's order: numeric prefix, then a numeric, punctuation-blind locale comparison of the names. */
export function compareMigrationFileNames(a: string, b: string): number {
  const pa = Number(/^\d+/.exec(a)?.[0] ?? NaN);
  const pb = Number(/^\d+/.exec(b)?.[0] ?? NaN);
  return pa - pb || a.localeCompare(b, undefined, { usage: 'sort', numeric: true, sensitivity: 'variant', ignorePunctuation: true });
}

/** The number the next file gets, padded like the existing ones (at least 3 digits). */
export function nextNumber(files: Pick<MigrationFile, 'id' | 'seq'>[]): string {
  const last = files.reduce((max, f) => Math.max(max, f.seq), 0);
  const width = files.reduce((w, f) => Math.max(w, f.id.length), 3);
  return String(last + 1).padStart(width, '0');
}

/** "002_add_scrape_job_ids_column_to_" → "add scrape_job_ids column to" (for lists). */
export function titleOf(file: Pick<MigrationFile, 'slug'>): string {
  return file.slug.replace(/_+$/, '').replace(/_/g, ' ');
}
