/**
 * Migration rehearsal on a real server: the pending migrations go up, down
 * and up again on a scratch copy; a down that forgets to drop an index is
 * named with the difference; locks and durations are reported; the copy is
 * dropped even when a migration fails; the target is never touched.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openClient } from '../../src/core/db/connect.js';
import { createMigrationsService } from '../../src/app/services-migrations.js';
import type { Settings } from '../../src/core/config/resolve.js';
import { upgrade } from '../../src/core/migrations/runner.js';
import { rehearse, type RehearsalEvent, type RehearseOptions } from '../../src/core/rehearsal/rehearse.js';
import { readSchemaSnapshot } from '../../src/core/rehearsal/schema-snapshot.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { migration, migrationsFolder, names } from '../harness/migrations.js';

const JOBS = migration('CREATE TABLE jobs (id int PRIMARY KEY, status text NOT NULL);', 'DROP TABLE jobs;');

async function scratchCopies(source: string): Promise<string[]> {
  const { rows } = await adminQuery<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${source}\\_rehearse\\_%`]);
  return rows.map((r) => r.datname);
}

function optionsFor(db: TestDatabase, dir: string, events: RehearsalEvent[] = []): RehearseOptions {
  const settings = db.settings;
  return {
    dir,
    source: db.name,
    openTarget: () => openClient(settings, { applicationName: 'rehearse target' }),
    openAdmin: () => openClient(settings, { database: 'postgres', applicationName: 'rehearse admin' }),
    openScratch: (name) => openClient(settings, { database: name, applicationName: 'rehearse scratch' }),
    onEvent: (e) => events.push(e),
  };
}

describe('migrate rehearse (engine)', () => {
  const dbs: TestDatabase[] = [];
  async function databaseAt001(files: Record<string, string>): Promise<{ db: TestDatabase; dir: string }> {
    const db = await createTestDatabase('rehearse');
    dbs.push(db);
    const dir = migrationsFolder({ '001_jobs.sql': JOBS, ...files });
    const c = new pg.Client({ ...db.target });
    await c.connect();
    await upgrade(c, { dir, target: '001' });
    await c.query(`INSERT INTO jobs VALUES (1, 'queued')`);
    await c.end();
    return { db, dir };
  }
  afterAll(async () => {
    for (const db of dbs) await db.drop();
  });

  it('catches a down that forgets to drop an index, reports durations and locks, drops the copy, leaves the target alone', async () => {
    const { db, dir } = await databaseAt001({
      '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;'),
      '003_status_index.sql': migration('CREATE INDEX idx_jobs_status ON jobs (status);', '-- forgot DROP INDEX idx_jobs_status;'),
    });
    const targetBefore = await withTarget(db, (c) => readSchemaSnapshot(c));
    const events: RehearsalEvent[] = [];
    const result = await rehearse(optionsFor(db, dir, events));

    expect(result.ok).toBe(false);
    expect(result.method).toBe('template');
    expect(result.pending).toEqual(['002', '003']);
    expect(result.mismatches).toEqual([
      { id: '003', name: '003_status_index', differences: ['left behind: index public.idx_jobs_status (CREATE INDEX idx_jobs_status ON public.jobs USING btree (status))'] },
    ]);
    expect(result.roundTrip).toEqual(['left behind: index public.idx_jobs_status (CREATE INDEX idx_jobs_status ON public.jobs USING btree (status))']);
    // up 002, up 003, down 003, down 002, then 002 and 003 again... where the second CREATE INDEX fails: the index is still there.
    expect(result.steps.map((s) => `${s.pass} ${s.id}`)).toEqual(['up 002', 'up 003', 'down 003', 'down 002', 'up again 002']);
    expect(result.failure).toMatchObject({ pass: 'up again', id: '003', code: 'migration_failed' });
    expect(result.failure!.message).toContain('relation "idx_jobs_status" already exists');
    for (const s of result.steps) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    const add = result.steps[0]!;
    expect(add.locks).toContainEqual({ relation: 'public.jobs', kind: 'table', mode: 'AccessExclusiveLock' });
    expect(add.blocksExisting).toEqual(['public.jobs']);
    const index = result.steps[1]!;
    expect(index.locks).toContainEqual({ relation: 'public.jobs', kind: 'table', mode: 'ShareLock' });
    expect(index.blocksExisting).toEqual([]);

    expect(result.dropped).toBe(true);
    expect(await scratchCopies(db.name)).toEqual([]);
    expect(events.map((e) => e.type)).toContain('mismatch');
    expect(events.at(-1)).toEqual({ type: 'dropped', scratch: result.scratch });
    // The target: still at 001, same schema, its row untouched.
    expect(await names(db)).toEqual(['001_jobs']);
    expect(await withTarget(db, (c) => readSchemaSnapshot(c))).toEqual(targetBefore);
    expect((await db.query('select count(*)::int as n from jobs')).rows[0]!.n).toBe(1);
  });

  it('leaves no scratch database behind when a migration fails, and says where', async () => {
    const { db, dir } = await databaseAt001({
      '002_bad.sql': migration('ALTER TABLE jobs ADD COLUMN note text;\nALTER TABLE no_such_table ADD COLUMN x int;', 'ALTER TABLE jobs DROP COLUMN note;'),
    });
    const result = await rehearse(optionsFor(db, dir));
    expect(result.ok).toBe(false);
    expect(result.failure).toMatchObject({ pass: 'up', id: '002', code: 'migration_failed' });
    expect(result.failure!.message).toMatch(/002_bad\.sql:5: relation "no_such_table" does not exist/);
    expect(result.dropped).toBe(true);
    expect(await scratchCopies(db.name)).toEqual([]);
    expect(await names(db)).toEqual(['001_jobs']);
  });

  it('a faithful set: up, down, up again, the schema identical each way', async () => {
    const { db, dir } = await databaseAt001({
      '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;'),
      '003_idx.sql': migration('CREATE INDEX idx_jobs_note ON jobs (note);', 'DROP INDEX idx_jobs_note;'),
    });
    const result = await rehearse(optionsFor(db, dir));
    expect(result).toMatchObject({ ok: true, failure: null, mismatches: [], roundTrip: [], reapply: [], dropped: true });
    expect(result.steps.map((s) => `${s.pass} ${s.id}`)).toEqual(['up 002', 'up 003', 'down 003', 'down 002', 'up again 002', 'up again 003']);
    expect(await scratchCopies(db.name)).toEqual([]);
  });

  it('the shipped connector schema (001-003) rehearses cleanly from base', async () => {
    const db = await createTestDatabase('rehearse_shipped');
    dbs.push(db);
    const { shippedMigrationsDir } = await import('../../src/core/system/package-root.js');
    const result = await rehearse(optionsFor(db, shippedMigrationsDir()));
    expect(result.failure).toBeNull();
    expect(result.pending).toEqual(['001', '002', '003']);
    expect(result.mismatches).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.steps).toHaveLength(9);
  });

  it('nothing pending: nothing copied', async () => {
    const { db, dir } = await databaseAt001({});
    const result = await rehearse(optionsFor(db, dir));
    expect(result).toMatchObject({ ok: true, pending: [], scratch: null, steps: [], dropped: false });
  });

  it('someone connected to the target and no backup copy at hand: refused, naming them, nothing left behind', async () => {
    const { db, dir } = await databaseAt001({ '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;') });
    const app = new pg.Client({ ...db.target, application_name: 'connector-app' });
    await app.connect();
    try {
      const error = await rehearse(optionsFor(db, dir)).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'failed', message: expect.stringContaining('is in use by 1 other session(s)') });
      expect((error as { evidence: string[] }).evidence[0]).toMatch(/pid \d+ · postgres · connector-app/);
      expect(await scratchCopies(db.name)).toEqual([]);
    } finally {
      await app.end();
    }
  });

  it("the Migrations screen's service runs the same rehearsal", async () => {
    const { db, dir } = await databaseAt001({ '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;') });
    const service = createMigrationsService({ ...db.settings, migrationsDir: dir } as unknown as Settings);
    const events: RehearsalEvent[] = [];
    const answer = await service.rehearse!((e) => events.push(e));
    expect(answer.ok).toBe(true);
    if (!answer.ok) return;
    expect(answer.result).toMatchObject({ ok: true, method: 'template', pending: ['002'], dropped: true });
    expect(events.map((e) => e.type)).toEqual(['copying', 'copied', 'step_start', 'step_done', 'step_start', 'step_done', 'step_start', 'step_done', 'dropped']);
    expect(await scratchCopies(db.name)).toEqual([]);
  });
});

async function withTarget<T>(db: TestDatabase, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ ...db.target });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}
