/**
 * `connector-db setup` end to end (the built binary) against the real test
 * server: from nothing to a role, a database owned by it, schema
 * privileges and a 0600 .env the doctor then passes with; hostile names
 * created exactly as typed; an existing .env kept line for line.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { adminQuery, cluster } from '../harness/pg.js';
import { parseDotenv } from '../../src/core/config/dotenv.js';

const made: { roles: string[]; dbs: string[] } = { roles: [], dbs: [] };

function adminUrl(): string {
  const c = cluster();
  return `postgresql://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/postgres`;
}

function newProject(dotenv?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-setup-'));
  if (dotenv !== undefined) writeFileSync(path.join(dir, '.env'), dotenv);
  return dir;
}

function setup(cwd: string, args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  return runCli(['setup', '--host', cluster().host, '--port', String(cluster().port), ...args], { cwd, env: cleanEnv({ CONNECTOR_DB_ADMIN_URL: adminUrl(), ...options.env }), ...(options.input !== undefined ? { input: options.input } : {}) });
}

function doctorJson(cwd: string) {
  const r = runCli(['doctor', '--json'], { cwd });
  return JSON.parse(r.stdout) as { ok: boolean; checks: { id: string; status: string; code?: string; message: string }[] };
}

async function owner(db: string): Promise<string | undefined> {
  const { rows } = await adminQuery<{ owner: string }>('select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [db]);
  return rows[0]?.owner;
}

afterAll(async () => {
  for (const db of made.dbs) await adminQuery(`DROP DATABASE IF EXISTS "${db.replace(/"/g, '""')}" WITH (FORCE)`);
  for (const r of made.roles) await adminQuery(`DROP ROLE IF EXISTS "${r.replace(/"/g, '""')}"`);
});

describe('connector-db setup against a real server', () => {
  it('with an admin that is not a superuser (CREATEROLE, CREATEDB): borrows the new role to make it owner, per server version, then gives it back', async () => {
    const cwd = newProject();
    const [adm, role, db] = ['cdb_setup_admin', 'cdb_setup_app_nsu', 'cdb_setup_db_nsu'];
    made.roles.push(role, adm);
    made.dbs.push(db);
    await adminQuery(`DROP ROLE IF EXISTS ${adm}; CREATE ROLE ${adm} LOGIN CREATEROLE CREATEDB PASSWORD 'adm-pw'`);
    const c = cluster();
    const env = { CONNECTOR_DB_ADMIN_URL: `postgresql://${adm}:adm-pw@${c.host}:${c.port}/postgres` };
    const r = setup(cwd, ['--database', db, '--user', role, '--generate-password', '--yes', '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    const major = Math.floor(Number((await adminQuery<{ n: string }>(`select current_setting('server_version_num') as n`)).rows[0]?.n) / 10000);
    const borrow = major >= 16 ? `GRANT "${role}" TO CURRENT_USER WITH INHERIT FALSE, SET TRUE` : `GRANT "${role}" TO CURRENT_USER`;
    expect(doc.steps[1].details).toEqual([`CREATE ROLE "${role}" LOGIN PASSWORD '****'`, borrow, `CREATE DATABASE "${db}" OWNER "${role}"`, `REVOKE "${role}" FROM CURRENT_USER`]);
    expect(await owner(db)).toBe(role);
    // The borrowed right is given back: the admin can no longer act as the role. PostgreSQL 16 keeps the
    // creator's ADMIN OPTION (a grant by the bootstrap superuser, without SET); 15 leaves no membership at all.
    const { rows } = await adminQuery<{ can: boolean; grants: { admin: boolean; set: boolean | null }[] | null }>(
      `select pg_has_role($1, $2, $3) as can,
              (select json_agg(json_build_object('admin', m.admin_option, 'set', ${major >= 16 ? 'm.set_option' : 'null'})) from pg_auth_members m
                where m.member = $1::regrole and m.roleid = $2::regrole) as grants`,
      [adm, role, major >= 16 ? 'SET' : 'MEMBER'],
    );
    expect(rows[0]?.can).toBe(false);
    expect(rows[0]?.grants).toEqual(major >= 16 ? [{ admin: true, set: false }] : null);
    // pg_dump is this machine's 15: on a newer server that check fails by design (pg_dump_too_old), the rest passes.
    const failed = doctorJson(cwd).checks.filter((check) => check.status === 'failed');
    expect(failed.map((check) => check.code)).toEqual(major > 15 ? ['pg_dump_too_old'] : []);
  });

  it('from nothing: creates the role and its database, writes a 0600 .env, and the doctor then passes', async () => {
    const cwd = newProject();
    const [role, db] = ['cdb_setup_app', 'cdb_setup_db'];
    made.roles.push(role);
    made.dbs.push(db);
    const r = setup(cwd, ['--database', db, '--user', role, '--generate-password', '--yes', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.steps.map((s: { id: string }) => s.id)).toEqual(['answers', 'provision', 'check', 'env', 'migrate']);
    expect(doc.steps[1].details).toEqual([`CREATE ROLE "${role}" LOGIN PASSWORD '****'`, `CREATE DATABASE "${db}" OWNER "${role}"`]);
    expect(doc.steps[4].message).toBe('migrated base → 003 (3 migrations): now at 003 (head)');
    const tables = await adminQuery<{ t: string; owner: string }>("select tablename as t, tableowner as owner from pg_tables where schemaname = 'public' order by 1", [], db);
    expect(tables.rows.map((r) => r.t)).toEqual(expect.arrayContaining(['documentation_items', 'job_progress', 'jobs', 'relevant_chunks', 'session_data', 'sessions']));
    expect(new Set(tables.rows.map((r) => r.owner))).toEqual(new Set([role]));
    expect(await owner(db)).toBe(role);
    const envFile = path.join(cwd, '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const entries = parseDotenv(readFileSync(envFile, 'utf8'), envFile).entries;
    expect(entries.get('DATABASE__USER')?.value).toBe(role);
    expect(entries.get('DATABASE__NAME')?.value).toBe(db);
    const password = entries.get('DATABASE__PASSWORD')?.value ?? '';
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect(r.stdout).not.toContain(password);
    const report = doctorJson(cwd);
    const failed = report.checks.filter((c) => c.status === 'failed' && c.id !== 'pg_dump');
    expect(failed).toEqual([]);
    expect(report.checks.find((c) => c.id === 'migrations')?.message).toBe('At 003 (head): nothing pending, no drift, no unknown revision.');
  });

  it.each([
    ['a"b', 'x; DROP TABLE y'],
    ['ünï cödé', 'ünï cödé'],
  ])('hostile names: role %j and database %j are created exactly as typed, and log in', async (role, db) => {
    made.roles.push(role);
    made.dbs.push(db);
    const cwd = newProject();
    const password = `p'w"$x \\ ü`;
    const r = setup(cwd, ['--database', db, '--user', role, '--password-stdin', '--yes', '--json'], { input: password + '\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(password);
    const { rows } = await adminQuery<{ rolname: string }>('select rolname from pg_roles where rolname = $1', [role]);
    expect(rows.map((x) => x.rolname)).toEqual([role]);
    expect(await owner(db)).toBe(role);
    const tables = await adminQuery<{ n: string }>("select count(*)::text as n from pg_tables where tablename = 'y'", [], 'postgres');
    expect(tables.rows[0]?.n).toBe('0');
    const entries = parseDotenv(readFileSync(path.join(cwd, '.env'), 'utf8'), '.env').entries;
    expect(entries.get('DATABASE__USER')?.value).toBe(role);
    expect(entries.get('DATABASE__NAME')?.value).toBe(db);
    expect(entries.get('DATABASE__PASSWORD')?.value).toBe(password);
    const report = doctorJson(cwd);
    expect(report.checks.find((c) => c.id === 'auth')?.status).toBe('passed');
    expect(report.checks.find((c) => c.id === 'migrations')?.status).toBe('passed');
  });

  it('a name PostgreSQL would cut is refused with the rule, before anything is created', () => {
    const cwd = newProject();
    const r = setup(cwd, ['--user', 'r'.repeat(64), '--generate-password', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^connector-db: usage: the role name "r+" is 64 bytes in UTF-8, and PostgreSQL would cut it to 63; allowed: at most 63 bytes$/);
  });

  it('an existing .env: shows the diff (password masked), keeps comments and other lines, rewrites a literal URL to placeholders', async () => {
    const [role, db] = ['cdb_setup_keep', 'cdb_setup_keep_db'];
    made.roles.push(role);
    made.dbs.push(db);
    const cwd = newProject('# the app\nLOGGING__LEVEL=info\nDATABASE__URL=postgresql+asyncpg://old:old@oldhost:1/old\n# end\n');
    const r = setup(cwd, ['--database', db, '--user', role, '--password-stdin', '--yes'], { input: 'kept-pw\n' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`+ DATABASE__USER=${role}`);
    expect(r.stdout).toContain('+ DATABASE__PASSWORD=****');
    expect(r.stdout).toContain('- DATABASE__URL=postgresql+asyncpg://old:****@oldhost:1/old   (line 3)');
    expect(r.stdout).not.toContain('kept-pw');
    const text = readFileSync(path.join(cwd, '.env'), 'utf8');
    expect(text.startsWith('# the app\nLOGGING__LEVEL=info\nDATABASE__URL=postgresql+asyncpg://${DATABASE__USER}:${DATABASE__PASSWORD}@${DATABASE__HOST}:${DATABASE__PORT}/${DATABASE__NAME}\n# end\n')).toBe(true);
    const config = JSON.parse(runCli(['config', '--json'], { cwd }).stdout);
    expect(config.target).toMatchObject({ user: role, database: db, port: cluster().port, driver: 'asyncpg' });
  });

  it('the old password in a DATABASE__URL of .env is masked in the diff, in text and in --json', async () => {
    const [role, db] = ['cdb_setup_oldpw', 'cdb_setup_oldpw_db'];
    made.roles.push(role);
    made.dbs.push(db);
    const c = cluster();
    const dotenv = `DATABASE__URL=postgresql://${role}:OLDSECRET@${c.host}:${c.port}/${db}?sslmode=disable\n`;
    const text = setup(newProject(dotenv), ['--database', db, '--user', role, '--yes']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`- DATABASE__URL=postgresql://${role}:****@${c.host}:${c.port}/${db}?sslmode=disable   (line 1)`);
    expect(text.stdout).toContain('+ DATABASE__URL=postgresql://${DATABASE__USER}:${DATABASE__PASSWORD}@${DATABASE__HOST}:${DATABASE__PORT}/${DATABASE__NAME}?sslmode=disable');
    expect(text.stdout + text.stderr).not.toContain('OLDSECRET');
    const cwd = newProject(dotenv);
    const json = setup(cwd, ['--database', db, '--user', role, '--yes', '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stdout + json.stderr).not.toContain('OLDSECRET');
    expect(JSON.parse(json.stdout).env.changes).toContain(`- DATABASE__URL=postgresql://${role}:****@${c.host}:${c.port}/${db}?sslmode=disable   (line 1)`);
    // The password itself moved to DATABASE__PASSWORD, which the rewritten URL follows.
    expect(parseDotenv(readFileSync(path.join(cwd, '.env'), 'utf8'), '.env').entries.get('DATABASE__PASSWORD')?.value).toBe('OLDSECRET');
  });

  it('an existing role with another password: the admin login sets it to the one in .env', async () => {
    const [role, db] = ['cdb_setup_reset', 'cdb_setup_reset_db'];
    made.roles.push(role);
    made.dbs.push(db);
    await adminQuery(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD 'old-one'`);
    await adminQuery(`CREATE DATABASE ${db}`);
    const cwd = newProject(`DATABASE__PASSWORD=new-one\n`);
    const r = setup(cwd, ['--database', db, '--user', role, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // the password first; then, in a database owned by someone else, what PostgreSQL 15 no longer grants
    expect(JSON.parse(r.stdout).steps[1].details).toEqual([`ALTER ROLE "${role}" WITH LOGIN PASSWORD '****'`, `GRANT USAGE, CREATE ON SCHEMA public TO "${role}"`]);
    expect(doctorJson(cwd).checks.find((c) => c.id === 'auth')?.status).toBe('passed');
  });

  it('--admin-url with a password still works, with a one-line warning on stderr naming CONNECTOR_DB_ADMIN_URL', async () => {
    const [role, db] = ['cdb_setup_flag', 'cdb_setup_flag_db'];
    made.roles.push(role);
    made.dbs.push(db);
    const r = runCli(['setup', '--host', cluster().host, '--port', String(cluster().port), '--database', db, '--user', role, '--generate-password', '--admin-url', adminUrl(), '--no-migrate', '--yes', '--json'], { cwd: newProject() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('connector-db: warning: the password in --admin-url is visible to every user of this machine in the process list (ps, /proc/PID/cmdline); pass it in CONNECTOR_DB_ADMIN_URL instead\n');
    expect(r.stdout + r.stderr).not.toContain(cluster().password);
    expect(JSON.parse(r.stdout).ok).toBe(true);
    expect(await owner(db)).toBe(role);
  });

  it('without a terminal and without an admin login: one line naming CONNECTOR_DB_ADMIN_URL, exit 2, nothing created', async () => {
    const cwd = newProject();
    const r = runCli(['setup', '--host', cluster().host, '--port', String(cluster().port), '--user', 'cdb_setup_never', '--generate-password', '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/auth_failed: creating what is missing needs an admin login; set CONNECTOR_DB_ADMIN_URL \(or pass --admin-url URL\)/);
    const { rows } = await adminQuery("select 1 from pg_roles where rolname = 'cdb_setup_never'");
    expect(rows).toHaveLength(0);
  });

  it('an empty --host, --database or --user: one line with the rule, exit 2, no .env written', () => {
    for (const [flag, rule] of [
      ['--host', 'a host name, an IP address or a socket directory starting with /'],
      ['--database', 'a non-empty database name'],
      ['--user', 'a non-empty role name'],
    ] as const) {
      const cwd = newProject();
      const args = ['setup', '--host', cluster().host, '--port', String(cluster().port), '--database', 'cdb_setup_empty', '--user', 'cdb_setup_empty', '--generate-password', '--admin-url', adminUrl(), '--no-migrate', '--yes'];
      args[args.indexOf(flag) + 1] = '';
      const r = runCli(args, { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n').filter((l) => l.startsWith('connector-db: usage'))).toEqual([`connector-db: usage: ${flag} "" is invalid; allowed: ${rule}`]);
      expect(existsSync(path.join(cwd, '.env'))).toBe(false);
    }
  });
});
