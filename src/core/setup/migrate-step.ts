/** Setup's last step: `upgrade head` with the migrations engine, on the target just set up. */
import type { Settings } from '../config/resolve.js';
import { openClient } from '../db/connect.js';
import { dbSettingsFrom } from '../diagnostics/doctor.js';
import type { SetupDeps } from './setup.js';

export async function setupMigrateFor(_settings: Settings): Promise<Pick<SetupDeps, 'migrate'>> {
  return {
    migrate: async (settings) => {
      const core = await import('../migrations/runner.js');
      const client = await openClient(dbSettingsFrom(settings), { applicationName: 'connector-db setup' });
      try {
        const r = await core.upgrade(client, { dir: settings.migrationsDir, target: 'head' });
        const at = `${r.status.current ?? 'base'}${r.status.atHead ? ' (head)' : ''}`;
        if (r.nothingToDo) return { message: `migrations: already at ${at}`, details: [] };
        return { message: `migrated ${r.from ?? 'base'} → ${r.to ?? 'base'} (${r.steps.length} migration${r.steps.length === 1 ? '' : 's'}): now at ${at}`, details: r.steps.map((s) => `${s.name} ${s.durationMs ?? 0} ms`) };
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}
