/**
 * pg_stat_activity joined with the locks each session waits for. Works for
 * any role: another role's session keeps its pid, role, application and
 * database, and loses its state, query and times (unless pg_read_all_stats),
 * which `visible: false` records. pg_locks and pg_blocking_pids are open to
 * every role, so who blocks whom is known even when the query is hidden.
 */
import type pg from 'pg';
import type { LockWanted, Session } from './types.js';
import { redactSql } from '../redact/sql.js';

type Queryable = Pick<pg.Client, 'query'>;

/** The text PostgreSQL puts in `query` for a session this role may not see. */
export const HIDDEN_QUERY = '<insufficient privilege>';

// pg_blocking_pids takes the lock manager's locks briefly: only call it for
// sessions that have an ungranted lock. A relation OID is turned into a name
// only when the lock is in this database (another database's OID could
// name an unrelated table here).
const SESSIONS_SQL = `
with waits as (
  select distinct on (l.pid) l.pid, l.locktype, l.mode,
         case when l.relation is not null and l.database = (select oid from pg_database where datname = current_database())
              then l.relation::regclass::text end as relation,
         extract(epoch from (now() - l.waitstart))::float8 as waiting_seconds
  from pg_locks l
  where not l.granted and l.pid is not null
  order by l.pid, l.waitstart nulls last
)
select a.pid, a.datname, a.usename, coalesce(a.application_name, '') as application_name,
       host(a.client_addr) as client_addr, a.backend_type, a.state,
       nullif(a.query, '${HIDDEN_QUERY}') as query,
       extract(epoch from (now() - a.xact_start))::float8 as xact_age,
       extract(epoch from (now() - a.query_start))::float8 as query_age,
       extract(epoch from (now() - a.state_change))::float8 as state_age,
       case when a.wait_event_type is not null then a.wait_event_type || ':' || coalesce(a.wait_event, '') end as wait_event,
       case when w.pid is not null then pg_blocking_pids(a.pid) else '{}'::int[] end as blocked_by,
       w.locktype, w.mode, w.relation, w.waiting_seconds,
       (a.backend_type is not null or a.state is not null) as visible,
       a.usesysid is not null and a.datid is not null as maybe_client,
       a.pid = pg_backend_pid() as self
from pg_stat_activity a
left join waits w on w.pid = a.pid
$WHERE
order by a.pid`;

interface SessionRow {
  pid: number;
  datname: string | null;
  usename: string | null;
  application_name: string;
  client_addr: string | null;
  backend_type: string | null;
  state: string | null;
  query: string | null;
  xact_age: number | null;
  query_age: number | null;
  state_age: number | null;
  wait_event: string | null;
  blocked_by: number[];
  locktype: string | null;
  mode: string | null;
  relation: string | null;
  waiting_seconds: number | null;
  visible: boolean;
  maybe_client: boolean;
  self: boolean;
}

function toSession(row: SessionRow): Session {
  const lockWait: LockWanted | null =
    row.locktype !== null && row.mode !== null ? { lockType: row.locktype, mode: row.mode, relation: row.relation, waitingSeconds: row.waiting_seconds } : null;
  return {
    pid: row.pid,
    database: row.datname,
    user: row.usename,
    application: row.application_name,
    clientAddr: row.client_addr,
    backendType: row.backend_type,
    state: row.state,
    // Another session's last statement may be ALTER ROLE ... PASSWORD '...': shown masked, like DATABASE__ECHO.
    query: row.query === null ? null : redactSql(row.query),
    xactAgeSeconds: row.xact_age,
    queryAgeSeconds: row.query_age,
    stateAgeSeconds: row.state_age,
    waitEvent: row.wait_event,
    blockedBy: row.blocked_by.map(Number),
    lockWait,
    // A hidden row has no backend_type; one with a role and a database is almost always a client.
    isClient: row.visible ? row.backend_type === 'client backend' : row.maybe_client,
    visible: row.visible,
    self: row.self,
  };
}

/** Every session the server shows this role, or only those with the given pids. */
export async function readSessions(client: Queryable, options: { pids?: number[] } = {}): Promise<Session[]> {
  const filtered = options.pids !== undefined;
  const sql = SESSIONS_SQL.replace('$WHERE', filtered ? 'where a.pid = any($1::int[])' : '');
  const { rows } = await client.query<SessionRow>(sql, filtered ? [options.pids] : []);
  return rows.map(toSession);
}
