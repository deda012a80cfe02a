/**
 * The slowest statements from pg_stat_statements when it can be read; when
 * it cannot, the one line that would make it readable (never an error: the
 * rest of the monitor is still worth seeing). Works for ordinary roles:
 * shared_preload_libraries is hidden from them (pg_settings has no row), so
 * "not loaded" is then learnt from the view's own refusal.
 */
import type pg from 'pg';
import type { SlowStatement, StatementsReport } from './types.js';
import { redactSql } from '../redact/sql.js';

type Queryable = Pick<pg.Client, 'query'>;

const PRELOAD =
  "set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf (docker compose: command: postgres -c shared_preload_libraries=pg_stat_statements) and restart the server";
const CREATE = 'CREATE EXTENSION pg_stat_statements; as a superuser in this database';

/** SQLSTATE 55000: "pg_stat_statements must be loaded via shared_preload_libraries". */
const NOT_LOADED = '55000';
const PERMISSION_DENIED = '42501';

export async function readSlowStatements(client: Queryable, options: { limit?: number } = {}): Promise<StatementsReport> {
  const { rows } = await client.query<{ schema: string | null; version: string | null; preload: string | null; available: boolean }>(
    `select (select extnamespace::regnamespace::text from pg_extension where extname = 'pg_stat_statements') as schema,
            (select extversion from pg_extension where extname = 'pg_stat_statements') as version,
            (select setting from pg_settings where name = 'shared_preload_libraries') as preload,
            exists (select 1 from pg_available_extensions where name = 'pg_stat_statements') as available`,
  );
  const info = rows[0];
  if (!info) throw new Error('the server returned no row for pg_stat_statements');
  const preloaded = info.preload === null ? null : info.preload.split(',').some((lib) => lib.trim().replace(/^"|"$/g, '') === 'pg_stat_statements');
  if (!info.schema) {
    if (!info.available) return { status: 'unavailable', reason: 'not_available', howTo: `pg_stat_statements is not installed: install the PostgreSQL contrib package, ${PRELOAD}, then ${CREATE}.` };
    if (preloaded === true) return { status: 'unavailable', reason: 'not_created', howTo: `pg_stat_statements is loaded but not created here: ${CREATE}.` };
    return { status: 'unavailable', reason: preloaded === false ? 'not_preloaded' : 'not_created', howTo: `pg_stat_statements is not enabled: ${PRELOAD}, then ${CREATE}.` };
  }
  const view = `${info.schema}.pg_stat_statements`;
  try {
    return { status: 'available', version: info.version ?? '', statements: await slowest(client, view, options.limit ?? 10) };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === NOT_LOADED) return { status: 'unavailable', reason: 'not_preloaded', howTo: `pg_stat_statements is created but not loaded: ${PRELOAD}.` };
    if (code === PERMISSION_DENIED) return { status: 'unavailable', reason: 'no_permission', howTo: `this role may not read ${view}: GRANT pg_read_all_stats (or SELECT ON ${view}) to it.` };
    throw error;
  }
}

async function slowest(client: Queryable, view: string, limit: number): Promise<SlowStatement[]> {
  const result = await client.query<{ queryid: string | null; query: string | null; usename: string | null; calls: string; total: number; mean: number; max: number; rows: string }>(
    `select s.queryid::text as queryid, s.query, r.rolname as usename, s.calls::text as calls,
            s.total_exec_time as total, s.mean_exec_time as mean, s.max_exec_time as max, s.rows::text as rows
     from ${view} s left join pg_roles r on r.oid = s.userid
     where s.dbid = (select oid from pg_database where datname = current_database())
     order by s.mean_exec_time desc
     limit $1`,
    [limit],
  );
  return result.rows.map((r) => ({
    queryId: r.queryid,
    // Another role's statement reads "<insufficient privilege>" without pg_read_all_stats.
    // Utility statements are kept with their literals (ALTER ROLE ... PASSWORD '...'): shown masked.
    query: redactSql(r.query ?? ''),
    user: r.usename,
    calls: Number(r.calls),
    totalMs: Number(r.total),
    meanMs: Number(r.mean),
    maxMs: Number(r.max),
    rows: Number(r.rows),
  }));
}
