/**
 * Move a database between revisions with node-pg-migrate's runner:
 * refuse a read-only target, take the lock (waiting up to a timeout), read
 * the status under the lock, plan, bring our records in step with Alembic's,
 * then run with an explicit count, one transaction per file, our bookkeeping
 * inside each. Always `singleTransaction: false`, `checkOrder: true`, lock
 * mode `fail` (we already hold the lock; it is re-entrant on this session).
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { MIN_SERVER_MAJOR, serverTooOld } from '../db/server-support.js';
import { CREATE_SIDE_TABLE, recordPartial } from './bookkeeping.js';
import { loadMigrationFiles, type MigrationFile } from './files.js';
import { acquireMigrationLock, releaseMigrationLock } from './lock.js';
import { planMove, type MovePlan } from './plan.js';
import type { MoveKind } from './revisions.js';
import { readMigrationStatus } from './status.js';
import type { MigrationStatus } from './status-model.js';
import { RunTracker, runnerOptions, type TimeoutsFor } from './runner-loader.js';
import { describeFailure } from './failure.js';
import { markRecords } from './mark.js';
import type { OnMigrationEvent, StepRef } from './events.js';

type Client = Pick<pg.ClientBase, 'query'>;

export interface MoveOptions {
  /** The migrations folder. */
  dir: string;
  /** head | base | +N | -N | a number | a unique name prefix. Defaults: upgrade head, downgrade -1. */
  target?: string;
  /** Seconds to wait for the migration lock (0, the default, fails at once and names the holder). */
  lockTimeout?: number;
  /** lock_timeout / statement_timeout for each migration (or per file). */
  timeouts?: TimeoutsFor;
  onEvent?: OnMigrationEvent;
  /** Stops before the next file starts (the running one finishes or rolls back). */
  signal?: AbortSignal;
  /** stamp only: drop every record first (unknown or out-of-order rows). */
  purge?: boolean;
  /**
   * Called under the lock with the status just read and the plan, before
   * anything changes: throw to refuse (reset checks there that its way back
   * up can finish before the first down step).
   */
  beforeRun?: (status: MigrationStatus, files: MigrationFile[], plan: MovePlan) => void;
  now?: () => number;
}

export interface MoveResult {
  kind: MoveKind;
  from: string | null;
  to: string | null;
  direction: 'up' | 'down';
  /** Files run (or, for stamp, marked), in order, with their time. */
  steps: (StepRef & { durationMs: number | null })[];
  reconciled: { adopted: string[]; disowned: string[] };
  nothingToDo: boolean;
  /** The status afterwards. */
  status: MigrationStatus;
}

export const upgrade = (client: Client, options: MoveOptions) => move(client, 'upgrade', { ...options, target: options.target ?? 'head' });
export const downgrade = (client: Client, options: MoveOptions) => move(client, 'downgrade', { ...options, target: options.target ?? '-1' });
export const stamp = (client: Client, options: MoveOptions & { target: string }) => move(client, 'stamp', options);
/** For reset and rehearsal: everything up, everything down. */
export const upgradeToHead = (client: Client, options: Omit<MoveOptions, 'target'>) => upgrade(client, { ...options, target: 'head' });
export const downgradeToBase = (client: Client, options: Omit<MoveOptions, 'target'>) => downgrade(client, { ...options, target: 'base' });

/** Migrations need PostgreSQL 15 or newer, and a primary that accepts writes. */
export async function refuseReadOnly(client: Client): Promise<void> {
  const { rows } = await client.query<{ recovery: boolean; ro: string; db: string; version: string; num: string }>(
    `select pg_is_in_recovery() as recovery, current_setting('transaction_read_only') as ro, current_database() as db,
            current_setting('server_version') as version, current_setting('server_version_num') as num`,
  );
  const row = rows[0];
  if (!row) return;
  if (Number(row.num) < MIN_SERVER_MAJOR * 10000) throw serverTooOld(row.version.split(' ')[0] ?? row.version, Number(row.num));
  if (row.recovery || row.ro === 'on') {
    const why = row.recovery ? 'a standby in recovery' : 'transactions are read-only by default (default_transaction_read_only = on)';
    throw new ToolError('read_only', `The target is read-only (${why}); migrations need a primary that accepts writes. Nothing was changed.`, {
      fixes: row.recovery ? ['point DATABASE__HOST (or --url) at the primary'] : [`ALTER DATABASE "${row.db}" SET default_transaction_read_only = off;  (or find who set it: SHOW default_transaction_read_only)`],
    });
  }
}

/**
 * Our checksum table, created under the lock. The first write a run makes, so
 * a role that may not create tables in the schema (PostgreSQL 15 no longer
 * lets every role create in `public`) is told so here, before anything ran.
 */
async function ensureSideTable(client: Client): Promise<void> {
  try {
    await client.query(CREATE_SIDE_TABLE);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    if (e.code !== '42501') throw error;
    const { rows } = await client.query<{ role: string; schema: string; db: string }>('select current_user as role, current_schema() as schema, current_database() as db');
    const { role, schema, db } = rows[0] ?? { role: '<role>', schema: 'public', db: '<database>' };
    throw new ToolError('schema_privilege_missing', `Role "${role}" may not create tables in schema "${schema}" of "${db}" (PostgreSQL 15 no longer lets every role create in public; privileges on the database are not enough). Nothing was changed.`, {
      evidence: [e.message ?? String(error)],
      fixes: [`as an admin, in database "${db}": GRANT CREATE ON SCHEMA "${schema}" TO "${role}";`, `or make it the schema's owner: ALTER SCHEMA "${schema}" OWNER TO "${role}";`],
      cause: error,
    });
  }
}

/** Behind a transaction pooler each statement may reach another backend, and a session lock cannot hold. */
async function warnIfPooled(client: Client, emit: OnMigrationEvent): Promise<number> {
  const a = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
  const b = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid ?? 0;
  if (a !== b) {
    emit({ type: 'warning', code: 'transaction_pooler', message: `The backend changed between two statements (pid ${a} then ${b}): this connection goes through a transaction pooler, where the migration lock cannot hold. Connect to PostgreSQL directly (or through a session pooler) to migrate.` });
  }
  return b;
}

export async function move(client: Client, kind: MoveKind, options: MoveOptions): Promise<MoveResult> {
  const emit: OnMigrationEvent = options.onEvent ?? (() => {});
  const now = options.now ?? (() => performance.now());
  await refuseReadOnly(client);
  const pid = await warnIfPooled(client, emit);
  const lockTimeout = options.lockTimeout ?? 0;
  const waitStarted = now();
  await acquireMigrationLock(client, { timeoutSeconds: lockTimeout, onWait: (holder) => emit({ type: 'lock_wait', holder, timeoutSeconds: lockTimeout }) });
  try {
    emit({ type: 'lock_acquired', backendPid: pid, waitedMs: Math.round(now() - waitStarted) });
    const files = await loadMigrationFiles(options.dir);
    const status = await readMigrationStatus(client, options.dir, { files });
    const plan = planMove(status, files, kind, options.target ?? 'head', { purge: options.purge === true });
    options.beforeRun?.(status, files, plan);
    for (const w of plan.warnings) emit({ type: 'warning', code: w.code, message: w.message });
    const refs = plan.steps.map((f) => ({ id: f.id, name: f.name, direction: plan.direction }));
    emit({ type: 'plan', kind, from: plan.from, to: plan.to, steps: refs });
    const reconciling = plan.reconcile.adopt.length + plan.reconcile.disown.length > 0;
    const result = (steps: MoveResult['steps'], after: MigrationStatus, nothingToDo = false): MoveResult => ({
      kind,
      from: plan.from,
      to: plan.to,
      direction: plan.direction,
      steps,
      reconciled: { adopted: plan.reconcile.adopt.map((f) => f.id), disowned: plan.reconcile.disown.map((f) => f.id) },
      nothingToDo,
      status: after,
    });
    if (plan.steps.length === 0 && !reconciling && !plan.purge) return result([], status, true);

    await ensureSideTable(client);
    if (kind === 'stamp') {
      await markRecords(client, options.dir, files, plan, { recordTableExists: status.recordTableExists, stamp: true });
      emit({ type: 'stamped', steps: refs });
      return result(
        refs.map((r) => ({ ...r, durationMs: null })),
        await readMigrationStatus(client, options.dir, { files }),
      );
    }
    if (reconciling) {
      await markRecords(client, options.dir, files, plan, { recordTableExists: status.recordTableExists, stamp: false });
      emit({ type: 'reconciled', adopted: plan.reconcile.adopt.map((f) => f.id), disowned: plan.reconcile.disown.map((f) => f.id) });
    }
    const ran = plan.steps.length > 0 ? await runSteps(client, files, status, plan, options, now) : [];
    return result(ran, await readMigrationStatus(client, options.dir, { files }));
  } finally {
    await releaseMigrationLock(client).catch(() => {});
  }
}

async function runSteps(client: Client, files: MigrationFile[], status: MigrationStatus, plan: MovePlan, options: MoveOptions, now: () => number): Promise<MoveResult['steps']> {
  const { runner } = await import('node-pg-migrate');
  const tracker = new RunTracker({ files, planned: plan.steps, alembic: plan.alembic, ...(options.timeouts ? { timeouts: options.timeouts } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}), ...(options.signal ? { signal: options.signal } : {}), now });
  try {
    const ran = await runner(runnerOptions(options.dir, tracker.client(client), tracker, plan.direction, plan.steps.length, false));
    tracker.finish();
    const expected = plan.steps.map((f) => f.name);
    const got = ran.map((m) => m.name);
    if (got.join('\n') !== expected.join('\n')) {
      throw new ToolError('failed', `node-pg-migrate ran ${got.join(', ') || 'nothing'} where ${expected.join(', ')} was planned; check \`connector-db migrate history\`.`);
    }
    return tracker.completed.map((c) => ({ ...c.ref, durationMs: c.durationMs }));
  } catch (error) {
    const step = tracker.active;
    const failed = tracker.failedStatement();
    // With singleTransaction off the runner leaves the failed transaction open; end it so the lock can be released.
    await client.query('ROLLBACK').catch(() => {});
    // A no-transaction file sets its timeouts on the session; put them back for the caller's client.
    if (step?.noTransaction && options.timeouts) await client.query('RESET lock_timeout; RESET statement_timeout').catch(() => {});
    if (step?.noTransaction && step.done > 0) {
      const message = (error as Error)?.message ?? String(error);
      await client.query(recordPartial(step.file, step.direction, step.done, step.statements.length, message)).catch(() => {});
    }
    // A no-transaction file that an earlier run left half-way: what that run made is still there.
    const previous = step?.noTransaction ? (status.revisions.find((r) => r.name === step.file.name)?.partial ?? null) : null;
    const failure = describeFailure(error, { files, step, statement: failed?.statement ?? null, shift: failed?.shift ?? 0, completed: tracker.completed.map((c) => c.ref), previous });
    if (step) options.onEvent?.({ type: 'migration_failed', step: step.ref, index: step.index, total: plan.steps.length, message: failure.message });
    throw failure;
  }
}
