/**
 * The acting half of provisioning: read the facts with an admin connection,
 * then run the planned statements one by one (CREATE DATABASE cannot run in
 * a transaction block), each failure a ToolError naming the step.
 */
import { refuseTooOld } from '../db/server-support.js';
import type pg from 'pg';
import type { Settings, Target } from '../config/resolve.js';
import { scramVerifier } from '../db/scram.js';
import { ToolError } from '../errors.js';
import { adminOpener } from './admin-login.js';
import { planProvision, type ProvisionFacts, type ProvisionStep, type ProvisionWish } from './provision-plan.js';

type Client = pg.Client | pg.PoolClient;

/** Opens an admin connection to a database: the maintenance one (`postgres`) or the target. */
export type AdminOpener = (database: 'maintenance' | 'target') => Promise<pg.Client>;

export async function readProvisionFacts(open: AdminOpener, role: string, database: string): Promise<ProvisionFacts> {
  const admin = await open('maintenance');
  let facts: ProvisionFacts;
  try {
    // A server too old for the connector schema is refused before any role or database is made on it.
    await refuseTooOld(admin);
    const { rows } = await admin.query<{
      role_exists: boolean;
      can_login: boolean | null;
      db_exists: boolean;
      db_owner: string | null;
      can_connect: boolean | null;
      admin_super: boolean;
      admin_can_set: boolean | null;
      num: string;
    }>(
      `select r.oid is not null as role_exists, r.rolcanlogin as can_login,
              d.oid is not null as db_exists, pg_get_userbyid(d.datdba) as db_owner,
              case when r.oid is not null and d.oid is not null then has_database_privilege(r.oid, d.oid, 'CONNECT') end as can_connect,
              (select rolsuper from pg_roles where rolname = current_user) as admin_super,
              case when r.oid is not null then pg_has_role(current_user, r.oid, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end) end as admin_can_set,
              current_setting('server_version_num') as num
         from (select 1) as one
         left join pg_roles r on r.rolname = $1
         left join pg_database d on d.datname = $2`,
      [role, database],
    );
    const row = rows[0];
    if (!row) throw new Error('no row');
    facts = {
      roleExists: row.role_exists,
      roleCanLogin: row.can_login ?? false,
      databaseExists: row.db_exists,
      ...(row.db_owner ? { databaseOwner: row.db_owner } : {}),
      ...(row.can_connect !== null ? { roleCanConnect: row.can_connect } : {}),
      adminIsSuperuser: row.admin_super,
      adminCanSetRole: row.admin_can_set ?? false,
      serverVersionNum: Number(row.num),
    };
  } finally {
    await admin.end().catch(() => {});
  }
  if (facts.roleExists && facts.databaseExists && facts.databaseOwner !== role) {
    const inTarget = await open('target');
    try {
      const { rows } = await inTarget.query<{ ok: boolean | null }>(
        `select has_schema_privilege($1, n.oid, 'CREATE') and has_schema_privilege($1, n.oid, 'USAGE') as ok from pg_namespace n where n.nspname = 'public'`,
        [role],
      );
      facts.roleCanCreateInPublic = rows[0]?.ok ?? false;
    } finally {
      await inTarget.end().catch(() => {});
    }
  }
  return facts;
}

export interface StepDone {
  step: ProvisionStep;
  elapsedMs: number;
}

export async function executeProvision(steps: ProvisionStep[], open: AdminOpener, onStep?: (done: StepDone) => void): Promise<StepDone[]> {
  const done: StepDone[] = [];
  const clients = new Map<ProvisionStep['runIn'], pg.Client>();
  try {
    for (const step of steps) {
      let client = clients.get(step.runIn);
      if (!client) {
        client = await open(step.runIn);
        clients.set(step.runIn, client);
      }
      const started = performance.now();
      await runStep(client, step);
      const d = { step, elapsedMs: Math.round(performance.now() - started) };
      done.push(d);
      onStep?.(d);
    }
  } finally {
    for (const c of clients.values()) await c.end().catch(() => {});
  }
  return done;
}

async function runStep(client: Client, step: ProvisionStep): Promise<void> {
  try {
    await client.query(step.sql);
  } catch (error) {
    const e = error as { message?: string; code?: string };
    const raw = e.message ?? String(error);
    const code = e.code === '42501' ? 'auth_failed' : 'failed';
    throw new ToolError(code, `Could not ${step.summary}: ${raw}`, {
      evidence: [`statement: ${step.shown}`, `server: ${raw}${e.code ? ` (SQLSTATE ${e.code})` : ''}`],
      fixes: e.code === '42501' ? ['use an admin login with more rights (a superuser such as postgres, or a role with CREATEROLE / CREATEDB)'] : [],
      cause: error,
    });
  }
}

/** Read the facts with the admin login and plan; the caller shows the steps, then runs them with `open`. */
export async function planWithAdmin(settings: Settings, wish: ProvisionWish, admin: Target, env: Record<string, string | undefined>): Promise<{ steps: ProvisionStep[]; facts: ProvisionFacts; open: AdminOpener }> {
  const open = adminOpener(admin, wish.database, settings.connectTimeout, { env });
  const facts = await readProvisionFacts(open, wish.role, wish.database);
  return { steps: planProvision(wish, facts, (pw) => scramVerifier(pw)), facts, open };
}
