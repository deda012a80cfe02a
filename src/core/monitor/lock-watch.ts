/**
 * Watch one backend (a migration's) from a second connection and say who
 * blocks it once it has waited on a lock longer than a threshold: the usual
 * reason "migrations take a long time". The backend itself cannot ask — it
 * is the one waiting.
 */
import type pg from 'pg';
import { blockedReportOf, type BlockedReport } from './locks.js';
import { readSessions } from './activity.js';

type Queryable = Pick<pg.Client, 'query'>;

export type LockWatchEvent =
  /** It has waited past the threshold. `changed` is true the first time and whenever the blockers change (print then; redraw always). */
  | { type: 'blocked'; report: BlockedReport; waitedMs: number; changed: boolean }
  /** It stopped waiting after having been reported blocked: it got its lock, or gave up (lock_timeout, cancelled). */
  | { type: 'wait_ended'; waitedMs: number };

export interface LockWatchOptions {
  /** The watcher's own connection (not the watched backend's). */
  client: Queryable;
  /** The backend to watch (the migration runner's pg_backend_pid()). */
  pid: number;
  onEvent: (event: LockWatchEvent) => void;
  /** Report only waits longer than this (default 1000 ms). */
  thresholdMs?: number;
  /** How often to look (default 250 ms). */
  intervalMs?: number;
}

export interface LockWatch {
  /** Stop polling; resolves once the poll in flight (if any) is done, so the client can be ended. */
  stop(): Promise<void>;
  /** The last wait seen, even one shorter than the threshold (a lock_timeout shorter than it still gets named). */
  last(): { report: BlockedReport; waitedMs: number } | null;
}

const WAITING_SQL = `select extract(epoch from (now() - min(waitstart)))::float8 * 1000 as waited_ms from pg_locks where pid = $1 and not granted`;

/** One look: null when it is not waiting past the threshold; the report otherwise. */
export async function lookOnce(client: Queryable, pid: number, thresholdMs: number): Promise<{ report: BlockedReport; waitedMs: number } | null> {
  // The cheap question first; the whole session list only while it waits.
  const { rows } = await client.query<{ waited_ms: number | null }>(WAITING_SQL, [pid]);
  const waitedMs = rows[0]?.waited_ms;
  if (waitedMs === null || waitedMs === undefined || waitedMs < thresholdMs) return null;
  const report = blockedReportOf(await readSessions(client), pid);
  return report ? { report, waitedMs: Math.round(waitedMs) } : null;
}

export function watchLockWaits(options: LockWatchOptions): LockWatch {
  const threshold = options.thresholdMs ?? 1000;
  const interval = options.intervalMs ?? 250;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let lastBlockers = '';
  let lastWaited = 0;
  let lastSeen: { report: BlockedReport; waitedMs: number } | null = null;

  const tick = async () => {
    try {
      const seen = await lookOnce(options.client, options.pid, 0);
      if (stopped) return;
      if (seen) lastSeen = seen;
      if (seen && seen.waitedMs >= threshold) {
        const key = seen.report.blockers.map((b) => b.pid).join(',') + '|' + seen.report.rootBlockers.map((b) => b.pid).join(',');
        options.onEvent({ type: 'blocked', report: seen.report, waitedMs: seen.waitedMs, changed: key !== lastBlockers });
        lastBlockers = key;
        lastWaited = seen.waitedMs;
      } else if (!seen && lastBlockers !== '') {
        options.onEvent({ type: 'wait_ended', waitedMs: lastWaited });
        lastBlockers = '';
      }
    } catch {
      // The watcher is a helper: a failed look (its connection lost) must not fail the migration.
    }
    if (!stopped) timer = setTimeout(run, interval);
  };
  const run = () => {
    inFlight = tick();
  };
  timer = setTimeout(run, interval);

  return {
    last: () => lastSeen,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
      // The run ended while it was reported blocked (it got the lock just before, or gave up): close the story.
      if (lastBlockers !== '') options.onEvent({ type: 'wait_ended', waitedMs: lastWaited });
      lastBlockers = '';
    },
  };
}
