/**
 * The Monitor screen in a real 80x24 terminal against the throwaway server:
 * a session holding a lock and an ALTER waiting on it are driven with pg
 * clients; the screen must show both, pause and resume, and terminate the
 * holder after a confirmation, after which the wait is gone.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, namedSession, type TestDatabase } from '../harness/pg.js';

describe('Monitor screen in tmux', () => {
  let db: TestDatabase;
  let tmux: TmuxSession;
  const clients: pg.Client[] = [];

  async function client(applicationName: string): Promise<{ c: pg.Client; pid: number }> {
    const { client: c, pid } = await namedSession(db, applicationName);
    clients.push(c);
    return { c, pid };
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_monitor');
    await db.query('CREATE TABLE jobs (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    tmux?.kill();
    for (const c of clients) await c.end().catch(() => {});
    await db.drop();
  });

  it('shows who blocks whom, pauses, and terminates the blocker after y', async () => {
    const holder = await client('e2e-holder');
    await holder.c.query('BEGIN; LOCK TABLE jobs IN ROW EXCLUSIVE MODE');
    const migrator = await client('e2e-migrator');
    const altered = migrator.c.query('ALTER TABLE jobs ADD COLUMN note text').then(
      () => 'done',
      (e: Error) => e.message,
    );

    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', DATABASE__POOL_SIZE: '3', DATABASE__MAX_OVERFLOW: '2' });
    await tmux.waitFor(/PostgreSQL 1\d\.\d+/);
    // The menu: Doctor, Setup, Migrations, Backups, Query, Monitor.
    for (let i = 0; i < 5; i++) tmux.send('Down');
    await tmux.waitFor(/› Monitor/);
    tmux.send('Enter');
    const first = await tmux.waitFor((s) => s.includes('● live') && s.includes('Conn '));
    expect(first).toContain('Pool 5=3+2');
    // Other test files share the server: count at least our one waiter.
    expect(first).toMatch(/2 Locks [1-9]/);
    expect(first).not.toContain(db.target.password as string);

    tmux.send('2');
    const locks = await tmux.waitFor((s) => s.includes('WAITS FOR') && s.includes(`└${migrator.pid}`));
    expect(locks).toMatch(new RegExp(`^${holder.pid} +postgres +e2e-holder +blocks · idle in tx`, 'm'));
    // Select the holder: other test files' lock waits may be listed above it, and come and go.
    const holderDetail = `pid ${holder.pid} · postgres · e2e-holder`;
    for (let i = 0; i < 20 && !tmux.capture().includes(holderDetail); i++) {
      tmux.send('Down');
      await new Promise((r) => setTimeout(r, 300));
    }
    await tmux.waitFor(holderDetail);
    expect(locks).toMatch(new RegExp(`^└${migrator.pid} +postgres +e2e-migrator +[\\d.]+s AccessExclusive jobs +ALTER TABLE jobs`, 'm'));
    for (const line of locks.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    tmux.send('Space');
    await tmux.waitFor('‖ paused at');
    tmux.send('Space');
    await tmux.waitFor('● live');

    // The holder is the selected row.
    tmux.send('t');
    const dialog = await tmux.waitFor(`Terminate backend ${holder.pid}?`);
    expect(dialog).toContain('e2e-holder');
    tmux.send('y');
    await tmux.waitFor(`terminated backend ${holder.pid}`);
    expect(await altered).toBe('done');
    await tmux.waitFor((s) => s.includes('WAITS FOR') && !s.includes(`└${migrator.pid}`) && !s.includes(`${holder.pid} `));

    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });
});
