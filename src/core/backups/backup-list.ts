/**
 * The backups in a folder, newest first, each with its manifest and
 * whether the file still is what the manifest says (size, sha256); plus
 * manifests whose file is gone and leftovers of interrupted runs. The
 * command, the screen, restore and retention all read this one listing.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { kindOfFile, MANIFEST_SUFFIX, parseBackupFileName, parsePartialName, type BackupKind } from './backup-name.js';
import { sha256File } from './checksum.js';
import { findLeftovers, type Leftover } from './leftovers.js';
import { readManifestFor } from './manifest-file.js';
import type { Manifest } from './manifest.js';

export type BackupStatus =
  /** Size and sha256 match the manifest. */
  | 'ok'
  /** Size matches; the checksum was not computed (verify: false). */
  | 'unverified'
  | 'no_manifest'
  | 'manifest_invalid'
  | 'size_mismatch'
  | 'checksum_mismatch'
  /** A manifest whose backup file is gone. */
  | 'file_missing';

export interface BackupEntry {
  file: string;
  path: string;
  kind: BackupKind;
  schemaOnly: boolean;
  /** From the manifest, else the name, else the file's mtime. */
  takenAt: Date;
  /** From the manifest, else the name. */
  database?: string;
  /** On disk now (0 when the file is missing). */
  size: number;
  manifest?: Manifest;
  status: BackupStatus;
  /** One line for people: what is wrong, or what was checked. */
  detail: string;
}

export interface BackupListing {
  dir: string;
  /** False when the folder does not exist yet (no backup taken). */
  exists: boolean;
  backups: BackupEntry[];
  leftovers: Leftover[];
}

export interface ListOptions {
  /** Compute each file's sha256 (reads every byte). Default true. */
  verify?: boolean;
  now?: Date;
  signal?: AbortSignal;
}

export function isHealthy(entry: BackupEntry): boolean {
  return entry.status === 'ok' || entry.status === 'unverified';
}

/** The file is not what its manifest says (or the manifest cannot be read): do not trust it. */
export function isDamaged(entry: BackupEntry): boolean {
  return entry.status === 'size_mismatch' || entry.status === 'checksum_mismatch' || entry.status === 'manifest_invalid' || entry.status === 'file_missing';
}

export async function listBackups(dir: string, options: ListOptions = {}): Promise<BackupListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { dir, exists: false, backups: [], leftovers: [] };
    if (code === 'ENOTDIR') throw new ToolError('usage', `The backups folder ${dir} is a file, not a folder; allowed: a folder (--dir or BACKUP__DIR)`, { exitCode: 2 });
    if (code === 'EACCES') throw new ToolError('failed', `The backups folder ${dir} cannot be read (no permission).`);
    throw error;
  }
  const present = new Set(names);
  const backups: BackupEntry[] = [];
  for (const name of names) {
    if (parsePartialName(name)) continue;
    if (name.endsWith(MANIFEST_SUFFIX)) {
      const backupName = name.slice(0, -MANIFEST_SUFFIX.length);
      if (kindOfFile(backupName) && !present.has(backupName)) backups.push(await orphanManifest(dir, backupName));
      continue;
    }
    const kind = kindOfFile(name);
    if (!kind) continue;
    const entry = await describeBackup(dir, name, kind, options);
    if (entry) backups.push(entry);
  }
  backups.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.file.localeCompare(a.file));
  return { dir, exists: true, backups, leftovers: await findLeftovers(dir, options.now ?? new Date()) };
}

async function describeBackup(dir: string, file: string, kind: BackupKind, options: ListOptions): Promise<BackupEntry | undefined> {
  const full = path.join(dir, file);
  let st;
  try {
    st = await stat(full);
  } catch {
    return undefined;
  }
  if (!st.isFile()) return undefined;
  const parsed = parseBackupFileName(file);
  const base = {
    file,
    path: full,
    kind,
    schemaOnly: parsed?.format.schemaOnly ?? false,
    takenAt: parsed?.takenAt ?? st.mtime,
    ...(parsed ? { database: parsed.database } : {}),
    size: st.size,
  };
  const read = await readManifestFor(full);
  if (read.state === 'missing') return { ...base, status: 'no_manifest', detail: 'no manifest: size and checksum cannot be checked' };
  if (read.state === 'invalid') return { ...base, status: 'manifest_invalid', detail: `manifest ${file}${MANIFEST_SUFFIX} is damaged: ${read.problem}` };
  const m = read.manifest;
  const entry = { ...base, takenAt: new Date(m.startedAt), database: m.database, schemaOnly: m.format.schemaOnly, manifest: m };
  if (m.size !== st.size) return { ...entry, status: 'size_mismatch', detail: `is ${st.size} bytes, the manifest says ${m.size}: the file was truncated or changed` };
  if (options.verify === false) return { ...entry, status: 'unverified', detail: 'size matches the manifest (checksum not computed)' };
  const { sha256 } = await sha256File(full, { signal: options.signal });
  if (sha256 !== m.sha256) return { ...entry, status: 'checksum_mismatch', detail: `sha256 ${sha256.slice(0, 12)}… does not match the manifest's ${m.sha256.slice(0, 12)}…: the file changed after it was written` };
  return { ...entry, status: 'ok', detail: 'size and sha256 match the manifest' };
}

async function orphanManifest(dir: string, backupName: string): Promise<BackupEntry> {
  const full = path.join(dir, backupName);
  const read = await readManifestFor(full);
  const parsed = parseBackupFileName(backupName);
  const manifest = read.state === 'ok' ? read.manifest : undefined;
  return {
    file: backupName,
    path: full,
    kind: kindOfFile(backupName) ?? 'plain',
    schemaOnly: manifest?.format.schemaOnly ?? parsed?.format.schemaOnly ?? false,
    takenAt: manifest ? new Date(manifest.startedAt) : (parsed?.takenAt ?? new Date(0)),
    ...(manifest ? { database: manifest.database } : parsed ? { database: parsed.database } : {}),
    size: 0,
    ...(manifest ? { manifest } : {}),
    status: 'file_missing',
    detail: `the manifest is here but ${backupName} is gone`,
  };
}
