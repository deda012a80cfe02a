/**
 * What node-pg-migrate's runner is given: a loader that turns each of our
 * files into its statements plus the bookkeeping (our checksum row, Alembic's
 * row) inside the migration's own transaction, and a client wrapper that
 * follows which statement is running, so a failure names its line and a
 * no-transaction file that stops half-way can say how far it got.
 */
import type pg from 'pg';
import type { RunnerOption } from 'node-pg-migrate';
import { ToolError } from '../errors.js';
import { MIGRATION_LOCK_KEY } from './lock.js';
import { alembicSet, forgetApplied, recordApplied, RECORD_SCHEMA, RECORD_TABLE, runnerMark, timeoutStatements, type MigrationTimeouts } from './bookkeeping.js';
import { RUNNER_IGNORE_PATTERN, type MigrationFile } from './files.js';
import { splitStatements, type Statement } from './statements.js';
import { BatchingClient } from './batching-client.js';
import type { OnMigrationEvent, StepRef } from './events.js';

type MigrationLoaderStrategy = NonNullable<RunnerOption['migrationLoaderStrategies']>[number];

export type TimeoutsFor = MigrationTimeouts | ((file: MigrationFile, direction: 'up' | 'down') => MigrationTimeouts | undefined);

export interface ActiveStep {
  file: MigrationFile;
  direction: 'up' | 'down';
  ref: StepRef;
  index: number;
  startedAt: number;
  startedAtDate: Date;
  statements: Statement[];
  /** Statements of the file that completed. */
  done: number;
  noTransaction: boolean;
  /** SET LOCAL lines sent before the statements, and the bookkeeping sent after them (both batched). */
  prelude: Set<string>;
  bookkeeping: Set<string>;
}


interface MinimalPgm {
  sql(sql: string): void;
  noTransaction(): void;
}

export interface TrackerOptions {
  files: MigrationFile[];
  /** Files in the order they will run, to number the events. */
  planned: MigrationFile[];
  /** Is alembic_version kept in step? */
  alembic: boolean;
  timeouts?: TimeoutsFor;
  onEvent?: OnMigrationEvent;
  signal?: AbortSignal;
  now?: () => number;
  /** Only marking (stamp, reconcile): every file needs a down action, even one without a down section, for the runner's fake mode. */
  markOnly?: boolean;
}

/** Follows one runner call: which file runs, which statement was sent last, what completed. */
export class RunTracker {
  active: ActiveStep | null = null;
  private batching: BatchingClient | null = null;
  readonly completed: { ref: StepRef; durationMs: number }[] = [];
  private readonly byPath: Map<string, MigrationFile>;
  private readonly now: () => number;

  constructor(private readonly options: TrackerOptions) {
    this.byPath = new Map(options.files.map((f) => [f.file, f]));
    this.now = options.now ?? (() => performance.now());
  }

  /** The loader node-pg-migrate calls for our .sql files (its `id` must be the path: the runner names migrations by basename). */
  strategy(): MigrationLoaderStrategy {
    return {
      extensions: ['.sql'],
      loader: async (paths: string[]) =>
        paths.map((p) => {
          const file = this.byPath.get(p);
          if (!file) throw new ToolError('migration_files_invalid', `${p} appeared in the migrations folder during the run; run again.`);
          return {
            id: p,
            filePaths: [p],
            actions: {
              up: (pgm: MinimalPgm) => this.build(pgm, file, 'up'),
              down: file.sections.down || this.options.markOnly ? (pgm: MinimalPgm) => this.build(pgm, file, 'down') : false,
            },
          };
        }) as never,
    };
  }

  /** The client node-pg-migrate is given (see batching-client.ts). */
  client(real: Pick<pg.ClientBase, 'query'>): pg.ClientBase {
    this.batching = new BatchingClient(real, () => this.active);
    return this.batching.asClient();
  }

  /** The statement that failed (and how many characters were sent before it), if it was one of the active file's. */
  failedStatement(): { statement: Statement; shift: number } | null {
    const step = this.active;
    const failed = this.batching?.failed;
    if (!step || !failed) return null;
    const next = step.statements[step.done];
    if (next && (failed.text === next.text || failed.text === `${next.text};`)) return { statement: next, shift: failed.shift };
    return null;
  }

  /** Called by the runner after its last migration succeeded. */
  finish(): void {
    this.close();
  }

  private close(): void {
    const step = this.active;
    if (!step) return;
    const durationMs = Math.round(this.now() - step.startedAt);
    this.completed.push({ ref: step.ref, durationMs });
    this.options.onEvent?.({ type: 'migration_done', step: step.ref, index: step.index, total: this.options.planned.length, durationMs });
    this.active = null;
  }

  private build(pgm: MinimalPgm, file: MigrationFile, direction: 'up' | 'down'): void {
    // The runner calls this only after the previous file committed.
    this.close();
    if (this.options.signal?.aborted) throw new ToolError('cancelled', `stopped before ${file.name} (cancelled)`);
    const section = direction === 'up' ? file.sections.up : file.sections.down;
    if (!section) throw new ToolError('migration_files_invalid', `${file.fileName} has no "-- Down Migration" section.`);
    const statements = splitStatements(section.text, section.start);
    const noTransaction = file.sections.noTransaction;
    const index = this.options.planned.findIndex((f) => f.name === file.name);
    const ref: StepRef = { id: file.id, name: file.name, direction };
    const startedAtDate = new Date();
    const step: ActiveStep = { file, direction, ref, index, startedAt: this.now(), startedAtDate, statements, done: 0, noTransaction, prelude: new Set(), bookkeeping: new Set() };
    this.active = step;
    this.options.onEvent?.({ type: 'migration_start', step: ref, index, total: this.options.planned.length });

    if (noTransaction) pgm.noTransaction();
    const timeouts = typeof this.options.timeouts === 'function' ? this.options.timeouts(file, direction) : this.options.timeouts;
    const sql = (text: string, into?: Set<string>) => {
      // What the runner will send (its sql() adds a final ";" when missing).
      into?.add(text.endsWith(';') ? text : `${text};`);
      pgm.sql(text);
    };
    for (const s of timeoutStatements(timeouts, noTransaction ? 'session' : 'local')) sql(s, step.prelude);
    for (const s of statements) sql(s.text);
    sql(direction === 'up' ? recordApplied(file, 'upgrade', noTransaction ? startedAtDate : undefined) : forgetApplied(file), step.bookkeeping);
    if (this.options.alembic) {
      const files = this.options.files;
      const position = files.findIndex((f) => f.name === file.name);
      const revision = direction === 'up' ? file.id : position > 0 ? (files[position - 1] as MigrationFile).id : null;
      for (const s of alembicSet(revision)) sql(s, step.bookkeeping);
    }
    step.bookkeeping.add(runnerMark(file.name, direction));
    if (noTransaction && timeouts) for (const s of timeoutStatements(timeouts, 'session')) pgm.sql(s.replace(/^SET (\w+) = .*$/, 'RESET $1;'));
  }
}

/** node-pg-migrate's options, the same for every call we make. */
export function runnerOptions(dir: string, dbClient: pg.ClientBase, tracker: RunTracker, direction: 'up' | 'down', count: number, fake: boolean) {
  if (!(count > 0)) throw new Error(`internal: runner count must be positive (got ${count}; 0 means "all" going down)`);
  const quiet = () => {};
  return {
    dbClient,
    dir,
    migrationsTable: RECORD_TABLE,
    migrationsSchema: RECORD_SCHEMA,
    direction,
    count,
    fake,
    singleTransaction: false,
    checkOrder: true,
    noLock: false,
    advisoryLockMode: 'fail' as const,
    lockValue: MIGRATION_LOCK_KEY,
    ignorePattern: RUNNER_IGNORE_PATTERN,
    migrationLoaderStrategies: [tracker.strategy()],
    createSchema: false,
    createMigrationsSchema: false,
    decamelize: false,
    verbose: false,
    logger: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  };
}
