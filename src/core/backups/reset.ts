/**
 * `connector-db reset`: the seed's "downgrade base + upgrade head", or with
 * `recreate` the database dropped and created again (same owner, encoding,
 * locale, privileges and settings) and migrated to head. The plan is read
 * first and shown; the caller offers a backup and asks for the name.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';
import { openClient, type DbSettings } from '../db/connect.js';
import { createDatabaseSql, mayOwn, readDatabaseProps, readRights, type DatabaseProps, type DatabaseRights } from '../db/database-props.js';
import { describeSession, sessionsOn, type DbSession } from '../db/database-sessions.js';
import { openMaintenance } from '../db/maintenance.js';
import { downgradeToBase, loadMigrationFiles, readMigrationStatus, upgradeToHead, type MigrationEvent, type MigrationStatus, type MoveResult } from '../migrations/index.js';
import { refuseResetThatCannotFinish } from './reset-check.js';

export interface ResetPlan {
  target: string;
  recreate: boolean;
  /** Where the migrations stand now (null when recreate finds the database unreadable as-is). */
  status: MigrationStatus;
  /** recreate: the properties the new database gets. */
  props: DatabaseProps | null;
  rights: DatabaseRights;
  /** Others connected to the target (recreate must disconnect them). */
  sessions: DbSession[];
}

export type ResetEvent = { type: 'step'; text: string } | { type: 'migration'; event: MigrationEvent };

export interface ResetOptions {
  db: DbSettings;
  migrationsDir: string;
  /** recreate: DROP DATABASE ... WITH (FORCE) when others are connected (a person confirmed). */
  force?: boolean;
  lockTimeout?: number;
  signal?: AbortSignal;
  onEvent?: (event: ResetEvent) => void;
}

export interface ResetResult {
  target: string;
  recreate: boolean;
  down: MoveResult | null;
  up: MoveResult;
  status: MigrationStatus;
}

export async function planReset(db: DbSettings, migrationsDir: string, recreate: boolean): Promise<ResetPlan> {
  const target = db.target.database;
  // Rights first: a recreate that cannot finish must stop before it reads (or drops) anything.
  const admin = await openMaintenance(db, { applicationName: 'connector-db reset' });
  let rights: DatabaseRights;
  let props: DatabaseProps | null = null;
  let sessions: DbSession[] = [];
  try {
    rights = await readRights(admin);
    if (recreate) {
      props = (await readDatabaseProps(admin, target)) ?? null;
      if (!props) throw new ToolError('database_missing', `${target} does not exist`);
      if (!rights.superuser && !rights.createdb) {
        throw new ToolError('privilege_missing', `recreating ${target} needs CREATEDB, which role ${rights.role} lacks; nothing was dropped`, {
          fixes: [`ALTER ROLE "${rights.role}" CREATEDB;   # as an admin`, 'or reset without --recreate (downgrade base + upgrade head)'],
        });
      }
      if (!(await mayOwn(admin, target))) throw new ToolError('privilege_missing', `dropping ${target} needs its owner (${props.owner}) or a superuser; nothing was dropped`);
      const ownerOk = rights.superuser || (await admin.query<{ ok: boolean }>("select pg_has_role(current_user, $1, 'MEMBER') as ok", [props.owner])).rows[0]?.ok === true;
      if (!ownerOk) throw new ToolError('privilege_missing', `${target} belongs to ${props.owner}, and role ${rights.role} could not create it again for that owner; nothing was dropped`);
      sessions = await sessionsOn(admin, target);
    }
  } finally {
    await admin.end().catch(() => {});
  }
  const client = await openClient(db, { applicationName: 'connector-db reset' });
  try {
    const status = await readMigrationStatus(client, migrationsDir).catch((error: unknown) => {
      const e = error as { code?: string; message?: string };
      if (e.code === '42501') throw new ToolError('privilege_missing', `role ${rights.role} cannot read the migration records of ${target}: ${e.message}`, { cause: error });
      throw error;
    });
    // Shown now, before the backup and the typed name; checked again under the lock before the first down step.
    if (!recreate) refuseResetThatCannotFinish(status, await loadMigrationFiles(migrationsDir));
    return { target, recreate, status, props, rights, sessions };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function executeReset(plan: ResetPlan, options: ResetOptions): Promise<ResetResult> {
  const step = (text: string) => options.onEvent?.({ type: 'step', text });
  const progress: Progress = { dropped: false, recreated: false, down: [], up: [], phase: plan.recreate ? 'recreate' : 'down' };
  const onEvent = (event: MigrationEvent) => {
    if (event.type === 'migration_done') progress[event.step.direction].push(event.step.id);
    options.onEvent?.({ type: 'migration', event });
  };
  const move = { dir: options.migrationsDir, lockTimeout: options.lockTimeout ?? 0, onEvent, ...(options.signal ? { signal: options.signal } : {}) };
  let down: MoveResult | null = null;
  try {
    if (plan.recreate) {
      await recreate(plan, options, step, progress);
    } else {
      down = await withClient(options.db, (client) => {
        step(`downgrading ${plan.target} to base`);
        // Under the migration lock, with the status it just read: refuse before the first down step if the way back up cannot finish.
        return downgradeToBase(client, { ...move, beforeRun: (status, files) => refuseResetThatCannotFinish(status, files) });
      });
    }
    progress.phase = 'up';
    const up = await withClient(options.db, (client) => {
      step(`upgrading ${plan.target} to head`);
      return upgradeToHead(client, move);
    });
    return { target: plan.target, recreate: plan.recreate, down, up, status: up.status };
  } catch (error) {
    throw await stoppedPartWay(error, plan, options, progress);
  }
}

interface Progress {
  phase: 'recreate' | 'down' | 'up';
  dropped: boolean;
  recreated: boolean;
  /** Revisions undone and applied so far, in order. */
  down: string[];
  up: string[];
}

async function withClient<T>(db: DbSettings, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await openClient(db, { applicationName: 'connector-db reset' });
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * A reset that failed after it changed something must say so, and where the
 * database now is: the step's own "Nothing was changed" is only true of that
 * step. One that changed nothing is passed on as it is.
 */
async function stoppedPartWay(error: unknown, plan: ResetPlan, options: ResetOptions, progress: Progress): Promise<unknown> {
  if (!progress.dropped && progress.down.length === 0 && progress.up.length === 0) return error;
  const e = error instanceof ToolError ? error : null;
  const cause = (e?.message ?? (error instanceof Error ? error.message : String(error))).replace(/\s*Nothing was changed\.?\s*$/i, '');
  const did: string[] = [];
  if (progress.dropped) did.push(progress.recreated ? 'the database was dropped and created again (empty)' : 'the database was dropped and could not be created again');
  const were = (ids: string[]) => `${ids.join(', ')} ${ids.length === 1 ? 'was' : 'were'}`;
  if (progress.down.length > 0) did.push(`${were(progress.down)} undone`);
  if (progress.up.length > 0) did.push(`${progress.down.length > 0 || progress.recreated ? `${progress.up.join(', ')} applied again` : `${were(progress.up)} applied`}`);
  let where = 'run `connector-db migrate current` to see where it stands';
  if (!progress.dropped || progress.recreated) {
    const status = await withClient(options.db, (client) => readMigrationStatus(client, options.migrationsDir)).catch(() => null);
    if (status) where = `the database is now at ${status.current ?? 'base'} (head ${status.head ?? 'none'})`;
  }
  const next: Record<Progress['phase'], string[]> = {
    up: ['once the cause is fixed, finish it: connector-db migrate upgrade head'],
    down: ['once the cause is fixed, run the reset again: connector-db reset', 'or go back up, emptying nothing more: connector-db migrate upgrade head'],
    recreate: progress.recreated
      ? ['its owner, privileges or settings may not all be back (a statement after CREATE DATABASE failed): compare them with the plan shown, then: connector-db migrate upgrade head']
      : [`as an admin: CREATE DATABASE "${plan.target}" OWNER "${plan.props?.owner ?? plan.rights.role}"; then: connector-db migrate upgrade head`],
  };
  const fixes = [...(e?.fixes ?? []), ...next[progress.phase]];
  return new ToolError(e?.code ?? 'failed', `Reset of ${plan.target} stopped part-way: ${did.join(' and ')}; ${where}. ${cause}`, { evidence: e?.evidence ?? [], fixes, exitCode: e?.exitCode ?? 1, cause: error });
}

async function recreate(plan: ResetPlan, options: ResetOptions, step: (t: string) => void, progress: Progress): Promise<void> {
  const props = plan.props;
  if (!props) throw new Error('executeReset: a recreate plan carries the database properties');
  const admin: pg.Client = await openMaintenance(options.db, { applicationName: 'connector-db reset' });
  try {
    const others = await sessionsOn(admin, plan.target);
    if (others.length > 0 && !options.force) {
      throw new ToolError('database_in_use', `${plan.target} is being accessed by ${others.length} other session${others.length > 1 ? 's' : ''}; nothing was dropped`, {
        evidence: others.map(describeSession),
        fixes: ['stop the application, or confirm disconnecting them (--force: DROP DATABASE ... WITH (FORCE))'],
      });
    }
    step(`dropping ${plan.target}${others.length > 0 ? ` and disconnecting ${others.length} session${others.length > 1 ? 's' : ''}` : ''}`);
    await admin.query(`DROP DATABASE ${admin.escapeIdentifier(plan.target)}${options.force ? ' WITH (FORCE)' : ''}`).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (/being accessed by other users/.test(message)) throw new ToolError('database_in_use', `${plan.target} ${message.replace(/^database "[^"]*" /, '')}; nothing was dropped`, { fixes: ['stop the application, or --force'] });
      throw new ToolError('server_error', `DROP DATABASE ${plan.target} failed: ${message}; nothing was dropped`, { cause: error });
    });
    progress.dropped = true;
    step(`creating ${plan.target} again (owner ${props.owner}, ${props.encoding}, ${props.collate})`);
    const q = { ident: (s: string) => admin.escapeIdentifier(s), literal: (s: string) => admin.escapeLiteral(s) };
    for (const sql of createDatabaseSql(plan.target, props, q)) {
      await admin.query(sql);
      // The first statement is CREATE DATABASE: from here on it exists again.
      progress.recreated = true;
    }
  } finally {
    await admin.end().catch(() => {});
  }
}
