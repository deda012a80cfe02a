/**
 * The migrate commands' lock-wait display and `--lock-wait-timeout`: while
 * a migration waits on a table lock for more than a second, stderr names
 * who blocks it; with the option, the migration gives up after that long
 * (lock_timeout) instead of queueing every other query behind it, and the
 * failure names the blocker.
 */
import type { CommandContext } from './context.js';
import { dbSettingsOf, openOptionsOf } from './db.js';

/** Start watching; the returned watch's onMigrationEvent must see the run's events. */
export async function startLockWatch(ctx: CommandContext) {
  const { migrationLockWatch, blockedLines, blockerFix } = await import('../core/monitor/migration-lock-watch.js');
  const { openClient } = await import('../core/db/connect.js');
  const settings = ctx.settings();
  const { out } = ctx;
  return migrationLockWatch({
    open: () => openClient(dbSettingsOf(settings), { ...openOptionsOf(ctx), applicationName: 'connector-db migrate (lock watch)' }),
    onEvent: (event) => {
      if (event.type === 'wait_ended') {
        out.note(out.palette.dim(`  the lock wait ended after ${(event.waitedMs / 1000).toFixed(1)} s`));
        return;
      }
      if (!event.changed) return;
      const [first, ...rest] = blockedLines(event.report, event.waitedMs);
      out.note(`${out.palette.yellow('!')} ${first}`);
      for (const line of rest) out.note(`  ${line}`);
      const fix = blockerFix(event.report);
      if (fix) out.note(out.palette.dim(`  fix: ${fix}`));
    },
  });
}
