/**
 * What the monitor reads from the server, as plain values: the `monitor`
 * command prints them (or emits them as JSON), the Monitor screen draws
 * them, and the migration runner reuses the lock-wait part.
 */

/** One row of pg_stat_activity, with the lock it waits for when it waits. */
export interface Session {
  pid: number;
  database: string | null;
  user: string | null;
  application: string;
  clientAddr: string | null;
  /** 'client backend', 'autovacuum worker'...; null when hidden from this role. */
  backendType: string | null;
  /** 'active', 'idle', 'idle in transaction'...; null when hidden or for background processes. */
  state: string | null;
  /** The current or last statement; null when hidden from this role. */
  query: string | null;
  /** Seconds since the transaction began (null outside a transaction or hidden). */
  xactAgeSeconds: number | null;
  /** Seconds since the current or last statement began. */
  queryAgeSeconds: number | null;
  /** Seconds since the state last changed (how long it has been idle in transaction, say). */
  stateAgeSeconds: number | null;
  /** e.g. "Lock:relation", "Client:ClientRead"; null when not waiting or hidden. */
  waitEvent: string | null;
  /** pg_blocking_pids: the sessions this one waits for (0 = a prepared transaction). */
  blockedBy: number[];
  /** The lock it waits for, from pg_locks (visible to every role). */
  lockWait: LockWanted | null;
  /** A client connection (counts against max_connections). Guessed from the role and database when hidden. */
  isClient: boolean;
  /** False when this role may not see its state, query and times (another role's session without pg_read_all_stats). */
  visible: boolean;
  /** The monitor's own connection. */
  self: boolean;
}

export interface LockWanted {
  /** relation, transactionid, tuple, advisory... */
  lockType: string;
  /** AccessExclusiveLock, ShareLock... */
  mode: string;
  /** The table or index, when the lock is on a relation of this database. */
  relation: string | null;
  /** Seconds since it began waiting (pg_locks.waitstart). */
  waitingSeconds: number | null;
}

/** One row of "who blocks whom": a session and how deep it sits under the first blocker. */
export interface LockTreeRow {
  depth: number;
  session: Session;
  /** Other sessions it also waits for (it is drawn under the first one only). */
  alsoBlockedBy: number[];
  /** A pid it waits for that pg_stat_activity does not show (0: a prepared transaction). */
  missingBlockers: number[];
}

export interface StateCount {
  state: string;
  count: number;
}

export interface ApplicationCount {
  application: string;
  user: string | null;
  database: string | null;
  total: number;
  /** Counts per state ('hidden' for sessions this role may not see). */
  states: Record<string, number>;
}

export interface PoolFigures {
  /** DATABASE__POOL_SIZE */
  poolSize: number;
  /** DATABASE__MAX_OVERFLOW */
  maxOverflow: number;
  /** poolSize + maxOverflow: the most connections the connector app opens. */
  ceiling: number;
  /** The connector app's role and database (the settings' target). */
  user: string;
  database: string;
  /** Client connections of that role to that database now (not counting the monitor's own). */
  open: number;
  /** Connections ordinary roles may still open: max_connections - reserved - every client connection but the app's. */
  room: number;
  /** The ceiling fits in the room: the app can open all of its pool without "too many clients". */
  fits: boolean;
}

export interface ConnectionFigures {
  /** Client connections on the whole server (the monitor's own included). */
  total: number;
  maxConnections: number;
  /** superuser_reserved_connections: ordinary roles may use max_connections minus this. */
  reservedForSuperusers: number;
  byState: StateCount[];
  byApplication: ApplicationCount[];
  /** Sessions waiting on a lock right now. */
  waitingOnLocks: number;
  pool: PoolFigures;
}

export interface TableSize {
  schema: string;
  name: string;
  totalBytes: number;
  tableBytes: number;
  indexBytes: number;
  /** pg_class.reltuples: an estimate; -1 when never analysed. */
  estimatedRows: number;
}

export interface SizeFigures {
  database: string;
  databaseBytes: number;
  largestTables: TableSize[];
  /** True when a table was locked (a migration's ALTER, say) and the sizes come from the catalog's page counts instead. */
  estimated: boolean;
}

export interface CacheFigures {
  blocksHit: number;
  blocksRead: number;
  /** hit / (hit + read), 0..1; null before any block was read. */
  hitRatio: number | null;
  /** When the counters were last reset (ISO), if ever. */
  statsSince: string | null;
}

export interface SlowStatement {
  queryId: string | null;
  query: string;
  user: string | null;
  calls: number;
  totalMs: number;
  meanMs: number;
  maxMs: number;
  rows: number;
}

export type StatementsReport =
  | { status: 'available'; version: string; statements: SlowStatement[] }
  /** Not usable: `reason` says why in a few words, `howTo` is the one line to fix it. */
  | { status: 'unavailable'; reason: 'not_preloaded' | 'not_created' | 'not_available' | 'no_permission'; howTo: string };

export interface Visibility {
  role: string;
  superuser: boolean;
  /** Member of pg_read_all_stats (or superuser): every session's query and state are visible. */
  readAllStats: boolean;
  /** Member of pg_signal_backend (or superuser): may cancel or terminate other roles' sessions. */
  signalBackend: boolean;
  /** Sessions whose state and query are hidden from this role. */
  hiddenSessions: number;
  /** Plain sentences: what this role may not see or do, and the grant that would change it. */
  notes: string[];
}

export interface MonitorSnapshot {
  /** The server's clock when the snapshot was taken (ISO). */
  takenAt: string;
  server: { version: string; database: string; user: string; backendPid: number };
  visibility: Visibility;
  connections: ConnectionFigures;
  /** Idle-in-transaction sessions (any age) and transactions open longer than the threshold, oldest first. */
  transactions: Session[];
  /** The threshold used for `transactions`, in seconds. */
  longTransactionSeconds: number;
  /** Every session that waits on a lock or blocks one, as a tree (roots are the sessions holding everyone up). */
  lockTree: LockTreeRow[];
  sizes: SizeFigures;
  cache: CacheFigures;
  statements: StatementsReport;
  /** Every session the server shows (client and background), for the sessions list. */
  sessions: Session[];
}
