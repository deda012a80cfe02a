/**
 * Rehearsal when the app is connected to the target: CREATE DATABASE ...
 * TEMPLATE is refused then, so the copy comes from a fresh pg_dump restored
 * into the scratch database. The connected session is not disturbed, the
 * copy is dropped and the temporary dump deleted.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upgrade } from '../../src/core/migrations/runner.js';
import { rehearsalConnections } from '../../src/core/rehearsal/connections.js';
import { copyFromFreshBackup } from '../../src/core/rehearsal/copy-from-backup.js';
import { rehearse, type RehearsalEvent } from '../../src/core/rehearsal/rehearse.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { migration, migrationsFolder, names } from '../harness/migrations.js';

describe('migrate rehearse from a fresh backup', () => {
  let dc: DumpCluster;
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('rehearse_busy', dc.info);
    dir = migrationsFolder({
      '001_jobs.sql': migration('CREATE TABLE jobs (id int PRIMARY KEY, status text NOT NULL);', 'DROP TABLE jobs;'),
      '002_idx.sql': migration('CREATE INDEX idx_jobs_status ON jobs (status);', ''),
    });
    const c = new pg.Client({ ...db.target });
    await c.connect();
    await upgrade(c, { dir, target: '001' });
    await c.query(`INSERT INTO jobs SELECT g, 'queued' FROM generate_series(1, 500) g`);
    await c.end();
  }, 60_000);
  afterAll(async () => {
    await db.drop();
    dc.stop();
  });

  it('copies from a backup while the app is connected, finds the forgotten index, leaves nothing behind', async () => {
    const app = new pg.Client({ ...db.target, application_name: 'connector-app' });
    await app.connect();
    await app.query('BEGIN; SELECT count(*) FROM jobs');
    const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'cdb-rbk-'));
    const events: RehearsalEvent[] = [];
    try {
      const result = await rehearse({
        dir,
        ...rehearsalConnections(db.settings, { applicationName: 'rehearse test' }),
        copyFromBackup: copyFromFreshBackup({ db: db.settings, toolVersion: '0.0.0-test', tmpRoot }),
        onEvent: (e) => events.push(e),
      });
      expect(result.method).toBe('backup');
      expect(result.connected).toEqual([expect.objectContaining({ application: 'connector-app' })]);
      expect(result.failure?.pass ?? null).toBe('up again');
      expect(result.mismatches).toEqual([{ id: '002', name: '002_idx', differences: ['left behind: index public.idx_jobs_status (CREATE INDEX idx_jobs_status ON public.jobs USING btree (status))'] }]);
      expect(result.dropped).toBe(true);
      expect(events.find((e) => e.type === 'copying')).toMatchObject({ method: 'backup' });
      // The temporary dump is gone; no scratch database is left.
      expect(readdirSync(tmpRoot)).toEqual([]);
      const left = await db.query(`select count(*)::int as n from pg_database where datname like $1`, [`${db.name}\\_rehearse\\_%`]);
      expect(left.rows[0]!.n).toBe(0);
      // The app's transaction was not disturbed, and the target is still at 001.
      expect((await app.query('SELECT count(*)::int AS n FROM jobs')).rows[0].n).toBe(500);
      expect(await names(db)).toEqual(['001_jobs']);
    } finally {
      await app.query('ROLLBACK').catch(() => {});
      await app.end();
    }
  });
});
