/**
 * `migrate upgrade | downgrade | stamp`, with `--sql` (print, change
 * nothing), `--lock-timeout`, and a question before any downgrade.
 * Ctrl-C stops after the running migration (it commits or rolls back whole).
 */
import { ToolError } from '../core/errors.js';
import { describeTarget } from '../core/config/url.js';
import type { MoveKind } from '../core/migrations/revisions.js';
import type { MoveResult } from '../core/migrations/runner.js';
import type { MigrationEvent } from '../core/migrations/events.js';
import type { CommandContext } from './context.js';
import type { CommandInput } from './registry.js';
import { confirm } from './prompt.js';
import { duration, eventLine } from './migrate-format.js';
import { withMigrationClient } from './migrate-run.js';
import { startLockWatch } from './migrate-lock-watch.js';
import { parseLockTimeout, parseLockWaitTimeout } from './lock-timeout-options.js';
import { checkedMigrationsDir } from './migrations-dir.js';

type Run = (ctx: CommandContext, input: CommandInput) => Promise<number>;


export const upgrade: Run = (ctx, input) => runMove(ctx, 'upgrade', input);
export const downgrade: Run = (ctx, input) => runMove(ctx, 'downgrade', input);
export const stamp: Run = (ctx, input) => runMove(ctx, 'stamp', input);

async function runMove(ctx: CommandContext, kind: MoveKind, { args, opts }: CommandInput): Promise<number> {
  const settings = ctx.settings();
  const dir = checkedMigrationsDir(settings);
  const target = args[0] ?? (kind === 'downgrade' ? '-1' : 'head');
  const purge = opts.purge === true;
  const lockTimeout = parseLockTimeout(opts.lockTimeout);
  const timeouts = parseLockWaitTimeout(opts.lockWaitTimeout);
  const where = describeTarget(settings.target);
  const { out } = ctx;

  if (opts.sql) {
    const { planScript } = await import('../core/migrations/plan-script.js');
    const command = `connector-db migrate ${kind} ${target}${purge ? ' --purge' : ''} --sql`;
    const { plan, sql } = await withMigrationClient(ctx, `${kind} --sql`, (client) => planScript(client, kind, { dir, target, purge, header: { command, target: where } }));
    out.emit({ ok: true, kind, from: plan.from, to: plan.to, direction: plan.direction, steps: plan.steps.map((f) => f.id), sql }, () => out.stdout.write(sql));
    return 0;
  }

  const core = await import('../core/migrations/index.js');
  return withMigrationClient(ctx, kind, async (client) => {
    let absolute = target;
    if (kind === 'downgrade') {
      // Show what will run and ask; then go to that exact revision, whatever "-1" means by the time the lock is ours.
      const files = await core.loadMigrationFiles(dir);
      const plan = core.planMove(await core.readMigrationStatus(client, dir, { files }), files, 'downgrade', target);
      if (plan.steps.length === 0) {
        out.emit({ ok: true, kind, from: plan.from, to: plan.to, nothingToDo: true, steps: [] }, () => out.line(`Already at ${plan.to ?? 'base'}: nothing to downgrade.`));
        return 0;
      }
      const names = plan.steps.map((f) => f.name).join(', ');
      const yes = await confirm(ctx, `Downgrade ${where} from ${plan.from} to ${plan.to ?? 'base'}? This runs the down of ${names}; data in what it drops is lost.`, opts.yes === true);
      if (!yes) throw new ToolError('cancelled', 'Downgrade not confirmed; nothing was changed.');
      absolute = plan.to ?? 'base';
    }
    const controller = new AbortController();
    const onSigint = () => {
      controller.abort();
      out.note('connector-db: stopping after the running migration (it commits or rolls back whole)…');
    };
    process.once('SIGINT', onSigint);
    let result: MoveResult;
    // Who blocks a migration that waits on a table lock (stamp runs no DDL: nothing to watch).
    const watch = kind === 'stamp' ? null : await startLockWatch(ctx);
    try {
      const onEvent = (event: MigrationEvent) => {
        watch?.onMigrationEvent(event);
        if (event.type === 'warning' || (!ctx.globals.json && event.type !== 'migration_failed')) {
          const line = eventLine(event, out.palette);
          if (line) out.note(line);
        }
      };
      const options = { dir, target: absolute, lockTimeout, onEvent, signal: controller.signal, purge, ...(timeouts ? { timeouts } : {}) };
      result = kind === 'upgrade' ? await core.upgrade(client, options) : kind === 'downgrade' ? await core.downgrade(client, options) : await core.stamp(client, options);
    } catch (error) {
      const { withBlockerEvidence } = await import('../core/monitor/migration-lock-watch.js');
      throw withBlockerEvidence(error, watch?.lastReport() ?? null);
    } finally {
      process.off('SIGINT', onSigint);
      await watch?.stop();
    }
    report(ctx, result);
    return 0;
  });
}

function report(ctx: CommandContext, r: MoveResult): void {
  const { out } = ctx;
  const s = r.status;
  const at = `${s.current ?? 'base'}${s.atHead && s.current !== null ? ' (head)' : ''}`;
  out.emit(
    { ok: true, kind: r.kind, from: r.from, to: r.to, direction: r.direction, nothingToDo: r.nothingToDo, steps: r.steps, reconciled: r.reconciled, current: s.current, head: s.head, pendingCount: s.pendingCount },
    () => {
      if (r.nothingToDo) {
        out.line(`Already at ${at}: nothing to ${r.kind}.`);
        return;
      }
      const n = r.steps.length;
      const total = r.steps.reduce((sum, step) => sum + (step.durationMs ?? 0), 0);
      if (r.kind === 'stamp') {
        out.line(`Stamped ${r.to ?? 'base'}: ${n === 0 ? 'records rebuilt' : `${r.steps.map((step) => step.id).join(', ')} marked ${r.direction === 'up' ? 'applied' : 'not applied'}`} without running anything. Now at ${at}.`);
      } else {
        out.line(`${r.kind === 'upgrade' ? 'Upgraded' : 'Downgraded'} ${r.from ?? 'base'} → ${r.to ?? 'base'}: ${n} migration${n === 1 ? '' : 's'} in ${duration(total)}. Now at ${at}.`);
      }
      if (s.pendingCount > 0 && r.kind !== 'downgrade') out.line(out.palette.dim(`${s.pendingCount} still pending: ${s.pending.join(', ')}`));
    },
  );
}
