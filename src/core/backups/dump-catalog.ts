/**
 * Catalog reads for the progress estimate: the tables pg_dump will copy
 * out (ordinary tables outside the system schemas and not owned by an
 * extension, as pg_dump chooses them) with their sizes, and the live
 * COPY progress of pg_dump's own backend.
 */
import type pg from 'pg';
import type { CopySample, DumpTable } from './dump-progress.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

const TABLES_SQL = (size: string) => `select c.oid::int as oid, n.nspname as schema, c.relname as name,
            (${size})::text as bytes, c.reltuples::float8 as rows
       from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       left join pg_class t on t.oid = c.reltoastrelid
      where c.relkind = 'r'
        and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp\\_%'
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by 2, 3`;

/**
 * The tables with their sizes. pg_table_size needs a share lock on each
 * table; when a migration holds an exclusive one, wait at most a second and
 * fall back to the page counts of the last VACUUM/ANALYZE (no lock at all),
 * so the estimate never keeps the backup waiting.
 */
export async function readDumpTables(client: Queryable): Promise<DumpTable[]> {
  type Row = { oid: number; schema: string; name: string; bytes: string; rows: number };
  let rows: Row[];
  try {
    await client.query(`set lock_timeout = '1s'`);
    rows = (await client.query<Row>(TABLES_SQL('pg_table_size(c.oid)'))).rows;
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    rows = (await client.query<Row>(TABLES_SQL(`(c.relpages::bigint + coalesce(t.relpages, 0)) * current_setting('block_size')::bigint`))).rows;
  } finally {
    await client.query('reset lock_timeout').catch(() => {});
  }
  return rows.map((r) => ({ oid: r.oid, schema: r.schema, name: r.name, bytes: Number(r.bytes), rows: Number(r.rows) }));
}

/** The database's size on disk, for the report before a backup. */
export async function readDatabaseSize(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ size: string }>('select pg_database_size(current_database())::text as size');
  return Number(rows[0]?.size ?? 0);
}

/** What pg_dump's backend is doing now: copying a table (how far), or waiting for a lock (and on whom). */
export interface DumpBackendState {
  copy?: CopySample;
  /** Pids holding the lock pg_dump waits for; empty when it is not waiting. */
  blockedBy: number[];
}

/**
 * pg_stat_progress_copy (PostgreSQL 14+) and pg_blocking_pids for the
 * backend whose application_name we gave pg_dump. One round trip.
 */
export async function readDumpBackend(client: Queryable, applicationName: string): Promise<DumpBackendState> {
  const { rows } = await client.query<{ relid: number | null; tuples: string | null; bytes: string | null; blocked_by: number[] }>(
    `select p.relid::int as relid, p.tuples_processed::text as tuples, p.bytes_processed::text as bytes,
            case when a.wait_event_type = 'Lock' then pg_blocking_pids(a.pid) else '{}'::int[] end as blocked_by
       from pg_stat_activity a left join pg_stat_progress_copy p on p.pid = a.pid and p.command = 'COPY TO'
      where a.application_name = $1
      limit 1`,
    [applicationName],
  );
  const row = rows[0];
  if (!row) return { blockedBy: [] };
  return {
    ...(row.relid !== null ? { copy: { relid: row.relid, tuples: Number(row.tuples), bytes: Number(row.bytes) } } : {}),
    blockedBy: row.blocked_by ?? [],
  };
}
