/**
 * What the doctor can do about a failure, now: create the database, create
 * the role (or set its password), grant the privileges, stamp. Each plans
 * with the same pure planner as setup, runs, and says what it ran; the
 * caller re-runs the doctor to show the effect.
 */
import type { Settings } from '../config/resolve.js';
import { openClient } from '../db/connect.js';
import { quoteIdent } from '../db/quote.js';
import { ToolError } from '../errors.js';
import { adminTargetOf, type AdminLogin } from '../setup/admin-login.js';
import { executeProvision, planWithAdmin } from '../setup/provision.js';
import { assertCreatableNames, type ProvisionWish } from '../setup/provision-plan.js';
import type { ActionId } from './check-types.js';
import { dbSettingsFrom } from './doctor.js';

export interface ActionOutcome {
  /** The statements run, as shown to a person (passwords masked). */
  ran: string[];
  /** One line for the screen. */
  summary: string;
}

export interface ActionInput {
  settings: Settings;
  admin?: AdminLogin;
  env?: Record<string, string | undefined>;
  /** The stamp action, when the migrations engine is in this build. */
  stamp?: (settings: Settings) => Promise<ActionOutcome>;
}

export async function runDoctorAction(id: ActionId, input: ActionInput): Promise<ActionOutcome> {
  const { settings } = input;
  const { target } = settings;
  switch (id) {
    case 'retry':
      return { ran: [], summary: 'checked again' };
    case 'stamp':
      if (!input.stamp) throw new ToolError('failed', 'stamping needs the migrations engine, which this caller did not give');
      return input.stamp(settings);
    case 'create_database':
      if (!input.admin) return createDatabaseAsUser(settings);
      return provision(input, { role: target.user, database: target.database, createRole: false, grant: false });
    case 'create_role':
      if (!input.admin) throw needsAdmin('creating a role');
      return provision(input, { role: target.user, ...(target.password !== undefined ? { password: target.password } : {}), database: target.database, resetPassword: true, createDatabase: false, grant: false });
    case 'grant_privileges':
      if (!input.admin) throw needsAdmin('granting privileges');
      return provision(input, { role: target.user, database: target.database, createRole: false, createDatabase: false, grant: true });
  }
}

function needsAdmin(what: string): ToolError {
  return new ToolError('usage', `${what} needs an admin login (a URL, or a user and password)`, { exitCode: 2 });
}

async function provision(input: ActionInput, wish: ProvisionWish): Promise<ActionOutcome> {
  const { settings } = input;
  const env = input.env ?? process.env;
  const admin = adminTargetOf(input.admin ?? {}, settings.target, env);
  const { steps, open } = await planWithAdmin(settings, wish, admin, env);
  if (steps.length === 0) return { ran: [], summary: 'nothing to do: the server already has it' };
  const done = await executeProvision(steps, open);
  return { ran: done.map((d) => d.step.shown), summary: done.map((d) => d.step.summary).join('; ') };
}

/** The role has CREATEDB: it creates its own database (and so owns it). */
async function createDatabaseAsUser(settings: Settings): Promise<ActionOutcome> {
  assertCreatableNames(settings.target.user, settings.target.database);
  const sql = `CREATE DATABASE ${quoteIdent(settings.target.database)}`;
  const client = await openClient(dbSettingsFrom(settings), { database: 'postgres' });
  try {
    await client.query(sql);
  } catch (error) {
    const raw = (error as Error).message;
    throw new ToolError('failed', `Could not create database "${settings.target.database}": ${raw}`, { evidence: [`statement: ${sql}`, `server: ${raw}`], cause: error });
  } finally {
    await client.end().catch(() => {});
  }
  return { ran: [sql], summary: `created database "${settings.target.database}" owned by "${settings.target.user}"` };
}
