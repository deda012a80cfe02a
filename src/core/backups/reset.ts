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
import { downgradeToBase, readMigrationStatus, upgradeToHead, type MigrationEvent, type MigrationStatus, type MoveResult } from '../migrations/index.js';

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
    return { target, recreate, status, props, rights, sessions };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function executeReset(plan: ResetPlan, options: ResetOptions): Promise<ResetResult> {
  const step = (text: string) => options.onEvent?.({ type: 'step', text });
  const move = { dir: options.migrationsDir, lockTimeout: options.lockTimeout ?? 0, onEvent: (event: MigrationEvent) => options.onEvent?.({ type: 'migration', event }), ...(options.signal ? { signal: options.signal } : {}) };
  let down: MoveResult | null = null;
  if (plan.recreate) {
    await recreate(plan, options, step);
  } else {
    const client = await openClient(options.db, { applicationName: 'connector-db reset' });
    try {
      step(`downgrading ${plan.target} to base`);
      down = await downgradeToBase(client, move);
    } finally {
      await client.end().catch(() => {});
    }
  }
  const client = await openClient(options.db, { applicationName: 'connector-db reset' });
  try {
    step(`upgrading ${plan.target} to head`);
    const up = await upgradeToHead(client, move);
    return { target: plan.target, recreate: plan.recreate, down, up, status: up.status };
  } finally {
    await client.end().catch(() => {});
  }
}

async function recreate(plan: ResetPlan, options: ResetOptions, step: (t: string) => void): Promise<void> {
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
    step(`creating ${plan.target} again (owner ${props.owner}, ${props.encoding}, ${props.collate})`);
    const q = { ident: (s: string) => admin.escapeIdentifier(s), literal: (s: string) => admin.escapeLiteral(s) };
    for (const sql of createDatabaseSql(plan.target, props, q)) await admin.query(sql);
  } finally {
    await admin.end().catch(() => {});
  }
}
