/** `connector-db migrate rehearse` as a person and a script run it: the built binary against the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { migration, migrationsFolder, names } from '../harness/migrations.js';

describe('connector-db migrate rehearse', () => {
  let db: TestDatabase;
  const env = (dir: string) => cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', MIGRATIONS__DIR: dir });
  const files = {
    '001_jobs.sql': migration('CREATE TABLE jobs (id int PRIMARY KEY, status text);', 'DROP TABLE jobs;'),
    '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;'),
  };
  beforeAll(async () => {
    db = await createTestDatabase('rehearse_cli');
    expect(runCli(['migrate', 'upgrade', '001'], { env: env(migrationsFolder(files)) }).code).toBe(0);
  });
  afterAll(async () => {
    await db.drop();
  });
  const copies = async () => (await adminQuery<{ datname: string }>(`select datname from pg_database where datname like $1`, [`${db.name}\\_rehearse\\_%`])).rows;

  it('a faithful set: exit 0, each step with its time and locks, the AccessExclusiveLock on an existing table called out', async () => {
    const r = runCli(['migrate', 'rehearse'], { env: env(migrationsFolder(files)) });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Rehearsal of 002 on a copy of ${db.name} (CREATE DATABASE … TEMPLATE)`);
    expect(r.stdout).toMatch(/ {2}up {7}002_note +\d+ ms {3}public\.jobs AccessExclusive/);
    expect(r.stdout).toMatch(/ {2}down {5}002_note/);
    expect(r.stdout).toMatch(/ {2}up again 002_note/);
    expect(r.stdout).toContain('! 002_note takes an AccessExclusiveLock on public.jobs: every read and write of it waits while it runs');
    expect(r.stdout).toContain('✓ every migration went up, down and up again; each down reversed its up.');
    expect(r.stdout).toMatch(new RegExp(`The copy ${db.name}_rehearse_\\d{8}_\\d{6} was dropped; ${db.name} was only read\\.`));
    expect(r.stderr).toContain('(TEMPLATE)');
    expect(await copies()).toEqual([]);
    expect(await names(db)).toEqual(['001_jobs']);
  });

  it('--json, a down that forgets its index: exit 1, the mismatch named, no copy left', async () => {
    const dir = migrationsFolder({ ...files, '003_idx.sql': migration('CREATE INDEX idx_jobs_status ON jobs (status);', '') });
    const r = runCli(['migrate', 'rehearse', '--json'], { env: env(dir) });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.mismatches).toEqual([{ id: '003', name: '003_idx', differences: ['left behind: index public.idx_jobs_status (CREATE INDEX idx_jobs_status ON public.jobs USING btree (status))'] }]);
    expect(doc.dropped).toBe(true);
    expect(await copies()).toEqual([]);
  });
});
