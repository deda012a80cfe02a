/**
 * `connector-db monitor`: one snapshot of connections, open transactions,
 * lock waits, sizes, cache hit ratio and slow statements (--json for
 * scripts). `monitor cancel PID` / `monitor terminate PID` act on a backend
 * after a confirmation (--yes without a terminal).
 */
import type { Command } from 'commander';
import { ToolError } from '../core/errors.js';
import type { ActionFactory } from './registry.js';
import type { CommandContext } from './context.js';
import { dbSettingsOf, openOptionsOf } from './db.js';

/** The monitor's connections say who they are, so they can be told apart in pg_stat_activity. */
export const MONITOR_APPLICATION_NAME = 'connector-db monitor';

/** PostgreSQL's int4: the largest pid, LIMIT or interval seconds the queries take as a parameter. */
const INT4_MAX = 2_147_483_647;

function isPositiveInt4(text: string): boolean {
  return /^\d+$/.test(text) && Number(text) >= 1 && Number(text) <= INT4_MAX;
}

function positiveInteger(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const text = String(value).trim();
  if (!isPositiveInt4(text)) throw new ToolError('usage', `${flag} "${text}" is invalid; allowed: an integer from 1 to ${INT4_MAX}`, { exitCode: 2 });
  return Number(text);
}

async function snapshot(ctx: CommandContext, opts: Record<string, unknown>): Promise<number> {
  const longSeconds = positiveInteger(opts.long, '--long', 60);
  const top = positiveInteger(opts.top, '--top', 10);
  const settings = ctx.settings();
  const { withClient } = await import('../core/db/connect.js');
  const { readMonitorSnapshot } = await import('../core/monitor/snapshot.js');
  const { printSnapshot } = await import('./monitor-text.js');
  const snap = await withClient(
    dbSettingsOf(settings),
    (client) =>
      readMonitorSnapshot(client, {
        pool: { poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, user: settings.target.user, database: settings.target.database },
        longTransactionSeconds: longSeconds,
        top,
      }),
    { ...openOptionsOf(ctx), applicationName: MONITOR_APPLICATION_NAME },
  );
  ctx.out.emit({ ok: true, ...snap }, () => printSnapshot(ctx.out, snap, ctx.out.stdout.columns ?? 100));
  return 0;
}

async function signal(ctx: CommandContext, pidText: string, action: 'cancel' | 'terminate', yes: boolean): Promise<number> {
  if (!isPositiveInt4(pidText.trim())) throw new ToolError('usage', `PID "${pidText}" is invalid; allowed: a backend pid (a positive integer, see connector-db monitor)`, { exitCode: 2 });
  const pid = Number(pidText);
  const settings = ctx.settings();
  const { withClient } = await import('../core/db/connect.js');
  const { readSessions } = await import('../core/monitor/activity.js');
  const { signalBackend } = await import('../core/monitor/signal.js');
  const { oneLine, sessionSummary } = await import('../core/monitor/format.js');
  const { confirm } = await import('./prompt.js');
  return withClient(
    dbSettingsOf(settings),
    async (client) => {
      const [session] = await readSessions(client, { pids: [pid] });
      if (session && !ctx.globals.json) {
        ctx.out.note(sessionSummary(session));
        if (session.query) ctx.out.note(`  ${oneLine(session.query, 200)}`);
      }
      const question = action === 'cancel' ? `Cancel the running query of backend ${pid}?` : `Terminate backend ${pid} (its open transaction is rolled back)?`;
      if (session && !(await confirm(ctx, question, yes))) {
        ctx.out.emit({ ok: false, error: { code: 'cancelled', message: 'not confirmed; nothing was sent' } }, () => ctx.out.note('Nothing was sent.'));
        return 1;
      }
      const result = await signalBackend(client, pid, action);
      ctx.out.emit({ ok: result.done, ...result }, () => ctx.out.line(result.message));
      return result.done ? 0 : 1;
    },
    { ...openOptionsOf(ctx), applicationName: MONITOR_APPLICATION_NAME },
  );
}

export function register(program: Command, action: ActionFactory): void {
  const monitor = program
    .command('monitor')
    .description('one snapshot: connections vs max_connections and the pool ceiling, open transactions, who blocks whom, sizes, cache hit ratio, slow statements')
    .option('--long <seconds>', 'list transactions open longer than this (idle-in-transaction ones always)', undefined)
    .option('--top <n>', 'how many tables and statements to list', undefined)
    .action(action((ctx, { opts }) => snapshot(ctx, opts)));
  monitor
    .command('cancel <pid>')
    .description("cancel a backend's running query (pg_cancel_backend), after a confirmation")
    .option('--yes', 'do not ask')
    .action(action((ctx, { args, opts }) => signal(ctx, args[0] ?? '', 'cancel', Boolean(opts.yes))));
  monitor
    .command('terminate <pid>')
    .description('terminate a backend (pg_terminate_backend; its transaction rolls back), after a confirmation')
    .option('--yes', 'do not ask')
    .action(action((ctx, { args, opts }) => signal(ctx, args[0] ?? '', 'terminate', Boolean(opts.yes))));
}
