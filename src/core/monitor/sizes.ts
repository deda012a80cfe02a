/**
 * The database's size, its largest tables (with their indexes and TOAST),
 * and the buffer cache hit ratio since the statistics were last reset.
 * All readable by any role that may connect to the database.
 *
 * pg_total_relation_size takes an AccessShareLock on each table: while a
 * migration holds an AccessExclusiveLock, exactly when the monitor is most
 * wanted, it would wait. So it runs under a short lock_timeout and, when a
 * table is locked, falls back to the catalog's page counts (as of the last
 * VACUUM/ANALYZE), saying so.
 */
import type pg from 'pg';
import type { CacheFigures, SizeFigures, TableSize } from './types.js';

type Queryable = Pick<pg.Client, 'query'>;

const LOCK_NOT_AVAILABLE = '55P03';

const TABLES = `
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'm') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`;

const EXACT_SQL = `
select n.nspname as schema, c.relname as name, pg_total_relation_size(c.oid)::float8 as total,
       pg_relation_size(c.oid)::float8 as heap, pg_indexes_size(c.oid)::float8 as indexes, c.reltuples::float8 as reltuples
${TABLES}
order by 3 desc, 1, 2
limit $1`;

// No locks: relpages of the table, its TOAST table and its indexes, times the block size.
const ESTIMATED_SQL = `
with sized as (
  select n.nspname as schema, c.relname as name, c.reltuples::float8 as reltuples,
         c.relpages::float8 * current_setting('block_size')::float8 as heap,
         coalesce((select sum(i.relpages) from pg_index x join pg_class i on i.oid = x.indexrelid where x.indrelid = c.oid), 0)::float8
           * current_setting('block_size')::float8 as indexes,
         coalesce((select t.relpages from pg_class t where t.oid = c.reltoastrelid), 0)::float8 * current_setting('block_size')::float8 as toast
  ${TABLES}
)
select schema, name, heap + indexes + toast as total, heap, indexes, reltuples from sized
order by 3 desc, 1, 2
limit $1`;

interface TableRow {
  schema: string;
  name: string;
  total: number;
  heap: number;
  indexes: number;
  reltuples: number;
}

export async function readSizes(client: Queryable, options: { limit?: number; lockTimeoutMs?: number } = {}): Promise<SizeFigures> {
  const limit = options.limit ?? 10;
  const db = await client.query<{ name: string; bytes: number }>(`select current_database() as name, pg_database_size(current_database())::float8 as bytes`);
  let rows: TableRow[];
  let estimated = false;
  await client.query('begin read only');
  try {
    await client.query(`set local lock_timeout = ${Math.max(1, Math.round(options.lockTimeoutMs ?? 300))}`);
    rows = (await client.query<TableRow>(EXACT_SQL, [limit])).rows;
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
    rows = (await client.query<TableRow>(ESTIMATED_SQL, [limit])).rows;
    estimated = true;
  }
  const row = db.rows[0];
  return {
    database: row?.name ?? '',
    databaseBytes: Number(row?.bytes ?? 0),
    largestTables: rows.map((t): TableSize => ({ schema: t.schema, name: t.name, totalBytes: t.total, tableBytes: t.heap, indexBytes: t.indexes, estimatedRows: t.reltuples })),
    estimated,
  };
}

export async function readCache(client: Queryable): Promise<CacheFigures> {
  const { rows } = await client.query<{ hit: number; read: number; since: Date | null }>(
    `select coalesce(blks_hit, 0)::float8 as hit, coalesce(blks_read, 0)::float8 as read, stats_reset as since
     from pg_stat_database where datname = current_database()`,
  );
  const row = rows[0];
  const hit = row?.hit ?? 0;
  const read = row?.read ?? 0;
  return { blocksHit: hit, blocksRead: read, hitRatio: hit + read === 0 ? null : hit / (hit + read), statsSince: row?.since ? row.since.toISOString() : null };
}
