/**
 * Checks that run once logged in: server version, read-only, privileges,
 * the pool against max_connections, a transaction pooler in the path, and
 * pg_dump. Each reads the catalog with the configured role (nothing needs
 * more rights than that) and returns a result with the fix.
 */
import type pg from 'pg';
import { quoteIdent } from '../db/quote.js';
import { MIN_SERVER_MAJOR } from '../db/server-support.js';
import { majorVersion, type ServerInfo } from '../db/server-info.js';
import { isToolError } from '../errors.js';
import { chooseBinary, type PgBinary } from '../system/pg-binaries.js';
import { shellCommand } from '../system/shell-quote.js';
import { result, type CheckResult } from './check-types.js';
import { adminCommand, dockerCommand, isSocket, settingChangeFix, settingLine, sqlArg, whereToSet, type FixContext } from './fix-context.js';

type Client = pg.Client | pg.PoolClient;

export { MIN_SERVER_MAJOR };

export function versionCheck(ctx: FixContext, info: ServerInfo): CheckResult {
  const major = majorVersion(info.versionNum);
  if (major >= MIN_SERVER_MAJOR) return result('version', 'passed', `PostgreSQL ${info.version}.`, { evidence: [info.banner] });
  return result('version', 'failed', `The server runs PostgreSQL ${info.version}; connector-db and the connector schema need ${MIN_SERVER_MAJOR} or newer.`, {
    code: 'server_too_old',
    evidence: [info.banner],
    fixes: [
      ctx.platform === 'darwin'
        ? `brew install postgresql@${MIN_SERVER_MAJOR}   # then move the data: pg_dump from the old server, restore into the new one`
        : `sudo apt install postgresql-${MIN_SERVER_MAJOR} && sudo pg_upgradecluster ${major} main   # Debian/Ubuntu: upgrade the cluster in place`,
      `the app's Docker Compose runs postgres:15-alpine: docker compose pull db && docker compose up -d db   # a new major version needs the data dumped and restored (connector-db backup / restore)`,
    ],
  });
}

interface ReadOnlyRow {
  recovery: boolean;
  dtro: string;
  source: string | null;
}

export async function readOnlyCheck(ctx: FixContext, client: Client): Promise<CheckResult> {
  const { rows } = await client.query<ReadOnlyRow>(
    `select pg_is_in_recovery() as recovery, current_setting('default_transaction_read_only') as dtro,
            (select source from pg_settings where name = 'default_transaction_read_only') as source`,
  );
  const row = rows[0] as ReadOnlyRow;
  const { user, database } = ctx.target;
  if (row.recovery) {
    return result('read_only', 'failed', `The server at ${ctx.target.host}:${ctx.target.port} is a standby (in recovery): it can be read, never written.`, {
      code: 'read_only',
      evidence: ['pg_is_in_recovery() = true', settingLine('DATABASE__HOST', ctx.target.host, ctx.sources.host)],
      fixes: [`set DATABASE__HOST (and DATABASE__PORT) to the primary server ${whereToSet(ctx.sources.host)}; migrations and setup must run there`],
    });
  }
  if (row.dtro !== 'on') return result('read_only', 'passed', 'Not a standby; transactions are read-write by default.');
  const source = row.source ?? 'unknown';
  const off = (() => {
    switch (source) {
      case 'database':
        return { sql: `ALTER DATABASE ${quoteIdent(database)} SET default_transaction_read_only = off`, where: `database "${database}" (ALTER DATABASE ... SET)` };
      case 'user':
        return { sql: `ALTER ROLE ${quoteIdent(user)} SET default_transaction_read_only = off`, where: `role "${user}" (ALTER ROLE ... SET)` };
      case 'database user':
        return { sql: `ALTER ROLE ${quoteIdent(user)} IN DATABASE ${quoteIdent(database)} SET default_transaction_read_only = off`, where: `role "${user}" in database "${database}"` };
      default:
        return { sql: 'ALTER SYSTEM SET default_transaction_read_only = off', where: `the server configuration (${source})`, reload: true };
    }
  })();
  // The fixing session must itself be read-write, or the ALTER is refused like everything else.
  const fix = (form: 'local' | 'docker') => {
    const args = [...sqlArg('SET default_transaction_read_only = off'), ...sqlArg(off.sql), ...('reload' in off ? sqlArg('SELECT pg_reload_conf()') : [])];
    return form === 'local' ? adminCommand(ctx, 'psql', args, 'postgres') : dockerCommand(ctx, 'psql', args, { database: 'postgres' });
  };
  return result('read_only', 'failed', `Transactions in "${database}" are read-only by default: default_transaction_read_only is on, set for ${off.where}.`, {
    code: 'read_only',
    evidence: [`default_transaction_read_only = on (source: ${source})`],
    fixes: [`${fix('local')}   # new sessions are writable`, fix('docker')],
  });
}

interface PrivilegeRow {
  connect: boolean;
  db_owner: string;
  has_public: boolean;
  schema_owner: string | null;
  usage: boolean;
  create: boolean;
}

const grantAction = (ctx: FixContext) => ({ id: 'grant_privileges' as const, label: `grant USAGE, CREATE on schema public of "${ctx.target.database}" to "${ctx.target.user}"`, needsAdmin: true });

export async function privilegesCheck(ctx: FixContext, client: Client): Promise<CheckResult> {
  const { rows } = await client.query<PrivilegeRow>(
    `select has_database_privilege(current_database(), 'CONNECT') as connect,
            (select pg_get_userbyid(datdba) from pg_database where datname = current_database()) as db_owner,
            n.oid is not null as has_public,
            pg_get_userbyid(n.nspowner) as schema_owner,
            coalesce(has_schema_privilege(n.oid, 'USAGE'), false) as usage,
            coalesce(has_schema_privilege(n.oid, 'CREATE'), false) as create
       from (select 1) as one left join pg_namespace n on n.nspname = 'public'`,
  );
  const row = rows[0] as PrivilegeRow;
  const { user, database } = ctx.target;
  if (row.has_public && row.usage && row.create) {
    return result('privileges', 'passed', `"${user}" may connect and create tables in schema public.`, { evidence: [`database owner: ${row.db_owner}; schema public owner: ${row.schema_owner}`] });
  }
  const sql = row.has_public ? `GRANT USAGE, CREATE ON SCHEMA public TO ${quoteIdent(user)}` : `CREATE SCHEMA public AUTHORIZATION ${quoteIdent(user)}`;
  const evidence = row.has_public
    ? [
        `has_schema_privilege('${user}', 'public', 'USAGE') = ${row.usage}, 'CREATE' = ${row.create}`,
        `schema public is owned by ${row.schema_owner}; database "${database}" is owned by ${row.db_owner}`,
        'PostgreSQL 15 no longer grants CREATE on schema public to every role; privileges on the database do not include it',
      ]
    : [`database "${database}" has no schema public`];
  return result('privileges', 'failed', `"${user}" cannot create tables in schema public of "${database}", so migrations would fail with "permission denied for schema public".`, {
    code: 'schema_privilege_missing',
    evidence,
    fixes: [
      `${adminCommand(ctx, 'psql', sqlArg(sql), database)}   # as the superuser (or the database owner), in "${database}"`,
      `${adminCommand(ctx, 'psql', sqlArg(`ALTER DATABASE ${quoteIdent(database)} OWNER TO ${quoteIdent(user)}`), 'postgres')}   # or make "${user}" the owner: on 15 the owner may create in public`,
      dockerCommand(ctx, 'psql', sqlArg(sql), { user: 'OLD_USER' }) + '   # in Docker: OLD_USER is the superuser the volume was created with (POSTGRES_USER)',
    ],
    actions: [grantAction(ctx), { id: 'retry', label: 'check again', needsAdmin: false }],
  });
}

interface PoolRow {
  max: number;
  su_reserved: number;
  reserved: number;
  used: number;
  rolsuper: boolean;
  rolconnlimit: number;
  datconnlimit: number;
  may_use_reserved: boolean;
}

export async function readPoolFacts(client: Client): Promise<PoolRow> {
  const { rows } = await client.query<PoolRow>(
    `select current_setting('max_connections')::int as max,
            current_setting('superuser_reserved_connections')::int as su_reserved,
            coalesce(current_setting('reserved_connections', true), '0')::int as reserved,
            (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as used,
            r.rolsuper, r.rolconnlimit, d.datconnlimit,
            case when to_regrole('pg_use_reserved_connections') is null then false
                 else pg_has_role(current_user, 'pg_use_reserved_connections', 'MEMBER') end as may_use_reserved
       from pg_roles r, pg_database d
      where r.rolname = current_user and d.datname = current_database()`,
  );
  return rows[0] as PoolRow;
}

/** Pure: the pool's ceiling against what the server lets this role open. */
export function poolCheck(ctx: FixContext, facts: PoolRow): CheckResult {
  const ceiling = ctx.poolSize + ctx.maxOverflow;
  const reservedAway = facts.rolsuper ? 0 : facts.su_reserved + (facts.may_use_reserved ? 0 : facts.reserved);
  const limits: { value: number; why: string }[] = [{ value: facts.max - reservedAway, why: `max_connections ${facts.max}${reservedAway ? ` − ${reservedAway} reserved for superusers` : ''}` }];
  if (facts.rolconnlimit >= 0) limits.push({ value: facts.rolconnlimit, why: `role "${ctx.target.user}" CONNECTION LIMIT ${facts.rolconnlimit}` });
  if (facts.datconnlimit >= 0) limits.push({ value: facts.datconnlimit, why: `database "${ctx.target.database}" CONNECTION LIMIT ${facts.datconnlimit}` });
  const limit = limits.reduce((a, b) => (b.value < a.value ? b : a));
  const others = Math.max(0, facts.used - 1);
  const free = limit.value - others;
  const poolLine = `${settingLine('DATABASE__POOL_SIZE', ctx.poolSize, ctx.sourceOf('DATABASE__POOL_SIZE'))} + ${settingLine('DATABASE__MAX_OVERFLOW', ctx.maxOverflow, ctx.sourceOf('DATABASE__MAX_OVERFLOW'))} = ${ceiling}`;
  const evidence = [poolLine, `the server allows ${limit.value} for this role (${limit.why}); ${others} other client connection${others === 1 ? '' : 's'} open now`];
  if (ceiling <= free) return result('pool', 'passed', `The pool's ceiling (${ceiling}) fits: ${free} of ${limit.value} connections are free.`, { evidence });
  const target = Math.max(1, (ceiling > limit.value ? limit.value : free) - 2);
  const pool = Math.max(1, Math.min(ctx.poolSize, Math.ceil(target / 2)));
  const overflow = Math.max(0, target - pool);
  const fixes = [
    settingChangeFix(
      [
        { key: 'DATABASE__POOL_SIZE', value: pool, source: ctx.sourceOf('DATABASE__POOL_SIZE') },
        { key: 'DATABASE__MAX_OVERFLOW', value: overflow, source: ctx.sourceOf('DATABASE__MAX_OVERFLOW') },
      ],
      `a ceiling of ${pool + overflow} leaves room for psql and migrations`,
    ),
  ];
  if (limit.why.startsWith('max_connections')) {
    const needed = ceiling + reservedAway + others + 10;
    fixes.push(`${adminCommand(ctx, 'psql', sqlArg(`ALTER SYSTEM SET max_connections = ${needed}`), 'postgres')} && ${ctx.platform === 'darwin' ? 'brew services restart postgresql@15' : 'sudo systemctl restart postgresql'}   # or give the server more slots (restart needed)`);
    fixes.push(`${dockerCommand(ctx, 'psql', sqlArg(`ALTER SYSTEM SET max_connections = ${needed}`), { database: 'postgres' })} && docker compose restart db`);
  } else if (limit.why.startsWith('role')) {
    fixes.push(adminCommand(ctx, 'psql', sqlArg(`ALTER ROLE ${quoteIdent(ctx.target.user)} CONNECTION LIMIT ${ceiling + 5}`), 'postgres'));
  } else {
    fixes.push(adminCommand(ctx, 'psql', sqlArg(`ALTER DATABASE ${quoteIdent(ctx.target.database)} CONNECTION LIMIT ${ceiling + 5}`), 'postgres'));
  }
  if (ceiling > limit.value) {
    return result('pool', 'failed', `The app's pool may open ${ceiling} connections, but the server allows this role only ${limit.value}: under load the app gets "too many clients".`, { code: 'pool_exceeds_server', evidence, fixes });
  }
  return result('pool', 'warning', `The pool's ceiling (${ceiling}) fits the server's ${limit.value}, but only ${free} are free now (${others} in use by others).`, { code: 'pool_exceeds_server', evidence, fixes });
}

/** Several transactions on one session: a changing backend pid means a transaction pooler hands each to another server session. */
export async function poolerCheck(ctx: FixContext, client: Client, rounds = 6): Promise<CheckResult> {
  const pids = new Set<number>();
  let serverPort: number | null = null;
  for (let i = 0; i < rounds; i++) {
    const { rows } = await client.query<{ pid: number; port: number | null }>('select pg_backend_pid() as pid, inet_server_port() as port');
    pids.add(rows[0]?.pid ?? 0);
    serverPort = rows[0]?.port ?? null;
  }
  const viaProxy = !isSocket(ctx.target.host) && serverPort !== null && serverPort !== ctx.target.port;
  const proxyNote = viaProxy ? [`connected to port ${ctx.target.port}, but the server listens on ${serverPort}: a proxy or pooler forwards it`] : [];
  if (pids.size > 1) {
    return result('pooler', 'warning', 'The server session changes between transactions: a transaction pooler (PgBouncer in transaction mode, or alike) is in the path; session settings and the migration lock (a session advisory lock) cannot hold through it.', {
      code: 'transaction_pooler',
      evidence: [`pg_backend_pid() over ${rounds} transactions on one connection: ${[...pids].join(', ')}`, ...proxyNote],
      fixes: [
        viaProxy
          ? `${shellCommand(['env', `DATABASE__PORT=${serverPort}`, 'connector-db', 'migrate', 'upgrade'])}   # run migrations straight against the server's port, past the pooler`
          : 'run migrations against the server itself, not through the pooler (its own host and port), or use pool_mode = session for this role',
      ],
    });
  }
  return result('pooler', 'passed', `One server session throughout (pid ${[...pids][0]}).`, { evidence: proxyNote });
}

export function pgDumpCheck(ctx: FixContext, found: PgBinary[], serverMajor: number, osRelease?: string): CheckResult {
  try {
    const choice = chooseBinary('pg_dump', found, serverMajor, { dbName: ctx.target.database, dbUser: ctx.target.user, ...(osRelease !== undefined ? { osRelease } : {}) });
    return result('pg_dump', 'passed', `${choice.binary.path} (${choice.binary.version}) can dump PostgreSQL ${serverMajor}.`, {
      evidence: choice.others.map((b) => `also found: ${b.path} (${b.version})`),
    });
  } catch (error) {
    if (!isToolError(error)) throw error;
    return result('pg_dump', 'failed', error.message, { code: error.code, evidence: [...error.evidence, `the server is PostgreSQL ${serverMajor}`], fixes: error.fixes });
  }
}
