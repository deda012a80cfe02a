/**
 * The `migrate` handlers: settings → one connection → core call → text or
 * JSON. `current`/`history`/`check` only read; moves print progress on
 * stderr and the outcome on stdout.
 */
import { ToolError } from '../core/errors.js';
import { describeTarget } from '../core/config/url.js';
import { withClient } from '../core/db/connect.js';
import { CHECK_FAILURES, loadMigrationFiles, readMigrationStatus, type MigrationStatus } from '../core/migrations/status.js';
import type { CommandContext } from './context.js';
import type { CommandInput } from './registry.js';
import { dbSettingsOf, openOptionsOf } from './db.js';
import { currentLines, historyLines, problemLines } from './migrate-format.js';
import { checkedMigrationsDir } from './migrations-dir.js';

type Run = (ctx: CommandContext, input: CommandInput) => Promise<number>;

/**
 * One connection named for what it does, so a lock holder is recognisable in
 * pg_stat_activity. The command ends right after, so nothing waits for the
 * server's goodbye (the lock was released and every change committed before).
 */
export async function withMigrationClient<T>(ctx: CommandContext, what: string, work: (client: import('pg').Client) => Promise<T>): Promise<T> {
  const settings = ctx.settings();
  return withClient(dbSettingsOf(settings), work, { ...openOptionsOf(ctx), applicationName: `connector-db migrate ${what}`, endWithoutWaiting: true });
}

/**
 * current, history and check: the files are read while the connection opens
 * and the first query runs (the reading gives the event loop a turn every 50
 * files).
 */
async function statusOf(ctx: CommandContext, what: string): Promise<MigrationStatus> {
  const dir = checkedMigrationsDir(ctx.settings());
  // Started a microtask later, once withMigrationClient has begun connecting; awaited inside readMigrationStatus.
  const files = Promise.resolve().then(() => loadMigrationFiles(dir));
  files.catch(() => {});
  return withMigrationClient(ctx, what, (client) => readMigrationStatus(client, dir, { files }));
}

function summary(status: MigrationStatus) {
  return { current: status.current, head: status.head, atHead: status.atHead, pendingCount: status.pendingCount };
}

export const current: Run = async (ctx) => {
  const status = await statusOf(ctx, 'current');
  const target = describeTarget(ctx.settings().target);
  ctx.out.emit({ ok: true, ...summary(status), status }, () => {
    for (const line of currentLines(status, target, ctx.out.palette)) ctx.out.line(line);
  });
  return 0;
};

export const history: Run = async (ctx) => {
  const status = await statusOf(ctx, 'history');
  ctx.out.emit({ ok: true, ...summary(status), revisions: status.revisions, unknown: status.unknown, problems: status.problems }, () => {
    for (const line of historyLines(status, ctx.out.palette)) ctx.out.line(line);
  });
  return 0;
};

export const check: Run = async (ctx) => {
  const status = await statusOf(ctx, 'check');
  const failing = status.problems.filter((p) => CHECK_FAILURES.includes(p.code));
  ctx.out.emit({ ok: failing.length === 0, ...summary(status), problems: status.problems, failing: failing.map((f) => f.code) }, () => {
    if (failing.length === 0) ctx.out.line(`${ctx.out.palette.green('✓')} at ${status.current ?? 'base'}${status.atHead ? ' (head)' : ''}: nothing pending, no drift, no unknown revision`);
    for (const line of problemLines(status, ctx.out.palette)) ctx.out.line(line);
  });
  return failing.length === 0 ? 0 : 1;
};

export const create: Run = async (ctx, { args }) => {
  const message = args.join(' ').trim();
  if (!message) throw new ToolError('usage', 'migrate new needs a message saying what the migration does, e.g. migrate new "add index on jobs status"', { exitCode: 2 });
  const { createMigration } = await import('../core/migrations/scaffold.js');
  const made = await createMigration(checkedMigrationsDir(ctx.settings()), message);
  ctx.out.emit({ ok: true, ...made }, () => {
    ctx.out.line(`Created ${made.file} (revision ${made.id}).`);
    ctx.out.line(ctx.out.palette.dim('Write the up under "-- Up Migration" and its exact undo under "-- Down Migration", then: connector-db migrate upgrade'));
  });
  return 0;
};

export { upgrade, downgrade, stamp } from './migrate-move.js';
