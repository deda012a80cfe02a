/** The real migrations service: each call opens one connection (named, so a lock holder is recognisable) and closes it. */
import type { Settings } from '../core/config/resolve.js';
import type { MigrationsService } from './services.js';
import { failureOf } from './service-failure.js';
import type { MigrationEvent } from '../core/migrations/events.js';

export function createMigrationsService(settings: Settings): MigrationsService {
  const dir = settings.migrationsDir;
  const connect = async <T>(what: string, work: (client: import('pg').Client) => Promise<T>): Promise<T> => {
    const { withClient } = await import('../core/db/connect.js');
    return withClient(settings, work, { applicationName: `connector-db tui ${what}` });
  };
  return {
    async status() {
      try {
        const { readMigrationStatus } = await import('../core/migrations/status.js');
        return { ok: true, status: await connect('status', (c) => readMigrationStatus(c, dir)) };
      } catch (error) {
        return failureOf(error);
      }
    },
    async run(move, onEvent) {
      // A second connection watches the runner's backend and says who blocks it (stamp runs no DDL).
      const { migrationLockWatch, withBlockerEvidence } = await import('../core/monitor/migration-lock-watch.js');
      const { openClient } = await import('../core/db/connect.js');
      const watch = move.kind === 'stamp' ? null : migrationLockWatch({ open: () => openClient(settings, { applicationName: 'connector-db tui lock watch' }), onEvent });
      try {
        const core = await import('../core/migrations/runner.js');
        const options = {
          dir,
          target: move.target,
          onEvent: (event: MigrationEvent) => {
            watch?.onMigrationEvent(event);
            onEvent(event);
          },
        };
        const result = await connect(move.kind, (c) => (move.kind === 'upgrade' ? core.upgrade(c, options) : move.kind === 'downgrade' ? core.downgrade(c, options) : core.stamp(c, options)));
        return { ok: true, result };
      } catch (error) {
        return failureOf(withBlockerEvidence(error, watch?.lastReport() ?? null));
      } finally {
        await watch?.stop();
      }
    },
    async rehearse(onEvent, signal) {
      try {
        const { rehearse } = await import('../core/rehearsal/rehearse.js');
        const { rehearsalConnections } = await import('../core/rehearsal/connections.js');
        const { copyFromFreshBackup } = await import('../core/rehearsal/copy-from-backup.js');
        const { packageVersion } = await import('../core/system/package-root.js');
        const result = await rehearse({
          dir,
          ...rehearsalConnections(settings, { applicationName: 'connector-db tui rehearse' }),
          copyFromBackup: copyFromFreshBackup({ db: settings, toolVersion: packageVersion() }),
          onEvent,
          ...(signal ? { signal } : {}),
        });
        return { ok: true, result };
      } catch (error) {
        return failureOf(error);
      }
    },
    async sql(id, direction) {
      try {
        const { loadMigrationFiles } = await import('../core/migrations/files.js');
        const { revisionSql } = await import('../core/migrations/script.js');
        const file = (await loadMigrationFiles(dir)).find((f) => f.id === id);
        if (!file) return { ok: false, code: 'not_found', message: `No file for revision ${id} in ${dir}.`, evidence: [], fixes: [] };
        const section = revisionSql(file, direction);
        if (!section) return { ok: false, code: 'migration_files_invalid', message: `${file.fileName} has no "-- Down Migration" section.`, evidence: [], fixes: [] };
        return { ok: true, id, direction, file: file.file, ...section };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
