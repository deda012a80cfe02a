/** The Backups screen's services on the real engine (the same core calls as `backup`, `backup list` and `restore`). */
import type { Settings } from '../core/config/resolve.js';
import type { BackupsService } from './services-backups-types.js';
import { failureOf } from './service-failure.js';
import type { BackupProgress } from '../core/backups/backup.js';

export function backupsService(settings: Settings): BackupsService {
  const db = () => ({ target: settings.target, connectTimeout: settings.connectTimeout, poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, echo: false });
  const readRevision = async () => (await import('../core/backups/migration-revision.js')).revisionReaderFor(settings.migrationsDir);
  const toolVersion = async () => (await import('../core/system/package-root.js')).packageVersion();
  /** The compressed backup offered before a restore replaces a database or a reset empties it. */
  const backupFirst = async (database: string, onStep: (s: { type: 'step'; text: string } | { type: 'backup'; progress: BackupProgress }) => void, signal: AbortSignal): Promise<string> => {
    onStep({ type: 'step', text: `backing up ${database} first` });
    const { runBackup } = await import('../core/backups/backup.js');
    const b = await runBackup({
      db: { ...db(), target: { ...settings.target, database } },
      dir: settings.backupDir,
      format: { kind: 'gzip', schemaOnly: false },
      toolVersion: await toolVersion(),
      readRevision: await readRevision(),
      signal,
      onEvent: (e) => e.type === 'progress' && onStep({ type: 'backup', progress: e }),
    });
    onStep({ type: 'step', text: `backup written: ${b.path}` });
    return b.path;
  };
  return {
    dir: settings.backupDir,
    database: settings.target.database,
    async list(options = {}) {
      try {
        const { listBackups } = await import('../core/backups/backup-list.js');
        return { ok: true, listing: await listBackups(settings.backupDir, { verify: options.verify !== false }) };
      } catch (error) {
        return failureOf(error);
      }
    },
    async latest() {
      const { listBackups, isHealthy } = await import('../core/backups/backup-list.js');
      const listing = await listBackups(settings.backupDir, { verify: false }).catch(() => undefined);
      // The target's own: a folder shared by several databases must not show another one's backup as this one's.
      return listing?.backups.find((b) => b.database === settings.target.database && (isHealthy(b) || b.status === 'no_manifest'));
    },
    async backup(format, onProgress, signal) {
      try {
        const { runBackup } = await import('../core/backups/backup.js');
        const result = await runBackup({ db: db(), dir: settings.backupDir, format, toolVersion: await toolVersion(), readRevision: await readRevision(), signal, onEvent: (e) => e.type === 'progress' && onProgress(e) });
        return { ok: true, result };
      } catch (error) {
        return failureOf(error);
      }
    },
    async planRestore(file, options) {
      try {
        const { planRestore } = await import('../core/backups/restore-plan.js');
        const { describeRestorePlan } = await import('../core/backups/restore-describe.js');
        const plan = await planRestore({ db: db(), file, ...options });
        return { ok: true, plan, lines: describeRestorePlan(plan) };
      } catch (error) {
        return failureOf(error);
      }
    },
    async restore(plan, options, onStep, signal) {
      try {
        const safetyBackup = options.backupFirst && plan.mode === 'replace' ? await backupFirst(plan.target, onStep, signal) : null;
        const { executeRestore } = await import('../core/backups/restore.js');
        const { describeRevisionGap, upgradeCommandFor } = await import('../core/backups/revision.js');
        const result = await executeRestore(plan, { db: db(), force: options.force, readRevision: await readRevision(), signal, onEvent: onStep });
        const gap = describeRevisionGap(result.revision, upgradeCommandFor(settings, result.target));
        return { ok: true, result, revisionText: gap.text, behind: gap.behind, safetyBackup };
      } catch (error) {
        return failureOf(error);
      }
    },
    async planReset(recreate) {
      try {
        const { planReset } = await import('../core/backups/reset.js');
        const { describeResetPlan } = await import('../core/backups/reset-describe.js');
        const plan = await planReset(db(), settings.migrationsDir, recreate);
        return { ok: true, plan, lines: describeResetPlan(plan) };
      } catch (error) {
        return failureOf(error);
      }
    },
    async reset(plan, options, onStep, signal) {
      let safetyBackup: string | null = null;
      try {
        safetyBackup = options.backupFirst ? await backupFirst(plan.target, onStep, signal) : null;
        const { executeReset } = await import('../core/backups/reset.js');
        const { describeResetMigration } = await import('../core/backups/reset-describe.js');
        const result = await executeReset(plan, {
          db: db(),
          migrationsDir: settings.migrationsDir,
          force: options.force,
          signal,
          onEvent: (e) => {
            if (e.type === 'step') onStep(e);
            else {
              const text = describeResetMigration(e.event);
              if (text) onStep({ type: 'migration', text });
            }
          },
        });
        return { ok: true, result, safetyBackup };
      } catch (error) {
        const { withSafetyBackup } = await import('../core/backups/reset-describe.js');
        return failureOf(withSafetyBackup(error, safetyBackup));
      }
    },
  };
}
