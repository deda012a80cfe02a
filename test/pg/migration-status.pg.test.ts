/**
 * The read-only status API against a real server: every state a database
 * can be in, built for real (the shipped files' SQL, node-pg-migrate's
 * table, Alembic's table, another session holding the lock).
 */
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readMigrationStatus, summarizeStatus } from '../../src/core/migrations/status.js';
import { loadMigrationFiles } from '../../src/core/migrations/files.js';
import { CREATE_RECORD_TABLE, CREATE_SIDE_TABLE, recordApplied } from '../../src/core/migrations/bookkeeping.js';
import { MIGRATION_LOCK_KEY } from '../../src/core/migrations/lock.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';

const DIR = shippedMigrationsDir();
const databases: TestDatabase[] = [];
const clients: pg.Client[] = [];

async function fresh(prefix: string): Promise<TestDatabase> {
  const db = await createTestDatabase(prefix);
  databases.push(db);
  return db;
}

async function connect(db: TestDatabase, applicationName = 'cdb-status-test'): Promise<pg.Client> {
  const t = db.target;
  const client = new pg.Client({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, application_name: applicationName });
  await client.connect();
  clients.push(client);
  return client;
}

/** Run the files' up sections the way the app's Alembic would have: schema only, no connector-db records. */
async function buildSchemaTo(db: TestDatabase, count: number): Promise<void> {
  const files = await loadMigrationFiles(DIR);
  for (const f of files.slice(0, count)) await db.query(f.sections.up.text);
}

afterEach(async () => {
  while (clients.length) await clients.pop()?.end();
});
afterAll(async () => {
  for (const db of databases) await db.drop();
});

describe('readMigrationStatus', () => {
  it('an empty database is at base with every file pending, and reading creates nothing', async () => {
    const db = await fresh('st_empty');
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.current).toBeNull();
    expect(status.head).toBe('003');
    expect(status.pendingCount).toBe(3);
    expect(status.revisions.map((r) => [r.id, r.name, r.state])).toEqual([
      ['001', '001_initial_schema', 'pending'],
      ['002', '002_add_scrape_job_ids_column_to_', 'pending'],
      ['003', '003_add_normalized_input_column_to_jobs_', 'pending'],
    ]);
    expect(status.alembic).toEqual({ exists: false, values: [], value: null, agrees: true });
    expect(status.schemaWithoutHistory).toBe(false);
    expect(status.lock.held).toBe(false);
    expect(status.problems.map((p) => p.code)).toEqual(['migrations_pending']);
    expect(summarizeStatus(status)).toBe('base · 3 pending (head 003)');
    const tables = await db.query(`select count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace`);
    expect(tables.rows[0]?.n).toBe(0);
  });

  it("a database the app's Alembic brought to 002 shows at 002 with only 003 pending", async () => {
    const db = await fresh('st_alembic');
    await buildSchemaTo(db, 2);
    await db.query(`CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('002')`);
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.current).toBe('002');
    expect(status.pending).toEqual(['003']);
    expect(status.alembic).toMatchObject({ exists: true, value: '002', agrees: false });
    expect(status.revisions[0]).toMatchObject({ applied: true, appliedBy: 'alembic', checksum: { state: 'unrecorded' } });
    expect(status.schemaWithoutHistory).toBe(false);
    expect(status.problems.map((p) => p.code)).toEqual(['migrations_pending', 'alembic_out_of_step']);
  });

  it('tables without any record are schema_without_history', async () => {
    const db = await fresh('st_nohist');
    await buildSchemaTo(db, 3);
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.schemaWithoutHistory).toBe(true);
    expect(status.current).toBeNull();
    expect(status.tables).toContain('sessions');
    expect(status.stampTo).toEqual({ revision: '003', reason: 'everything 001–003 creates is there' });
    expect(status.problems[0]?.code).toBe('schema_without_history');
    expect(status.problems[0]?.message).toMatch(/They match 003 \(everything 001–003 creates is there\): record that with `migrate stamp 003`, which runs nothing\.$/);
    expect(summarizeStatus(status)).toBe("no revision recorded, but the migrations' tables exist (schema_without_history: they match 003)");
  });

  it('connector tables at 002 beside a table of their own, no record: schema_without_history naming 002 and only the connector tables', async () => {
    const db = await fresh('st_nohist2');
    await buildSchemaTo(db, 2);
    await db.query('create table big (id int)');
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.schemaWithoutHistory).toBe(true);
    expect(status.tables).toContain('big');
    expect(status.migratedTables).toEqual(['documentation_items', 'job_progress', 'jobs', 'relevant_chunks', 'session_data', 'sessions']);
    expect(status.stampTo?.revision).toBe('002');
    const message = status.problems[0]?.message ?? '';
    expect(message).toMatch(/^Tables that the migration files create exist \(documentation_items, job_progress, jobs, relevant_chunks, session_data, \.\.\.\) but no revision is recorded/);
    expect(message).not.toMatch(/\bbig\b/);
    expect(message).toMatch(/`migrate stamp 002`/);
  });

  it('only tables the migrations do not create (PostGIS\'s spatial_ref_sys, an app table): at base, nothing but pending', async () => {
    const db = await fresh('st_unrelated');
    await db.query('create table spatial_ref_sys (srid int primary key); create table big (id int)');
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.schemaWithoutHistory).toBe(false);
    expect(status.tables).toEqual(['big', 'spatial_ref_sys']);
    expect(status.migratedTables).toEqual([]);
    expect(status.stampTo).toBeNull();
    expect(status.problems.map((p) => p.code)).toEqual(['migrations_pending']);
    expect(summarizeStatus(status)).toBe('base · 3 pending (head 003)');
  });

  it('reports applied revisions with applied_at, duration and a checksum, and catches an edited file as drift', async () => {
    const db = await fresh('st_drift');
    const files = await loadMigrationFiles(DIR);
    await buildSchemaTo(db, 2);
    await db.query(CREATE_RECORD_TABLE);
    await db.query(CREATE_SIDE_TABLE);
    await db.query(`INSERT INTO pgmigrations (name, run_on) VALUES ('001_initial_schema', now()), ('002_add_scrape_job_ids_column_to_', now())`);
    await db.query(`BEGIN; ${recordApplied(files[0]!, 'upgrade')} COMMIT;`);
    await db.query(recordApplied({ ...files[1]!, sha256: 'f'.repeat(64) }, 'upgrade'));
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.current).toBe('002');
    expect(status.alembic.exists).toBe(false);
    const [r1, r2] = status.revisions;
    expect(r1).toMatchObject({ applied: true, appliedBy: 'upgrade', drifted: false, checksum: { state: 'match', recorded: files[0]!.sha256 } });
    expect(Date.parse(r1!.appliedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    expect(r1!.durationMs).toBeGreaterThanOrEqual(0);
    expect(r2).toMatchObject({ drifted: true, checksum: { state: 'drift', recorded: 'f'.repeat(64) } });
    expect(status.drifted).toEqual(['002']);
    expect(status.problems.map((p) => p.code)).toEqual(['migration_drift', 'migrations_pending']);
  });

  it('a recorded revision with no file, and an Alembic value no file has, are unknown', async () => {
    const db = await fresh('st_unknown');
    await db.query(CREATE_RECORD_TABLE);
    await db.query(`INSERT INTO pgmigrations (name, run_on) VALUES ('001_initial_schema', now()), ('004_from_the_future', now())`);
    let status = await readMigrationStatus(await connect(db), DIR);
    expect(status.unknown).toEqual([{ name: '004_from_the_future', where: 'pgmigrations' }]);
    expect(status.current).toBe('004_from_the_future');
    expect(status.problems[0]?.code).toBe('unknown_revision');
    await db.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY); INSERT INTO alembic_version VALUES ('ae1027a6acf')`);
    status = await readMigrationStatus(await connect(db), DIR);
    expect(status.current).toBe('ae1027a6acf');
    expect(status.unknown).toContainEqual({ name: 'ae1027a6acf', where: 'alembic_version' });
  });

  it('says who holds the migration lock', async () => {
    const db = await fresh('st_lock');
    const holder = await connect(db, 'the-other-runner');
    const pid = (await holder.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    const status = await readMigrationStatus(await connect(db), DIR);
    expect(status.lock.held).toBe(true);
    expect(status.lock.holder).toMatchObject({ pid, applicationName: 'the-other-runner', clientAddr: '127.0.0.1', user: 'postgres' });
    expect(Date.parse(status.lock.holder!.since as string)).toBeGreaterThan(Date.now() - 120_000);
    expect(status.problems.map((p) => p.code)).toContain('migration_lock_held');
  });
});
