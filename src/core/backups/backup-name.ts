/**
 * Backup file names: `<db>_YYYYMMDD_HHMMSS[_schema][_N].<ext>`, the time in
 * UTC so that names sort in time order whatever the machine's zone. `_N`
 * (2, 3...) appears only when two backups start in the same second: a
 * name is never reused. Temporary files of a run in progress are named
 * `<final>.<pid>.partial` in the same folder, so the final rename stays on
 * one file system and a leftover is easy to recognise.
 */

/** How a backup is written. */
export type BackupKind = 'plain' | 'gzip' | 'custom';

export interface BackupFormat {
  kind: BackupKind;
  /** Schema only (no table data). */
  schemaOnly: boolean;
}

export const EXTENSIONS: Record<BackupKind, string> = { plain: '.sql', gzip: '.sql.gz', custom: '.dump' };

/** The manifest sits beside the backup: `<backup file>.json`. */
export const MANIFEST_SUFFIX = '.json';
export const PARTIAL_SUFFIX = '.partial';

/** Characters a database name may contain that are unsafe or awkward in a file name (slashes, spaces, quotes...) become `_`; letters in any script stay. */
export function fileSafe(database: string): string {
  const safe = database.replace(/[^\p{L}\p{N}._-]/gu, '_').replace(/^[.-]+/, '_');
  return safe === '' ? 'db' : safe.slice(0, 100);
}

/** YYYYMMDD_HHMMSS in UTC. */
export function utcStamp(date: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}_${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}`;
}

/** The file name for a backup started at `at`; `attempt` 1 is the plain name, 2+ add `_N`. */
export function backupFileName(database: string, at: Date, format: BackupFormat, attempt = 1): string {
  const schema = format.schemaOnly ? '_schema' : '';
  const suffix = attempt > 1 ? `_${attempt}` : '';
  return `${fileSafe(database)}_${utcStamp(at)}${schema}${suffix}${EXTENSIONS[format.kind]}`;
}

export function partialFileName(finalName: string, pid: number): string {
  return `${finalName}.${pid}${PARTIAL_SUFFIX}`;
}

export function manifestFileName(backupName: string): string {
  return backupName + MANIFEST_SUFFIX;
}

export interface ParsedBackupName {
  /** The database part as written in the name (after fileSafe). */
  database: string;
  /** When the backup started (UTC), from the name. */
  takenAt: Date;
  format: BackupFormat;
  /** 1 for the plain name, N for `_N`. */
  attempt: number;
}

const NAME = /^(.+)_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(_schema)?(?:_(\d+))?(\.sql\.gz|\.sql|\.dump)$/;

/** Reads a name written by backupFileName (or by the seed's `<db>_$(date +%Y%m%d_%H%M%S).sql` recipe); undefined for anything else. */
export function parseBackupFileName(name: string): ParsedBackupName | undefined {
  const m = NAME.exec(name);
  if (!m) return undefined;
  const [, database, y, mo, d, h, mi, s, schema, attempt, ext] = m;
  const takenAt = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  if (Number.isNaN(takenAt.getTime())) return undefined;
  const kind = (Object.entries(EXTENSIONS).find(([, e]) => e === ext)?.[0] ?? 'plain') as BackupKind;
  return { database: database as string, takenAt, format: { kind, schemaOnly: schema !== undefined }, attempt: attempt ? Number(attempt) : 1 };
}

/** The kind a file holds, judged by its extension (restore accepts any name). */
export function kindOfFile(name: string): BackupKind | undefined {
  if (name.endsWith('.sql.gz')) return 'gzip';
  if (name.endsWith('.sql')) return 'plain';
  if (name.endsWith('.dump')) return 'custom';
  return undefined;
}

/** A temporary file of a run: its final name and the pid of the process that wrote it. */
export function parsePartialName(name: string): { finalName: string; pid: number } | undefined {
  const m = /^(.+)\.(\d+)\.partial$/.exec(name);
  return m ? { finalName: m[1] as string, pid: Number(m[2]) } : undefined;
}
