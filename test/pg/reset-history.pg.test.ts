/**
 * reset next to tables the migrations do not own, and reset that cannot
 * finish: an extra table (PostGIS's spatial_ref_sys, an app's own) is left
 * alone and the database comes back at head; down sections that would leave
 * a migrated table behind are refused before the first down step; a reset
 * that stops part-way says where the database now stands.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { executeReset, planReset } from '../../src/core/backups/reset.js';
import { describeResetPlan } from '../../src/core/backups/reset-describe.js';
import { readMigrationStatus } from '../../src/core/migrations/status.js';
import { upgrade } from '../../src/core/migrations/runner.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { databasePerTest, migration, migrationsFolder, names, tableExists } from '../harness/migrations.js';
import { failure } from '../harness/failure.js';
import { dbSettings } from '../harness/pg.js';

const SHIPPED = shippedMigrationsDir();
const CONNECTOR_TABLES = ['documentation_items', 'job_progress', 'jobs', 'relevant_chunks', 'session_data', 'sessions'];
const setup = databasePerTest();

async function tablesOf(db: { query: (sql: string) => Promise<{ rows: { t: string }[] }> }): Promise<string[]> {
  const { rows } = await db.query(`select relname::text as t from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`);
  return rows.map((r) => r.t);
}

describe('reset next to tables the migrations do not create', () => {
  it('a database at 003 with an extra table `big`: reset ends at 003 with all six tables, and `big` untouched', async () => {
    const { db, client } = await setup('reset_big');
    await upgrade(await client(), { dir: SHIPPED });
    await db.query(`create table big as select g as id, md5(g::text) as v from generate_series(1, 5000) g; insert into sessions default values`);
    const plan = await planReset(db.settings, SHIPPED, false);
    expect(plan.status.current).toBe('003');
    expect(plan.status.schemaWithoutHistory).toBe(false);
    expect(describeResetPlan(plan)).toContain('left as they are (the migrations do not create them): big');
    const steps: string[] = [];
    const result = await executeReset(plan, { db: db.settings, migrationsDir: SHIPPED, onEvent: (e) => e.type === 'migration' && e.event.type === 'migration_done' && steps.push(`${e.event.step.direction} ${e.event.step.id}`) });
    expect(steps).toEqual(['down 003', 'down 002', 'down 001', 'up 001', 'up 002', 'up 003']);
    expect(result.status.current).toBe('003');
    expect(result.status.atHead).toBe(true);
    expect(await tablesOf(db)).toEqual(['big', ...CONNECTOR_TABLES, 'connector_db_migrations', 'pgmigrations'].sort());
    const big = await db.query<{ n: number; sum: string }>(`select count(*)::int as n, md5(string_agg(v, ',' order by id)) as sum from big`);
    expect(big.rows[0]?.n).toBe(5000);
    expect(Number((await db.query('select count(*) as n from sessions')).rows[0]?.n)).toBe(0);
    const status = await readMigrationStatus(await client(), SHIPPED);
    expect(status.current).toBe('003');
    expect(status.problems).toEqual([]);
  });

  it('down sections that would leave a migrated table behind: refused before the first down step, nothing changed', async () => {
    const { db, client } = await setup('reset_leftover');
    // 001's down forgets `keep`: after going down, `keep` would stay with no revision recorded.
    const dir = migrationsFolder({
      '001_a.sql': migration('CREATE TABLE a (id int);\nCREATE TABLE keep (id int);', 'DROP TABLE a;'),
      '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;'),
    });
    await upgrade(await client(), { dir });
    await db.query('insert into b values (1)');
    const e = await failure(planReset(db.settings, dir, false));
    expect(e.code).toBe('schema_without_history');
    expect(e.message).toMatch(/keep would still be there: 001_a\.sql creates it and no down section that would run \(002, 001\) drops it/);
    expect(e.message).toMatch(/Nothing was changed\.$/);
    expect(e.fixes.join('\n')).toMatch(/DROP TABLE keep;.*001_a\.sql/);
    expect(e.fixes.join('\n')).toMatch(/connector-db reset --recreate/);

    // A plan made before the file lost its DROP is refused too, when it runs.
    const good = migrationsFolder({
      '001_a.sql': migration('CREATE TABLE a (id int);\nCREATE TABLE keep (id int);', 'DROP TABLE a;\nDROP TABLE keep;'),
      '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;'),
    });
    const plan = await planReset(db.settings, good, false);
    const run = await failure(executeReset(plan, { db: db.settings, migrationsDir: dir }));
    expect(run.code).toBe('schema_without_history');
    expect(run.message).toMatch(/Nothing was changed\.$/);
    expect(await names(db)).toEqual(['001_a', '002_b']);
    expect(Number((await db.query('select count(*) as n from b')).rows[0]?.n)).toBe(1);
  });

  it('an upgrade that fails after the down migrations: the message says the reset stopped part-way and where the database is', async () => {
    const { db, client } = await setup('reset_partway');
    const dir = migrationsFolder({
      '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'),
      '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;'),
    });
    await upgrade(await client(), { dir });
    // 002's up was edited since it ran (drift is a warning): going down works, coming back up fails in 002.
    const file = path.join(dir, '002_b.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('CREATE TABLE b (id int);', 'CREATE TABLE b (id int);\nSELECT nope FROM b;'));
    const plan = await planReset(db.settings, dir, false);
    const e = await failure(executeReset(plan, { db: db.settings, migrationsDir: dir }));
    expect(e.code).toBe('migration_failed');
    expect(e.message).toMatch(/^Reset of \S+ stopped part-way: 002, 001 were undone and 001 applied again; the database is now at 001 \(head 002\)\. /);
    expect(e.message).toMatch(/Upgrade 002 failed at .*002_b\.sql:\d+: column "nope" does not exist/);
    expect(e.message).not.toMatch(/Nothing was changed/i);
    expect(e.fixes.join('\n')).toMatch(/connector-db migrate upgrade head/);
    expect(await names(db)).toEqual(['001_a']);
    expect(await tableExists(db, 'b')).toBe(false);
  });

  it('connector tables with no revision recorded: reset refuses at once and names the revision to stamp', async () => {
    const { db, client } = await setup('reset_nohist');
    const c = await client();
    await upgrade(c, { dir: SHIPPED, target: '002' });
    await db.query('drop table pgmigrations, connector_db_migrations; create table big (id int)');
    const e = await failure(planReset(dbSettings(db.target), SHIPPED, false));
    expect(e.code).toBe('schema_without_history');
    expect(e.message).toMatch(/Nothing was changed\./);
    expect(e.message).not.toMatch(/\bbig\b/);
    expect(e.fixes[0]).toMatch(/connector-db migrate stamp 002 --sql/);
    expect(e.fixes.join('\n')).not.toMatch(/stamp head/);
  });
});
