/**
 * `connector-db backup [--gzip] [--schema-only] [--format plain|custom] [--dir D]`
 * and `connector-db backup list [--no-verify]`.
 */
import { Option, type Command } from 'commander';
import { ToolError } from '../core/errors.js';
import type { BackupFormat } from '../core/backups/backup-name.js';
import type { Settings } from '../core/config/resolve.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf } from './db.js';
import { withInterrupt } from './interrupt.js';
import { ProgressLine } from './progress-line.js';
import type { ActionFactory } from './registry.js';
import { printListing } from './backup-list-view.js';

export function register(program: Command, action: ActionFactory): void {
  const backup = program
    .command('backup')
    .description('back up the database with pg_dump into a timestamped file (names in UTC) with a manifest')
    .option('--gzip', 'plain SQL compressed with gzip (.sql.gz)')
    .option('--schema-only', 'the schema without table data (name ends in _schema)')
    .addOption(new Option('--format <format>', 'plain SQL (.sql) or pg_dump custom format (.dump, compressed, restored with pg_restore)').choices(['plain', 'custom']).default('plain'))
    .option('--dir <dir>', 'backups folder (default: BACKUP__DIR, ./backups)')
    .option('--keep <n>', 'afterwards, remove all but the newest N backups of this database (and their manifests)')
    .option('--keep-days <days>', 'afterwards, remove backups of this database older than D days (the newest is always kept)')
    .option('--print-cron', 'print a crontab line that runs a compressed backup (gzip, or --format custom; --schema-only kept) with this retention; take no backup now')
    .option('--cron-schedule <fields>', 'the five crontab time fields for --print-cron (default "17 3 * * *", daily at 03:17)')
    .action(action(async (ctx, { opts }) => takeBackup(ctx, opts)));

  backup
    .command('prune')
    .description('remove the oldest backups beyond a policy, with their manifests: a dry run unless --yes; never the newest whole backup')
    .option('--keep <n>', 'keep the newest N backups of this database')
    .option('--keep-days <days>', 'keep the backups of the last D days (the newest is always kept)')
    .option('--yes', 'remove them (without it, only show what would be removed)')
    .option('--include-unverified', 'also remove, by the same policy, files without a valid manifest or whose checksum does not match')
    .option('--dir <dir>', 'backups folder (default: BACKUP__DIR, ./backups)')
    .option('--no-verify', 'trust sizes (skip reading every file for its sha256)')
    .action(
      action(async (ctx, { opts }) => {
        const { policyFromOptions, runRetention } = await import('./backup-retention.js');
        const policy = policyFromOptions(opts);
        if (!policy) throw new ToolError('usage', 'backup prune needs a policy: --keep N or --keep-days D', { exitCode: 2 });
        const settings = settingsWithDir(ctx, opts);
        const run = await runRetention(ctx, settings, policy, { dryRun: opts.yes !== true, includeUnverified: opts.includeUnverified === true, verify: opts.verify !== false });
        ctx.out.emit({ ok: run.failed === 0, ...run.doc }, run.print);
        return run.failed === 0 ? 0 : 1;
      }),
    );

  backup
    .command('list')
    .description('backups in the folder, newest first, with their manifests; flags any whose checksum no longer matches (exit 1)')
    .option('--dir <dir>', 'backups folder (default: BACKUP__DIR, ./backups)')
    .option('--no-verify', 'compare sizes only (skip reading every file for its sha256)')
    .action(
      action(async (ctx, { opts }) => {
        const settings = settingsWithDir(ctx, opts);
        const { listBackups, isDamaged } = await import('../core/backups/backup-list.js');
        const listing = await listBackups(settings.backupDir, { verify: opts.verify !== false });
        const damaged = listing.backups.some(isDamaged);
        printListing(ctx, listing, damaged);
        return damaged ? 1 : 0;
      }),
    );
}

export function settingsWithDir(ctx: CommandContext, opts: Record<string, unknown>): Settings {
  return ctx.settings(typeof opts.dir === 'string' ? { BACKUP__DIR: { value: opts.dir, flag: '--dir' } } : {});
}

export function formatFromOptions(opts: Record<string, unknown>): BackupFormat {
  const custom = opts.format === 'custom';
  if (custom && opts.gzip) throw new ToolError('usage', '--gzip applies to plain SQL; --format custom is already compressed (drop one of them)', { exitCode: 2 });
  return { kind: custom ? 'custom' : opts.gzip ? 'gzip' : 'plain', schemaOnly: Boolean(opts.schemaOnly) };
}

async function takeBackup(ctx: CommandContext, opts: Record<string, unknown>): Promise<number> {
  const { policyFromOptions, printCron, runRetention } = await import('./backup-retention.js');
  const policy = policyFromOptions(opts);
  const format = formatFromOptions(opts);
  if (opts.printCron) return printCron(ctx, settingsWithDir(ctx, opts), policy, format, typeof opts.cronSchedule === 'string' ? opts.cronSchedule : undefined);
  const settings = settingsWithDir(ctx, opts);
  const { runBackup } = await import('../core/backups/backup.js');
  const { packageVersion } = await import('../core/system/package-root.js');
  const { formatBytes, formatDuration } = await import('../core/format-units.js');
  const { revisionReaderFor } = await import('../core/backups/migration-revision.js');
  const { out } = ctx;
  const p = out.palette;
  const progress = new ProgressLine(process.stderr, 'backup');
  const result = await withInterrupt((signal) =>
    runBackup({
      db: dbSettingsOf(settings),
      dir: settings.backupDir,
      format,
      toolVersion: packageVersion(),
      readRevision: revisionReaderFor(settings.migrationsDir),
      env: ctx.env,
      signal,
      onEvent: (e) => {
        if (e.type === 'start') {
          for (const c of e.cleaned) out.note(`backup: removed ${c}, left by an interrupted run`);
          out.note(`backup: ${settings.target.database} (PostgreSQL ${e.serverVersion}, ${e.tableCount} tables, ${formatBytes(e.databaseBytes)}) with pg_dump ${e.pgDump.version} (${e.pgDump.path})`);
          out.note(`backup: writing ${e.dir}/${e.file} (names are in UTC)`);
        } else if (e.type === 'progress') progress.update(e);
      },
    }).finally(() => progress.done()),
  );
  const m = result.manifest;
  // The retention policy runs only after a backup that succeeded (the new one is then the newest whole backup).
  const retention = policy ? await runRetention(ctx, settings, policy, { dryRun: false, includeUnverified: false, verify: true }) : undefined;
  out.emit({ ok: true, file: result.file, path: result.path, manifestPath: result.manifestPath, elapsedMs: result.elapsedMs, cleaned: result.cleaned, manifest: m, ...(retention ? { retention: retention.doc } : {}) }, () => {
    out.line(`${p.green('✓')} ${result.path}`);
    out.line(`  ${formatBytes(m.size)} in ${formatDuration(result.elapsedMs)} · sha256 ${m.sha256}`);
    out.line(`  revision ${m.migration?.current ?? (m.migration ? 'base' : 'not recorded')} · manifest ${result.manifestPath}`);
    retention?.print();
  });
  return retention && retention.failed > 0 ? 1 : 0;
}
