/**
 * What stops a run, and what lets it go on: a read-only target, another
 * runner holding the lock (fail at once, wait and give up naming the holder,
 * wait and proceed), a database without history, an unknown revision, an
 * edited file, a file out of order, and --sql changing nothing.
 */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stamp, upgrade } from '../../src/core/migrations/runner.js';
import { planScript } from '../../src/core/migrations/plan-script.js';
import { MIGRATION_LOCK_KEY } from '../../src/core/migrations/lock.js';
import { readMigrationStatus } from '../../src/core/migrations/status.js';
import type { MigrationEvent } from '../../src/core/migrations/events.js';
import { databasePerTest, migration, migrationsFolder, names, tableExists } from '../harness/migrations.js';
import { failure } from '../harness/failure.js';

const setup = databasePerTest();

const TWO = () => migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'), '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;') });

describe('what stops a migration', () => {
  it('refuses a read-only target before touching anything', async () => {
    const { db, client } = await setup('guard_ro');
    await db.query(`ALTER DATABASE "${db.name}" SET default_transaction_read_only = on`);
    const e = await failure(upgrade(await client(), { dir: TWO() }));
    expect(e.code).toBe('read_only');
    expect(e.message).toMatch(/read-only \(transactions are read-only by default/);
    expect(e.fixes[0]).toMatch(/ALTER DATABASE .* SET default_transaction_read_only = off/);
    expect(await tableExists(db, 'pgmigrations')).toBe(false);
  });

  it('a role that may not create in schema public is told so, with the GRANT, before anything runs', async () => {
    const { db } = await setup('guard_priv');
    await db.query(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cdb_mig_app') THEN CREATE ROLE cdb_mig_app LOGIN PASSWORD 'app-pw'; END IF; END $$`);
    await db.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC; GRANT CONNECT ON DATABASE "${db.name}" TO cdb_mig_app`);
    const { default: pgLib } = await import('pg');
    const app = new pgLib.Client({ host: db.target.host, port: db.target.port, user: 'cdb_mig_app', password: 'app-pw', database: db.name });
    await app.connect();
    try {
      const e = await failure(upgrade(app, { dir: TWO() }));
      expect(e.code).toBe('schema_privilege_missing');
      expect(e.message).toMatch(/Role "cdb_mig_app" may not create tables in schema "public"/);
      expect(e.fixes[0]).toBe(`as an admin, in database "${db.name}": GRANT CREATE ON SCHEMA "public" TO "cdb_mig_app";`);
      expect(await tableExists(db, 'pgmigrations')).toBe(false);
      expect((await app.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`)).rows[0].n).toBe(0);
    } finally {
      await app.end();
    }
  });

  it('another runner holds the lock: fail at once naming pid, application, address and since', async () => {
    const { db, client } = await setup('guard_lock0');
    const holder = await client('deploy-job-42');
    const pid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid;
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const started = Date.now();
    const e = await failure(upgrade(await client(), { dir: TWO() }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(e.code).toBe('migration_lock_held');
    expect(e.message).toMatch(new RegExp(`locked by pid ${pid} \\(deploy-job-42\\) as postgres on 127\\.0\\.0\\.1 since \\d{4}-\\d\\d-\\d\\dT`));
    expect(e.fixes.join('\n')).toContain(`pg_terminate_backend(${pid})`);
    expect(await names(db)).toEqual([]);
  });

  it('--lock-timeout: waits that long, then gives up naming the holder; or proceeds when it is let go', async () => {
    const { db, client } = await setup('guard_lockwait');
    const holder = await client('slow-runner');
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const events: MigrationEvent[] = [];
    const started = Date.now();
    const e = await failure(upgrade(await client(), { dir: TWO(), lockTimeout: 1, onEvent: (ev) => events.push(ev) }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(e.message).toMatch(/\(slow-runner\).*\(waited 1 s\)/);
    expect(events[0]).toMatchObject({ type: 'lock_wait', timeoutSeconds: 1, holder: { applicationName: 'slow-runner' } });

    setTimeout(() => void holder.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`), 500);
    const result = await upgrade(await client(), { dir: TWO(), lockTimeout: 20 });
    expect(result.status.current).toBe('002');
    expect(await names(db)).toEqual(['001_a', '002_b']);
  });

  it("interop: a database the app's Alembic brought to 002 gets only 003, and alembic_version follows every move", async () => {
    const { db, client } = await setup('guard_alembic');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'), '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;'), '003_c.sql': migration('CREATE TABLE c (id int);', 'DROP TABLE c;') });
    await db.query(`CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE alembic_version (version_num varchar(32) NOT NULL, CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES ('002');`);
    const c = await client();
    const alembic = async () => (await db.query('select version_num from alembic_version')).rows.map((r) => r.version_num);
    const up = await upgrade(c, { dir });
    expect(up.steps.map((s) => s.id)).toEqual(['003']);
    expect(up.reconciled).toEqual({ adopted: ['001', '002'], disowned: [] });
    expect(await alembic()).toEqual(['003']);
    expect(await names(db)).toEqual(['001_a', '002_b', '003_c']);
    const sources = (await db.query('select name, source from connector_db_migrations order by name')).rows.map((r) => `${r.name}:${r.source}`);
    expect(sources).toEqual(['001_a:alembic', '002_b:alembic', '003_c:upgrade']);
    const { downgrade } = await import('../../src/core/migrations/runner.js');
    await downgrade(c, { dir });
    expect(await alembic()).toEqual(['002']);
    // The app's Alembic moves on its own (to 003); we follow it, nothing re-applied.
    await db.query(`CREATE TABLE c (id int); UPDATE alembic_version SET version_num = '003'`);
    const status = await readMigrationStatus(c, dir);
    expect(status.current).toBe('003');
    expect(status.alembic.agrees).toBe(false);
    const caughtUp = await upgrade(c, { dir });
    expect(caughtUp.steps).toEqual([]);
    expect(caughtUp.reconciled).toEqual({ adopted: ['003'], disowned: [] });
    expect(caughtUp.status.alembic.agrees).toBe(true);
    await downgrade(c, { dir, target: 'base' });
    expect(await alembic()).toEqual([]);
    expect(await names(db)).toEqual([]);
  });

  it('schema_without_history: upgrade refuses naming the revision the tables match; stamp records it without running anything', async () => {
    const { db, client } = await setup('guard_nohist');
    const dir = TWO();
    // a and b are the files' own tables; c is not, and is never named.
    await db.query('CREATE TABLE a (id int); CREATE TABLE b (id int); CREATE TABLE c (id int);');
    const c = await client();
    const e = await failure(upgrade(c, { dir }));
    expect(e.code).toBe('schema_without_history');
    expect(e.message).toMatch(/^Tables that the migration files create exist \(a, b\) but no revision is recorded, so upgrading would re-run 001_a\.sql into "already exists"\. They match 002 \(everything 001–002 creates is there\): record that with `migrate stamp 002`, which runs nothing\. Nothing was changed\.$/);
    expect(e.fixes).toEqual(['connector-db migrate stamp 002 --sql   # preview: records 002 as applied, runs nothing (everything 001–002 creates is there)', 'connector-db migrate stamp 002', 'then: connector-db migrate upgrade']);
    expect(await tableExists(db, 'pgmigrations')).toBe(false);
    const stamped = await stamp(c, { dir, target: '002' });
    expect(stamped.steps.map((s) => s.id)).toEqual(['001', '002']);
    expect(stamped.status.current).toBe('002');
    expect((await upgrade(c, { dir })).nothingToDo).toBe(true);
  });

  it('only 001\'s tables there: the stamp named is 001, not head', async () => {
    const { db, client } = await setup('guard_nohist1');
    await db.query('CREATE TABLE a (id int);');
    const e = await failure(upgrade(await client(), { dir: TWO() }));
    expect(e.code).toBe('schema_without_history');
    expect(e.fixes[0]).toMatch(/^connector-db migrate stamp 001 --sql {3}# preview: records 001 as applied, runs nothing \(everything 001–001 creates is there; 002_b\.sql's table b is not\)$/);
    expect(e.fixes.join('\n')).not.toMatch(/stamp head/);
  });

  it('a table the files do not create (an extension\'s, the app\'s own) does not block upgrade: everything is applied around it', async () => {
    const { db, client } = await setup('guard_unrelated');
    await db.query('CREATE TABLE spatial_ref_sys (srid int PRIMARY KEY); INSERT INTO spatial_ref_sys VALUES (4326);');
    const c = await client();
    const before = await readMigrationStatus(c, TWO());
    expect(before).toMatchObject({ schemaWithoutHistory: false, current: null, tables: ['spatial_ref_sys'], migratedTables: [], stampTo: null });
    expect(before.problems.map((p) => p.code)).toEqual(['migrations_pending']);
    const r = await upgrade(c, { dir: TWO() });
    expect(r.steps.map((s) => s.id)).toEqual(['001', '002']);
    expect(r.status.current).toBe('002');
    expect((await db.query('select srid from spatial_ref_sys')).rows).toEqual([{ srid: 4326 }]);
  });

  it('an unknown revision stops upgrade; stamp --purge records a clean history', async () => {
    const { db, client } = await setup('guard_unknown');
    const dir = TWO();
    const c = await client();
    await upgrade(c, { dir });
    await db.query(`INSERT INTO pgmigrations (name, run_on) VALUES ('003_gone', now())`);
    const e = await failure(upgrade(c, { dir }));
    expect(e.code).toBe('unknown_revision');
    expect(e.message).toMatch(/The database is at 003_gone \(in pgmigrations\), which no file in .* has/);
    expect((await failure(stamp(c, { dir, target: '002' }))).code).toBe('unknown_revision');
    const purged = await stamp(c, { dir, target: '002', purge: true });
    expect(purged.status.unknown).toEqual([]);
    expect(await names(db)).toEqual(['001_a', '002_b']);
  });

  it('an edited applied file is drift: reported, and a run still goes on with a warning', async () => {
    const { client } = await setup('guard_drift');
    const dir = TWO();
    const c = await client();
    await upgrade(c, { dir, target: '001' });
    appendFileSync(path.join(dir, '001_a.sql'), '-- edited after it was applied\n');
    const events: MigrationEvent[] = [];
    const result = await upgrade(c, { dir, onEvent: (ev) => events.push(ev) });
    expect(events.find((ev) => ev.type === 'warning')).toMatchObject({ code: 'migration_drift', message: expect.stringMatching(/001/) });
    expect(result.status.drifted).toEqual(['001']);
  });

  it('a new file numbered before an applied one is refused, not silently skipped', async () => {
    const { client } = await setup('guard_order');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);'), '003_c.sql': migration('CREATE TABLE c (id int);') });
    const c = await client();
    await upgrade(c, { dir });
    appendFileSync(path.join(dir, '002_b.sql'), migration('CREATE TABLE b (id int);'));
    const e = await failure(upgrade(c, { dir }));
    expect(e.code).toBe('migration_out_of_order');
    expect(e.message).toMatch(/002 is pending but sorts before the applied 003/);
  });

  it('--sql prints the run and changes nothing: no lock taken (works while another holds it), no table created', async () => {
    const { db, client } = await setup('guard_sql');
    const dir = TWO();
    const holder = await client('holder');
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const c = await client();
    const { sql, plan } = await planScript(c, 'upgrade', { dir, target: 'head', header: { command: 'connector-db migrate upgrade head --sql', target: 'x@h/db' } });
    expect(plan.steps.map((f) => f.id)).toEqual(['001', '002']);
    expect(sql).toMatch(/-- Running upgrade base -> 001: 001_a\.sql\nBEGIN;\n-- Up Migration\nCREATE TABLE a \(id int\);\nINSERT INTO "public"\."connector_db_migrations"[^\n]*\nINSERT INTO "public"\."pgmigrations" \(name, run_on\) VALUES \('001_a', NOW\(\)\);\nCOMMIT;/);
    expect(await tableExists(db, 'pgmigrations')).toBe(false);
    expect(await tableExists(db, 'connector_db_migrations')).toBe(false);
    const locks = (await db.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`)).rows[0]?.n;
    expect(locks).toBe(1);
  });
});
