/**
 * The doctor's migration checks on a real database, moved by the real
 * migrations engine: pending, schema without history (stamp action,
 * inferred revision), drift, unknown revision, lock held — each with the
 * fix that makes it pass.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/core/diagnostics/doctor.js';
import { runDoctorAction } from '../../src/core/diagnostics/actions.js';
import { doctorMigrationChecks, doctorStamp } from '../../src/core/diagnostics/migration-checks.js';
import { upgrade } from '../../src/core/migrations/runner.js';
import { loadMigrationFiles } from '../../src/core/migrations/files.js';
import { MIGRATION_LOCK_KEY } from '../../src/core/migrations/lock.js';
import { openClient } from '../../src/core/db/connect.js';
import { createTestDatabase, dbSettings, type TestDatabase } from '../harness/pg.js';
import { project, settingsOf, type Project } from '../harness/settings.js';
import { check, targetProject } from '../harness/doctor.js';

const SHIPPED = path.resolve(import.meta.dirname, '../../sql-migrations');

describe('doctor migration checks', () => {
  let db: TestDatabase;
  let dir: string;
  let p: Project;
  beforeAll(async () => {
    db = await createTestDatabase('doctor_mig');
    dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-mig-'));
    cpSync(SHIPPED, dir, { recursive: true });
    const t = db.target;
    p = targetProject({ host: t.host, port: t.port, database: db.name, user: t.user, password: t.password as string }, { MIGRATIONS__DIR: dir });
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const doctor = async () => runDoctor({ settings: settingsOf(p), deps: { env: p.env, ...(await doctorMigrationChecks()) } });
  const withDb = async <T>(work: (c: pg.Client) => Promise<T>) => {
    const c = await openClient(dbSettings(db.target));
    try {
      return await work(c);
    } finally {
      await c.end();
    }
  };

  it('tables without any record → schema_without_history; the stamp action records the revision they match, and nothing pends', async () => {
    // A table the migrations do not create (an extension's, the app's own) is no history problem: only pending.
    await db.query('create table big (id int)');
    const only = check(await doctor(), 'migrations');
    expect(only.code).toBe('migrations_pending');
    expect(only.message).toBe('3 pending: 001, 002, 003.');
    // What an app does that creates its tables without migrations: run 001 and 002's up by hand.
    const files = await loadMigrationFiles(dir);
    for (const f of files.slice(0, 2)) await db.query(f.sections.up.text);
    const report = await doctor();
    const m = check(report, 'migrations');
    expect(m.code).toBe('schema_without_history');
    expect(m.message).toMatch(/^Tables that the migration files create exist \(documentation_items, job_progress, jobs, relevant_chunks, session_data, \.\.\.\) but no revision is recorded.* They match 002 /);
    expect(m.message).not.toMatch(/\bbig\b/);
    expect(m.fixes[0]).toMatch(/^connector-db migrate stamp 002 --sql {3}# preview: records 002 as applied, runs nothing \(everything 001–002 creates is there; 003_add_normalized_input_column_to_jobs_\.sql's column jobs\.normalized_input is not\)$/);
    const stamp = m.actions.find((a) => a.id === 'stamp');
    expect(stamp?.label).toMatch(/^stamp 002: record it as applied, run nothing/);
    const outcome = await runDoctorAction('stamp', { settings: settingsOf(p), env: p.env, ...(await doctorStamp()) });
    expect(outcome.summary).toBe('stamped 002: now at 002, nothing was run');
    const after = check(await doctor(), 'migrations');
    expect(after.code).toBe('migrations_pending');
    expect(after.message).toBe('1 pending: 003.');
  });

  it('pending → migrations_pending with upgrade head as the fix; following it passes', async () => {
    const m = check(await doctor(), 'migrations');
    expect(m.fixes).toContain('connector-db migrate upgrade head');
    expect(m.fixes.join('\n')).toContain('docker compose exec midpilot-connector-gen alembic upgrade head');
    await withDb((c) => upgrade(c, { dir, target: 'head' }));
    const report = await doctor();
    expect(check(report, 'migrations').message).toBe('At 003 (head): nothing pending, no drift, no unknown revision.');
    expect(check(report, 'migration_lock').status).toBe('passed');
  });

  it('an applied file edited → migration_drift naming the file; putting the text back passes', async () => {
    const file = path.join(dir, '002_add_scrape_job_ids_column_to_.sql');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original + '\n-- edited after it was applied\n');
    try {
      const m = check(await doctor(), 'migrations');
      expect(m.code).toBe('migration_drift');
      expect(m.message).toContain('002');
      expect(m.fixes[0]).toBe(`git diff -- ${file}   # what changed since it was applied`);
    } finally {
      writeFileSync(file, original);
    }
    expect(check(await doctor(), 'migrations').status).toBe('passed');
  });

  it('the database at a revision no file has → unknown_revision; the folder that has it passes', async () => {
    const older = mkdtempSync(path.join(os.tmpdir(), 'cdb-mig-old-'));
    for (const f of ['001_initial_schema.sql', '002_add_scrape_job_ids_column_to_.sql']) cpSync(path.join(dir, f), path.join(older, f));
    const q = project(readFileSync(path.join(p.cwd, '.env'), 'utf8').replace(`MIGRATIONS__DIR=${dir}`, `MIGRATIONS__DIR=${older}`));
    const report = await runDoctor({ settings: settingsOf(q), deps: { env: q.env, ...(await doctorMigrationChecks()) } });
    const m = check(report, 'migrations');
    expect(m.code).toBe('unknown_revision');
    expect(m.evidence[0]).toContain(`in ${older} (MIGRATIONS__DIR: .env line 7)`);
    expect(m.fixes[1]).toContain('point MIGRATIONS__DIR (or --migrations-dir) at the folder that has 003');
    expect(check(await doctor(), 'migrations').status).toBe('passed');
  });

  it('another session holding the migration lock → migration_lock_held naming its pid; released, it passes', async () => {
    const holder = await openClient(dbSettings(db.target), { applicationName: 'stuck-migrator' });
    try {
      const pid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
      await holder.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const l = check(await doctor(), 'migration_lock');
      expect(l.code).toBe('migration_lock_held');
      expect(l.message).toContain(`pid ${pid} (stuck-migrator)`);
      expect(l.fixes[1]).toContain(`SELECT pg_terminate_backend(${pid})`);
      await holder.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(check(await doctor(), 'migration_lock').status).toBe('passed');
    } finally {
      await holder.end();
    }
  });

  it('a no-transaction file stopped half-way → the fixes finish it and stamp that revision, or undo it and run it again', async () => {
    const file = path.join(dir, '004_idx.sql');
    writeFileSync(file, '-- connector-db: no-transaction\n-- Up Migration\nCREATE INDEX CONCURRENTLY jobs_v ON jobs (job_type);\nCREATE INDEX CONCURRENTLY jobs_x ON jobs (nope);\n');
    try {
      await withDb(async (c) => expect((await upgrade(c, { dir }).catch((e: Error) => e)) instanceof Error).toBe(true));
      const m = check(await doctor(), 'migrations');
      expect(m.message).toMatch(/004_idx\.sql runs without a transaction and stopped half-way: 1 of 2 statements ran/);
      expect(m.fixes.slice(0, 2)).toEqual([
        `finish it by hand (statement 2 of the up section of ${file}), then record it, running nothing: connector-db migrate stamp 004`,
        'or undo what its statement 1 made, then run it again: connector-db migrate upgrade 004',
      ]);
      expect(m.fixes.join('\n')).not.toMatch(/stamp REV|git checkout/);
    } finally {
      rmSync(file);
    }
  });
});
