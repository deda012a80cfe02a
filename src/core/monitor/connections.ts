/**
 * Pure arithmetic over the sessions: connections by state and by
 * application against max_connections, and the connector app's pool
 * ceiling (pool size + overflow) against the room the server has left.
 */
import type { ApplicationCount, ConnectionFigures, Session, StateCount } from './types.js';

export interface ServerLimits {
  maxConnections: number;
  reservedForSuperusers: number;
}

export interface PoolSettings {
  poolSize: number;
  maxOverflow: number;
  /** The connector app's role and database (DATABASE__USER, DATABASE__NAME). */
  user: string;
  database: string;
}

/** The label for a session's state in the counts ('hidden' when this role may not see it). */
export function stateLabel(s: Session): string {
  if (!s.visible) return 'hidden';
  return s.state ?? 'unknown';
}

const STATE_ORDER = ['active', 'idle in transaction', 'idle in transaction (aborted)', 'idle', 'fastpath function call', 'disabled', 'hidden', 'unknown'];

export function connectionFigures(sessions: Session[], limits: ServerLimits, pool: PoolSettings): ConnectionFigures {
  const clients = sessions.filter((s) => s.isClient);
  const states = new Map<string, number>();
  const apps = new Map<string, ApplicationCount>();
  for (const s of clients) {
    const label = stateLabel(s);
    states.set(label, (states.get(label) ?? 0) + 1);
    const key = JSON.stringify([s.application, s.user, s.database]);
    const app = apps.get(key) ?? { application: s.application, user: s.user, database: s.database, total: 0, states: {} };
    app.total += 1;
    app.states[label] = (app.states[label] ?? 0) + 1;
    apps.set(key, app);
  }
  const byState: StateCount[] = [...states.entries()]
    .map(([state, count]) => ({ state, count }))
    .sort((a, b) => rank(a.state) - rank(b.state));
  const byApplication = [...apps.values()].sort((a, b) => b.total - a.total || a.application.localeCompare(b.application));
  const open = clients.filter((s) => !s.self && s.user === pool.user && s.database === pool.database).length;
  const others = clients.length - open;
  const room = Math.max(0, limits.maxConnections - limits.reservedForSuperusers - others);
  const ceiling = pool.poolSize + pool.maxOverflow;
  return {
    total: clients.length,
    maxConnections: limits.maxConnections,
    reservedForSuperusers: limits.reservedForSuperusers,
    byState,
    byApplication,
    waitingOnLocks: sessions.filter((s) => s.blockedBy.length > 0).length,
    pool: { poolSize: pool.poolSize, maxOverflow: pool.maxOverflow, ceiling, user: pool.user, database: pool.database, open, room, fits: ceiling <= room },
  };
}

function rank(state: string): number {
  const i = STATE_ORDER.indexOf(state);
  return i === -1 ? STATE_ORDER.length : i;
}

/** Idle-in-transaction sessions (any age) and transactions older than `longSeconds`, oldest first; never the monitor's own. */
export function openTransactions(sessions: Session[], longSeconds: number): Session[] {
  return sessions
    .filter((s) => !s.self && s.xactAgeSeconds !== null && (s.state?.startsWith('idle in transaction') || s.xactAgeSeconds >= longSeconds))
    .sort((a, b) => (b.xactAgeSeconds ?? 0) - (a.xactAgeSeconds ?? 0));
}
