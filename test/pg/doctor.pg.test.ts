/**
 * The doctor against the shared real server: each failure is induced for
 * real, must come out with its code, the server's own words and the source
 * of the settings involved, and following the fix (or taking the action)
 * must make the check pass.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/core/diagnostics/doctor.js';
import { runDoctorAction } from '../../src/core/diagnostics/actions.js';
import { findBinaries } from '../../src/core/system/pg-binaries.js';
import { adminQuery, cluster, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { freePort } from '../harness/cluster.js';
import { envText, project, settingsOf, type Project } from '../harness/settings.js';
import { check, doctor, targetProject } from '../harness/doctor.js';
import { runFixSql } from '../harness/fixes.js';

const ROLE = 'cdb_doc_app';
const PW = 'doc-pw-1';

function appProject(db: TestDatabase, vars: Record<string, string | number> = {}): Project {
  const c = cluster();
  return targetProject({ host: c.host, port: c.port, database: db.name, user: ROLE, password: PW }, vars);
}

const admin = () => ({ user: cluster().user, password: cluster().password });

describe('doctor on a real server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('doctor');
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}; CREATE ROLE ${ROLE} LOGIN PASSWORD '${PW}'`);
    await adminQuery(`GRANT USAGE, CREATE ON SCHEMA public TO ${ROLE}`, [], db.name);
  });
  afterAll(async () => {
    await db.drop();
    for (const r of [ROLE, 'cdb_doc_nocreate', 'cdb_doc_new']) await adminQuery(`DROP ROLE IF EXISTS ${r}`);
  });

  it('a healthy target passes every check it can run, in order', async () => {
    const report = await doctor(appProject(db));
    expect(report.checks.map((c) => c.id)).toEqual(['settings', 'dns', 'reachable', 'tls', 'auth', 'database', 'version', 'read_only', 'privileges', 'pool', 'pooler', 'pg_dump', 'migrations', 'migration_lock']);
    for (const c of report.checks.slice(0, 11)) expect(c.status, `${c.id}: ${c.message}`).toBe('passed');
    expect(check(report, 'auth').evidence.join(' ')).toContain('DATABASE__PASSWORD from .env line 5');
    // The machine's pg_dump is 15: it can dump 15, not the newer servers of the test matrix.
    const newest = Math.max(...(await findBinaries('pg_dump')).map((b) => b.major));
    const major = cluster().major;
    if (newest >= major) {
      expect(check(report, 'pg_dump').message).toMatch(new RegExp(`pg_dump \\(${newest}\\.\\d+\\) can dump PostgreSQL ${major}`));
      expect(report.ok).toBe(true);
    } else {
      expect(check(report, 'pg_dump').code).toBe('pg_dump_too_old');
      expect(report.ok).toBe(false);
    }
  });

  it('invalid settings: config_invalid naming the .env line, everything else skipped', async () => {
    const report = await doctor(project('# app\nDATABASE__POOL_SIZE=lots\n'));
    const s = check(report, 'settings');
    expect(s).toMatchObject({ status: 'failed', code: 'config_invalid' });
    expect(s.evidence[0]).toBe('DATABASE__POOL_SIZE="lots" from .env line 2 is invalid; allowed: an integer >= 1');
    expect(s.fixes[0]).toBe('edit .env line 2: DATABASE__POOL_SIZE must be an integer >= 1');
    expect(report.checks.slice(1).every((c) => c.status === 'skipped')).toBe(true);
  });

  it('unknown host → dns_failed; a compose service name gets the localhost + DATABASE__EXT_PORT fix, which passes', async () => {
    const report = await doctor(appProject(db, { DATABASE__HOST: 'db', DATABASE__EXT_PORT: cluster().port, DATABASE__PORT: 5432 }));
    const d = check(report, 'dns');
    expect(d.code).toBe('dns_failed');
    expect(d.message).toContain('"db"');
    expect(d.evidence).toContain('DATABASE__HOST=db (.env line 1)');
    expect(d.fixes[0]).toContain(`env DATABASE__HOST=localhost DATABASE__PORT=${cluster().port} connector-db doctor`);
    expect(d.fixes[0]).toContain('Docker Compose');
    expect(check(report, 'reachable').status).toBe('skipped');
    const fixed = await doctor(appProject(db, { DATABASE__HOST: 'localhost', DATABASE__PORT: cluster().port }));
    expect(check(fixed, 'dns').status).toBe('passed');
    expect(check(fixed, 'auth').status).toBe('passed');
  });

  it('refused on the configured port while DATABASE__EXT_PORT answers → says so at once, and the port fix passes', async () => {
    const closed = await freePort();
    const started = Date.now();
    const report = await doctor(appProject(db, { DATABASE__PORT: closed, DATABASE__EXT_PORT: cluster().port }));
    expect(Date.now() - started).toBeLessThan(3000);
    const r = check(report, 'reachable');
    expect(r.code).toBe('connection_refused');
    expect(r.message).toContain(`but PostgreSQL answers on port ${cluster().port} — DATABASE__EXT_PORT, the port the app's Docker Compose publishes on the host`);
    expect(r.evidence).toContain(`DATABASE__PORT=${closed} (.env line 2)`);
    expect(r.evidence.join(' ')).toMatch(/ECONNREFUSED/);
    expect(r.fixes[0]).toContain(`env DATABASE__PORT=${cluster().port} connector-db doctor`);
    expect(r.fixes[0]).toContain('.env line 2');
    expect(check(report, 'auth').message).toMatch(/skipped: needs "Server reachable" \(connection_refused\)/);
    const fixed = await doctor(appProject(db, { DATABASE__PORT: cluster().port }));
    expect(check(fixed, 'reachable').status).toBe('passed');
  });

  it('refused with nothing else answering → how to start a server (local, Docker, devdb)', async () => {
    const closed = await freePort();
    const other = await freePort();
    // 127.0.0.2 is this machine too, but nothing listens there (the test servers bind 127.0.0.1 only).
    const report = await doctor(appProject(db, { DATABASE__HOST: '127.0.0.2', DATABASE__PORT: closed, DATABASE__EXT_PORT: other, DATABASE__INT_PORT: other }));
    const r = check(report, 'reachable');
    expect(r.code).toBe('connection_refused');
    expect(r.fixes.join('\n')).toContain('docker compose up -d db');
    expect(r.fixes.join('\n')).toContain('connector-db devdb start');
  });

  it('a listener that never answers → connection_timeout bounded by --timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const report = await doctor(appProject(db, { DATABASE__PORT: port, DATABASE__CONNECT_TIMEOUT: 0.7 }));
      const elapsed = Date.now() - started;
      const r = check(report, 'reachable');
      expect(r.code).toBe('connection_timeout');
      expect(r.message).toContain('did not answer PostgreSQL\'s first message within 0.7 s');
      expect(elapsed).toBeGreaterThanOrEqual(650);
      expect(elapsed).toBeLessThan(3000);
    } finally {
      silent.close();
    }
  });

  it('sslmode=require against a server without TLS → tls_unsupported; prefer (the fix) passes', async () => {
    const report = await doctor(appProject(db, { DATABASE__SSLMODE: 'require' }));
    const t = check(report, 'tls');
    expect(t.code).toBe('tls_unsupported');
    expect(t.evidence).toContain('DATABASE__SSLMODE=require (.env line 6)');
    expect(t.fixes[0]).toMatch(/^env DATABASE__SSLMODE=prefer connector-db doctor/);
    const fixed = await doctor(appProject(db, { DATABASE__SSLMODE: 'prefer' }));
    expect(check(fixed, 'tls').message).toContain('offers no TLS');
    expect(check(fixed, 'auth').status).toBe('passed');
  });

  it('wrong password → auth_failed naming where the password came from; the create-role action sets it and the re-check passes', async () => {
    await adminQuery(`ALTER ROLE ${ROLE} PASSWORD 'something-else'`);
    const p = appProject(db);
    const report = await doctor(p);
    const a = check(report, 'auth');
    expect(a.code).toBe('auth_failed');
    expect(a.evidence.join('\n')).toMatch(/password authentication failed for user "cdb_doc_app"/);
    expect(a.evidence).toContain('the password sent is DATABASE__PASSWORD from .env line 5');
    expect(a.fixes[0]).toContain(`\\password "${ROLE}"`);
    expect(a.fixes.some((f) => f.startsWith('docker compose exec db psql -U cdb_doc_app'))).toBe(true);
    expect(a.actions.map((x) => x.id)).toContain('create_role');
    expect(check(report, 'database').status).toBe('skipped');
    const outcome = await runDoctorAction('create_role', { settings: settingsOf(p), admin: admin(), env: p.env });
    expect(outcome.ran).toEqual([`ALTER ROLE "${ROLE}" WITH LOGIN PASSWORD '****'`]);
    expect(check(await doctor(p), 'auth').status).toBe('passed');
  });

  it('password from PGPASSWORD is named as such', async () => {
    const c = cluster();
    const p = targetProject({ host: c.host, port: c.port, database: db.name, user: ROLE }, {}, { PGPASSWORD: 'nope' });
    const a = check(await doctor(p), 'auth');
    expect(a.code).toBe('auth_failed');
    expect(a.evidence).toContain('the password sent is DATABASE__PASSWORD from PGPASSWORD');
  });

  it('password from ~/.pgpass is named with its line', async () => {
    const c = cluster();
    const p = targetProject({ host: c.host, port: c.port, database: db.name, user: ROLE });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(p.home, '.pgpass'), `# other\nelsewhere:5432:*:*:x\n${c.host}:${c.port}:*:${ROLE}:stale-pw\n`, { mode: 0o600 });
    const a = check(await doctor(p), 'auth');
    expect(a.code).toBe('auth_failed');
    expect(a.evidence).toContain('the password sent is DATABASE__PASSWORD from ~/.pgpass line 3 (~/.pgpass is used only when nothing else sets one)');
  });

  it('missing role over the trust socket → role_missing; the action creates it with its password', async () => {
    const c = cluster();
    const p = project(envText({ DATABASE__HOST: c.socketDir, DATABASE__PORT: c.port, DATABASE__NAME: db.name, DATABASE__USER: 'cdb_doc_new', DATABASE__PASSWORD: 'new-pw' }));
    const a = check(await doctor(p), 'auth');
    expect(a.code).toBe('role_missing');
    expect(a.fixes[0]).toBe(`sudo -u postgres createuser -h ${c.socketDir} -p ${c.port} --login --pwprompt cdb_doc_new   # type the password that DATABASE__PASSWORD holds`);
    await runDoctorAction('create_role', { settings: settingsOf(p), admin: { url: `postgresql://${c.user}:${c.password}@${c.host}:${c.port}/postgres` }, env: p.env });
    expect(check(await doctor(p), 'auth').status).toBe('passed');
    // created with its password: it logs in over TCP with scram
    const tcp = targetProject({ host: c.host, port: c.port, database: db.name, user: 'cdb_doc_new', password: 'new-pw' });
    expect(check(await doctor(tcp), 'auth').status).toBe('passed');
  });

  it('missing database, role with CREATEDB → offers to create it without admin; the action does and the re-check passes', async () => {
    await adminQuery(`ALTER ROLE ${ROLE} PASSWORD '${PW}' CREATEDB`);
    const name = `${db.name}_made`;
    const p = appProject(db, { DATABASE__NAME: name });
    const report = await doctor(p);
    const d = check(report, 'database');
    expect(d.code).toBe('database_missing');
    expect(d.evidence.join('\n')).toContain(`database "${name}" does not exist`);
    expect(d.evidence).toContain(`role "${ROLE}" may create databases (CREATEDB)`);
    expect(d.evidence.join('\n')).toContain(`did you mean "${db.name}"?`);
    expect(check(report, 'auth').status).toBe('passed');
    const create = d.actions.find((x) => x.id === 'create_database');
    expect(create?.needsAdmin).toBe(false);
    expect(d.fixes[0]).toContain(`createdb -h 127.0.0.1 -p ${cluster().port} -U ${ROLE} ${name}`);
    expect(d.fixes.join('\n')).toContain(`docker compose exec db createdb -U ${ROLE} --owner ${ROLE} ${name}`);
    try {
      await runDoctorAction('create_database', { settings: settingsOf(p), env: p.env });
      const again = await doctor(p);
      expect(check(again, 'database').status).toBe('passed');
      expect(check(again, 'privileges').status).toBe('passed'); // the owner may create in public on 15
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
      await adminQuery(`ALTER ROLE ${ROLE} NOCREATEDB`);
    }
  });

  it('missing database, role without CREATEDB → the action needs an admin login, then passes', async () => {
    await adminQuery(`DROP ROLE IF EXISTS cdb_doc_nocreate; CREATE ROLE cdb_doc_nocreate LOGIN PASSWORD 'x'`);
    const name = `${db.name}_adm`;
    const p = appProject(db, { DATABASE__NAME: name, DATABASE__USER: 'cdb_doc_nocreate', DATABASE__PASSWORD: 'x' });
    const d = check(await doctor(p), 'database');
    expect(d.evidence).toContain('role "cdb_doc_nocreate" may not create databases (no CREATEDB)');
    expect(d.actions.find((x) => x.id === 'create_database')?.needsAdmin).toBe(true);
    try {
      const outcome = await runDoctorAction('create_database', { settings: settingsOf(p), admin: admin(), env: p.env });
      expect(outcome.ran).toEqual([`CREATE DATABASE "${name}" OWNER "cdb_doc_nocreate"`]);
      expect(check(await doctor(p), 'database').status).toBe('passed');
    } finally {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });

  it('default_transaction_read_only on the database → read_only with the ALTER DATABASE fix, which works', async () => {
    await adminQuery(`ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
    const p = appProject(db);
    const r = check(await doctor(p), 'read_only');
    expect(r.code).toBe('read_only');
    expect(r.evidence).toContain('default_transaction_read_only = on (source: database)');
    expect(r.fixes[0]).toContain(`-c 'SET default_transaction_read_only = off' -c 'ALTER DATABASE "${db.name}" SET default_transaction_read_only = off'`);
    expect(r.fixes[1]).toMatch(/^docker compose exec db psql -U cdb_doc_app/);
    runFixSql(r.fixes[0] as string, cluster(), db.name);
    expect(check(await doctor(p), 'read_only').status).toBe('passed');
  });

  it('no CREATE on schema public (PostgreSQL 15) → schema_privilege_missing; the GRANT in the fix makes it pass', async () => {
    await adminQuery(`REVOKE CREATE ON SCHEMA public FROM ${ROLE}`, [], db.name);
    const p = appProject(db);
    const r = check(await doctor(p), 'privileges');
    expect(r.code).toBe('schema_privilege_missing');
    expect(r.evidence[0]).toBe(`has_schema_privilege('${ROLE}', 'public', 'USAGE') = true, 'CREATE' = false`);
    expect(r.evidence.join(' ')).toContain('PostgreSQL 15 no longer grants CREATE');
    expect(r.fixes[0]).toContain(`GRANT USAGE, CREATE ON SCHEMA public TO "${ROLE}"`);
    expect(r.fixes[0]).toContain(`-d ${db.name}`);
    runFixSql(r.fixes[0] as string, cluster(), 'postgres');
    expect(check(await doctor(p), 'privileges').status).toBe('passed');
  });

  it('the grant action (admin) fixes schema privileges too', async () => {
    await adminQuery(`REVOKE CREATE ON SCHEMA public FROM ${ROLE}`, [], db.name);
    const p = appProject(db);
    expect(check(await doctor(p), 'privileges').code).toBe('schema_privilege_missing');
    const outcome = await runDoctorAction('grant_privileges', { settings: settingsOf(p), admin: admin(), env: p.env });
    expect(outcome.ran).toEqual([`GRANT USAGE, CREATE ON SCHEMA public TO "${ROLE}"`]);
    expect(check(await doctor(p), 'privileges').status).toBe('passed');
  });

  it('CONNECT revoked → the privileges check fails at login; the grant action restores it', async () => {
    await adminQuery(`REVOKE CONNECT ON DATABASE "${db.name}" FROM PUBLIC`);
    const p = appProject(db);
    try {
      const report = await doctor(p);
      const r = check(report, 'privileges');
      expect(r.status).toBe('failed');
      expect(r.evidence.join(' ')).toMatch(/permission denied for database/);
      expect(check(report, 'auth').status).toBe('passed');
      expect(r.fixes[0]).toContain(`GRANT CONNECT ON DATABASE "${db.name}" TO "${ROLE}"`);
      await runDoctorAction('grant_privileges', { settings: settingsOf(p), admin: admin(), env: p.env });
      expect(check(await doctor(p), 'privileges').status).toBe('passed');
    } finally {
      await adminQuery(`GRANT CONNECT ON DATABASE "${db.name}" TO PUBLIC`);
    }
  });

  it('no pg_dump on PATH nor PG_BINDIR → pg_dump_missing with the install fix; PG_BINDIR (where that installs) makes it pass', async () => {
    const p = appProject(db);
    const noDump = { ...p.env, PATH: '/usr/bin/nonexistent' };
    const report = await runDoctor({ settings: settingsOf(p), deps: { env: p.env, findPgDump: () => findBinaries('pg_dump', noDump, { installFolders: false }) } });
    const r = check(report, 'pg_dump');
    expect(r.code).toBe('pg_dump_missing');
    expect(r.fixes[0]).toMatch(new RegExp(`sudo apt install postgresql-client-${cluster().major} .*/usr/lib/postgresql/${cluster().major}/bin`));
    expect(r.fixes[1]).toMatch(/^docker compose exec -T db pg_dump -U cdb_doc_app/);
    const installed = (await findBinaries('pg_dump')).sort((a, b) => b.major - a.major)[0];
    if (!installed) throw new Error('this machine has no pg_dump at all');
    const withBindir = { ...noDump, PG_BINDIR: path.dirname(installed.path) };
    const fixed = await runDoctor({ settings: settingsOf(p), deps: { env: p.env, findPgDump: () => findBinaries('pg_dump', withBindir, { installFolders: false }) } });
    const f = check(fixed, 'pg_dump');
    if (installed.major >= cluster().major) expect(f.status).toBe('passed');
    else expect(f.code).toBe('pg_dump_too_old'); // found now, but older than a matrix server
  });
});
