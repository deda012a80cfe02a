/**
 * Schema snapshots and their diff on a real server: the rehearsal relies on
 * them to catch a down that does not reverse its up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { describeDiff, diffSchemas, isEmptyDiff, readSchemaSnapshot } from '../../src/core/rehearsal/schema-snapshot.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';

describe('schema snapshots', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('schema_snap');
    client = new pg.Client({ ...db.target, password: db.target.password });
    await client.connect();
    await client.query(`
      CREATE EXTENSION IF NOT EXISTS pgcrypto;
      CREATE TYPE job_status AS ENUM ('queued', 'running');
      CREATE TABLE sessions (session_id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE jobs (job_id uuid PRIMARY KEY, session_id uuid NOT NULL REFERENCES sessions ON DELETE CASCADE, status job_status NOT NULL, n serial);
      CREATE INDEX idx_jobs_status ON jobs (status);
      COMMENT ON COLUMN jobs.status IS 'where the job is';
      CREATE VIEW queued AS SELECT job_id FROM jobs WHERE status = 'queued';
      CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created_at = now(); RETURN NEW; END $$;
      CREATE TRIGGER sessions_touch BEFORE UPDATE ON sessions FOR EACH ROW EXECUTE FUNCTION touch();
      CREATE TABLE pgmigrations (id serial PRIMARY KEY, name text NOT NULL, run_on timestamp NOT NULL);
    `);
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('reads every kind of object, leaves extension objects and bookkeeping tables out', async () => {
    const snap = await readSchemaSnapshot(client, { skipTables: ['pgmigrations'] });
    const keys = [...snap.keys()];
    for (const key of [
      'extension pgcrypto',
      'type public.job_status',
      'table public.sessions',
      'table public.jobs',
      'sequence public.jobs_n_seq',
      'column public.jobs.status',
      'constraint public.jobs.jobs_session_id_fkey',
      'index public.idx_jobs_status',
      'view public.queued',
      'function public.touch()',
      'trigger public.sessions.sessions_touch',
      'comment on public.jobs.status',
    ]) {
      expect(keys).toContain(key);
    }
    expect(snap.get('column public.jobs.status')).toBe('job_status NOT NULL');
    expect(snap.get('type public.job_status')).toBe("enum ('queued', 'running')");
    expect(snap.get('constraint public.jobs.jobs_session_id_fkey')).toBe('FOREIGN KEY (session_id) REFERENCES sessions(session_id) ON DELETE CASCADE');
    // pgcrypto's own functions belong to the extension; the bookkeeping table and its sequence are skipped.
    expect(keys.some((k) => k.startsWith('function public.gen_random_bytes'))).toBe(false);
    expect(keys.some((k) => k.includes('pgmigrations'))).toBe(false);
  });

  it('a down that forgets to drop an index: the diff names it', async () => {
    const before = await readSchemaSnapshot(client);
    await client.query(`ALTER TABLE jobs ADD COLUMN note text; CREATE INDEX idx_jobs_note ON jobs (note)`);
    // The "down": drops the column... which drops the index too. So forget something else: a standalone index.
    await client.query(`ALTER TABLE jobs DROP COLUMN note; CREATE INDEX idx_jobs_session ON jobs (session_id)`);
    const after = await readSchemaSnapshot(client);
    const diff = diffSchemas(before, after);
    expect(diff.added.map((d) => d.key)).toEqual(['index public.idx_jobs_session']);
    expect(diff.removed).toEqual([]);
    expect(describeDiff(diff)).toEqual(['left behind: index public.idx_jobs_session (CREATE INDEX idx_jobs_session ON public.jobs USING btree (session_id))']);
    await client.query('DROP INDEX idx_jobs_session');
    expect(isEmptyDiff(diffSchemas(before, await readSchemaSnapshot(client)))).toBe(true);
  });

  it('a changed default and a dropped constraint are named too', async () => {
    const before = await readSchemaSnapshot(client);
    await client.query(`ALTER TABLE sessions ALTER COLUMN created_at SET DEFAULT clock_timestamp(); ALTER TABLE jobs DROP CONSTRAINT jobs_session_id_fkey`);
    const diff = diffSchemas(before, await readSchemaSnapshot(client));
    expect(describeDiff(diff)).toEqual([
      'missing afterwards: constraint public.jobs.jobs_session_id_fkey (FOREIGN KEY (session_id) REFERENCES sessions(session_id) ON DELETE CASCADE)',
      'changed: column public.sessions.created_at: timestamp with time zone NOT NULL DEFAULT now() → timestamp with time zone NOT NULL DEFAULT clock_timestamp()',
    ]);
  });
});
