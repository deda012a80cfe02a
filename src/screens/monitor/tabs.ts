/**
 * The Monitor screen's tabs as plain rows: pure functions from a snapshot
 * to a header and cells, so the view only lays text out and the tests can
 * read the rows without a terminal. A row with a pid can be acted on.
 */
import { stateLabel } from '../../core/monitor/connections.js';
import { formatAge, formatBytes, formatMs, oneLine } from '../../core/monitor/format.js';
import type { MonitorSnapshot, Session } from '../../core/monitor/types.js';

export type TabId = 'sessions' | 'locks' | 'transactions' | 'apps' | 'tables' | 'statements';

export interface TabColumn {
  name: string;
  /** Fixed width; the last column takes what is left. */
  width: number;
}

export interface TabRow {
  /** Stable identity across refreshes (the selection follows it). */
  key: string;
  cells: string[];
  /** The backend a cancel/terminate on this row acts on. */
  pid?: number;
  /** The full statement, for the detail line. */
  query?: string | null;
  tone?: 'warn' | 'error' | 'muted';
}

export interface TabView {
  id: TabId;
  title: string;
  /** Shown beside the title in the tab bar (e.g. how many wait). */
  count?: number;
  /** The tab has something that needs attention (lock waits, idle transactions). */
  alert?: boolean;
  columns: TabColumn[];
  rows: TabRow[];
  /** What to say when there are no rows. */
  empty: string;
}

export const TAB_ORDER: TabId[] = ['sessions', 'locks', 'transactions', 'apps', 'tables', 'statements'];

const STATE_SHORT: Record<string, string> = {
  'idle in transaction': 'idle in tx',
  'idle in transaction (aborted)': 'idle in tx!',
  'fastpath function call': 'fastpath',
};

export function shortState(s: Session): string {
  if (!s.visible) return 'hidden';
  if (s.blockedBy.length > 0) return 'lock wait';
  const label = stateLabel(s);
  return STATE_SHORT[label] ?? label;
}

function queryCell(s: Session): string {
  if (!s.visible) return '(hidden from this role)';
  return oneLine(s.query);
}

function toneOf(s: Session, longSeconds: number): TabRow['tone'] {
  if (s.blockedBy.length > 0) return 'warn';
  if (s.state?.startsWith('idle in transaction')) return (s.stateAgeSeconds ?? 0) >= longSeconds ? 'error' : 'warn';
  if (!s.visible || s.state === 'idle') return 'muted';
  return undefined;
}

const STATE_RANK = ['lock wait', 'active', 'idle in tx!', 'idle in tx', 'fastpath', 'idle', 'hidden'];

function sessionsTab(snap: MonitorSnapshot): TabView {
  const clients = snap.sessions.filter((s) => s.isClient);
  const rank = (s: Session) => {
    const i = STATE_RANK.indexOf(shortState(s));
    return i === -1 ? STATE_RANK.length : i;
  };
  const sorted = [...clients].sort((a, b) => rank(a) - rank(b) || (b.xactAgeSeconds ?? -1) - (a.xactAgeSeconds ?? -1) || a.pid - b.pid);
  return {
    id: 'sessions',
    title: 'Sessions',
    count: clients.length,
    columns: [
      { name: 'PID', width: 7 },
      { name: 'USER', width: 12 },
      { name: 'APPLICATION', width: 14 },
      { name: 'STATE', width: 11 },
      { name: 'XACT', width: 6 },
      { name: 'QUERY', width: 0 },
    ],
    rows: sorted.map((s) => ({
      key: `pid:${s.pid}`,
      pid: s.pid,
      query: s.query,
      tone: toneOf(s, snap.longTransactionSeconds),
      cells: [s.self ? `${s.pid}*` : String(s.pid), s.user ?? '-', s.application || '-', shortState(s), formatAge(s.xactAgeSeconds), queryCell(s)],
    })),
    empty: 'no client sessions',
  };
}

function locksTab(snap: MonitorSnapshot): TabView {
  return {
    id: 'locks',
    title: 'Locks',
    count: snap.connections.waitingOnLocks,
    alert: snap.connections.waitingOnLocks > 0,
    columns: [
      { name: 'PID', width: 9 },
      { name: 'USER', width: 10 },
      { name: 'APPLICATION', width: 12 },
      { name: 'WAITS FOR', width: 26 },
      { name: 'QUERY', width: 0 },
    ],
    rows: snap.lockTree.map((row) => {
      const s = row.session;
      const indent = row.depth === 0 ? '' : ' '.repeat(row.depth - 1) + '└';
      const lock = s.lockWait;
      const waits = lock
        ? `${formatAge(lock.waitingSeconds)} ${lock.mode.replace(/Lock$/, '')}${lock.relation ? ` ${lock.relation}` : ` (${lock.lockType})`}`
        : `blocks · ${s.visible ? shortState(s) : 'hidden'}${s.xactAgeSeconds !== null ? ` ${formatAge(s.xactAgeSeconds)}` : ''}`;
      const missing = row.missingBlockers.length > 0 ? (row.missingBlockers.includes(0) ? '[prepared xact] ' : `[behind ${row.missingBlockers.join(',')}] `) : '';
      return {
        key: `pid:${s.pid}`,
        pid: s.pid,
        query: s.query,
        tone: row.depth === 0 ? 'error' : 'warn',
        cells: [`${indent}${s.pid}`, s.user ?? '-', s.application || '-', waits, missing + queryCell(s)],
      };
    }),
    empty: 'no session waits on a lock',
  };
}

function transactionsTab(snap: MonitorSnapshot): TabView {
  const idle = snap.transactions.filter((s) => s.state?.startsWith('idle in transaction')).length;
  return {
    id: 'transactions',
    title: 'Transactions',
    count: snap.transactions.length,
    alert: idle > 0,
    columns: [
      { name: 'PID', width: 7 },
      { name: 'USER', width: 12 },
      { name: 'APPLICATION', width: 14 },
      { name: 'STATE', width: 11 },
      { name: 'XACT', width: 6 },
      { name: 'FOR', width: 6 },
      { name: 'LAST QUERY', width: 0 },
    ],
    rows: snap.transactions.map((s) => ({
      key: `pid:${s.pid}`,
      pid: s.pid,
      query: s.query,
      tone: toneOf(s, snap.longTransactionSeconds),
      cells: [String(s.pid), s.user ?? '-', s.application || '-', shortState(s), formatAge(s.xactAgeSeconds), formatAge(s.stateAgeSeconds), queryCell(s)],
    })),
    empty: `no idle-in-transaction session, nothing open longer than ${formatAge(snap.longTransactionSeconds)}`,
  };
}

function appsTab(snap: MonitorSnapshot): TabView {
  return {
    id: 'apps',
    title: 'Apps',
    count: snap.connections.byApplication.length,
    columns: [
      { name: 'APPLICATION', width: 22 },
      { name: 'USER', width: 12 },
      { name: 'DATABASE', width: 14 },
      { name: 'TOTAL', width: 5 },
      { name: 'STATES', width: 0 },
    ],
    rows: snap.connections.byApplication.map((a) => ({
      key: `app:${a.application}:${a.user}:${a.database}`,
      cells: [a.application || '(none)', a.user ?? '-', a.database ?? '-', String(a.total), Object.entries(a.states).map(([s, n]) => `${STATE_SHORT[s] ?? s} ${n}`).join(', ')],
    })),
    empty: 'no client connections',
  };
}

function tablesTab(snap: MonitorSnapshot): TabView {
  return {
    id: 'tables',
    title: 'Tables',
    columns: [
      { name: 'TABLE', width: 30 },
      { name: 'TOTAL', width: 9 },
      { name: 'HEAP', width: 9 },
      { name: 'INDEXES', width: 9 },
      { name: 'ROWS (est.)', width: 0 },
    ],
    rows: snap.sizes.largestTables.map((t) => ({
      key: `table:${t.schema}.${t.name}`,
      cells: [`${t.schema}.${t.name}`, formatBytes(t.totalBytes), formatBytes(t.tableBytes), formatBytes(t.indexBytes), t.estimatedRows < 0 ? 'never analysed' : String(Math.round(t.estimatedRows))],
    })),
    empty: 'no tables in this database',
  };
}

function statementsTab(snap: MonitorSnapshot): TabView {
  const st = snap.statements;
  return {
    id: 'statements',
    title: 'Statements',
    columns: [
      { name: 'MEAN', width: 9 },
      { name: 'MAX', width: 9 },
      { name: 'CALLS', width: 7 },
      { name: 'TOTAL', width: 9 },
      { name: 'QUERY', width: 0 },
    ],
    rows:
      st.status === 'available'
        ? st.statements.map((s, i) => ({ key: `stmt:${s.queryId ?? i}`, query: s.query, cells: [formatMs(s.meanMs), formatMs(s.maxMs), String(s.calls), formatMs(s.totalMs), oneLine(s.query)] }))
        : [],
    empty: st.status === 'available' ? 'no statements recorded yet' : st.howTo,
  };
}

export function buildTabs(snap: MonitorSnapshot): TabView[] {
  return [sessionsTab(snap), locksTab(snap), transactionsTab(snap), appsTab(snap), tablesTab(snap), statementsTab(snap)];
}
