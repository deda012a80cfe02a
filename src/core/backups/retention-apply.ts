/**
 * Carry out a retention plan: for each backup to remove, the file first,
 * then its manifest (a crash in between leaves a manifest whose file is
 * gone, which the listing shows as such, never a file that looks
 * unverified). Only paths from the plan are touched.
 */
import { rm } from 'node:fs/promises';
import { MANIFEST_SUFFIX } from './backup-name.js';
import type { RetentionEntry, RetentionPlan } from './retention.js';

export interface Removal {
  file: string;
  /** Bytes freed (the backup's size on disk). */
  size: number;
  ok: boolean;
  /** Why it could not be removed (permission...). */
  error?: string;
}

export async function applyRetention<E extends RetentionEntry & { size?: number }>(plan: RetentionPlan<E>, remove: (path: string) => Promise<void> = (p) => rm(p, { force: true })): Promise<Removal[]> {
  const out: Removal[] = [];
  for (const { entry } of plan.remove) {
    try {
      await remove(entry.path);
      await remove(entry.path + MANIFEST_SUFFIX);
      out.push({ file: entry.file, size: entry.size ?? 0, ok: true });
    } catch (error) {
      out.push({ file: entry.file, size: entry.size ?? 0, ok: false, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  }
  return out;
}
