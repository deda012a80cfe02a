/**
 * The Monitor screen's real service: one connection, opened on the first
 * snapshot and kept while the screen is shown (a new connection every 2 s
 * would itself show up in the figures), reopened after it is lost.
 */
import type pg from 'pg';
import type { Settings } from '../core/config/resolve.js';
import { isToolError } from '../core/errors.js';
import type { Failure, MonitorService } from './services.js';

/** The monitor's connections say who they are in pg_stat_activity. */
const APPLICATION_NAME = 'connector-db monitor';

export function failureOf(error: unknown): Failure {
  if (isToolError(error)) return { ok: false, code: error.code, message: error.message, evidence: error.evidence, fixes: error.fixes };
  const e = error as { code?: string; message?: string };
  // A server error (SQLSTATE) or a dropped socket: still one line, never a stack.
  return { ok: false, code: typeof e?.code === 'string' ? `server_error ${e.code}` : 'connection_lost', message: e?.message ?? String(error), evidence: [], fixes: [] };
}

export function createMonitorService(settings: Settings): MonitorService {
  let client: pg.Client | undefined;
  let closed = false;

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

  return {
    async snapshot() {
      try {
        const c = await connection();
        const { readMonitorSnapshot } = await import('../core/monitor/snapshot.js');
        const snapshot = await readMonitorSnapshot(c, {
          pool: { poolSize: settings.poolSize, maxOverflow: settings.maxOverflow, user: settings.target.user, database: settings.target.database },
        });
        return { ok: true, snapshot };
      } catch (error) {
        // Next time, start from a fresh connection (the server may have restarted).
        if (!isToolError(error)) await drop();
        return failureOf(error);
      }
    },
    async signal(pid, action) {
      try {
        const c = await connection();
        const { signalBackend } = await import('../core/monitor/signal.js');
        return { ok: true, result: await signalBackend(c, pid, action) };
      } catch (error) {
        return failureOf(error);
      }
    },
    async close() {
      closed = true;
      await drop();
    },
  };
}
