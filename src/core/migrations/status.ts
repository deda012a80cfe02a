/**
 * Read where a database stands (read-only: no lock, no table created) —
 * the API the Home screen, doctor, backups and the monitor share.
 * Two round trips: which tables exist (with the other tables and the pids
 * on the migration lock), then the rows of those that do. A third only when
 * another session holds the lock (who it is), or for a schema without
 * history (the revision its objects match).
 */
import type pg from 'pg';
import { loadMigrationFiles, type MigrationFile } from './files.js';
import { ALEMBIC_TABLE, BOOKKEEPING_TABLES, RECORD_SCHEMA, RECORD_TABLE, SIDE_TABLE } from './bookkeeping.js';
import { lockPidsSql, readLockState, type LockState } from './lock.js';
import { buildStatus, type MigrationStatus, type RecordRow, type SideRow, type StatusInput } from './status-model.js';
import { inferSchemaRevision } from './schema-match.js';

export type { MigrationStatus, RevisionStatus, Problem, UnknownRevision, AlembicState, ChecksumState } from './status-model.js';
export { CHECK_FAILURES } from './status-model.js';
export type { LockHolder, LockState } from './lock.js';
export type { MigrationFile } from './files.js';
export { loadMigrationFiles } from './files.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface StatusOptions {
  /** Files already loaded (the runner reads them once per run), or being loaded. */
  files?: MigrationFile[] | Promise<MigrationFile[]>;
}

interface Presence {
  has_record: boolean;
  has_side: boolean;
  alembic: string | null;
  tables: string[];
  lock_granted: number[];
  lock_waiting: number[];
  pid: number;
}

/**
 * The status of the database behind `client` against the files in `dir`.
 * Throws only what the connection throws (and the files' own problems).
 */
export async function readMigrationStatus(client: Queryable, dir: string, options: StatusOptions = {}): Promise<MigrationStatus> {
  // The query goes out first; the files (read synchronously) are read while the server answers.
  const presenceQuery = client.query<Presence>(
    `select to_regclass('"${RECORD_SCHEMA}"."${RECORD_TABLE}"') is not null as has_record,
            to_regclass('"${RECORD_SCHEMA}"."${SIDE_TABLE}"') is not null as has_side,
            to_regclass('${ALEMBIC_TABLE}')::text as alembic,
            array(select c.relname::text from pg_class c
                   where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())
                     and c.relkind in ('r', 'p', 'v', 'm') and c.relname <> all ($1::text[])
                   order by c.relname) as tables,
            ${lockPidsSql(true)} as lock_granted,
            ${lockPidsSql(false)} as lock_waiting,
            pg_backend_pid() as pid`,
    [[...BOOKKEEPING_TABLES]],
  );
  // Both are awaited below, the query first; keep either rejection handled meanwhile.
  presenceQuery.catch(() => {});
  const filesPromise = options.files ? Promise.resolve(options.files) : loadMigrationFiles(dir);
  filesPromise.catch(() => {});
  const p = (await presenceQuery).rows[0] as Presence;
  // A fresh session pays for every catalog and function a query touches first: these reads
  // stay plain (no json, no time-zone formatting), with times as epoch milliseconds.
  const reads: string[] = [];
  if (p.has_record) {
    reads.push(`select name, ${epochMs(`r.run_on at time zone current_setting('TimeZone')`)} as run_on from "${RECORD_SCHEMA}"."${RECORD_TABLE}" r order by r.run_on, r.id`);
  }
  if (p.has_side) {
    reads.push(
      `select name, revision, sha256, ${epochMs('applied_at')} as applied_at, duration_ms, source, state, statements_done, statements_total, error from "${RECORD_SCHEMA}"."${SIDE_TABLE}"`,
    );
  }
  if (p.alembic) reads.push(`select version_num::text as version_num from ${p.alembic}`);
  const results = reads.length === 0 ? [] : await multi(client, reads.join(';\n'));
  let next = 0;
  const recordRows = p.has_record ? (results[next++] ?? []) : [];
  const sideRows = p.has_side ? (results[next++] ?? []) : [];
  const alembicRows = p.alembic ? (results[next++] ?? []) : [];

  const records: RecordRow[] = recordRows.map((r) => ({ name: String(r.name), runOn: isoOf(r.run_on) }));
  const side: SideRow[] = sideRows.map((r) => ({
    name: String(r.name),
    revision: String(r.revision),
    sha256: String(r.sha256).trim(),
    appliedAt: isoOf(r.applied_at),
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
    lock: await lockState(client, p),
  };
  const status = buildStatus(input);
  if (!status.schemaWithoutHistory) return status;
  return buildStatus({ ...input, stampTo: await inferSchemaRevision(client, files) });
}

/** A timestamp as whole milliseconds since 1970 (int8: text to pg, exact). */
function epochMs(expression: string): string {
  return `floor(extract(epoch from ${expression}) * 1000)::int8`;
}

function isoOf(epochMs: unknown): string | null {
  return epochMs === null || epochMs === undefined ? null : new Date(Number(epochMs)).toISOString();
}

/** Who holds the lock is read only when another session does. */
async function lockState(client: Queryable, p: Presence): Promise<LockState> {
  if (p.lock_granted.some((pid) => pid !== p.pid)) return readLockState(client);
  return { held: false, holder: null, waiting: p.lock_waiting };
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
