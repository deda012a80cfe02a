/**
 * Monitor snapshots for the UI tests, built from plain sessions with the
 * engine's own pure functions (lock tree, connection figures, visibility),
 * so the screen is fed exactly the shapes the real engine produces.
 */
import { connectionFigures, openTransactions } from '../../src/core/monitor/connections.js';
import { lockTree } from '../../src/core/monitor/locks.js';
import type { MonitorSnapshot, Session, StatementsReport } from '../../src/core/monitor/types.js';
import { describeVisibility } from '../../src/core/monitor/visibility.js';

export function session(pid: number, fields: Partial<Session> = {}): Session {
  return {
    pid,
    database: 'connector_db',
    user: 'connector_user',
    application: 'connector',
    clientAddr: '10.0.0.5',
    backendType: 'client backend',
    state: 'idle',
    query: 'SELECT 1',
    xactAgeSeconds: null,
    queryAgeSeconds: 1,
    stateAgeSeconds: 1,
    waitEvent: null,
    blockedBy: [],
    lockWait: null,
    isClient: true,
    visible: true,
    self: false,
    ...fields,
  };
}

/** A holder idle in transaction for 5 min, a migration waiting on it, a reader queued behind, the app's pool, the monitor itself. */
export function busySessions(): Session[] {
  return [
    session(4101, { application: 'worker', state: 'idle in transaction', query: "UPDATE jobs SET status = 'running' WHERE job_id = $1", xactAgeSeconds: 312, stateAgeSeconds: 300 }),
    session(4102, {
      user: 'migrator',
      application: 'connector-db migrate',
      state: 'active',
      query: 'ALTER TABLE jobs ADD COLUMN normalized_input jsonb NOT NULL DEFAULT \'{}\'::jsonb',
      xactAgeSeconds: 42,
      waitEvent: 'Lock:relation',
      blockedBy: [4101],
      lockWait: { lockType: 'relation', mode: 'AccessExclusiveLock', relation: 'jobs', waitingSeconds: 41.5 },
    }),
    session(4103, {
      application: 'api',
      state: 'active',
      query: 'SELECT * FROM jobs WHERE status = $1',
      xactAgeSeconds: 12,
      waitEvent: 'Lock:relation',
      blockedBy: [4102],
      lockWait: { lockType: 'relation', mode: 'AccessShareLock', relation: 'jobs', waitingSeconds: 11.9 },
    }),
    session(4104, { application: 'api' }),
    session(4105, { application: 'api' }),
    session(4200, { user: 'postgres', application: 'connector-db monitor', state: 'active', query: 'with waits as (...)', xactAgeSeconds: 0, self: true }),
  ];
}

export function snapshotOf(sessions: Session[], overrides: { statements?: StatementsReport; role?: { superuser: boolean; readAllStats: boolean; signalBackend: boolean; role: string }; takenAt?: string } = {}): MonitorSnapshot {
  const role = overrides.role ?? { role: 'postgres', superuser: true, readAllStats: true, signalBackend: true };
  return {
    takenAt: overrides.takenAt ?? '2026-01-01T00:00:00.000Z',
    server: { version: '15.20', database: 'connector_db', user: role.role, backendPid: 4200 },
    visibility: describeVisibility(role, sessions),
    connections: connectionFigures(sessions, { maxConnections: 100, reservedForSuperusers: 3 }, { poolSize: 10, maxOverflow: 20, user: 'connector_user', database: 'connector_db' }),
    transactions: openTransactions(sessions, 60),
    longTransactionSeconds: 60,
    lockTree: lockTree(sessions),
    sizes: {
      database: 'connector_db',
      databaseBytes: 7.4 * 1024 * 1024,
      estimated: false,
      largestTables: [{ schema: 'public', name: 'jobs', totalBytes: 3 * 1024 * 1024, tableBytes: 2 * 1024 * 1024, indexBytes: 1024 * 1024, estimatedRows: 5000 }],
    },
    cache: { blocksHit: 9920, blocksRead: 80, hitRatio: 0.992, statsSince: null },
    statements: overrides.statements ?? {
      status: 'unavailable',
      reason: 'not_preloaded',
      howTo: "pg_stat_statements is not enabled: set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf and restart the server, then CREATE EXTENSION pg_stat_statements;.",
    },
    sessions,
  };
}
