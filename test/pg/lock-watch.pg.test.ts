/**
 * The lock-wait watcher on a real server: an ALTER blocked by an open
 * transaction is reported once it has waited past the threshold, with the
 * blocker's pid, application, state, query and transaction age; and the end
 * of the wait is reported too.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookOnce, watchLockWaits, type LockWatchEvent } from '../../src/core/monitor/lock-watch.js';
import { createTestDatabase, namedSession, type TestDatabase } from '../harness/pg.js';

describe('watchLockWaits', () => {
  let db: TestDatabase;
  const opened: pg.Client[] = [];
  async function client(applicationName: string): Promise<{ c: pg.Client; pid: number }> {
    const { client: c, pid } = await namedSession(db, applicationName);
    opened.push(c);
    return { c, pid };
  }
  beforeAll(async () => {
    db = await createTestDatabase('lock_watch');
    await db.query('CREATE TABLE jobs (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    for (const c of opened) await c.end().catch(() => {});
    await db.drop();
  });

  it('reports the blocker after the threshold, not before, then the end of the wait', async () => {
    const holder = await client('worker');
    await holder.c.query(`BEGIN; INSERT INTO jobs VALUES (1)`);
    const migrator = await client('connector-db migrate');
    const watcher = await client('watcher');
    expect(await lookOnce(watcher.c, migrator.pid, 1000)).toBeNull();

    const events: (LockWatchEvent & { at: number })[] = [];
    const started = Date.now();
    const watch = watchLockWaits({ client: watcher.c, pid: migrator.pid, thresholdMs: 1000, intervalMs: 100, onEvent: (e) => events.push({ ...e, at: Date.now() - started }) });
    const altered = migrator.c.query('ALTER TABLE jobs ADD COLUMN note text');
    while (!events.some((e) => e.type === 'blocked') && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));

    const first = events.find((e) => e.type === 'blocked');
    expect(first).toBeDefined();
    if (first?.type !== 'blocked') return;
    expect(first.at).toBeGreaterThanOrEqual(1000);
    expect(first.waitedMs).toBeGreaterThanOrEqual(1000);
    expect(first.changed).toBe(true);
    expect(first.report.lock).toMatchObject({ mode: 'AccessExclusiveLock', relation: 'jobs' });
    expect(first.report.blockers).toHaveLength(1);
    expect(first.report.blockers[0]).toMatchObject({ pid: holder.pid, application: 'worker', state: 'idle in transaction', query: 'BEGIN; INSERT INTO jobs VALUES (1)' });
    expect(first.report.blockers[0]!.xactAgeSeconds).toBeGreaterThanOrEqual(1);
    expect(first.report.rootBlockers.map((s) => s.pid)).toEqual([holder.pid]);

    // Later looks while nothing changed are not "changed".
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((e) => e.type === 'blocked').slice(1).every((e) => e.type === 'blocked' && !e.changed)).toBe(true);

    await holder.c.query('ROLLBACK');
    await altered;
    const waitEnd = Date.now();
    while (!events.some((e) => e.type === 'wait_ended') && Date.now() - waitEnd < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)?.type).toBe('wait_ended');
    await watch.stop();
    const count = events.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(events.length).toBe(count);
  });
});
