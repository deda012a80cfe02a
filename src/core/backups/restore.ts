/**
 * Carry out a restore plan that a person has seen and confirmed. Nothing
 * is lost on failure or cancel: a database created for the restore is
 * dropped again (WITH (FORCE): the restore's own session may linger on the
 * server after its psql was killed); an existing database is only replaced
 * after its replacement was fully restored in a scratch database, by two
 * renames.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { openClient, type DbSettings } from '../db/connect.js';
import { createDatabaseSql, readDatabaseProps } from '../db/database-props.js';
import { describeSession, sessionsOn, setAllowConnections, terminateSessions, waitForNoSessions } from '../db/database-sessions.js';
import { compactStamp, derivedDatabaseName, openMaintenance } from '../db/maintenance.js';
import { pgToolEnv } from '../system/pg-tool-env.js';
import type { RevisionInfo } from './manifest.js';
import type { RestorePlan } from './restore-plan.js';
import { runRestoreTool } from './restore-runner.js';
import { readRevisionSafely, type RevisionReader } from './revision.js';
import type { SpawnFn } from './tool-process.js';

export type RestoreEvent = { type: 'step'; text: string } | { type: 'progress'; fraction: number; bytes: number; elapsedMs: number };

export interface RestoreExecution {
  db: DbSettings;
  /** Disconnect others from the target when swapping it (confirmed by a person or --force). */
  force: boolean;
  readRevision?: RevisionReader;
  env?: Record<string, string | undefined>;
  now?: () => Date;
  spawn?: SpawnFn;
  signal?: AbortSignal;
  onEvent?: (event: RestoreEvent) => void;
}

export interface RestoreResult {
  target: string;
  mode: RestorePlan['mode'];
  elapsedMs: number;
  /** The restored database's revision against the migration files. */
  revision: RevisionInfo | null;
  warnings: string[];
}

export async function executeRestore(plan: RestorePlan, run: RestoreExecution): Promise<RestoreResult> {
  const now = run.now ?? (() => new Date());
  const started = now();
  const step = (text: string) => run.onEvent?.({ type: 'step', text });
  throwIfCancelled(run.signal);
  // The restore's own sessions are found by this name, to end them after a failure or cancel.
  const tag = `connector-db restore ${process.pid}-${randomBytes(3).toString('hex')}`;
  const fill = (database: string) => load(plan, database, run, started, tag);
  const admin = await openMaintenance(run.db, { applicationName: 'connector-db restore' });
  let warnings: string[] = [];
  try {
    if (plan.mode === 'empty') {
      step(`restoring into ${plan.target}`);
      // It existed before: on failure it stays as it was (the transaction rolls back), only the restore's session goes.
      warnings = await fill(plan.target).catch(async (error: unknown) => {
        await endSessions(admin, plan.target, tag);
        throw error;
      });
    } else if (plan.mode === 'create') {
      const template = await readDatabaseProps(admin, 'template1');
      if (!template) throw new ToolError('restore_failed', 'template1 is missing on the server; cannot create a database like it');
      step(`creating database ${plan.target}`);
      const [create, ...rest] = createDatabaseSql(plan.target, { ...template, acl: null, settings: [], connectionLimit: -1 }, quoting(admin), { owner: plan.rights.role });
      await admin.query(create as string);
      warnings = await fillOrDrop(admin, plan.target, `dropping ${plan.target} again`, run.signal, step, async () => {
        await execAll(admin, rest);
        step(`restoring into ${plan.target}`);
        return fill(plan.target);
      });
    } else {
      warnings = await replace(admin, plan, run, started, step, fill);
    }
  } finally {
    await admin.end().catch(() => {});
  }
  const revision = await revisionOf(run, plan.target);
  return { target: plan.target, mode: plan.mode, elapsedMs: now().getTime() - started.getTime(), revision, warnings };
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ToolError('cancelled', 'the restore was cancelled; nothing was restored');
}

/**
 * Fills a database this restore created. If that fails, or the restore is
 * cancelled before the database is handed over, it is dropped again; a drop
 * that fails is added to the error with the command to finish the job.
 */
async function fillOrDrop<T>(admin: pg.Client, database: string, dropping: string, signal: AbortSignal | undefined, step: (t: string) => void, fill: () => Promise<T>): Promise<T> {
  try {
    const result = await fill();
    throwIfCancelled(signal);
    return result;
  } catch (error) {
    step(dropping);
    const id = admin.escapeIdentifier(database);
    const dropFailed = await admin.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`).then(
      () => undefined,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    if (dropFailed === undefined || !(error instanceof ToolError)) throw error;
    throw new ToolError(error.code, `${error.message}; ${database} could not be dropped (${dropFailed})`, {
      evidence: error.evidence,
      fixes: [...error.fixes, `DROP DATABASE ${id} WITH (FORCE);   # as its owner or a superuser`],
      cause: error,
    });
  }
}

/**
 * Ends the restore's own sessions on `database` (a killed psql's backend goes on until it notices), so its
 * transaction rolls back now; waits up to a few seconds for them to be gone (the timeout argument, 14+).
 */
async function endSessions(admin: pg.Client, database: string, tag: string): Promise<void> {
  await admin.query('select pg_terminate_backend(pid, 3000) from pg_stat_activity where datname = $1 and application_name = $2 and pid <> pg_backend_pid()', [database, tag]).catch(() => {});
}

/** Restore into a scratch copy, then swap it in by renames; the original stays untouched until the copy is whole. */
async function replace(admin: pg.Client, plan: RestorePlan, run: RestoreExecution, started: Date, step: (t: string) => void, fill: (database: string) => Promise<string[]>): Promise<string[]> {
  const props = await readDatabaseProps(admin, plan.target);
  if (!props) throw new ToolError('restore_failed', `${plan.target} disappeared while the restore was being prepared`);
  const stamp = compactStamp(started);
  const scratch = derivedDatabaseName(plan.target, `_restore_${stamp}`);
  const old = derivedDatabaseName(plan.target, `_old_${stamp}`);
  // Keep the owner when the role may create databases for it; else the restoring role owns the copy.
  const ownerOk = plan.rights.superuser || (await admin.query<{ ok: boolean }>("select pg_has_role(current_user, $1, 'MEMBER') as ok", [props.owner])).rows[0]?.ok === true;
  step(`creating scratch database ${scratch}`);
  const [create, ...rest] = createDatabaseSql(scratch, props, quoting(admin), ownerOk ? {} : { owner: plan.rights.role });
  await admin.query(create as string);
  const warnings = await fillOrDrop(admin, scratch, `dropping ${scratch}`, run.signal, step, async () => {
    await execAll(admin, rest);
    step(`restoring into ${scratch} (${plan.target} is untouched meanwhile)`);
    return fill(scratch);
  });
  step(`swapping ${scratch} in as ${plan.target}`);
  await swap(admin, plan.target, scratch, old, run.force).catch(async (error: unknown) => {
    // The restored copy is whole: keep it and say where it is.
    throw error instanceof ToolError ? new ToolError(error.code, `${error.message}; the restored copy is kept as ${scratch}`, { evidence: error.evidence, fixes: error.fixes }) : error;
  });
  step(`dropping the replaced database (${old})`);
  await admin.query(`DROP DATABASE ${admin.escapeIdentifier(old)}`).catch((error: unknown) => warnings.push(`the replaced database was kept as ${old}: ${error instanceof Error ? error.message : String(error)}`));
  return warnings;
}

async function swap(admin: pg.Client, target: string, scratch: string, old: string, force: boolean): Promise<void> {
  const id = (s: string) => admin.escapeIdentifier(s);
  // No new connections from here on (an app's pool would reconnect between terminate and rename).
  await setAllowConnections(admin, target, false);
  let renamed = false;
  try {
    const others = await sessionsOn(admin, target);
    if (others.length > 0) {
      if (!force) {
        throw new ToolError('database_in_use', `${target} is being accessed by ${others.length} other session${others.length > 1 ? 's' : ''}`, {
          evidence: others.map(describeSession),
          fixes: ['stop the application, or confirm disconnecting them (--force)'],
        });
      }
      const refused = await terminateSessions(admin, target);
      const left = await waitForNoSessions(admin, target);
      if (left.length > 0) {
        throw new ToolError('database_in_use', `${left.length} session${left.length > 1 ? 's' : ''} on ${target} could not be disconnected${refused.length ? ' (not allowed for this role)' : ''}`, { evidence: left.map(describeSession) });
      }
    }
    await admin.query(`ALTER DATABASE ${id(target)} RENAME TO ${id(old)}`);
    renamed = true;
    await admin.query(`ALTER DATABASE ${id(scratch)} RENAME TO ${id(target)}`);
  } catch (error) {
    if (renamed) await admin.query(`ALTER DATABASE ${id(old)} RENAME TO ${id(target)}`).catch(() => {});
    await setAllowConnections(admin, target, true).catch(() => {});
    throw error;
  }
}

async function load(plan: RestorePlan, database: string, run: RestoreExecution, started: Date, tag: string): Promise<string[]> {
  const now = run.now ?? (() => new Date());
  const childEnv = await pgToolEnv(run.db.target, { database, connectTimeout: run.db.connectTimeout, applicationName: tag, base: (run.env ?? process.env) as NodeJS.ProcessEnv });
  try {
    const { warnings } = await runRestoreTool({
      file: plan.path,
      kind: plan.kind,
      program: plan.tool.path,
      database,
      env: childEnv.env,
      noOwner: plan.noOwner,
      noAcl: plan.noAcl,
      onProgress: (read) => run.onEvent?.({ type: 'progress', fraction: Math.min(0.99, plan.size > 0 ? read / plan.size : 1), bytes: read, elapsedMs: now().getTime() - started.getTime() }),
      spawn: run.spawn,
      signal: run.signal,
    });
    return warnings;
  } finally {
    await childEnv.cleanup();
  }
}

async function revisionOf(run: RestoreExecution, database: string): Promise<RevisionInfo | null> {
  if (!run.readRevision) return null;
  const client = await openClient(run.db, { database, applicationName: 'connector-db restore' }).catch(() => undefined);
  if (!client) return null;
  try {
    return await readRevisionSafely(run.readRevision, client);
  } finally {
    await client.end().catch(() => {});
  }
}

function quoting(client: pg.Client) {
  return { ident: (s: string) => client.escapeIdentifier(s), literal: (s: string) => client.escapeLiteral(s) };
}

async function execAll(client: pg.Client, statements: string[]): Promise<void> {
  for (const sql of statements) await client.query(sql);
}
