/**
 * The client node-pg-migrate is given: the real one, followed query by query,
 * with fewer round trips. For a file that runs in a transaction the runner
 * sends BEGIN, SET LOCAL, each statement, our bookkeeping, its own mark and
 * COMMIT one by one; here BEGIN and SET LOCAL travel with the first
 * statement, and the last statement travels with the bookkeeping, the mark
 * and COMMIT (each one simple-query string; after an error PostgreSQL runs
 * nothing more of a string, and the transaction is aborted as before). A
 * one-statement file is one round trip. Every statement is still sent apart
 * from the file's other statements, so a failure names its own line.
 */
import type pg from 'pg';
import { BOOKKEEPING_TABLES } from './bookkeeping.js';
import type { Statement } from './statements.js';

export interface BatchStep {
  statements: Statement[];
  /** Statements that completed (counts up as they do). */
  done: number;
  noTransaction: boolean;
  /** Exact texts the runner will send before the statements (SET LOCAL) and after them (bookkeeping, its mark). */
  prelude: Set<string>;
  bookkeeping: Set<string>;
}

/** The query that failed first: the statement's text when a statement is to blame, and the characters sent before it. */
export interface FailedQuery {
  text: string;
  shift: number;
}

const EMPTY_RESULT = { command: '', rowCount: 0, oid: 0, fields: [], rows: [] };

interface PgErrorFields {
  position?: string;
  table?: string;
  constraint?: string;
  message?: string;
}

/** In a string of [statement, bookkeeping...], was the statement at fault? PostgreSQL's position decides; else whether the error names our tables. */
export function statementToBlame(error: unknown, start: number, length: number): boolean {
  const e = (error ?? {}) as PgErrorFields;
  const position = Number(e.position);
  if (position > 0) return position - 1 >= start && position - 1 < start + length;
  const named = [e.table ?? '', e.constraint ?? '', e.message ?? ''].join(' ');
  return !BOOKKEEPING_TABLES.some((t) => named.includes(t));
}

export class BatchingClient {
  failed: FailedQuery | null = null;
  private prefix: string[] = [];
  private held: string | null = null;
  private suffix: string[] = [];

  constructor(
    private readonly real: Pick<pg.ClientBase, 'query'>,
    private readonly activeStep: () => BatchStep | null,
  ) {}

  asClient(): pg.ClientBase {
    return { query: (textOrConfig: string | { text: string }, values?: unknown[]) => this.query(textOrConfig, values) } as unknown as pg.ClientBase;
  }

  private async query(textOrConfig: string | { text: string }, values?: unknown[]): Promise<unknown> {
    const text = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
    const step = this.activeStep();
    if (!step || step.noTransaction || values !== undefined) {
      const result = await this.send(textOrConfig as string, { text, shift: 0 }, values);
      if (step) count(step, text);
      return result;
    }
    if (text === 'BEGIN;' || step.prelude.has(text)) return this.hold(this.prefix, text);
    if (step.bookkeeping.has(text)) return this.hold(this.suffix, text);
    if (text === 'COMMIT;') return this.flush(step, text);
    if (isNext(step, text) && step.done === step.statements.length - 1) {
      this.held = text;
      return EMPTY_RESULT;
    }
    const head = this.takePrefix();
    const result = await this.send(head + text, { text, shift: head.length });
    count(step, text);
    return result;
  }

  private hold(list: string[], text: string) {
    list.push(text);
    return EMPTY_RESULT;
  }

  private takePrefix(): string {
    const head = this.prefix.length > 0 ? this.prefix.join('\n') + '\n' : '';
    this.prefix = [];
    return head;
  }

  private async flush(step: BatchStep, commit: string): Promise<unknown> {
    const head = this.takePrefix();
    const held = this.held;
    const batch = head + (held !== null ? held + '\n' : '') + [...this.suffix, commit].join('\n');
    this.held = null;
    this.suffix = [];
    try {
      const result = await this.real.query(batch);
      if (held !== null) count(step, held);
      return result;
    } catch (error) {
      if (this.failed === null) this.failed = held !== null && statementToBlame(error, head.length, held.length) ? { text: held, shift: head.length } : { text: batch, shift: 0 };
      throw error;
    }
  }

  private async send(text: string, failure: FailedQuery, values?: unknown[]): Promise<unknown> {
    try {
      return await this.real.query(text, values);
    } catch (error) {
      // The first failure is the one to explain (the runner's unlock in its `finally` fails after it).
      if (this.failed === null) this.failed = failure;
      throw error;
    }
  }
}

function isNext(step: BatchStep, text: string): boolean {
  const expected = step.statements[step.done]?.text;
  return expected !== undefined && (text === expected || text === `${expected};`);
}

function count(step: BatchStep, text: string): void {
  if (isNext(step, text)) step.done++;
}
