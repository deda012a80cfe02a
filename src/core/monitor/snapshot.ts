/**
 * One monitor snapshot: every figure the Monitor screen and `connector-db
 * monitor` show, read on the client it is given (the screen keeps one open
 * and calls this every 2 s).
 */
import type pg from 'pg';
import { readSessions } from './activity.js';
import { connectionFigures, openTransactions, type PoolSettings } from './connections.js';
import { lockTree } from './locks.js';
import { readCache, readSizes } from './sizes.js';
import { readSlowStatements } from './statements.js';
import type { MonitorSnapshot } from './types.js';
import { describeVisibility, readRolePowers } from './visibility.js';

type Queryable = Pick<pg.Client, 'query'>;

export interface SnapshotOptions {
  /** The connector app's pool settings and its role/database (from the settings). */
  pool: PoolSettings;
  /** A transaction open longer than this is listed even when active (default 60 s). */
  longTransactionSeconds?: number;
  /** How many tables and statements to list (default 10). */
  top?: number;
}

export const DEFAULT_LONG_TRANSACTION_SECONDS = 60;

export async function readMonitorSnapshot(client: Queryable, options: SnapshotOptions): Promise<MonitorSnapshot> {
  const top = options.top ?? 10;
  const longSeconds = options.longTransactionSeconds ?? DEFAULT_LONG_TRANSACTION_SECONDS;
  const head = await client.query<{ taken_at: Date; version: string; db: string; usr: string; pid: number; max_conn: string; reserved: string }>(
    `select now() as taken_at, current_setting('server_version') as version, current_database() as db, current_user as usr,
            pg_backend_pid() as pid, current_setting('max_connections') as max_conn, current_setting('superuser_reserved_connections') as reserved`,
  );
  const h = head.rows[0];
  if (!h) throw new Error('the server returned no row for the monitor header');
  const powers = await readRolePowers(client);
  const sessions = await readSessions(client);
  const sizes = await readSizes(client, { limit: top });
  const cache = await readCache(client);
  const statements = await readSlowStatements(client, { limit: top });
  return {
    takenAt: h.taken_at.toISOString(),
    server: { version: h.version.split(' ')[0] ?? h.version, database: h.db, user: h.usr, backendPid: h.pid },
    visibility: describeVisibility(powers, sessions),
    connections: connectionFigures(sessions, { maxConnections: Number(h.max_conn), reservedForSuperusers: Number(h.reserved) }, options.pool),
    transactions: openTransactions(sessions, longSeconds),
    longTransactionSeconds: longSeconds,
    lockTree: lockTree(sessions),
    sizes,
    cache,
    statements,
    sessions,
  };
}
