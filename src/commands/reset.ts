/** `connector-db reset [--recreate] [--no-backup] [--force] [--yes] [--lock-timeout S]` */
import { Option, type Command } from 'commander';
import { ToolError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf } from './db.js';
import { withInterrupt } from './interrupt.js';
import { confirm, confirmTyped } from './prompt.js';
import type { ActionFactory } from './registry.js';
import { safetyBackup } from './safety-backup.js';
import { parseLockTimeout } from './lock-timeout-options.js';
import { checkedMigrationsDir } from './migrations-dir.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('reset')
    .description('empty the schema and rebuild it: downgrade base, then upgrade head (offers a backup first; asks for the database name)')
    .option('--recreate', 'drop the database and create it again (same owner, encoding, locale, privileges), then upgrade head')
    .option('--no-backup', 'do not offer a backup first')
    .option('--force', 'with --recreate: disconnect other sessions (DROP DATABASE ... WITH (FORCE))')
    .option('-y, --yes', 'do not ask (a backup is still taken unless --no-backup)')
    .addOption(new Option('--lock-timeout <seconds>', 'wait up to this long for another migration to finish').default('0'))
    .action(action(async (ctx, { opts }) => reset(ctx, opts)));
}

async function reset(ctx: CommandContext, opts: Record<string, unknown>): Promise<number> {
  const settings = ctx.settings();
  const db = dbSettingsOf(settings);
  const yes = opts.yes === true;
  const recreate = opts.recreate === true;
  const lockTimeout = parseLockTimeout(opts.lockTimeout);
  const { planReset, executeReset } = await import('../core/backups/reset.js');
  const { describeResetPlan, describeResetMigration, withSafetyBackup } = await import('../core/backups/reset-describe.js');
  const { formatDuration } = await import('../core/format-units.js');
  const { out } = ctx;
  const p = out.palette;

  const plan = await planReset(db, checkedMigrationsDir(settings), recreate);
  const at = plan.status.current ?? 'base';
  out.note(p.bold(`Reset ${plan.target}`));
  for (const line of describeResetPlan(plan)) out.note(`  ${line}`);

  let force = opts.force === true;
  if (recreate && plan.sessions.length > 0 && !force) {
    if (yes || !ctx.interactive) {
      throw new ToolError('database_in_use', `${plan.target} is being accessed by ${plan.sessions.length} other session(s); nothing was changed`, { fixes: ['stop the application first, or add --force (DROP DATABASE ... WITH (FORCE))'] });
    }
    force = await confirm(ctx, `Disconnect these ${plan.sessions.length} session(s) (DROP DATABASE ... WITH (FORCE))?`, false);
    if (!force) throw new ToolError('cancelled', 'not reset: the database is in use');
  }
  let backupFile: string | null = null;
  if (opts.backup !== false && (await confirm(ctx, `Back up ${plan.target} first?`, yes, { defaultYes: true }))) {
    backupFile = await safetyBackup(ctx, settings, plan.target);
  }
  if (!(await confirmTyped(ctx, `This will ${recreate ? 'drop and recreate' : 'empty'} ${plan.target}.`, plan.target, yes))) throw new ToolError('cancelled', 'not reset: the name typed did not match');

  const started = Date.now();
  const result = await withInterrupt((signal) =>
    executeReset(plan, {
      db,
      migrationsDir: settings.migrationsDir,
      force,
      lockTimeout,
      signal,
      onEvent: (e) => {
        if (e.type === 'step') out.note(`reset: ${e.text}`);
        else {
          const line = describeResetMigration(e.event);
          if (line) out.note(`  ${line}`);
        }
      },
    }),
  ).catch((error: unknown) => {
    throw withSafetyBackup(error, backupFile);
  });
  const elapsed = Date.now() - started;
  out.emit(
    { ok: true, target: result.target, recreate: result.recreate, backup: backupFile, from: at, revision: result.status.current, head: result.status.head, down: result.down?.steps.map((s) => s.id) ?? [], up: result.up.steps.map((s) => s.id), elapsedMs: elapsed },
    () => {
      out.line(`${p.green('✓')} ${result.target} reset to ${result.status.current ?? 'base'} in ${formatDuration(elapsed)}${recreate ? ' (recreated)' : ''}`);
      if (backupFile) out.line(`  the previous contents are in ${backupFile}`);
    },
  );
  return 0;
}
