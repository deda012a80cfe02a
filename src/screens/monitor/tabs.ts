/**
 * The Monitor screen's tabs as plain rows: pure functions from a snapshot
 * to a header and cells, so the view only lays text out and the tests can
 * read the rows without a terminal. A row with a pid can be acted on.
 */
import { stateLabel } from '../../core/monitor/connections.js';
import { formatAge, formatBytes, formatMs, oneLine } from '../../core/monitor/format.js';
import type { ApplicationCount, LockTreeRow, MonitorSnapshot, Session, SlowStatement, TableSize } from '../../core/monitor/types.js';

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

/** A column as data: its header, its width (0 for the last, which takes what is left), and its cell for one item. */
interface Column<T> extends TabColumn {
  cell: (item: T) => string;
}

/** The header and the rows of a table from its column definitions; `row` gives each row all but its cells. */
function table<T>(columns: Column<T>[], items: T[], row: (item: T, index: number) => Omit<TabRow, 'cells'>): Pick<TabView, 'columns' | 'rows'> {
  return {
    columns: columns.map(({ name, width }) => ({ name, width })),
    rows: items.map((item, i) => ({ ...row(item, i), cells: columns.map((c) => c.cell(item)) })),
  };
}

/** The columns every session tab shows, at that tab's widths. */
const sessionColumns = {
  user: (width: number): Column<Session> => ({ name: 'USER', width, cell: (s) => s.user ?? '-' }),
  // "connector-db …" told none of the tool's own sessions apart in 14 columns: its name shrinks to cdb so the part that differs shows.
  application: (width: number): Column<Session> => ({ name: 'APPLICATION', width, cell: (s) => (s.application || '-').replace(/^connector-db /, 'cdb ') }),
  state: { name: 'STATE', width: 11, cell: shortState } satisfies Column<Session>,
  xact: { name: 'XACT', width: 6, cell: (s) => formatAge(s.xactAgeSeconds) } satisfies Column<Session>,
};

/** A session column read through another item (a lock-tree row). */
function via<T>(column: Column<Session>, session: (item: T) => Session): Column<T> {
  return { ...column, cell: (item) => column.cell(session(item)) };
}

/** A row that is a backend: it can be cancelled or terminated and shows its statement. */
function sessionRow(s: Session, tone: TabRow['tone']): Omit<TabRow, 'cells'> {
  return { key: `pid:${s.pid}`, pid: s.pid, query: s.query, tone };
}

const STATE_RANK = ['lock wait', 'active', 'idle in tx!', 'idle in tx', 'fastpath', 'idle', 'hidden'];

function sessionsTab(snap: MonitorSnapshot): TabView {
  const clients = snap.sessions.filter((s) => s.isClient);
  const rank = (s: Session) => {
    const i = STATE_RANK.indexOf(shortState(s));
    return i === -1 ? STATE_RANK.length : i;
  };
  const sorted = [...clients].sort((a, b) => rank(a) - rank(b) || (b.xactAgeSeconds ?? -1) - (a.xactAgeSeconds ?? -1) || a.pid - b.pid);
  const columns: Column<Session>[] = [
    { name: 'PID', width: 7, cell: (s) => (s.self ? `${s.pid}*` : String(s.pid)) },
    sessionColumns.user(12),
    sessionColumns.application(14),
    sessionColumns.state,
    sessionColumns.xact,
    { name: 'QUERY', width: 0, cell: queryCell },
  ];
  return {
    id: 'sessions',
    title: 'Sessions',
    count: clients.length,
    ...table(columns, sorted, (s) => sessionRow(s, toneOf(s, snap.longTransactionSeconds))),
    empty: 'no client sessions',
  };
}

function lockWaits(s: Session): string {
  const lock = s.lockWait;
  return lock
    ? `${formatAge(lock.waitingSeconds)} ${lock.mode.replace(/Lock$/, '')}${lock.relation ? ` ${lock.relation}` : ` (${lock.lockType})`}`
    : `blocks · ${s.visible ? shortState(s) : 'hidden'}${s.xactAgeSeconds !== null ? ` ${formatAge(s.xactAgeSeconds)}` : ''}`;
}

function locksTab(snap: MonitorSnapshot): TabView {
  const session = (row: LockTreeRow) => row.session;
  const columns: Column<LockTreeRow>[] = [
    { name: 'PID', width: 9, cell: (row) => `${row.depth === 0 ? '' : ' '.repeat(row.depth - 1) + '└'}${row.session.pid}` },
    via(sessionColumns.user(10), session),
    via(sessionColumns.application(12), session),
    { name: 'WAITS FOR', width: 26, cell: (row) => lockWaits(row.session) },
    {
      name: 'QUERY',
      width: 0,
      cell: (row) => {
        const missing = row.missingBlockers.length > 0 ? (row.missingBlockers.includes(0) ? '[prepared xact] ' : `[behind ${row.missingBlockers.join(',')}] `) : '';
        return missing + queryCell(row.session);
      },
    },
  ];
  return {
    id: 'locks',
    title: 'Locks',
    count: snap.connections.waitingOnLocks,
    alert: snap.connections.waitingOnLocks > 0,
    ...table(columns, snap.lockTree, (row) => sessionRow(row.session, row.depth === 0 ? 'error' : 'warn')),
    empty: 'no session waits on a lock',
  };
}

function transactionsTab(snap: MonitorSnapshot): TabView {
  const idle = snap.transactions.filter((s) => s.state?.startsWith('idle in transaction')).length;
  const columns: Column<Session>[] = [
    { name: 'PID', width: 7, cell: (s) => String(s.pid) },
    sessionColumns.user(12),
    sessionColumns.application(14),
    sessionColumns.state,
    sessionColumns.xact,
    { name: 'FOR', width: 6, cell: (s) => formatAge(s.stateAgeSeconds) },
    { name: 'LAST QUERY', width: 0, cell: queryCell },
  ];
  return {
    id: 'transactions',
    title: 'Transactions',
    count: snap.transactions.length,
    alert: idle > 0,
    ...table(columns, snap.transactions, (s) => sessionRow(s, toneOf(s, snap.longTransactionSeconds))),
    empty: `no idle-in-transaction session, nothing open longer than ${formatAge(snap.longTransactionSeconds)}`,
  };
}

const APP_COLUMNS: Column<ApplicationCount>[] = [
  { name: 'APPLICATION', width: 22, cell: (a) => a.application || '(none)' },
  { name: 'USER', width: 12, cell: (a) => a.user ?? '-' },
  { name: 'DATABASE', width: 14, cell: (a) => a.database ?? '-' },
  { name: 'TOTAL', width: 5, cell: (a) => String(a.total) },
  { name: 'STATES', width: 0, cell: (a) => Object.entries(a.states).map(([s, n]) => `${STATE_SHORT[s] ?? s} ${n}`).join(', ') },
];

function appsTab(snap: MonitorSnapshot): TabView {
  return {
    id: 'apps',
    title: 'Apps',
    count: snap.connections.byApplication.length,
    ...table(APP_COLUMNS, snap.connections.byApplication, (a) => ({ key: `app:${a.application}:${a.user}:${a.database}` })),
    empty: 'no client connections',
  };
}

const TABLE_COLUMNS: Column<TableSize>[] = [
  { name: 'TABLE', width: 30, cell: (t) => `${t.schema}.${t.name}` },
  { name: 'TOTAL', width: 9, cell: (t) => formatBytes(t.totalBytes) },
  { name: 'HEAP', width: 9, cell: (t) => formatBytes(t.tableBytes) },
  { name: 'INDEXES', width: 9, cell: (t) => formatBytes(t.indexBytes) },
  { name: 'ROWS (est.)', width: 0, cell: (t) => (t.estimatedRows < 0 ? 'never analysed' : String(Math.round(t.estimatedRows))) },
];

function tablesTab(snap: MonitorSnapshot): TabView {
  return {
    id: 'tables',
    title: 'Tables',
    ...table(TABLE_COLUMNS, snap.sizes.largestTables, (t) => ({ key: `table:${t.schema}.${t.name}` })),
    empty: 'no tables in this database',
  };
}

const STATEMENT_COLUMNS: Column<SlowStatement>[] = [
  { name: 'MEAN', width: 9, cell: (s) => formatMs(s.meanMs) },
  { name: 'MAX', width: 9, cell: (s) => formatMs(s.maxMs) },
  { name: 'CALLS', width: 7, cell: (s) => String(s.calls) },
  { name: 'TOTAL', width: 9, cell: (s) => formatMs(s.totalMs) },
  { name: 'QUERY', width: 0, cell: (s) => oneLine(s.query) },
];

function statementsTab(snap: MonitorSnapshot): TabView {
  const st = snap.statements;
  return {
    id: 'statements',
    title: 'Statements',
    ...table(STATEMENT_COLUMNS, st.status === 'available' ? st.statements : [], (s, i) => ({ key: `stmt:${s.queryId ?? i}`, query: s.query })),
    empty: st.status === 'available' ? 'no statements recorded yet' : st.howTo,
  };
}

export function buildTabs(snap: MonitorSnapshot): TabView[] {
  return [sessionsTab(snap), locksTab(snap), transactionsTab(snap), appsTab(snap), tablesTab(snap), statementsTab(snap)];
}
