/** The Backups screen's services on the real engine (the same core calls as `backup`, `backup list` and `restore`). */
import type { Settings } from '../core/config/resolve.js';
import { isToolError } from '../core/errors.js';
import type { BackupsFailure, BackupsService } from './services-backups-types.js';

function failure(error: unknown): BackupsFailure {
  if (isToolError(error)) return { ok: false, code: error.code, message: error.message, evidence: error.evidence, fixes: error.fixes };
  return { ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error), evidence: [], fixes: [] };
}

export function backupsService(settings: Settings): BackupsService {
  const db = () => ({ target: settings.target, connectTimeout: settings.connectTimeout, poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, echo: false });
  const readRevision = async () => (await import('../core/backups/migration-revision.js')).revisionReaderFor(settings.migrationsDir);
  const toolVersion = async () => (await import('../core/system/package-root.js')).packageVersion();
  return {
    dir: settings.backupDir,
    database: settings.target.database,
    async list(options = {}) {
      try {
        const { listBackups } = await import('../core/backups/backup-list.js');
        return { ok: true, listing: await listBackups(settings.backupDir, { verify: options.verify !== false }) };
      } catch (error) {
        return failure(error);
      }
    },
    async latest() {
      const { listBackups, isHealthy } = await import('../core/backups/backup-list.js');
      const listing = await listBackups(settings.backupDir, { verify: false }).catch(() => undefined);
      return listing?.backups.find((b) => isHealthy(b) || b.status === 'no_manifest');
    },
    async backup(format, onProgress, signal) {
      try {
        const { runBackup } = await import('../core/backups/backup.js');
        const result = await runBackup({ db: db(), dir: settings.backupDir, format, toolVersion: await toolVersion(), readRevision: await readRevision(), signal, onEvent: (e) => e.type === 'progress' && onProgress(e) });
        return { ok: true, result };
      } catch (error) {
        return failure(error);
      }
    },
    async planRestore(file, options) {
      try {
        const { planRestore } = await import('../core/backups/restore-plan.js');
        const { describeRestorePlan } = await import('../core/backups/restore-describe.js');
        const plan = await planRestore({ db: db(), file, ...options });
        return { ok: true, plan, lines: describeRestorePlan(plan) };
      } catch (error) {
        return failure(error);
      }
    },
    async restore(plan, options, onStep, signal) {
      try {
        let safetyBackup: string | null = null;
        if (options.backupFirst && plan.mode === 'replace') {
          onStep({ type: 'step', text: `backing up ${plan.target} first` });
          const { runBackup } = await import('../core/backups/backup.js');
          const b = await runBackup({
            db: { ...db(), target: { ...settings.target, database: plan.target } },
            dir: settings.backupDir,
            format: { kind: 'gzip', schemaOnly: false },
            toolVersion: await toolVersion(),
            readRevision: await readRevision(),
            signal,
            onEvent: (e) => e.type === 'progress' && onStep({ type: 'backup', progress: e }),
          });
          safetyBackup = b.path;
        }
        const { executeRestore } = await import('../core/backups/restore.js');
        const { describeRevisionGap } = await import('../core/backups/revision.js');
        const result = await executeRestore(plan, { db: db(), force: options.force, readRevision: await readRevision(), signal, onEvent: onStep });
        const gap = describeRevisionGap(result.revision);
        return { ok: true, result, revisionText: gap.text, behind: gap.behind, safetyBackup };
      } catch (error) {
        return failure(error);
      }
    },
  };
}
