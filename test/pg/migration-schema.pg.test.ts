/**
 * sql-migrations builds exactly the connector schema of connector-schema.md
 * (every table, column, default, check, cascading foreign key, unique
 * constraint, and both index families), and every down removes exactly what
 * its up added: stepping up and back down returns the same catalog at each
 * revision, and base leaves no table, index or constraint behind.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downgrade, upgrade } from '../../src/core/migrations/runner.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { catalog, type CatalogSnapshot } from '../harness/catalog.js';

const DIR = shippedMigrationsDir();
const TS = 'timestamp with time zone NOT NULL DEFAULT now()';

// connector-schema.md, written out.
const COLUMNS = [
  'sessions.session_id uuid NOT NULL DEFAULT gen_random_uuid()', `sessions.created_at ${TS}`, `sessions.updated_at ${TS}`,
  'documentation_items.id uuid NOT NULL DEFAULT gen_random_uuid()', 'documentation_items.session_id uuid NOT NULL', 'documentation_items.page_id uuid NULL',
  'documentation_items.source character varying(20) NOT NULL', 'documentation_items.url text NULL', 'documentation_items.summary text NULL',
  'documentation_items.content text NOT NULL', "documentation_items.metadata jsonb NOT NULL DEFAULT '{}'::jsonb", `documentation_items.created_at ${TS}`,
  "documentation_items.scrape_job_ids jsonb NULL DEFAULT '[]'::jsonb",
  'jobs.job_id uuid NOT NULL DEFAULT gen_random_uuid()', 'jobs.session_id uuid NOT NULL', 'jobs.job_type character varying(100) NOT NULL',
  'jobs.status character varying(20) NOT NULL', `jobs.created_at ${TS}`, `jobs.updated_at ${TS}`, 'jobs.started_at timestamp with time zone NULL',
  'jobs.finished_at timestamp with time zone NULL', 'jobs.input jsonb NOT NULL', 'jobs.result jsonb NULL', 'jobs.errors _text NULL',
  "jobs.normalized_input jsonb NOT NULL DEFAULT '{}'::jsonb",
  'session_data.id uuid NOT NULL DEFAULT gen_random_uuid()', 'session_data.session_id uuid NOT NULL', 'session_data.key character varying(255) NOT NULL',
  'session_data.value jsonb NOT NULL', `session_data.created_at ${TS}`, `session_data.updated_at ${TS}`,
  'job_progress.id uuid NOT NULL DEFAULT gen_random_uuid()', 'job_progress.job_id uuid NOT NULL', 'job_progress.stage character varying(50) NULL',
  'job_progress.message text NULL', 'job_progress.total_processing integer NULL', 'job_progress.processing_completed integer NULL', `job_progress.updated_at ${TS}`,
  'relevant_chunks.id uuid NOT NULL DEFAULT gen_random_uuid()', 'relevant_chunks.session_id uuid NOT NULL', 'relevant_chunks.doc_id uuid NOT NULL',
  'relevant_chunks.entity_type character varying(255) NOT NULL', `relevant_chunks.created_at ${TS}`,
].sort();

const fk = (table: string, col: string, ref: string) => `${table} ${table}_${col}_fkey FOREIGN KEY (${col}) REFERENCES ${ref} ON DELETE CASCADE`;
const CONSTRAINTS = [
  'sessions sessions_pkey PRIMARY KEY (session_id)',
  'documentation_items documentation_items_pkey PRIMARY KEY (id)', fk('documentation_items', 'session_id', 'sessions(session_id)'),
  "documentation_items check_doc_source CHECK (((source)::text = ANY ((ARRAY['scraper'::character varying, 'upload'::character varying])::text[])))",
  'jobs jobs_pkey PRIMARY KEY (job_id)', fk('jobs', 'session_id', 'sessions(session_id)'),
  "jobs check_job_status CHECK (((status)::text = ANY ((ARRAY['queued'::character varying, 'running'::character varying, 'finished'::character varying, 'failed'::character varying])::text[])))",
  'session_data session_data_pkey PRIMARY KEY (id)', fk('session_data', 'session_id', 'sessions(session_id)'), 'session_data uq_session_data_session_key UNIQUE (session_id, key)',
  'job_progress job_progress_pkey PRIMARY KEY (id)', fk('job_progress', 'job_id', 'jobs(job_id)'),
  'relevant_chunks relevant_chunks_pkey PRIMARY KEY (id)', fk('relevant_chunks', 'session_id', 'sessions(session_id)'), fk('relevant_chunks', 'doc_id', 'documentation_items(id)'),
  'relevant_chunks uq_relevant_chunk_unique UNIQUE (session_id, entity_type, doc_id)',
].sort();

const idx = (name: string, table: string, cols: string, how = 'btree', unique = false) => `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON public.${table} USING ${how} (${cols})`;
const INDEXES = [
  idx('sessions_pkey', 'sessions', 'session_id', 'btree', true), idx('idx_sessions_created_at', 'sessions', 'created_at'), idx('idx_sessions_updated_at', 'sessions', 'updated_at'),
  idx('documentation_items_pkey', 'documentation_items', 'id', 'btree', true), idx('idx_doc_items_created_at', 'documentation_items', 'created_at'),
  idx('idx_doc_items_metadata_gin', 'documentation_items', 'metadata', 'gin'), idx('idx_doc_items_page_id', 'documentation_items', 'page_id'),
  idx('idx_doc_items_session_id', 'documentation_items', 'session_id'), idx('idx_doc_items_source', 'documentation_items', 'source'),
  idx('ix_documentation_items_created_at', 'documentation_items', 'created_at'), idx('ix_documentation_items_page_id', 'documentation_items', 'page_id'),
  idx('ix_documentation_items_session_id', 'documentation_items', 'session_id'), idx('ix_documentation_items_source', 'documentation_items', 'source'),
  idx('jobs_pkey', 'jobs', 'job_id', 'btree', true), idx('idx_jobs_session_id', 'jobs', 'session_id'), idx('idx_jobs_status', 'jobs', 'status'),
  idx('idx_jobs_status_type_created', 'jobs', 'status, job_type, created_at'), idx('idx_jobs_type', 'jobs', 'job_type'), idx('ix_jobs_created_at', 'jobs', 'created_at'),
  idx('ix_jobs_job_type', 'jobs', 'job_type'), idx('ix_jobs_session_id', 'jobs', 'session_id'), idx('ix_jobs_status', 'jobs', 'status'),
  idx('session_data_pkey', 'session_data', 'id', 'btree', true), idx('uq_session_data_session_key', 'session_data', 'session_id, key', 'btree', true),
  idx('idx_session_data_key', 'session_data', 'key'), idx('idx_session_data_session_id', 'session_data', 'session_id'), idx('ix_session_data_key', 'session_data', 'key'),
  idx('ix_session_data_session_id', 'session_data', 'session_id'),
  idx('job_progress_pkey', 'job_progress', 'id', 'btree', true), idx('ix_job_progress_job_id', 'job_progress', 'job_id', 'btree', true),
  idx('relevant_chunks_pkey', 'relevant_chunks', 'id', 'btree', true), idx('uq_relevant_chunk_unique', 'relevant_chunks', 'session_id, entity_type, doc_id', 'btree', true),
  idx('idx_relevant_chunks_doc_id', 'relevant_chunks', 'doc_id'), idx('idx_relevant_chunks_entity_type', 'relevant_chunks', 'entity_type'),
  idx('idx_relevant_chunks_session_id', 'relevant_chunks', 'session_id'), idx('idx_relevant_chunks_session_entity', 'relevant_chunks', 'session_id, entity_type'),
  idx('ix_relevant_chunks_doc_id', 'relevant_chunks', 'doc_id'), idx('ix_relevant_chunks_entity_type', 'relevant_chunks', 'entity_type'), idx('ix_relevant_chunks_session_id', 'relevant_chunks', 'session_id'),
].sort();

describe('the connector schema (sql-migrations 001-003)', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('schema');
    const t = db.target;
    client = new pg.Client({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('upgrade head builds exactly what connector-schema.md lists', async () => {
    const result = await upgrade(client, { dir: DIR });
    expect(result.status.current).toBe('003');
    const snap = await catalog(db);
    expect(snap.tables).toEqual(['documentation_items', 'job_progress', 'jobs', 'relevant_chunks', 'session_data', 'sessions']);
    expect(snap.columns).toEqual(COLUMNS);
    expect(snap.constraints).toEqual(CONSTRAINTS);
    // PostgreSQL 18 records each NOT NULL as a constraint too: exactly the NOT NULL columns; none before 18.
    const major = Number((await db.query<{ v: string }>(`select current_setting('server_version_num') as v`)).rows[0]?.v) / 10000;
    const notNullColumns = COLUMNS.filter((c) => c.includes(' NOT NULL')).map((c) => c.split(' ')[0] as string).sort();
    expect(snap.notNull).toEqual(Math.floor(major) >= 18 ? notNullColumns : []);
    expect(snap.indexes).toEqual(INDEXES);
    expect(snap.comments).toEqual(['documentation_items.id Unique identifier for the documentation chunk']);
  });

  it('each down removes exactly what its up added, and base leaves nothing behind', async () => {
    const at: Record<string, CatalogSnapshot> = {};
    await downgrade(client, { dir: DIR, target: 'base' });
    const empty = await catalog(db);
    expect(empty).toEqual({ tables: [], columns: [], constraints: [], notNull: [], indexes: [], comments: [] });
    for (const rev of ['001', '002', '003']) {
      await upgrade(client, { dir: DIR, target: rev });
      at[rev] = await catalog(db);
    }
    for (const rev of ['002', '001']) {
      await downgrade(client, { dir: DIR, target: rev });
      expect(await catalog(db)).toEqual(at[rev]);
    }
    await downgrade(client, { dir: DIR, target: 'base' });
    expect(await catalog(db)).toEqual(empty);
    // Only the records remain, and they say base.
    expect((await catalog(db, { withBookkeeping: true })).tables).toEqual(['connector_db_migrations', 'pgmigrations', 'pgmigrations_id_seq']);
    expect((await db.query('select count(*)::int as n from pgmigrations')).rows[0]?.n).toBe(0);
  });
});
