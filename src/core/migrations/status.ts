/**
 * Read where a database stands (read-only: no lock, no table created) —
 * the API the Home screen, doctor, backups and the monitor share.
 * Two round trips: which tables exist (with the lock holder and the other
 * tables), then the rows of those that do; a third only for a schema
 * without history, to name the revision its objects match.
 */
import type pg from 'pg';
import { loadMigrationFiles, type MigrationFile } from './files.js';
import { ALEMBIC_TABLE, BOOKKEEPING_TABLES, RECORD_SCHEMA, RECORD_TABLE, SIDE_TABLE } from './bookkeeping.js';
import { LOCK_STATE_SQL, lockStateOf } from './lock.js';
import { buildStatus, type MigrationStatus, type RecordRow, type SideRow, type StatusInput } from './status-model.js';
import { inferSchemaRevision } from './schema-match.js';

export type { MigrationStatus, RevisionStatus, Problem, UnknownRevision, AlembicState, ChecksumState } from './status-model.js';
export { CHECK_FAILURES } from './status-model.js';
export type { LockHolder, LockState } from './lock.js';
export type { MigrationFile } from './files.js';
export { loadMigrationFiles } from './files.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface StatusOptions {
  /** Files already loaded (the runner reads them once per run). */
  files?: MigrationFile[];
}

interface Presence {
  has_record: boolean;
  has_side: boolean;
  alembic: string | null;
  tables: string[];
  lock_rows: Parameters<typeof lockStateOf>[0];
  pid: number;
}

/**
 * The status of the database behind `client` against the files in `dir`.
 * Throws only what the connection throws (and the files' own problems).
 */
export async function readMigrationStatus(client: Queryable, dir: string, options: StatusOptions = {}): Promise<MigrationStatus> {
  const filesPromise = options.files ? Promise.resolve(options.files) : loadMigrationFiles(dir);
  // Keep the rejection handled while the query runs; it is awaited below.
  filesPromise.catch(() => {});
  const presence = await client.query<Presence>(
    `select to_regclass('"${RECORD_SCHEMA}"."${RECORD_TABLE}"') is not null as has_record,
            to_regclass('"${RECORD_SCHEMA}"."${SIDE_TABLE}"') is not null as has_side,
            to_regclass('${ALEMBIC_TABLE}')::text as alembic,
            (select coalesce(json_agg(c.relname::text order by c.relname), '[]'::json)
               from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = current_schema() and c.relkind in ('r', 'p', 'v', 'm')
                and c.relname <> all ($1::text[])) as tables,
            (${LOCK_STATE_SQL}) as lock_rows,
            pg_backend_pid() as pid`,
    [[...BOOKKEEPING_TABLES]],
  );
  const p = presence.rows[0] as Presence;
  const reads: string[] = [];
  if (p.has_record) reads.push(`select name, run_on at time zone current_setting('TimeZone') as run_on from "${RECORD_SCHEMA}"."${RECORD_TABLE}" order by run_on, id`);
  if (p.has_side) {
    reads.push(
      `select name, revision, sha256, applied_at, duration_ms, source, state, statements_done, statements_total, error from "${RECORD_SCHEMA}"."${SIDE_TABLE}"`,
    );
  }
  if (p.alembic) reads.push(`select version_num::text as version_num from ${p.alembic}`);
  const results = reads.length === 0 ? [] : await multi(client, reads.join(';\n'));
  let next = 0;
  const recordRows = p.has_record ? (results[next++] ?? []) : [];
  const sideRows = p.has_side ? (results[next++] ?? []) : [];
  const alembicRows = p.alembic ? (results[next++] ?? []) : [];

  const records: RecordRow[] = recordRows.map((r) => ({ name: String(r.name), runOn: r.run_on ? new Date(r.run_on as string).toISOString() : null }));
  const side: SideRow[] = sideRows.map((r) => ({
    name: String(r.name),
    revision: String(r.revision),
    sha256: String(r.sha256).trim(),
    appliedAt: r.applied_at ? new Date(r.applied_at as string).toISOString() : null,
    durationMs: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    source: r.source as SideRow['source'],
    state: r.state === 'partial' ? 'partial' : 'applied',
    statementsDone: r.statements_done === null ? null : Number(r.statements_done),
    statementsTotal: r.statements_total === null ? null : Number(r.statements_total),
    error: (r.error as string | null) ?? null,
  }));
  const files = await filesPromise;
  const input: StatusInput = {
    dir,
    files,
    recordTableExists: p.has_record,
    records,
    side,
    alembic: { exists: p.alembic !== null, values: alembicRows.map((r) => String(r.version_num)) },
    tables: p.tables,
    lock: lockStateOf(p.lock_rows, p.pid),
  };
  const status = buildStatus(input);
  if (!status.schemaWithoutHistory) return status;
  return buildStatus({ ...input, stampTo: await inferSchemaRevision(client, files) });
}

/** Several statements in one round trip (simple query protocol); one row array per statement. */
async function multi(client: Queryable, sql: string): Promise<Record<string, unknown>[][]> {
  const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
  return (Array.isArray(result) ? result : [result]).map((r) => r.rows as Record<string, unknown>[]);
}

/** One line for Home, doctor and backup manifests: "003 (head)", "002 · 1 pending", "base · 3 pending". */
export function summarizeStatus(status: MigrationStatus): string {
  const at = status.current ?? 'base';
  if (status.schemaWithoutHistory) return `no revision recorded, but the migrations' tables exist (schema_without_history${status.stampTo?.revision ? `: they match ${status.stampTo.revision}` : ''})`;
  if (status.unknown.length > 0) return `${at} (unknown revision)`;
  const head = status.atHead ? ' (head)' : ` · ${status.pendingCount} pending (head ${status.head ?? 'none'})`;
  const drift = status.drifted.length > 0 ? ` · drifted ${status.drifted.join(', ')}` : '';
  return `${at}${head}${drift}`;
}
