/** `connector-db restore FILE [--into NAME] [--no-owner] [--no-acl] [--no-backup] [--force] [--yes]` */
import type { Command } from 'commander';
import { ToolError } from '../core/errors.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf } from './db.js';
import { withInterrupt } from './interrupt.js';
import { ProgressLine } from './progress-line.js';
import { confirm, confirmTyped } from './prompt.js';
import type { ActionFactory } from './registry.js';
import { safetyBackup } from './safety-backup.js';

export function register(program: Command, action: ActionFactory): void {
  program
    .command('restore')
    .description('restore a backup (.sql, .sql.gz with psql; .dump with pg_restore) after checking its manifest and checksum')
    .argument('<file>', 'the backup file')
    .option('--into <name>', 'restore into this new (or empty) database instead of the configured one')
    .option('--no-owner', 'do not restore ownership: every object belongs to the restoring role')
    .option('--no-acl', 'do not restore privileges (GRANT / REVOKE)')
    .option('--no-backup', 'when replacing a database, do not back it up first')
    .option('--force', 'disconnect other sessions from the database when replacing it')
    .option('-y, --yes', 'do not ask (the database name need not be typed)')
    .action(action(async (ctx, { args, opts }) => restore(ctx, args[0] as string, opts)));
}

async function restore(ctx: CommandContext, file: string, opts: Record<string, unknown>): Promise<number> {
  const settings = ctx.settings();
  const db = dbSettingsOf(settings);
  const yes = opts.yes === true;
  const { planRestore } = await import('../core/backups/restore-plan.js');
  const { executeRestore } = await import('../core/backups/restore.js');
  const { describeRestorePlan } = await import('../core/backups/restore-describe.js');
  const { describeRevisionGap, upgradeCommandFor } = await import('../core/backups/revision.js');
  const { revisionReaderFor } = await import('../core/backups/migration-revision.js');
  const { formatDuration } = await import('../core/format-units.js');
  const { out } = ctx;
  const p = out.palette;

  const verifying = new ProgressLine(process.stderr, 'verify ');
  const plan = await withInterrupt((signal) =>
    planRestore({
      db,
      file,
      ...(typeof opts.into === 'string' ? { into: opts.into } : {}),
      noOwner: opts.owner === false,
      noAcl: opts.acl === false,
      env: ctx.env,
      signal,
      onEvent: (e) => verifying.update({ fraction: e.size ? e.read / e.size : 1, bytes: e.read, elapsedMs: 0, activity: 'sha256' }),
    }).finally(() => verifying.done()),
  );
  out.note(p.bold('Restore plan'));
  for (const line of describeRestorePlan(plan)) out.note(`  ${line}`);

  let force = opts.force === true;
  if (plan.sessions.length > 0 && !force) {
    if (yes || !ctx.interactive) {
      throw new ToolError('database_in_use', `${plan.target} is being accessed by ${plan.sessions.length} other session(s); replacing it needs them gone`, {
        fixes: ['stop the application first, or add --force to disconnect them'],
      });
    }
    force = await confirm(ctx, `Disconnect these ${plan.sessions.length} session(s) when swapping the restored copy in?`, false);
    if (!force) throw new ToolError('cancelled', 'not restored: the database is in use');
  }
  let backupFile: string | null = null;
  if (plan.mode === 'replace' && opts.backup !== false) {
    if (await confirm(ctx, `Back up ${plan.target} as it is now, first?`, yes, { defaultYes: true })) {
      backupFile = await safetyBackup(ctx, settings, plan.target);
    }
  }
  const verb = plan.mode === 'replace' ? `replace the contents of ${plan.target}` : `restore into ${plan.target}`;
  if (!(await confirmTyped(ctx, `This will ${verb} from ${plan.file}.`, plan.target, yes))) throw new ToolError('cancelled', 'not restored: the name typed did not match');

  const progress = new ProgressLine(process.stderr, 'restore');
  const result = await withInterrupt((signal) =>
    executeRestore(plan, {
      db,
      force,
      readRevision: revisionReaderFor(settings.migrationsDir),
      env: ctx.env,
      signal,
      onEvent: (e) => {
        if (e.type === 'step') {
          progress.done();
          out.note(`restore: ${e.text}`);
        } else progress.update({ ...e, activity: plan.file });
      },
    }).finally(() => progress.done()),
  );
  const gap = describeRevisionGap(result.revision, upgradeCommandFor(settings, result.target));
  out.emit({ ok: true, file: plan.path, target: result.target, mode: result.mode, elapsedMs: result.elapsedMs, safetyBackup: backupFile, revision: result.revision, behind: gap.behind, revisionNote: gap.text, warnings: result.warnings }, () => {
    out.line(`${p.green('✓')} restored ${plan.file} into ${result.target} in ${formatDuration(result.elapsedMs)}`);
    if (backupFile) out.line(`  the previous contents are in ${backupFile}`);
    out.line(`  revision: ${gap.behind ? p.yellow(gap.text) : gap.text}`);
    for (const w of result.warnings) out.line(p.dim(`  ${w}`));
  });
  return 0;
}
