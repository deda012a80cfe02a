/**
 * Temporary files left by a backup that could not clean up after itself
 * (the tool itself was killed, the machine lost power). They carry the
 * writer's pid: one whose process is gone and that has not grown for a
 * while is a leftover, safe to delete; one still growing may belong to a
 * run in progress (possibly on another machine sharing the folder).
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parsePartialName } from './backup-name.js';
import { removeQuietly } from './atomic-file.js';

export interface Leftover {
  file: string;
  path: string;
  /** The backup it would have become. */
  finalName: string;
  pid: number;
  size: number;
  modifiedAt: Date;
  /** true: the writer is gone and the file is idle, so it is safe to delete. */
  stale: boolean;
}

/** Untouched for this long and its writer gone: certainly not a run in progress. */
export const STALE_AFTER_MS = 60_000;

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function findLeftovers(dir: string, now: Date, alive: (pid: number) => boolean = processAlive): Promise<Leftover[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const file of names) {
    const parsed = parsePartialName(file);
    if (!parsed) continue;
    const full = path.join(dir, file);
    try {
      const st = await stat(full);
      const idle = now.getTime() - st.mtime.getTime() > STALE_AFTER_MS;
      found.push({ file, path: full, finalName: parsed.finalName, pid: parsed.pid, size: st.size, modifiedAt: st.mtime, stale: idle && !alive(parsed.pid) });
    } catch {
      // vanished meanwhile: its run finished
    }
  }
  return found;
}

/** Delete stale leftovers; returns the names removed. */
export async function removeStaleLeftovers(dir: string, now: Date, alive?: (pid: number) => boolean): Promise<string[]> {
  const removed: string[] = [];
  for (const l of await findLeftovers(dir, now, alive)) {
    if (!l.stale) continue;
    await removeQuietly(l.path);
    removed.push(l.file);
  }
  return removed;
}
