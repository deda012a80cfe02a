/**
 * Fake query services for the console's UI tests: results generated on
 * demand (a "million-row" result that only makes the rows asked for), a
 * statement that runs until cancelled, catalog listings, and a real
 * parser-based classification.
 */
import type { QueryServices, QuerySession } from '../../src/app/services.js';
import { classifyStatement } from '../../src/core/query/classify.js';
import type { StatementOutcome } from '../../src/core/query/console-session.js';
import { memoryHistory, type HistoryStore } from '../../src/core/query/history.js';
import { MemoryResult, type ResultSet } from '../../src/core/query/result-set.js';
import type { Row } from '../../src/core/query/row-store.js';
import type { ColumnInfo } from '../../src/core/query/value-format.js';

/** A cursor-like result: rows exist only once fetched, in pages, up to `total`. */
export class GeneratedResult implements ResultSet {
  loadedCount: number;
  ensureCalls: number[] = [];
  closed = false;
  constructor(
    readonly columns: ColumnInfo[],
    private readonly make: (i: number) => Row,
    private readonly total: number,
    private readonly page = 50,
  ) {
    this.loadedCount = Math.min(page, total);
  }
  get loaded(): number {
    return this.loadedCount;
  }
  get done(): boolean {
    return this.loadedCount >= this.total;
  }
  get tag(): string | undefined {
    return this.done ? `SELECT ${this.total}` : undefined;
  }
  get(i: number): Row | undefined {
    return i < this.loadedCount ? this.make(i) : undefined;
  }
  async ensure(count: number): Promise<void> {
    this.ensureCalls.push(count);
    while (this.loadedCount < Math.min(count, this.total)) {
      await new Promise((r) => setTimeout(r, 1));
      this.loadedCount = Math.min(this.total, this.loadedCount + this.page);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export const col = (name: string, typeName = 'text'): ColumnInfo => ({ name, typeId: typeName === 'int4' ? 23 : 25, typeName });

export class FakeSession implements QuerySession {
  readOnly = false;
  transactionStatus: 'I' | 'T' | 'E' = 'I';
  info = { database: 'connector_db', user: 'app', serverVersionNum: 150019, backendPid: 4242 };
  executed: string[] = [];
  cancels = 0;
  closed = false;
  private pending: ((o: StatementOutcome) => void) | undefined;
  results: Record<string, () => ResultSet> = {};

  async execute(sql: string): Promise<StatementOutcome> {
    this.executed.push(sql);
    const make = this.results[sql];
    if (make) return { kind: 'rows', result: make(), elapsedMs: 3.2, notices: [] };
    if (/pg_sleep/.test(sql)) return new Promise((resolve) => (this.pending = resolve));
    if (/nope/.test(sql)) return { kind: 'error', error: { message: 'column "nope" does not exist', sqlstate: '42703', offset: sql.indexOf('nope') }, elapsedMs: 1, cancelled: false, notices: [] };
    if (/^delete/i.test(sql)) return { kind: 'command', tag: 'DELETE 0', elapsedMs: 2.5, notices: [] };
    return { kind: 'rows', result: new MemoryResult([col('?column?', 'int4')], [['1']]), elapsedMs: 0.8, notices: [] };
  }
  async catalog() {
    return { kind: 'table' as const, table: { title: 'List of relations', columns: ['Schema', 'Name', 'Type', 'Owner'], rows: [['public', 'jobs', 'table', 'app'], ['public', 'sessions', 'table', 'app']] } };
  }
  async cancel(): Promise<boolean> {
    this.cancels++;
    const p = this.pending;
    this.pending = undefined;
    p?.({ kind: 'error', error: { message: 'canceling statement due to user request', sqlstate: '57014' }, elapsedMs: 300, cancelled: true, notices: [] });
    return true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export function fakeQuery(session: FakeSession, history: HistoryStore = memoryHistory(), overrides: Partial<QueryServices> = {}): QueryServices {
  return {
    readOnly: false,
    statementTimeout: 0,
    exportDir: '/tmp',
    openHistory: async () => history,
    open: async () => session,
    classify: (sql) => classifyStatement(sql),
    exportResult: async () => ({ file: '/tmp/x.csv', rows: 0, bytes: 0, format: 'csv' }),
    ...overrides,
  };
}
