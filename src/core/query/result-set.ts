/**
 * A result the grid can scroll: rows by index, fetched on demand. A cursor
 * result (pg-cursor) brings rows in pages as the user scrolls and keeps them
 * in a RowStore, so a million-row SELECT shows its first page at once and
 * memory stays flat. A memory result holds small answers (command results
 * with rows, catalog listings).
 */
import type Cursor from 'pg-cursor';
import { RowStore, type Row } from './row-store.js';
import type { ColumnInfo } from './value-format.js';

export interface ResultSet {
  readonly columns: ColumnInfo[];
  /** Rows fetched so far. */
  readonly loaded: number;
  /** True when every row has been fetched (loaded is then the total). */
  readonly done: boolean;
  /** The command tag once done ("SELECT 20", "DELETE 3 RETURNING"...). */
  readonly tag: string | undefined;
  get(index: number): Row | undefined;
  /** Fetch until at least `count` rows are loaded, the result ends, or `signal` aborts (checked between pages). */
  ensure(count: number, signal?: AbortSignal): Promise<void>;
  /** Stop fetching and free the server-side portal (idempotent). */
  close(): Promise<void>;
}

export class MemoryResult implements ResultSet {
  readonly done = true;
  constructor(
    readonly columns: ColumnInfo[],
    private readonly rows: Row[],
    readonly tag: string | undefined = `SELECT ${rows.length}`,
  ) {}
  get loaded(): number {
    return this.rows.length;
  }
  get(index: number): Row | undefined {
    return this.rows[index];
  }
  async ensure(): Promise<void> {}
  async close(): Promise<void> {}
}

export interface CursorResultOptions {
  pageSize?: number;
  tmpDir?: string;
  pagesInMemory?: number;
  /** Runs once when the cursor is exhausted or closed (e.g. ROLLBACK of a read-only transaction). */
  onFinish?: () => Promise<void>;
}

/** Rows of an open pg-cursor, fetched a page at a time, one fetch at a time. */
export class CursorResult implements ResultSet {
  private readonly store: RowStore;
  private readonly pageSize: number;
  private finished = false;
  private closed = false;
  private commandTag: string | undefined;
  private chain: Promise<void> = Promise.resolve();
  private finishing: Promise<void> | undefined;

  constructor(
    private readonly cursor: Cursor<Row>,
    readonly columns: ColumnInfo[],
    firstPage: Row[],
    private readonly options: CursorResultOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.store = new RowStore({ pageSize: this.pageSize, ...(options.tmpDir ? { tmpDir: options.tmpDir } : {}), ...(options.pagesInMemory ? { pagesInMemory: options.pagesInMemory } : {}) });
    this.store.push(firstPage);
    if (firstPage.length < this.pageSize) this.markDone();
  }

  get loaded(): number {
    return this.store.length;
  }
  get done(): boolean {
    return this.finished;
  }
  get tag(): string | undefined {
    return this.commandTag;
  }
  get spilledPages(): number {
    return this.store.spilledPages;
  }

  get(index: number): Row | undefined {
    return this.store.get(index);
  }

  /** Ends the transaction at once when the first page was the whole result. */
  async settle(): Promise<void> {
    if (this.finished) await this.finish();
  }

  ensure(count: number, signal?: AbortSignal): Promise<void> {
    // Serialised: the grid may ask again while a page is on its way.
    this.chain = this.chain.then(async () => {
      while (!this.finished && !this.closed && !signal?.aborted && this.store.length < count) await this.fetchPage();
    });
    return this.chain;
  }

  /**
   * Every row from the first, in order: loaded rows from the store, then the
   * rest straight from the cursor. Used by export, so the file holds the
   * whole result without re-running the statement.
   */
  async *rows(onProgress?: (rows: number) => void): AsyncGenerator<Row> {
    let i = 0;
    for (;;) {
      if (i >= this.store.length) {
        if (this.finished) return;
        await this.ensure(i + this.pageSize);
        if (i >= this.store.length) return;
      }
      yield this.store.get(i) as Row;
      i++;
      if (onProgress && i % 10_000 === 0) onProgress(i);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain.catch(() => {});
    if (!this.finished) {
      await this.cursor.close().catch(() => {});
      this.finished = true;
    }
    this.store.close();
    await this.finish();
  }

  private async fetchPage(): Promise<void> {
    const rows = await this.cursor.read(this.pageSize);
    this.store.push(rows);
    if (rows.length < this.pageSize) {
      this.markDone();
      await this.finish();
    }
  }

  private markDone(): void {
    this.finished = true;
    const result = (this.cursor as unknown as { _result?: { command?: string; rowCount?: number | null } })._result;
    const rows = this.store.length;
    this.commandTag = result?.command ? `${result.command} ${result.command === 'SELECT' || result.rowCount == null ? rows : result.rowCount}` : `SELECT ${rows}`;
  }

  private finish(): Promise<void> {
    this.finishing ??= (this.options.onFinish ?? (async () => {}))();
    return this.finishing;
  }
}
