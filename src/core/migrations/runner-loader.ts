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
import { alembicSet, forgetApplied, recordApplied, RECORD_SCHEMA, RECORD_TABLE, timeoutStatements, type MigrationTimeouts } from './bookkeeping.js';
import { RUNNER_IGNORE_PATTERN, type MigrationFile } from './files.js';
import { splitStatements, type Statement } from './statements.js';
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
  /** The text of the first query that failed in this run. */
  failedText: string | null = null;
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

  /** The client node-pg-migrate is given: the real one, with every query followed. */
  client(real: Pick<pg.ClientBase, 'query'>): pg.ClientBase {
    const query = async (textOrConfig: string | { text: string }, values?: unknown[]) => {
      const text = typeof textOrConfig === 'string' ? textOrConfig : textOrConfig.text;
      let result;
      try {
        result = await real.query(textOrConfig as string, values);
      } catch (error) {
        // The first failure is the one to explain (the runner's unlock in its `finally` fails after it).
        if (this.failedText === null) this.failedText = text;
        throw error;
      }
      const step = this.active;
      if (step && step.done < step.statements.length) {
        const expected = step.statements[step.done]?.text ?? '';
        if (text === expected || text === `${expected};`) step.done++;
      }
      return result;
    };
    return { query } as unknown as pg.ClientBase;
  }

  /** The statement that failed, if the last query was one of the active file's. */
  failedStatement(): Statement | null {
    const step = this.active;
    if (!step || this.failedText === null) return null;
    const next = step.statements[step.done];
    if (next && (this.failedText === next.text || this.failedText === `${next.text};`)) return next;
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
    this.active = { file, direction, ref, index, startedAt: this.now(), startedAtDate, statements, done: 0, noTransaction };
    this.options.onEvent?.({ type: 'migration_start', step: ref, index, total: this.options.planned.length });

    if (noTransaction) pgm.noTransaction();
    const timeouts = typeof this.options.timeouts === 'function' ? this.options.timeouts(file, direction) : this.options.timeouts;
    for (const s of timeoutStatements(timeouts, noTransaction ? 'session' : 'local')) pgm.sql(s);
    for (const s of statements) pgm.sql(s.text);
    if (direction === 'up') pgm.sql(recordApplied(file, 'upgrade', noTransaction ? startedAtDate : undefined));
    else pgm.sql(forgetApplied(file));
    if (this.options.alembic) {
      const files = this.options.files;
      const position = files.findIndex((f) => f.name === file.name);
      const revision = direction === 'up' ? file.id : position > 0 ? (files[position - 1] as MigrationFile).id : null;
      for (const s of alembicSet(revision)) pgm.sql(s);
    }
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
