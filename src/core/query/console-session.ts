/**
 * One console connection: runs statements one at a time, rows through a
 * cursor (pg-cursor) so the first page arrives at once, commands through
 * the simple protocol. In read-only mode every statement runs in its own
 * `BEGIN TRANSACTION READ ONLY` ... `ROLLBACK`, so nothing it does (a
 * function that writes, `SET default_transaction_read_only = off`) outlives
 * it. Cancel asks the server to stop the running statement from a second
 * connection (pg_cancel_backend); this connection stays usable.
 */
import type pg from 'pg';
import Cursor from 'pg-cursor';
import type { Writable } from 'node:stream';
import { endClient, openClient, type DbSettings, type OpenOptions } from '../db/connect.js';
import { classifyStatement, type StatementInfo } from './classify.js';
import { CopyOutQuery } from './copy-out.js';
import { CursorResult, MemoryResult, type ResultSet } from './result-set.js';
import type { Row } from './row-store.js';
import { toServerError, type ServerError } from './server-error.js';
import { typeNameOf, type ColumnInfo } from './value-format.js';
import { runCatalog, type CatalogOutput } from './catalog/run-meta.js';
import type { MetaCommand } from './catalog/meta.js';

export interface ConsoleOptions {
  readOnly: boolean;
  /** Seconds; 0 = the server's own statement_timeout. */
  statementTimeout: number;
  pageSize?: number;
  tmpDir?: string;
  open?: OpenOptions;
}

export type StatementOutcome =
  | { kind: 'rows'; result: ResultSet; elapsedMs: number; notices: string[] }
  | { kind: 'command'; tag: string; elapsedMs: number; notices: string[] }
  | { kind: 'error'; error: ServerError; elapsedMs: number; cancelled: boolean; notices: string[] };

export interface SessionInfo {
  database: string;
  user: string;
  serverVersionNum: number;
  backendPid: number;
}

/** Every value as the server's text: what psql shows, and exact for export. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface Field {
  name: string;
  dataTypeID: number;
}

function columnsOf(fields: Field[] | undefined): ColumnInfo[] {
  return (fields ?? []).map((f) => ({ name: f.name, typeId: f.dataTypeID, typeName: typeNameOf(f.dataTypeID) }));
}

function commandTag(result: { command?: string | null; rowCount?: number | null; oid?: number | null }): string {
  const command = result.command ?? 'OK';
  if (command === 'INSERT') return `INSERT ${result.oid ?? 0} ${result.rowCount ?? 0}`;
  return result.rowCount == null ? command : `${command} ${result.rowCount}`;
}

export class ConsoleSession {
  readOnly: boolean;
  private current: ResultSet | undefined;
  private cancelRequested = false;
  private notices: string[] = [];
  /** The server's transaction status after the last statement: I idle, T in a transaction, E failed transaction. */
  transactionStatus: 'I' | 'T' | 'E' = 'I';

  private constructor(
    private readonly client: pg.Client,
    private readonly db: DbSettings,
    private readonly options: ConsoleOptions,
    readonly info: SessionInfo,
  ) {
    this.readOnly = options.readOnly;
    client.on('notice', (msg) => this.notices.push(`${msg.severity ?? 'NOTICE'}:  ${msg.message}`));
    const connection = (client as unknown as { connection: { on(event: string, fn: (msg: { status?: string }) => void): void } }).connection;
    connection.on('readyForQuery', (msg) => {
      if (msg.status === 'I' || msg.status === 'T' || msg.status === 'E') this.transactionStatus = msg.status;
    });
  }

  static async open(db: DbSettings, options: ConsoleOptions): Promise<ConsoleSession> {
    const client = await openClient(db, {
      ...options.open,
      ...(options.statementTimeout > 0 ? { statementTimeoutMs: Math.round(options.statementTimeout * 1000) } : {}),
    });
    try {
      const r = await client.query<{ db: string; usr: string; v: number; pid: number }>(
        "SELECT current_database() AS db, current_user AS usr, current_setting('server_version_num')::int AS v, pg_backend_pid() AS pid",
      );
      const row = r.rows[0] as { db: string; usr: string; v: number; pid: number };
      return new ConsoleSession(client, db, options, { database: row.db, user: row.usr, serverVersionNum: row.v, backendPid: row.pid });
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  }

  /** Run one statement (no trailing `;` needed). The previous result is closed first. */
  async execute(sql: string, known?: StatementInfo): Promise<StatementOutcome> {
    await this.closeCurrent();
    const info = known ?? (await classifyStatement(sql));
    this.notices = [];
    this.cancelRequested = false;
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const wrap = this.readOnly && this.transactionStatus === 'I';
    if (this.readOnly && !wrap && info.node !== 'TransactionStmt') {
      return this.fail({ message: 'a transaction begun before read-only was switched on is still open: COMMIT or ROLLBACK it first' }, 0);
    }
    try {
      if (wrap) await this.client.query('BEGIN TRANSACTION READ ONLY');
    } catch (error) {
      return this.fail(toServerError(error, sql), elapsed());
    }
    const finish = wrap ? () => this.rollbackQuietly() : async () => {};
    const viaCursor = info.returnsRows === true || (info.returnsRows === 'maybe' && info.node !== 'CallStmt' && info.node !== 'multiple');
    try {
      if (!viaCursor) {
        const raw = (await this.client.query({ text: sql, rowMode: 'array', types: TEXT_TYPES })) as unknown as pg.QueryResult<Row> | pg.QueryResult<Row>[];
        const result = Array.isArray(raw) ? (raw[raw.length - 1] as pg.QueryResult<Row>) : raw;
        await finish();
        if (result.fields && result.fields.length > 0) {
          return { kind: 'rows', result: new MemoryResult(columnsOf(result.fields), result.rows, commandTag(result)), elapsedMs: elapsed(), notices: this.takeNotices() };
        }
        return { kind: 'command', tag: commandTag(result), elapsedMs: elapsed(), notices: this.takeNotices() };
      }
      const cursor = this.client.query(new Cursor<Row>(sql, undefined, { rowMode: 'array', types: TEXT_TYPES }));
      const first = await cursor.read(this.options.pageSize ?? 500);
      const internal = (cursor as unknown as { _result: { fields?: Field[]; command?: string; rowCount?: number | null; oid?: number | null } })._result;
      if (!internal.fields || internal.fields.length === 0) {
        await cursor.close().catch(() => {});
        await finish();
        return { kind: 'command', tag: commandTag(internal), elapsedMs: elapsed(), notices: this.takeNotices() };
      }
      const result = new CursorResult(cursor, columnsOf(internal.fields), first, {
        ...(this.options.pageSize ? { pageSize: this.options.pageSize } : {}),
        ...(this.options.tmpDir ? { tmpDir: this.options.tmpDir } : {}),
        onFinish: finish,
      });
      await result.settle();
      this.current = result;
      return { kind: 'rows', result, elapsedMs: elapsed(), notices: this.takeNotices() };
    } catch (error) {
      await finish();
      return this.fail(toServerError(error, sql), elapsed());
    }
  }

  /**
   * Stream `COPY (sql) TO STDOUT` (CSV with a header) into `out`, or the
   * statement itself when it already is a COPY ... TO STDOUT.
   */
  async copyOut(sql: string, out: Writable, options: { csvHeader: boolean; alreadyCopy?: boolean }): Promise<{ ok: true; rows: number } | Extract<StatementOutcome, { kind: 'error' }>> {
    await this.closeCurrent();
    const prefix = 'COPY (';
    const text = options.alreadyCopy ? sql : `${prefix}${sql}\n) TO STDOUT WITH (FORMAT csv${options.csvHeader ? ', HEADER true' : ''})`;
    const started = performance.now();
    const wrap = this.readOnly && this.transactionStatus === 'I';
    try {
      if (wrap) await this.client.query('BEGIN TRANSACTION READ ONLY');
      const copy = new CopyOutQuery(text, out);
      this.client.query(copy as unknown as pg.QueryConfig);
      await copy.done;
      if (wrap) await this.rollbackQuietly();
      return { ok: true, rows: copy.rowCount };
    } catch (error) {
      if (wrap) await this.rollbackQuietly();
      const e = toServerError(error, text);
      if (e.offset !== undefined && !options.alreadyCopy) e.offset = Math.max(0, Math.min(sql.length, e.offset - prefix.length));
      return this.fail(e, Math.round(performance.now() - started));
    }
  }

  /** Run a catalog query on this connection (closing any open result first). */
  async catalogQuery<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
    await this.closeCurrent();
    return (await this.client.query<T>(sql, params)).rows;
  }

  /** A catalog command (\\d, \\dt...) on this connection. */
  catalog(command: MetaCommand): Promise<CatalogOutput> {
    return runCatalog((sql, params) => this.catalogQuery(sql, params), command, this.info.serverVersionNum);
  }

  /** Ask the server to cancel whatever this connection runs; true when the request was delivered. */
  async cancel(): Promise<boolean> {
    this.cancelRequested = true;
    const other = await openClient(this.db, { ...this.options.open, applicationName: 'connector-db cancel' });
    try {
      const r = await other.query<{ ok: boolean }>('SELECT pg_cancel_backend($1) AS ok', [this.info.backendPid]);
      return r.rows[0]?.ok === true;
    } finally {
      await other.end().catch(() => {});
    }
  }

  async closeCurrent(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (current) await current.close();
  }

  /** endWithoutWaiting: for a process about to exit (see endClient). */
  async close(options: { endWithoutWaiting?: boolean } = {}): Promise<void> {
    await this.closeCurrent().catch(() => {});
    await endClient(this.client, options);
  }

  private fail(error: ServerError, elapsedMs: number): Extract<StatementOutcome, { kind: 'error' }> {
    const cancelled = this.cancelRequested && error.sqlstate === '57014';
    this.cancelRequested = false;
    return { kind: 'error', error, elapsedMs, cancelled, notices: this.takeNotices() };
  }

  private takeNotices(): string[] {
    const n = this.notices;
    this.notices = [];
    return n;
  }

  private async rollbackQuietly(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
  }
}
