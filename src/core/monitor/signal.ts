/**
 * Cancel a backend's query or terminate the backend. The faces ask first;
 * this only acts, and turns the server's refusals into one explained line.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { quoteIdent } from './visibility.js';

type Queryable = Pick<pg.Client, 'query'>;

export type SignalAction = 'cancel' | 'terminate';

export interface SignalResult {
  pid: number;
  action: SignalAction;
  /** The server confirmed: the signal was sent (cancel) or the backend is gone (terminate). */
  done: boolean;
  /** One sentence for people. */
  message: string;
}

/** How long pg_terminate_backend waits for the backend to exit before answering. */
const TERMINATE_WAIT_MS = 5000;

export async function signalBackend(client: Queryable, pid: number, action: SignalAction): Promise<SignalResult> {
  if (!Number.isInteger(pid) || pid <= 0) throw new ToolError('usage', `"${pid}" is not a backend pid (a positive integer from the monitor's PID column)`, { exitCode: 2 });
  const me = await client.query<{ pid: number; role: string }>('select pg_backend_pid() as pid, current_user as role');
  if (me.rows[0]?.pid === pid) throw new ToolError('usage', `pid ${pid} is the monitor's own connection`, { exitCode: 2 });
  const exists = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where pid = $1', [pid]);
  if ((exists.rows[0]?.n ?? 0) === 0) {
    throw new ToolError('not_found', `no session with pid ${pid} (it may have ended already)`, { fixes: ['connector-db monitor   # list the sessions and their pids'] });
  }
  try {
    const sql = action === 'cancel' ? 'select pg_cancel_backend($1) as ok' : `select pg_terminate_backend($1, ${TERMINATE_WAIT_MS}) as ok`;
    const { rows } = await client.query<{ ok: boolean }>(sql, [pid]);
    const done = rows[0]?.ok === true;
    const message = done
      ? action === 'cancel'
        ? `asked backend ${pid} to cancel its query`
        : `terminated backend ${pid}`
      : action === 'cancel'
        ? `backend ${pid} did not take the cancel (it may have ended)`
        : `backend ${pid} did not exit within ${TERMINATE_WAIT_MS / 1000} s`;
    return { pid, action, done, message };
  } catch (error) {
    const err = error as { code?: string; message?: string; detail?: string };
    if (err.code === '42501') {
      const role = me.rows[0]?.role ?? 'this role';
      throw new ToolError('failed', `permission denied to ${action} backend ${pid}`, {
        evidence: [err.message ?? '', ...(err.detail ? [err.detail] : [])].filter(Boolean),
        fixes: [`GRANT pg_signal_backend TO ${quoteIdent(role)};   -- as a superuser; a superuser's sessions stay out of reach`],
        cause: error,
      });
    }
    throw error;
  }
}
