/**
 * The migration lock: node-pg-migrate's session-level advisory lock (its
 * well-known key, so any node-pg-migrate runner on the same database is kept
 * out too). We take it ourselves before the runner does, because the runner
 * can only fail at once or wait forever; we wait up to a timeout and then say
 * who holds it. The runner's own pg_try_advisory_lock then succeeds on the
 * same session (advisory locks are re-entrant).
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';

/** node-pg-migrate's PG_MIGRATE_LOCK_ID (checked against the package in a unit test). */
export const MIGRATION_LOCK_KEY = 7241865325823964;
/** How a bigint advisory key appears in pg_locks: classid = high 32 bits, objid = low 32 bits, objsubid = 1. */
const KEY_HIGH = Math.floor(MIGRATION_LOCK_KEY / 2 ** 32);
const KEY_LOW = MIGRATION_LOCK_KEY % 2 ** 32;

export interface LockHolder {
  pid: number;
  applicationName: string | null;
  user: string | null;
  /** Client address (null over a unix socket). */
  clientAddr: string | null;
  clientHostname: string | null;
  /** When the holder's session started (a session lock is taken right after connecting). */
  since: string | null;
  /** What the holder is doing now. */
  state: string | null;
  query: string | null;
}

export interface LockState {
  held: boolean;
  holder: LockHolder | null;
  /** Sessions queued behind it. */
  waiting: number[];
}

type Queryable = Pick<pg.ClientBase, 'query'>;

/** The lock's rows in pg_locks (alias l). */
const LOCK_ROWS = `l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
     and l.classid = ${KEY_HIGH} and l.objid = ${KEY_LOW} and l.objsubid = 1`;

/** The lock-holder query's text. */
export const LOCK_STATE_SQL = `
  select coalesce(json_agg(json_build_object(
           'pid', l.pid, 'granted', l.granted, 'applicationName', a.application_name, 'user', a.usename,
           'clientAddr', host(a.client_addr), 'clientHostname', a.client_hostname, 'since', a.backend_start,
           'state', a.state, 'query', left(a.query, 200)) order by l.granted desc, l.pid), '[]'::json)
    from pg_locks l left join pg_stat_activity a on a.pid = l.pid
   where ${LOCK_ROWS}`;

/**
 * The pids holding (or, with granted false, waiting for) the lock: pg_locks
 * alone, cheap on a fresh session; pg_stat_activity is read only when another
 * session holds it.
 */
export function lockPidsSql(granted: boolean): string {
  return `array(select l.pid from pg_locks l where ${LOCK_ROWS} and ${granted ? '' : 'not '}l.granted order by l.pid)`;
}

interface LockRow extends LockHolder {
  granted: boolean;
}

export function lockStateOf(rows: LockRow[], selfPid?: number): LockState {
  const granted = rows.find((r) => r.granted && r.pid !== selfPid);
  const holder = granted ? { pid: granted.pid, applicationName: granted.applicationName, user: granted.user, clientAddr: granted.clientAddr, clientHostname: granted.clientHostname, since: granted.since, state: granted.state, query: granted.query } : null;
  return { held: holder !== null, holder, waiting: rows.filter((r) => !r.granted).map((r) => r.pid) };
}

export async function readLockState(client: Queryable): Promise<LockState> {
  const { rows } = await client.query<{ rows: LockRow[]; pid: number }>(`select (${LOCK_STATE_SQL}) as rows, pg_backend_pid() as pid`);
  const row = rows[0];
  return lockStateOf(row?.rows ?? [], row?.pid);
}

/** "pid 4242 (connector-db) on 10.0.0.7 since 2024-05-01T10:00:00Z" */
export function describeHolder(holder: LockHolder): string {
  const app = holder.applicationName ? ` (${holder.applicationName})` : '';
  // Both are null over a unix socket, and also when the holder's session is hidden from our role.
  const host = holder.clientHostname ?? holder.clientAddr;
  const since = holder.since ? ` since ${new Date(holder.since).toISOString()}` : '';
  const user = holder.user ? ` as ${holder.user}` : '';
  return `pid ${holder.pid}${app}${user}${host ? ` on ${host}` : ''}${since}`;
}

export interface AcquireOptions {
  /** Seconds to wait for the lock; 0 = fail at once. */
  timeoutSeconds: number;
  /** Told once when we start waiting, with who holds the lock. */
  onWait?: (holder: LockHolder | null) => void;
}

/**
 * Take the lock on this session, waiting up to the timeout (a real queued
 * wait, so monitors see us behind the holder in pg_blocking_pids), else
 * throw migration_lock_held naming the holder.
 */
export async function acquireMigrationLock(client: Queryable, options: AcquireOptions): Promise<void> {
  const tryLock = async () => (await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS ok`)).rows[0]?.ok === true;
  if (await tryLock()) return;
  if (options.timeoutSeconds <= 0) {
    // The holder may have let go between our try and our look: then the lock is free, take it.
    for (let attempt = 0; attempt < 3; attempt++) {
      const state = await readLockState(client);
      if (state.holder) throw lockHeldErrorFor(state, 0);
      if (await tryLock()) return;
    }
    throw await lockHeldError(client, 0);
  }
  options.onWait?.((await readLockState(client)).holder);
  const previous = (await client.query<{ v: string }>(`SELECT current_setting('lock_timeout') AS v`)).rows[0]?.v ?? '0';
  await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.ceil(options.timeoutSeconds * 1000)}ms`]);
  try {
    await client.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') throw await lockHeldError(client, options.timeoutSeconds);
    throw error;
  } finally {
    await client.query(`SELECT set_config('lock_timeout', $1, false)`, [previous]).catch(() => {});
  }
}

async function lockHeldError(client: Queryable, waited: number): Promise<ToolError> {
  return lockHeldErrorFor(await readLockState(client), waited);
}

function lockHeldErrorFor(state: LockState, waited: number): ToolError {
  const who = state.holder ? `locked by ${describeHolder(state.holder)}` : 'locked by a session that has just let go of it';
  const after = waited > 0 ? ` (waited ${waited} s)` : '';
  return new ToolError('migration_lock_held', `Another migration is running: the migration lock is ${who}${after}.`, {
    evidence: state.holder?.query ? [`the holder's current statement: ${state.holder.query.replace(/\s+/g, ' ').trim()}`] : [],
    fixes: ['wait for it to finish, or pass --lock-timeout SECONDS to wait', ...(state.holder ? [`if it is stuck: SELECT pg_terminate_backend(${state.holder.pid});`] : [])],
  });
}

/**
 * Let go of every hold this session has on the lock (ours and, after a
 * failure, the runner's, whose own unlock fails inside the aborted transaction).
 */
export async function releaseMigrationLock(client: Queryable): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const { rows } = await client.query<{ released: boolean }>(
      `SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = ${KEY_HIGH} AND objid = ${KEY_LOW} AND objsubid = 1 AND granted)
              THEN pg_advisory_unlock(${MIGRATION_LOCK_KEY}) ELSE false END AS released`,
    );
    if (!rows[0]?.released) return;
  }
}
