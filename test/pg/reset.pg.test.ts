/**
 * reset on the real server: downgrade base + upgrade head empties the
 * migrated tables; --recreate drops everything and brings the database back
 * with the same owner, limits, privileges and settings, and only disconnects
 * others when told to.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeReset, planReset } from '../../src/core/backups/reset.js';
import { readDatabaseProps } from '../../src/core/db/database-props.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { adminQuery, createTestDatabase, dbSettings, type TestDatabase } from '../harness/pg.js';
import { fillConnectorDatabase } from '../harness/connector-fixture.js';
import { failure } from '../harness/failure.js';

const DIR = shippedMigrationsDir();
const APP = 'cdb_reset_app';

async function props(name: string) {
  const client = new pg.Client({ ...(await import('../harness/pg.js')).superuserTarget('postgres') });
  await client.connect();
  try {
    return await readDatabaseProps(client, name);
  } finally {
    await client.end();
  }
}

describe('reset', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('reset');
    await fillConnectorDatabase(db, 200);
    await adminQuery(`DROP ROLE IF EXISTS ${APP}; CREATE ROLE ${APP} LOGIN PASSWORD 'app-pw'`);
  }, 60_000);
  afterAll(async () => {
    await db.drop();
    await adminQuery(`DROP ROLE IF EXISTS ${APP}`);
  });

  it('downgrade base + upgrade head: at head again, every migrated table empty', async () => {
    const plan = await planReset(db.settings, DIR, false);
    expect(plan.status.current).toBe('003');
    const steps: string[] = [];
    const result = await executeReset(plan, { db: db.settings, migrationsDir: DIR, onEvent: (e) => e.type === 'migration' && e.event.type === 'migration_done' && steps.push(`${e.event.step.direction} ${e.event.step.id}`) });
    expect(steps).toEqual(['down 003', 'down 002', 'down 001', 'up 001', 'up 002', 'up 003']);
    expect(result.status.current).toBe('003');
    const { rows } = await db.query<{ n: number }>('select (select count(*) from sessions) + (select count(*) from jobs) + (select count(*) from documentation_items) as n');
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('--recreate: everything goes, the database comes back with the same owner, limit, privileges and settings', async () => {
    await db.query(`create table not_migrated (id int); insert into sessions default values`);
    await adminQuery(`ALTER DATABASE "${db.name}" CONNECTION LIMIT 23`);
    await adminQuery(`ALTER DATABASE "${db.name}" SET search_path = "my schema", public`);
    await adminQuery(`ALTER DATABASE "${db.name}" SET work_mem = '7MB'`);
    await adminQuery(`REVOKE ALL ON DATABASE "${db.name}" FROM PUBLIC; GRANT CONNECT, TEMPORARY ON DATABASE "${db.name}" TO ${APP}`);
    const before = await props(db.name);
    const plan = await planReset(db.settings, DIR, true);
    await executeReset(plan, { db: db.settings, migrationsDir: DIR });
    expect(await props(db.name)).toEqual(before);
    expect(before?.settings).toEqual(expect.arrayContaining(['work_mem=7MB', 'search_path="my schema", public']));
    expect(before?.acl?.some((a) => a.grantee === APP && a.privilege === 'CONNECT')).toBe(true);
    expect((await db.query(`select to_regclass('not_migrated') as t`)).rows[0]?.t).toBeNull();
    expect(Number((await db.query('select count(*) as n from sessions')).rows[0]?.n)).toBe(0);
    expect((await db.query(`select version_num from alembic_version`).catch(() => ({ rows: [] }))).rows.length).toBeLessThanOrEqual(1);
    // search_path came back as two schemas, not one schema named "my schema, public".
    const sp = await adminQuery<{ sp: string }>(`select current_setting('search_path') as sp`, [], db.name);
    expect(sp.rows[0]?.sp).toBe('"my schema", public');
  });

  it('--recreate with others connected: refused and nothing dropped; with force, they are disconnected', async () => {
    await db.query(`insert into sessions default values`);
    const other = new pg.Client({ ...db.target, application_name: 'the-app' });
    other.on('error', () => {});
    await other.connect();
    const plan = await planReset(db.settings, DIR, true);
    expect(plan.sessions.map((s) => s.application)).toContain('the-app');
    const e = await failure(executeReset(plan, { db: db.settings, migrationsDir: DIR }));
    expect(e.code).toBe('database_in_use');
    expect(e.message).toMatch(/nothing was dropped/);
    expect(e.evidence.join('\n')).toMatch(/\(the-app\)/);
    expect(Number((await db.query('select count(*) as n from sessions')).rows[0]?.n)).toBe(1);
    await executeReset(plan, { db: db.settings, migrationsDir: DIR, force: true });
    expect(Number((await db.query('select count(*) as n from sessions')).rows[0]?.n)).toBe(0);
    await expect(other.query('select 1')).rejects.toThrow();
    await other.end().catch(() => {});
  });

  it('--recreate by a role without CREATEDB is refused before anything is dropped', async () => {
    const e = await failure(planReset(dbSettings({ ...db.target, user: APP, password: 'app-pw' }), DIR, true));
    expect(e.code).toBe('privilege_missing');
    expect(e.message).toMatch(/needs CREATEDB/);
    expect(e.fixes[0]).toContain(`ALTER ROLE "${APP}" CREATEDB`);
  });
});
