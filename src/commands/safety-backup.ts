/** The backup offered before something destructive (restore over a database, reset): compressed, into the backups folder. */
import type { Settings } from '../core/config/resolve.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf } from './db.js';
import { withInterrupt } from './interrupt.js';
import { ProgressLine } from './progress-line.js';

export async function safetyBackup(ctx: CommandContext, settings: Settings, database: string): Promise<string> {
  const { runBackup } = await import('../core/backups/backup.js');
  const { packageVersion } = await import('../core/system/package-root.js');
  const { revisionReaderFor } = await import('../core/backups/migration-revision.js');
  const db = dbSettingsOf(settings);
  const progress = new ProgressLine(process.stderr, 'backup ');
  const result = await withInterrupt((signal) =>
    runBackup({
      db: { ...db, target: { ...db.target, database } },
      dir: settings.backupDir,
      format: { kind: 'gzip', schemaOnly: false },
      toolVersion: packageVersion(),
      readRevision: revisionReaderFor(settings.migrationsDir),
      env: ctx.env,
      signal,
      onEvent: (e) => {
        if (e.type === 'progress') progress.update(e);
      },
    }).finally(() => progress.done()),
  );
  ctx.out.note(`backup: ${result.path} written`);
  return result.path;
}
