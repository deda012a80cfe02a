/** The rehearsal's scratch copies on a real server: TEMPLATE when the source is free, a clean refusal when not, leftovers found by their mark. */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchFromTemplate, dropScratch, leftoverScratch, otherConnections, scratchName } from '../../src/core/rehearsal/scratch.js';
import { adminQuery, cluster, createTestDatabase, type TestDatabase } from '../harness/pg.js';

describe('scratch databases', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('scratch_src');
    await db.query('CREATE TABLE jobs (id int PRIMARY KEY); INSERT INTO jobs VALUES (1), (2)');
    const c = cluster();
    admin = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: 'postgres' });
    await admin.connect();
  });
  afterAll(async () => {
    for (const name of await leftoverScratch(admin, db.name)) await dropScratch(admin, name);
    await admin.end();
    await db.drop();
  });

  it('names fit in 63 bytes and sort by time', () => {
    const now = new Date('2026-03-04T05:06:07Z');
    expect(scratchName('connector_db', now)).toBe('connector_db_rehearse_20260304_050607');
    const long = scratchName('x'.repeat(80), now);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(63);
    expect(long.endsWith('_rehearse_20260304_050607')).toBe(true);
  });

  it('copies by TEMPLATE when nobody is connected, marks the copy, and drops it', async () => {
    expect(await otherConnections(admin, db.name)).toEqual([]);
    const name = scratchName(db.name, new Date());
    expect(await createScratchFromTemplate(admin, db.name, name)).toBe(true);
    const rows = await adminQuery<{ n: number }>('select count(*)::int as n from jobs', [], name);
    expect(rows.rows[0]!.n).toBe(2);
    expect(await leftoverScratch(admin, db.name)).toEqual([name]);
    await dropScratch(admin, name);
    expect(await leftoverScratch(admin, db.name)).toEqual([]);
  });

  it('says false (use a backup) when someone is connected to the source', async () => {
    const c = cluster();
    const other = new pg.Client({ host: c.host, port: c.port, user: c.user, password: c.password, database: db.name, application_name: 'the-app' });
    await other.connect();
    try {
      expect(await otherConnections(admin, db.name)).toEqual([expect.objectContaining({ application: 'the-app', user: 'postgres' })]);
      const name = scratchName(db.name, new Date(Date.now() + 1000));
      expect(await createScratchFromTemplate(admin, db.name, name)).toBe(false);
      const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
      expect(exists.rowCount).toBe(0);
    } finally {
      await other.end();
    }
  });
});
