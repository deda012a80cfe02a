/**
 * Manifests on disk: written like the backups (temporary name, fsync, no
 * replace), read back with a one-line problem when they are damaged.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../errors.js';
import { publishNoReplace, removeQuietly } from './atomic-file.js';
import { manifestFileName, partialFileName } from './backup-name.js';
import { parseManifest, serializeManifest, type Manifest, type ManifestParse } from './manifest.js';

export async function writeManifest(dir: string, manifest: Manifest, pid: number): Promise<string> {
  const name = manifestFileName(manifest.file);
  const finalPath = path.join(dir, name);
  const temp = path.join(dir, partialFileName(name, pid));
  try {
    await writeFile(temp, serializeManifest(manifest), { mode: 0o600, flag: 'wx', flush: true });
    if (!(await publishNoReplace(temp, finalPath))) {
      throw new ToolError('backup_failed', `the backup ${manifest.file} was written, but its manifest could not be: ${name} already exists`);
    }
  } finally {
    await removeQuietly(temp);
  }
  return finalPath;
}

export type ManifestRead = { state: 'ok'; manifest: Manifest } | { state: 'missing' } | { state: 'invalid'; problem: string };

/** The manifest beside `backupPath`, if any. */
export async function readManifestFor(backupPath: string): Promise<ManifestRead> {
  let text: string;
  try {
    text = await readFile(backupPath + '.json', 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'missing' };
    return { state: 'invalid', problem: `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  const parsed: ManifestParse = parseManifest(text);
  return parsed.ok ? { state: 'ok', manifest: parsed.manifest } : { state: 'invalid', problem: parsed.problem };
}
