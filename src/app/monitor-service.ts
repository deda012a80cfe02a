/**
 * The Monitor screen's real service: one connection, opened on the first
 * snapshot and kept while the screen is shown (a new connection every 2 s
 * would itself show up in the figures), reopened after it is lost.
 */
import type pg from 'pg';
import type { Settings } from '../core/config/resolve.js';
import { isToolError } from '../core/errors.js';
import type { SignalAction } from '../core/monitor/signal.js';
import type { MonitorService, ServiceFailure } from './services.js';
import { failureOf } from './service-failure.js';

/** The monitor's connections say who they are in pg_stat_activity. */
const APPLICATION_NAME = 'connector-db monitor';

/** As failureOf, naming a server error by its SQLSTATE and a dropped socket as connection_lost. */
export function monitorFailureOf(error: unknown): ServiceFailure {
  if (isToolError(error)) return failureOf(error);
  const e = error as { code?: string; message?: string };
  return { ok: false, code: typeof e?.code === 'string' ? `server_error ${e.code}` : 'connection_lost', message: e?.message ?? String(error), evidence: [], fixes: [] };
}

export function createMonitorService(settings: Settings): MonitorService {
  let client: pg.Client | undefined;
  let closed = false;
  // One connection, one thing at a time: a snapshot holds a short transaction
  // (sizes under a lock timeout), and a cancel sent in the middle of it would
  // land inside that transaction.
  let queue: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => {});
    return run;
  }

  async function connection(): Promise<pg.Client> {
    if (client) return client;
    const { openClient } = await import('../core/db/connect.js');
    const opened = await openClient(settings, { applicationName: APPLICATION_NAME });
    opened.on('error', () => {
      if (client === opened) client = undefined;
    });
    opened.on('end', () => {
      if (client === opened) client = undefined;
    });
    if (closed) {
      await opened.end().catch(() => {});
      throw new Error('the monitor was closed');
    }
    client = opened;
    return opened;
  }

  async function drop(): Promise<void> {
    const c = client;
    client = undefined;
    await c?.end().catch(() => {});
  }

  async function snapshot(): Promise<Awaited<ReturnType<MonitorService['snapshot']>>> {
    try {
      const c = await connection();
      const { readMonitorSnapshot } = await import('../core/monitor/snapshot.js');
      const snap = await readMonitorSnapshot(c, {
        pool: { poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, user: settings.target.user, database: settings.target.database },
      });
      return { ok: true, snapshot: snap };
    } catch (error) {
      // Next time, start from a fresh connection (the server may have restarted).
      if (!isToolError(error)) await drop();
      return monitorFailureOf(error);
    }
  }

  async function signal(pid: number, action: SignalAction): Promise<Awaited<ReturnType<MonitorService['signal']>>> {
    try {
      const c = await connection();
      const { signalBackend } = await import('../core/monitor/signal.js');
      return { ok: true, result: await signalBackend(c, pid, action) };
    } catch (error) {
      return monitorFailureOf(error);
    }
  }

  return {
    snapshot: () => exclusive(snapshot),
    signal: (pid, action) => exclusive(() => signal(pid, action)),
    async close() {
      closed = true;
      await exclusive(drop);
    },
  };
}
