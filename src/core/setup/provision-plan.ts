/**
 * Pure: from what the server has (role? database? privileges?) to the
 * statements that make it right. Names are quoted as identifiers, the
 * password goes in as a SCRAM verifier literal; each step also carries the
 * text to show a person, with the password masked.
 */
import { identifierProblem, quoteIdent, quoteLiteral } from '../db/quote.js';
import { ToolError } from '../errors.js';

export interface ProvisionFacts {
  roleExists: boolean;
  roleCanLogin: boolean;
  databaseExists: boolean;
  databaseOwner?: string;
  /** undefined when the role or database does not exist yet. */
  roleCanConnect?: boolean;
  /** CREATE and USAGE on schema public of the database; undefined when unknown (database missing). */
  roleCanCreateInPublic?: boolean;
  /** The admin login is a superuser (may make any role a database's owner). */
  adminIsSuperuser?: boolean;
  /** The admin may SET ROLE to the app's role (16+; a member of it before 16): needed to name it as OWNER. */
  adminCanSetRole?: boolean;
  /** server_version_num, for the grant syntax that changed in 16. */
  serverVersionNum?: number;
}

export interface ProvisionWish {
  role: string;
  /** The role's password; required to create a role. */
  password?: string;
  database: string;
  /** Set the password even when the role exists (the login failed with it). */
  resetPassword?: boolean;
  /** Create the database when missing (default true). */
  createDatabase?: boolean;
  /** Grant CONNECT and schema privileges when missing (default true). */
  grant?: boolean;
  /** Create the role when missing (default true). */
  createRole?: boolean;
}

export interface ProvisionStep {
  kind: 'create_role' | 'set_password' | 'grant_membership' | 'create_database' | 'revoke_membership' | 'grant_connect' | 'grant_schema';
  /** In which database the statement runs: the admin's maintenance database, or the target. */
  runIn: 'maintenance' | 'target';
  sql: string;
  /** The statement as shown to a person (password masked). */
  shown: string;
  /** One line: what it does. */
  summary: string;
}

/** Throws a usage error naming the rule when a name cannot be created exactly as typed. */
export function assertCreatableNames(role: string, database: string): void {
  const problems = [identifierProblem(role, 'role'), identifierProblem(database, 'database')].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new ToolError('usage', problems.join('; '), { exitCode: 2 });
}

export function planProvision(wish: ProvisionWish, facts: ProvisionFacts, verifier: (password: string) => string): ProvisionStep[] {
  assertCreatableNames(wish.role, wish.database);
  const role = quoteIdent(wish.role);
  const db = quoteIdent(wish.database);
  const steps: ProvisionStep[] = [];
  const passwordClause = () => {
    if (wish.password === undefined || wish.password === '') throw new ToolError('usage', `a password for role "${wish.role}" is needed (DATABASE__PASSWORD); connector-db never creates a login role without one`, { exitCode: 2 });
    return { sql: `PASSWORD ${quoteLiteral(verifier(wish.password))}`, shown: `PASSWORD '****'` };
  };
  if (!facts.roleExists && wish.createRole !== false) {
    const pw = passwordClause();
    steps.push({ kind: 'create_role', runIn: 'maintenance', sql: `CREATE ROLE ${role} LOGIN ${pw.sql}`, shown: `CREATE ROLE ${role} LOGIN ${pw.shown}`, summary: `create role "${wish.role}" (LOGIN, with its password)` });
  } else if (facts.roleExists && (wish.resetPassword || !facts.roleCanLogin)) {
    const pw = wish.resetPassword ? passwordClause() : undefined;
    steps.push({
      kind: 'set_password',
      runIn: 'maintenance',
      sql: `ALTER ROLE ${role} WITH LOGIN${pw ? ` ${pw.sql}` : ''}`,
      shown: `ALTER ROLE ${role} WITH LOGIN${pw ? ` ${pw.shown}` : ''}`,
      summary: pw ? `set the password of role "${wish.role}" (and allow it to log in)` : `allow role "${wish.role}" to log in`,
    });
  }
  const roleWillExist = facts.roleExists || steps.some((s) => s.kind === 'create_role');
  if (!facts.databaseExists && wish.createDatabase !== false) {
    // A non-superuser admin (CREATEROLE + CREATEDB) may name a role as OWNER only if it can SET ROLE to it
    // (PostgreSQL 16+) or is a member of it (15): it grants that to itself for the CREATE, then takes it back.
    const borrow = roleWillExist && facts.adminIsSuperuser === false && facts.adminCanSetRole !== true;
    if (borrow) {
      const sql = (facts.serverVersionNum ?? 0) >= 160000 ? `GRANT ${role} TO CURRENT_USER WITH INHERIT FALSE, SET TRUE` : `GRANT ${role} TO CURRENT_USER`;
      steps.push({ kind: 'grant_membership', runIn: 'maintenance', sql, shown: sql, summary: `let the admin act as "${wish.role}" to make it the database's owner` });
    }
    const sql = roleWillExist ? `CREATE DATABASE ${db} OWNER ${role}` : `CREATE DATABASE ${db}`;
    steps.push({ kind: 'create_database', runIn: 'maintenance', sql, shown: sql, summary: `create database "${wish.database}"${roleWillExist ? ` owned by "${wish.role}"` : ''}` });
    if (borrow) {
      const revoke = `REVOKE ${role} FROM CURRENT_USER`;
      steps.push({ kind: 'revoke_membership', runIn: 'maintenance', sql: revoke, shown: revoke, summary: `take back the admin's membership in "${wish.role}"` });
    }
  }
  const ownsDatabase = !facts.databaseExists || facts.databaseOwner === wish.role;
  if (wish.grant !== false && roleWillExist && facts.databaseExists && !ownsDatabase) {
    if (facts.roleCanConnect === false || !facts.roleExists) {
      const sql = `GRANT CONNECT ON DATABASE ${db} TO ${role}`;
      steps.push({ kind: 'grant_connect', runIn: 'maintenance', sql, shown: sql, summary: `let "${wish.role}" connect to "${wish.database}"` });
    }
    if (facts.roleCanCreateInPublic !== true) {
      const sql = `GRANT USAGE, CREATE ON SCHEMA public TO ${role}`;
      steps.push({ kind: 'grant_schema', runIn: 'target', sql, shown: sql, summary: `let "${wish.role}" create tables in schema public of "${wish.database}" (PostgreSQL 15 no longer grants it to everyone)` });
    }
  }
  return steps;
}
