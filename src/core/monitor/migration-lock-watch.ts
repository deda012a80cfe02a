/**
 * A migration run's lock-wait watcher: once the runner says which backend
 * is its own (`lock_acquired`), a second connection watches that backend
 * and reports who blocks it whenever it has waited on a lock for more than
 * a second. The last report is kept so that a migration that gives up
 * (lock_timeout) can name its blocker in the failure itself.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import type { MigrationEvent } from '../migrations/events.js';
import { sessionSummary, oneLine, formatAge } from './format.js';
import { watchLockWaits, type LockWatch, type LockWatchEvent } from './lock-watch.js';
import type { BlockedReport } from './locks.js';

export interface MigrationLockWatchOptions {
  /** Opens the watcher's own connection (ended by stop()). */
  open: () => Promise<Pick<pg.Client, 'query' | 'end'>>;
  onEvent: (event: LockWatchEvent) => void;
  thresholdMs?: number;
  intervalMs?: number;
}

export interface MigrationLockWatch {
  /** Pass every migration event here (alongside the caller's own handler). */
  onMigrationEvent(event: MigrationEvent): void;
  /** The last lock wait seen (even a short one), to name the blocker when the migration gives up. */
  lastReport(): { report: BlockedReport; waitedMs: number } | null;
  stop(): Promise<void>;
}

export function migrationLockWatch(options: MigrationLockWatchOptions): MigrationLockWatch {
  let watch: LockWatch | undefined;
  let client: Pick<pg.Client, 'query' | 'end'> | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;

  const start = async (pid: number) => {
    try {
      const opened = await options.open();
      if (stopped) {
        await opened.end().catch(() => {});
        return;
      }
      client = opened;
      watch = watchLockWaits({
        client: opened,
        pid,
        ...(options.thresholdMs !== undefined ? { thresholdMs: options.thresholdMs } : {}),
        ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
        onEvent: options.onEvent,
      });
    } catch {
      // Without a second connection (max_connections reached, say) the migration still runs; it just cannot be watched.
    }
  };

  return {
    onMigrationEvent(event) {
      if (event.type === 'lock_acquired' && !starting) starting = start(event.backendPid);
    },
    lastReport: () => watch?.last() ?? null,
    async stop() {
      stopped = true;
      await starting;
      await watch?.stop();
      await client?.end().catch(() => {});
    },
  };
}

/** Lines for people: what the migration waits for, on whom, and who heads the queue. */
export function blockedLines(report: BlockedReport, waitedMs: number): string[] {
  const lock = report.lock;
  const what = lock ? `${lock.mode}${lock.relation ? ` on ${lock.relation}` : ` (${lock.lockType})`}` : 'a lock';
  const lines = [`waiting ${formatAge(waitedMs / 1000)} for ${what}`];
  for (const b of report.blockers) lines.push(`blocked by ${sessionSummary(b)}${b.visible && b.query ? `: ${oneLine(b.query, 160)}` : ''}`);
  for (const p of report.missingBlockers) lines.push(p === 0 ? 'blocked by a prepared transaction (see pg_prepared_xacts)' : `blocked by pid ${p} (not visible to this role)`);
  const direct = new Set(report.blockers.map((b) => b.pid));
  for (const r of report.rootBlockers.filter((x) => !direct.has(x.pid))) lines.push(`at the head of the queue: ${sessionSummary(r)}${r.visible && r.query ? `: ${oneLine(r.query, 160)}` : ''}`);
  return lines;
}

/** The command to end what holds the migration up (the head of the queue). */
export function blockerFix(report: BlockedReport): string | null {
  const head = report.rootBlockers[0] ?? report.blockers[0];
  return head ? `connector-db monitor terminate ${head.pid}   # ends pid ${head.pid} and rolls back its transaction; or wait for it and run again` : null;
}

/** A migration that gave up on a lock (SQLSTATE 55P03) names the blocker it last saw. */
export function withBlockerEvidence(error: unknown, seen: { report: BlockedReport; waitedMs: number } | null): unknown {
  if (!(error instanceof ToolError) || !seen || !error.evidence.includes('SQLSTATE 55P03')) return error;
  const fix = blockerFix(seen.report);
  return new ToolError(error.code, error.message, {
    evidence: [...error.evidence, ...blockedLines(seen.report, seen.waitedMs)],
    fixes: [...(fix ? [fix] : []), ...error.fixes],
    exitCode: error.exitCode,
    cause: error,
  });
}
