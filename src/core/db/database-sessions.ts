/**
 * Who is connected to a database — the "being accessed by other users"
 * that stops DROP and RENAME — and, only when a person confirmed it,
 * disconnecting them.
 */
import type pg from 'pg';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface DbSession {
  pid: number;
  user: string | null;
  application: string;
  /** Client address, or "local socket". */
  client: string;
  state: string | null;
  /** When the session connected. */
  since: Date | null;
  /** What it runs (hidden by the server for other roles' sessions without pg_read_all_stats). */
  query: string | null;
}

export async function sessionsOn(client: Queryable, database: string): Promise<DbSession[]> {
  const { rows } = await client.query<{ pid: number; usename: string | null; application_name: string; addr: string | null; state: string | null; backend_start: Date | null; query: string | null }>(
    `select pid, usename, application_name, host(client_addr) as addr, state, backend_start, query
       from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'
      order by backend_start`,
    [database],
  );
  return rows.map((r) => ({ pid: r.pid, user: r.usename, application: r.application_name, client: r.addr ?? 'local socket', state: r.state, since: r.backend_start, query: r.query }));
}

/** One line per session: "pid 4242 connector_user from 10.0.0.5 (uvicorn), idle since 2025-01-31 14:05 UTC". */
export function describeSession(s: DbSession): string {
  const app = s.application ? ` (${s.application})` : '';
  const since = s.since ? ` since ${s.since.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `pid ${s.pid} ${s.user ?? '?'} from ${s.client}${app}, ${s.state ?? 'state hidden'}${since}`;
}

/** Stop new connections to `database` (so a pool cannot reconnect between terminate and rename). */
export async function setAllowConnections(client: Queryable & { escapeIdentifier(s: string): string }, database: string, allow: boolean): Promise<void> {
  await client.query(`ALTER DATABASE ${client.escapeIdentifier(database)} WITH ALLOW_CONNECTIONS ${allow ? 'true' : 'false'}`);
}

/** pg_terminate_backend for each session; returns the pids that could not be ended. */
export async function terminateSessions(client: Queryable, database: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number; ok: boolean }>(
    `select pid, pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    [database],
  );
  return rows.filter((r) => !r.ok).map((r) => r.pid);
}

/** Wait until nobody else is connected (terminated backends take a moment to go). */
export async function waitForNoSessions(client: Queryable, database: string, timeoutMs = 5000): Promise<DbSession[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = await sessionsOn(client, database);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 100));
  }
}
