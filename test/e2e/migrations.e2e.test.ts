/**
 * The built binary in a real 80x24 terminal against the throwaway server:
 * Home shows the revision line; the Migrations screen lists the revisions,
 * u shows the next step's SQL, Enter runs it, and the database really moved.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { names } from '../harness/migrations.js';

describe('Migrations screen in tmux', () => {
  let db: TestDatabase;
  let tmux: TmuxSession;
  beforeAll(async () => {
    db = await createTestDatabase('e2e_migrations');
  });
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
  });

  it('steps up once from Home → Migrations, and the database is at 001', async () => {
    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
    const home = await tmux.waitFor('current base / head 003 · 3 pending');
    expect(home).toMatch(/Revision\s+! current base \/ head 003 · 3 pending/);
    // One key at a time: each waits for the frame it causes.
    tmux.send('Down');
    await tmux.waitFor(/› Setup/);
    tmux.send('Down');
    await tmux.waitFor(/› Migrations/);
    tmux.send('Enter');
    const list = await tmux.waitFor('at base · 3 pending (head 003)');
    expect(list).toMatch(/003\s+pending\s+003_add_normalized_input_column_to_/);
    expect(list).toMatch(/001\s+pending\s+001_initial_schema/);
    tmux.send('u');
    const preview = await tmux.waitFor('Enter runs it');
    expect(preview).toContain('Upgrade base → 001 runs this up SQL:');
    expect(preview).toMatch(/14 │ -- Up Migration/);
    expect(preview).toContain('CREATE TABLE sessions (');
    expect(await names(db)).toEqual([]);
    tmux.send('Enter');
    const done = await tmux.waitFor('Upgrade base → 001: done. Now at 001.', 15_000);
    expect(done).toMatch(/›●001\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+\d+ ms\s+001_initial_schema/);
    expect(done).toContain('at 001 · 2 pending (head 003)');
    expect(await names(db)).toEqual(['001_initial_schema']);
    for (const line of done.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });
});
