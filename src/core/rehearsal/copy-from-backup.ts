/**
 * The rehearsal's copy when others are connected to the target (so
 * CREATE DATABASE ... TEMPLATE is refused): a fresh pg_dump of the target in
 * custom format, into a private temporary folder, restored with pg_restore
 * into the empty scratch database (owners and grants skipped: everything
 * belongs to the role running the rehearsal). The dump is deleted after.
 * The backup engine's own dump and restore do the work.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DbSettings } from '../db/connect.js';
import { runBackup } from '../backups/backup.js';
import { planRestore } from '../backups/restore-plan.js';
import { executeRestore } from '../backups/restore.js';

export interface BackupCopyOptions {
  db: DbSettings;
  toolVersion: string;
  env?: Record<string, string | undefined>;
  /** Where the temporary dump goes (default: the system's temp folder). */
  tmpRoot?: string;
}

export function copyFromFreshBackup(options: BackupCopyOptions): (scratch: string, signal?: AbortSignal) => Promise<void> {
  return async (scratch, signal) => {
    const dir = await mkdtemp(path.join(options.tmpRoot ?? os.tmpdir(), 'cdb-rehearse-'));
    try {
      const backup = await runBackup({ db: options.db, dir, format: { kind: 'custom', schemaOnly: false }, toolVersion: options.toolVersion, ...(options.env ? { env: options.env } : {}), ...(signal ? { signal } : {}) });
      const plan = await planRestore({ db: options.db, file: backup.path, into: scratch, noOwner: true, noAcl: true, ...(options.env ? { env: options.env } : {}), ...(signal ? { signal } : {}) });
      await executeRestore(plan, { db: options.db, force: false, ...(options.env ? { env: options.env } : {}), ...(signal ? { signal } : {}) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
