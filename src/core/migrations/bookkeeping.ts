/**
 * The records a migration leaves behind, as SQL text: node-pg-migrate's own
 * table (which it writes), our side table with a checksum per applied file,
 * and the connector app's `alembic_version`. The runner and the `--sql`
 * printer both take their statements from here, so what is printed is what
 * would run.
 */

/** node-pg-migrate's table (`migrationsTable`, in `migrationsSchema`). */
export const RECORD_SCHEMA = 'public';
export const RECORD_TABLE = 'pgmigrations';
/** Ours: one row per applied file with its sha256, written in the migration's own transaction. */
export const SIDE_TABLE = 'connector_db_migrations';
/** The connector app's Alembic record (found through search_path, as Alembic does). */
export const ALEMBIC_TABLE = 'alembic_version';

export const BOOKKEEPING_TABLES = [RECORD_TABLE, SIDE_TABLE, ALEMBIC_TABLE] as const;

/** The runner's own CREATE (node-pg-migrate runner.ts ensureMigrationsTable), for printed scripts. */
export const CREATE_RECORD_TABLE = `CREATE TABLE IF NOT EXISTS "${RECORD_SCHEMA}"."${RECORD_TABLE}" (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);`;

export const CREATE_SIDE_TABLE = `CREATE TABLE IF NOT EXISTS "${RECORD_SCHEMA}"."${SIDE_TABLE}" (
    name             varchar(255) PRIMARY KEY,
    revision         varchar(32)  NOT NULL,
    sha256           char(64)     NOT NULL,
    applied_at       timestamptz  NOT NULL DEFAULT now(),
    duration_ms      integer      NULL,
    source           text         NOT NULL,
    state            text         NOT NULL DEFAULT 'applied',
    statements_done  integer      NULL,
    statements_total integer      NULL,
    error            text         NULL
);`;

const SIDE = `"${RECORD_SCHEMA}"."${SIDE_TABLE}"`;

/** How a record came to be: a real run, a stamp, or adopted from Alembic's record. */
export type RecordSource = 'upgrade' | 'stamp' | 'alembic';

/** A SQL string literal (standard_conforming_strings is on in every supported server). */
export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export interface FileRef {
  id: string;
  name: string;
  sha256: string;
}

/**
 * Record an applied file. Inside the migration's transaction, now() is when
 * the transaction began, so the duration is measured by the server itself.
 */
export function recordApplied(file: FileRef, source: RecordSource, startedAt?: Date): string {
  const applied = startedAt ? `${literal(startedAt.toISOString())}::timestamptz` : 'now()';
  const duration = `(extract(epoch from clock_timestamp() - ${applied}) * 1000)::integer`;
  return (
    `INSERT INTO ${SIDE} (name, revision, sha256, applied_at, duration_ms, source, state) ` +
    `VALUES (${literal(file.name)}, ${literal(file.id)}, ${literal(file.sha256)}, ${applied}, ${source === 'upgrade' ? duration : 'NULL'}, ${literal(source)}, 'applied') ` +
    `ON CONFLICT (name) DO UPDATE SET revision = EXCLUDED.revision, sha256 = EXCLUDED.sha256, applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, ` +
    `source = EXCLUDED.source, state = 'applied', statements_done = NULL, statements_total = NULL, error = NULL;`
  );
}

export function forgetApplied(file: Pick<FileRef, 'name'>): string {
  return `DELETE FROM ${SIDE} WHERE name = ${literal(file.name)};`;
}

/** A file that runs outside a transaction stopped half-way: say exactly how far it got. */
export function recordPartial(file: FileRef, direction: 'up' | 'down', done: number, total: number, error: string): string {
  const note = `${direction}: ${error}`;
  return (
    `INSERT INTO ${SIDE} (name, revision, sha256, source, state, statements_done, statements_total, error) ` +
    `VALUES (${literal(file.name)}, ${literal(file.id)}, ${literal(file.sha256)}, 'upgrade', 'partial', ${done}, ${total}, ${literal(note)}) ` +
    `ON CONFLICT (name) DO UPDATE SET state = 'partial', statements_done = ${done}, statements_total = ${total}, error = ${literal(note)};`
  );
}

/** Keep Alembic's one row in step: the new revision, or no row at base (as `alembic downgrade base` leaves it). */
export function alembicSet(revision: string | null): string[] {
  const statements = [`DELETE FROM ${ALEMBIC_TABLE};`];
  if (revision !== null) statements.push(`INSERT INTO ${ALEMBIC_TABLE} (version_num) VALUES (${literal(revision)});`);
  return statements;
}

/** The runner's own statements (Migration._getMarkAsRun), for printed scripts. */
export function runnerMark(name: string, direction: 'up' | 'down'): string {
  return direction === 'up'
    ? `INSERT INTO "${RECORD_SCHEMA}"."${RECORD_TABLE}" (name, run_on) VALUES (${literal(name)}, NOW());`
    : `DELETE FROM "${RECORD_SCHEMA}"."${RECORD_TABLE}" WHERE name=${literal(name)};`;
}

/** Per-migration limits, set inside its transaction (SET LOCAL) or around it when it runs without one. */
export interface MigrationTimeouts {
  /** lock_timeout for the migration's statements, in ms (0 = wait forever, PostgreSQL's default). */
  lockTimeoutMs?: number;
  /** statement_timeout for each of its statements, in ms. */
  statementTimeoutMs?: number;
}

export function timeoutStatements(timeouts: MigrationTimeouts | undefined, scope: 'local' | 'session'): string[] {
  if (!timeouts) return [];
  const set = scope === 'local' ? 'SET LOCAL' : 'SET';
  const out: string[] = [];
  if (timeouts.lockTimeoutMs !== undefined) out.push(`${set} lock_timeout = ${Math.max(0, Math.round(timeouts.lockTimeoutMs))};`);
  if (timeouts.statementTimeoutMs !== undefined) out.push(`${set} statement_timeout = ${Math.max(0, Math.round(timeouts.statementTimeoutMs))};`);
  return out;
}
