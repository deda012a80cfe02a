/**
 * Retention for `backup --keep N | --keep-days D` (after a backup) and
 * `backup prune` (a dry run unless --yes), and `backup --print-cron`.
 * The planner and the listing are the engine's; this file parses the
 * flags, runs them, and prints what was (or would be) kept and removed.
 */
import path from 'node:path';
import { ToolError } from '../core/errors.js';
import type { RetentionPolicy } from '../core/backups/retention.js';
import type { BackupFormat } from '../core/backups/backup-name.js';
import type { Settings } from '../core/config/resolve.js';
import type { CommandContext } from './context.js';
import { columns } from './output.js';

/** --keep / --keep-days from the options; undefined when neither was given. */
export function policyFromOptions(opts: Record<string, unknown>): RetentionPolicy | undefined {
  const policy: RetentionPolicy = {};
  if (opts.keep !== undefined) {
    const text = String(opts.keep).trim();
    if (!/^\d+$/.test(text) || Number(text) < 1) throw new ToolError('usage', `--keep "${text}" is invalid; allowed: an integer >= 1 (how many backups to keep)`, { exitCode: 2 });
    policy.keep = Number(text);
  }
  if (opts.keepDays !== undefined) {
    const text = String(opts.keepDays).trim();
    const days = Number(text);
    if (text === '' || !Number.isFinite(days) || days <= 0) throw new ToolError('usage', `--keep-days "${text}" is invalid; allowed: a number of days > 0`, { exitCode: 2 });
    policy.keepDays = days;
  }
  if (policy.keep !== undefined && policy.keepDays !== undefined) throw new ToolError('usage', 'use --keep or --keep-days, not both', { exitCode: 2 });
  return policy.keep === undefined && policy.keepDays === undefined ? undefined : policy;
}

function describePolicy(policy: RetentionPolicy): string {
  return policy.keep !== undefined ? `keep the newest ${policy.keep}` : `keep ${policy.keepDays} day${policy.keepDays === 1 ? '' : 's'}`;
}

export interface RetentionRun {
  dryRun: boolean;
  policy: RetentionPolicy;
  doc: Record<string, unknown>;
  removedCount: number;
  failed: number;
  /** The text for people (the caller decides when, so it can follow the backup's own lines). */
  print(): void;
}

/** List, plan and (unless a dry run) remove. The listing verifies checksums unless `verify` is false. */
export async function runRetention(ctx: CommandContext, settings: Settings, policy: RetentionPolicy, options: { dryRun: boolean; includeUnverified: boolean; verify: boolean }): Promise<RetentionRun> {
  const { listBackups } = await import('../core/backups/backup-list.js');
  const { fileSafe } = await import('../core/backups/backup-name.js');
  const { planRetention } = await import('../core/backups/retention.js');
  const { applyRetention } = await import('../core/backups/retention-apply.js');
  const { formatBytes } = await import('../core/format-units.js');
  const database = settings.target.database;
  const listing = await listBackups(settings.backupDir, { verify: options.verify });
  // A name without a manifest carries the file-safe spelling of the database.
  const entries = listing.backups.map((e) => (e.database === fileSafe(database) ? { ...e, database } : e));
  const plan = planRetention(entries, policy, { now: new Date(), database, includeUnverified: options.includeUnverified });
  const removed = options.dryRun ? [] : await applyRetention(plan);
  const failed = removed.filter((r) => !r.ok);
  const row = (d: { entry: { file: string; size: number }; reason: string }) => ({ file: d.entry.file, size: d.entry.size, reason: d.reason });
  const doc = {
    dir: settings.backupDir,
    database,
    policy,
    dryRun: options.dryRun,
    keep: plan.keep.map(row),
    remove: plan.remove.map(row),
    untouched: plan.untouched.map(row),
    removed: removed.filter((r) => r.ok).map((r) => r.file),
    failed: failed.map((r) => ({ file: r.file, error: r.error })),
  };
  const print = () => {
    const { out } = ctx;
    const p = out.palette;
    out.line(`${p.bold('Retention')}  ${describePolicy(policy)} · backups of ${database} in ${settings.backupDir}`);
    const rows: string[][] = [];
    for (const d of plan.keep) rows.push([p.green('keep'), d.entry.file, formatBytes(d.entry.size), d.reason]);
    for (const d of plan.remove) rows.push([options.dryRun ? p.yellow('would remove') : p.red('remove'), d.entry.file, formatBytes(d.entry.size), d.reason]);
    for (const d of plan.untouched) rows.push([p.dim('leave'), d.entry.file, formatBytes(d.entry.size), d.reason]);
    for (const line of columns(rows)) out.line(`  ${line}`);
    const bytes = plan.remove.reduce((sum, d) => sum + d.entry.size, 0);
    const n = plan.remove.length;
    if (n === 0) out.line('Nothing to remove.');
    else if (options.dryRun) out.line(`Dry run: ${n} backup${n === 1 ? '' : 's'} (${formatBytes(bytes)}) would be removed, with ${n === 1 ? 'its manifest' : 'their manifests'}. Run again with --yes to remove ${n === 1 ? 'it' : 'them'}.`);
    else out.line(`Removed ${removed.length - failed.length} backup${removed.length - failed.length === 1 ? '' : 's'} with ${n === 1 ? 'its manifest' : 'their manifests'} (${formatBytes(bytes)}).`);
    for (const f of failed) out.note(`connector-db: could not remove ${f.file}: ${f.error}`);
  };
  return { dryRun: options.dryRun, policy, doc, removedCount: removed.length - failed.length, failed: failed.length, print };
}

/** `backup --print-cron`: the crontab line on stdout, what cron would miss on stderr. */
export async function printCron(ctx: CommandContext, settings: Settings, policy: RetentionPolicy | undefined, format: BackupFormat, schedule: string | undefined): Promise<number> {
  const { cronLine } = await import('../core/backups/cron-line.js');
  const { findBinaries } = await import('../core/system/pg-binaries.js');
  const { packageRoot } = await import('../core/system/package-root.js');
  const found = await findBinaries('pg_dump', ctx.env);
  // Settings from a profile (the active one too) are pinned by name, with the folder it lives in when the shell chose that.
  const usesProfile = settings.entries.some((e) => e.source.kind === 'profile');
  const profile = ctx.globals.profile ?? (usesProfile ? settings.profileName : undefined);
  const newest = [...found].sort((a, b) => b.major - a.major)[0];
  let result;
  try {
    result = cronLine({
      ...(schedule !== undefined ? { schedule } : {}),
      nodePath: process.execPath,
      binPath: path.join(packageRoot(), 'bin', 'connector-db'),
      cwd: ctx.cwd,
      ...(ctx.globals.envFile !== undefined ? { envFile: path.resolve(ctx.cwd, ctx.globals.envFile) } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...(profile !== undefined && ctx.env.CONNECTOR_DB_CONFIG_DIR ? { configDir: settings.configDir } : {}),
      backupDir: settings.backupDir,
      ...(policy?.keep !== undefined ? { keep: policy.keep } : {}),
      ...(policy?.keepDays !== undefined ? { keepDays: policy.keepDays } : {}),
      custom: format.kind === 'custom',
      schemaOnly: format.schemaOnly,
      ...(newest ? { pgDumpDir: path.dirname(newest.path) } : {}),
      settings: settings.entries.filter((e) => e.display !== undefined).map((e) => ({ key: e.key, source: e.source })),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new ToolError('usage', error.message, { exitCode: 2 });
    throw error;
  }
  const warnings = [...result.warnings, ...(newest ? [] : ['No pg_dump was found on this machine: install the PostgreSQL client tools before the first cron run.'])];
  ctx.out.emit({ ok: true, line: result.line, warnings }, () => {
    ctx.out.line(result.line);
    for (const w of warnings) ctx.out.note(`${ctx.out.palette.yellow('note')}  ${w}`);
  });
  return 0;
}
