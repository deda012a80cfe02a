/**
 * Authentication and the database: the outcome of one real login attempt,
 * split onto the checks it answers (a TLS-only pg_hba line shows on the TLS
 * check, a wrong password on auth, a missing database on database), each
 * with the evidence and the fixes for the settings in use.
 */
import net from 'node:net';
import type { ToolError } from '../errors.js';
import { quoteIdent, quoteLiteral } from '../db/quote.js';
import { result, type CheckId, type CheckResult } from './check-types.js';
import { adminCommand, dockerCommand, settingLine, sqlArg, userCommand, whereToSet, type FixContext } from './fix-context.js';
import { shellQuote } from '../system/shell-quote.js';

/** Which check a login failure belongs to. */
export function checkForLoginFailure(error: Pick<ToolError, 'code' | 'message'> & { sqlstate?: string }): CheckId {
  switch (error.code) {
    case 'tls_required':
    case 'tls_unsupported':
    case 'tls_verify_failed':
      return 'tls';
    case 'database_missing':
      return 'database';
    case 'connection_refused':
    case 'connection_timeout':
    case 'server_starting':
    case 'connection_lost':
    case 'dns_failed':
      return 'reachable';
    case 'auth_failed':
      return /lacks CONNECT/.test(error.message) ? 'privileges' : 'auth';
    default:
      return 'auth';
  }
}

export function passwordEvidence(ctx: FixContext): string {
  const src = ctx.sources.password;
  if (ctx.target.password === undefined) return 'no password is set (DATABASE__PASSWORD, DATABASE__URL, PGPASSWORD and ~/.pgpass are all empty)';
  return `the password sent is DATABASE__PASSWORD from ${src?.label ?? 'an unknown source'}${src?.kind === 'pgpass' ? ' (~/.pgpass is used only when nothing else sets one)' : ''}`;
}

export function authPassed(ctx: FixContext, how: string): CheckResult {
  return result('auth', 'passed', `Logged in as "${ctx.target.user}"${how}.`, { evidence: [passwordEvidence(ctx)] });
}

const createRole = (ctx: FixContext) => ({ id: 'create_role' as const, label: `create role "${ctx.target.user}" with the configured password (or set it, if the role exists)`, needsAdmin: true });

export function authFailed(ctx: FixContext, error: ToolError): CheckResult {
  const { user } = ctx.target;
  const evidence = [...error.evidence, settingLine('DATABASE__USER', user, ctx.sources.user), passwordEvidence(ctx)];
  const retry = { id: 'retry' as const, label: 'check again', needsAdmin: false };
  switch (error.code) {
    case 'role_missing':
      return result('auth', 'failed', error.message, {
        code: 'role_missing',
        evidence,
        fixes: [
          `${adminCommand(ctx, 'createuser', ['--login', '--pwprompt', user])}   # type the password that DATABASE__PASSWORD holds`,
          `${dockerCommand(ctx, 'createuser', ['--login', '--pwprompt', user], { user: 'OLD_USER' })}   # OLD_USER: the DATABASE__USER the db volume was first created with (POSTGRES_USER applies only to a new volume)`,
        ],
        actions: [createRole(ctx), retry],
      });
    case 'no_hba_entry':
      return result('auth', 'failed', error.message, { code: 'no_hba_entry', evidence, fixes: hbaFixes(ctx, error), actions: [retry] });
    case 'too_many_connections':
      return result('auth', 'failed', error.message, { code: 'too_many_connections', evidence, fixes: tooManyFixes(ctx, error), actions: [retry] });
    case 'auth_failed': {
      if (ctx.target.password === undefined) {
        return result('auth', 'failed', error.message, {
          code: 'auth_failed',
          evidence,
          fixes: [`add DATABASE__PASSWORD=... to .env (0600), or run: connector-db setup`],
          actions: [retry],
        });
      }
      const fromLabel = ctx.sources.password?.label ?? 'the settings';
      return result('auth', 'failed', error.message, {
        code: 'auth_failed',
        evidence,
        fixes: [
          `${adminCommand(ctx, 'psql', sqlArg(`\\password ${quoteIdent(user)}`), 'postgres')}   # set the role's password: type the one from ${fromLabel}`,
          `${adminCommand(ctx, 'createuser', ['--login', '--pwprompt', user])}   # if the role does not exist (the server does not say which)`,
          `${dockerCommand(ctx, 'psql', sqlArg(`\\password ${quoteIdent(user)}`), { database: 'postgres' })}   # the db volume keeps the password it was created with: POSTGRES_PASSWORD applies only to a new volume`,
        ],
        actions: [createRole(ctx), retry],
      });
    }
    default:
      return result('auth', 'failed', error.message, { code: error.code, evidence, actions: [retry] });
  }
}

/** `host "x", user "u", database "d"` from the server's pg_hba message. */
export function parseHbaMessage(message: string): { host?: string; encrypted: boolean; rejected: boolean } {
  const host = /for host "([^"]+)"/.exec(message)?.[1];
  return { ...(host ? { host } : {}), encrypted: /SSL encryption|GSS encryption/.test(message) && !/no encryption/.test(message), rejected: /rejects connection/.test(message) };
}

function hbaToken(name: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(name) && !['all', 'sameuser', 'samerole', 'samegroup', 'replication'].includes(name) ? name : `"${name}"`;
}

function hbaFixes(ctx: FixContext, error: ToolError): string[] {
  const parsed = parseHbaMessage(error.evidence.join(' '));
  const address = parsed.host ? (net.isIPv6(parsed.host) ? `${parsed.host}/128` : net.isIPv4(parsed.host) ? `${parsed.host}/32` : parsed.host) : 'samenet';
  const line = `host    ${hbaToken(ctx.target.database)}    ${hbaToken(ctx.target.user)}    ${address}    scram-sha-256`;
  const fixes: string[] = [];
  if (/"/.test(ctx.target.database + ctx.target.user)) {
    fixes.push(`edit pg_hba.conf by hand: a name holding a double quote cannot be written on a pg_hba.conf line; use a group role (+group) or "all"`);
  }
  if (parsed.rejected) {
    fixes.push(`a "reject" line in pg_hba.conf matches this connection first; put this line above it: ${line}`);
    fixes.push(`${adminCommand(ctx, 'psql', sqlArg("SELECT line_number, type, database, user_name, address, auth_method FROM pg_hba_file_rules WHERE auth_method = 'reject'"), 'postgres')}   # where the reject line is`);
  } else {
    const append = `echo ${shellQuote(line)} | sudo tee -a "$(sudo -u postgres psql -Atc 'SHOW hba_file')"`;
    fixes.push(`${append}   # on the server's machine: add the line to pg_hba.conf`);
  }
  fixes.push(`${adminCommand(ctx, 'psql', sqlArg('SELECT pg_reload_conf()'), 'postgres')}   # reload; pg_hba.conf is read again, no restart`);
  const dockerLine = `host    ${hbaToken(ctx.target.database)}    ${hbaToken(ctx.target.user)}    all    scram-sha-256`;
  fixes.push(`${dockerCommand(ctx, 'sh', ['-c', `echo ${shellQuote(dockerLine)} >> "$PGDATA/pg_hba.conf"`])} && ${dockerCommand(ctx, 'psql', sqlArg('SELECT pg_reload_conf()'))}   # the same in the app's Docker Compose`);
  return fixes;
}

function tooManyFixes(ctx: FixContext, error: ToolError): string[] {
  const raw = error.evidence.join(' ');
  const { user, database } = ctx.target;
  const who = `SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1, 2, 3 ORDER BY 4 DESC`;
  if (/too many connections for role/.test(raw)) {
    return [
      `${adminCommand(ctx, 'psql', sqlArg(`ALTER ROLE ${quoteIdent(user)} CONNECTION LIMIT -1`), 'postgres')}   # or a limit above DATABASE__POOL_SIZE + DATABASE__MAX_OVERFLOW = ${ctx.poolSize + ctx.maxOverflow}`,
      `${dockerCommand(ctx, 'psql', sqlArg(`ALTER ROLE ${quoteIdent(user)} CONNECTION LIMIT -1`), { database: 'postgres' })}`,
      `${adminCommand(ctx, 'psql', sqlArg(`SELECT pid, application_name, state, backend_start FROM pg_stat_activity WHERE usename = ${quoteLiteral(user)}`), 'postgres')}   # who holds them`,
    ];
  }
  if (/too many connections for database/.test(raw)) {
    return [
      `${adminCommand(ctx, 'psql', sqlArg(`ALTER DATABASE ${quoteIdent(database)} CONNECTION LIMIT -1`), 'postgres')}`,
      `${dockerCommand(ctx, 'psql', sqlArg(`ALTER DATABASE ${quoteIdent(database)} CONNECTION LIMIT -1`), { database: 'postgres' })}`,
    ];
  }
  return [
    `${adminCommand(ctx, 'psql', sqlArg(who), 'postgres')}   # who holds the connections`,
    `${adminCommand(ctx, 'psql', sqlArg("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle' AND state_change < now() - interval '10 minutes'"), 'postgres')}   # end sessions idle for 10 minutes`,
    `${adminCommand(ctx, 'psql', sqlArg('ALTER SYSTEM SET max_connections = 200'), 'postgres')} && ${ctx.platform === 'darwin' ? 'brew services restart postgresql@15' : 'sudo systemctl restart postgresql'}   # more slots (a restart is needed)`,
    `${dockerCommand(ctx, 'psql', sqlArg(who), { database: 'postgres' })}`,
    `${dockerCommand(ctx, 'psql', sqlArg('ALTER SYSTEM SET max_connections = 200'), { database: 'postgres' })} && docker compose restart db`,
  ];
}

export function databaseFacts(canCreate: boolean | undefined, databases: string[] | undefined): { canCreate?: boolean; databases?: string[] } {
  return { ...(canCreate !== undefined ? { canCreate } : {}), ...(databases ? { databases } : {}) };
}

export function databaseMissing(ctx: FixContext, error: ToolError, facts: { canCreate?: boolean; databases?: string[] }): CheckResult {
  const { user, database } = ctx.target;
  const evidence = [...error.evidence, settingLine('DATABASE__NAME', database, ctx.sources.database)];
  if (facts.canCreate !== undefined) evidence.push(facts.canCreate ? `role "${user}" may create databases (CREATEDB)` : `role "${user}" may not create databases (no CREATEDB)`);
  if (facts.databases) {
    const near = facts.databases.filter((d) => d.toLowerCase() === database.toLowerCase() || d.includes(database) || database.includes(d));
    evidence.push(`databases on the server: ${facts.databases.slice(0, 12).join(', ')}${facts.databases.length > 12 ? ', …' : ''}`);
    if (near.length > 0 && !near.includes(database)) evidence.push(`did you mean ${near.map((n) => `"${n}"`).join(' or ')}? (set DATABASE__NAME ${whereToSet(ctx.sources.database)})`);
  }
  const fixes: string[] = [];
  if (facts.canCreate) fixes.push(`${userCommand(ctx, 'createdb', [database])}   # as "${user}" itself (it has CREATEDB); it will own the database`);
  fixes.push(`${adminCommand(ctx, 'createdb', ['--owner', user, database])}   # as the server's superuser, owned by "${user}"`);
  fixes.push(`${dockerCommand(ctx, 'createdb', ['--owner', user, database])}   # the same in the app's Docker Compose`);
  return result('database', 'failed', error.message, {
    code: 'database_missing',
    evidence,
    fixes,
    actions: [
      { id: 'create_database', label: `create database "${database}" owned by "${user}"${facts.canCreate ? ` (as ${user}, which has CREATEDB)` : ''}`, needsAdmin: !facts.canCreate },
      { id: 'retry', label: 'check again', needsAdmin: false },
    ],
  });
}

export function connectPrivilegeMissing(ctx: FixContext, error: ToolError): CheckResult {
  const grant = `GRANT CONNECT ON DATABASE ${quoteIdent(ctx.target.database)} TO ${quoteIdent(ctx.target.user)}`;
  return result('privileges', 'failed', error.message, {
    code: 'auth_failed',
    evidence: [...error.evidence, 'the password was accepted; the database refuses this role'],
    fixes: [`${adminCommand(ctx, 'psql', sqlArg(grant), 'postgres')}`, `${dockerCommand(ctx, 'psql', sqlArg(grant), { database: 'postgres' })}`],
    actions: [
      { id: 'grant_privileges', label: `grant CONNECT on "${ctx.target.database}" and USAGE, CREATE on schema public to "${ctx.target.user}"`, needsAdmin: true },
      { id: 'retry', label: 'check again', needsAdmin: false },
    ],
  });
}

