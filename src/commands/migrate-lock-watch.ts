/**
 * The migrate commands' lock-wait display and `--lock-wait-timeout`: while
 * a migration waits on a table lock for more than a second, stderr names
 * who blocks it; with the option, the migration gives up after that long
 * (lock_timeout) instead of queueing every other query behind it, and the
 * failure names the blocker.
 */
import { ToolError } from '../core/errors.js';
import type { MigrationTimeouts } from '../core/migrations/bookkeeping.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf, openOptionsOf } from './db.js';

/** `--lock-wait-timeout S` → lock_timeout for each migration; undefined when not given. */
export function parseLockWaitTimeout(raw: unknown): MigrationTimeouts | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw).trim();
  const seconds = Number(text);
  if (text === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new ToolError('usage', `--lock-wait-timeout "${text}" is invalid; allowed: seconds, a number > 0 (how long one migration may wait for a table lock)`, { exitCode: 2 });
  }
  return { lockTimeoutMs: Math.max(1, Math.round(seconds * 1000)) };
}

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
