/**
 * The monitor against a real server: sessions are driven for real with pg
 * clients (a lock holder, the ALTER it blocks, an idle-in-transaction
 * session, the app's pool), and the monitor must see each of them, for a
 * superuser and for a role with no grants at all.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMonitorService } from '../../src/app/monitor-service.js';
import type { Settings } from '../../src/core/config/resolve.js';
import { openClient } from '../../src/core/db/connect.js';
import { whoBlocks } from '../../src/core/monitor/locks.js';
import { signalBackend } from '../../src/core/monitor/signal.js';
import { readMonitorSnapshot } from '../../src/core/monitor/snapshot.js';
import type { MonitorSnapshot } from '../../src/core/monitor/types.js';
import { adminQuery, cluster, createTestDatabase, dbSettings, pidOf, type TestDatabase } from '../harness/pg.js';
import { failure } from '../harness/failure.js';

const APP_ROLE = 'cdb_mon_app';
const VIEWER = 'cdb_mon_viewer';

describe('monitor on a real server', () => {
  let db: TestDatabase;
  const opened: pg.Client[] = [];

  /** A raw pg client (not the engine's) standing in for another program. */
  async function session(user = 'postgres', password = cluster().password, applicationName = 'test-session'): Promise<pg.Client> {
    const c = cluster();
    const client = new pg.Client({ host: c.host, port: c.port, user, password, database: db.name, application_name: applicationName });
    client.on('error', () => {});
    await client.connect();
    opened.push(client);
    return client;
  }

  /** The lock tree rows of this file's database (other test files run beside it on the same server). */
  const mine = (s: MonitorSnapshot) => s.lockTree.filter((r) => r.session.database === db.name);

  const pool = () => ({ poolSize: 4, maxOverflow: 6, user: APP_ROLE, database: db.name });

  async function snapshotAs(user: string, password: string): Promise<MonitorSnapshot> {
    const client = await openClient(dbSettings({ ...db.target, user, password }), { applicationName: 'connector-db monitor' });
    try {
      return await readMonitorSnapshot(client, { pool: pool(), longTransactionSeconds: 3600 });
    } finally {
      await client.end();
    }
  }

  async function waitForSnapshot(user: string, password: string, ok: (s: MonitorSnapshot) => boolean, what: string): Promise<MonitorSnapshot> {
    const started = Date.now();
    let last: MonitorSnapshot | undefined;
    while (Date.now() - started < 10_000) {
      last = await snapshotAs(user, password);
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the monitor never saw ${what}; last lock tree: ${JSON.stringify(last?.lockTree.map((r) => [r.depth, r.session.pid, r.session.database]))}`);
  }

  beforeAll(async () => {
    db = await createTestDatabase('monitor');
    await adminQuery(`DROP ROLE IF EXISTS ${APP_ROLE}; CREATE ROLE ${APP_ROLE} LOGIN PASSWORD 'app-pw'`);
    await adminQuery(`DROP ROLE IF EXISTS ${VIEWER}; CREATE ROLE ${VIEWER} LOGIN PASSWORD 'viewer-pw'`);
    await db.query(`CREATE TABLE jobs (id int PRIMARY KEY, status text); INSERT INTO jobs SELECT g, 'queued' FROM generate_series(1, 5000) g; ANALYZE jobs`);
    await db.query(`GRANT SELECT ON jobs TO ${APP_ROLE}`);
  });

  afterEach(async () => {
    for (const c of opened.splice(0)) await c.end().catch(() => {});
  });

  afterAll(async () => {
    await db.drop();
    await adminQuery(`DROP ROLE IF EXISTS ${APP_ROLE}`);
    await adminQuery(`DROP ROLE IF EXISTS ${VIEWER}`);
  });

  it('sees the lock holder, the ALTER it blocks, the query queued behind, an idle-in-transaction session and the pool figures', async () => {
    const holder = await session('postgres', cluster().password, 'holder-app');
    const holderPid = await pidOf(holder);
    await holder.query(`BEGIN; UPDATE jobs SET status = 'running' WHERE id = 1`);

    const idle = await session('postgres', cluster().password, 'forgetful-app');
    const idlePid = await pidOf(idle);
    await idle.query(`BEGIN; SELECT count(*) FROM pg_class`);

    const migrator = await session('postgres', cluster().password, 'migrator');
    const migratorPid = await pidOf(migrator);
    const alter = migrator.query('ALTER TABLE jobs ADD COLUMN note text').catch((e: unknown) => e);
    // The reader must ask after the ALTER is queued (under load its backend may not have got there yet).
    await waitForSnapshot('postgres', cluster().password, (s) => mine(s).some((r) => r.session.pid === migratorPid), 'the ALTER waiting');
    const reader = await session('postgres', cluster().password, 'reader');
    const readerPid = await pidOf(reader);
    const read = reader.query('SELECT count(*) FROM jobs').catch((e: unknown) => e);

    const appClients = await Promise.all([1, 2, 3].map(() => session(APP_ROLE, 'app-pw', 'connector')));

    const snap = await waitForSnapshot('postgres', cluster().password, (s) => mine(s).some((r) => r.session.pid === readerPid), 'the reader queued behind the ALTER');

    const tree = mine(snap).map((r) => ({ depth: r.depth, pid: r.session.pid }));
    expect(tree).toEqual([
      { depth: 0, pid: holderPid },
      { depth: 1, pid: migratorPid },
      { depth: 2, pid: readerPid },
    ]);
    const alterRow = mine(snap)[1]!.session;
    expect(alterRow.blockedBy).toEqual([holderPid]);
    expect(alterRow.lockWait).toMatchObject({ lockType: 'relation', mode: 'AccessExclusiveLock', relation: 'jobs' });
    expect(alterRow.query).toBe('ALTER TABLE jobs ADD COLUMN note text');
    expect(alterRow.application).toBe('migrator');
    const root = mine(snap)[0]!.session;
    expect(root.state).toBe('idle in transaction');
    expect(root.query).toContain("UPDATE jobs SET status = 'running'");
    expect(snap.connections.waitingOnLocks).toBeGreaterThanOrEqual(2);

    // Open transactions: both idle-in-transaction sessions, with their age and last query.
    const idleRow = snap.transactions.find((s) => s.pid === idlePid);
    expect(idleRow).toMatchObject({ state: 'idle in transaction', application: 'forgetful-app', query: 'BEGIN; SELECT count(*) FROM pg_class' });
    expect(idleRow!.xactAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(snap.transactions.some((s) => s.pid === holderPid)).toBe(true);
    // The ALTER is active and younger than the 1 h threshold: not listed.
    expect(snap.transactions.some((s) => s.pid === migratorPid)).toBe(false);

    // The pool ceiling from the settings, and the app role's connections counted against it.
    expect(snap.connections.pool).toMatchObject({ poolSize: 4, maxOverflow: 6, ceiling: 10, user: APP_ROLE, database: db.name, open: 3, fits: true });
    expect(snap.connections.maxConnections).toBe(100);
    expect(snap.connections.reservedForSuperusers).toBe(3);
    const others = snap.connections.total - 3;
    expect(snap.connections.pool.room).toBe(100 - 3 - others);
    const app = snap.connections.byApplication.find((a) => a.application === 'connector' && a.user === APP_ROLE);
    expect(app).toMatchObject({ total: 3, database: db.name, states: { idle: 3 } });
    expect(snap.connections.byState.find((s) => s.state === 'idle in transaction')!.count).toBeGreaterThanOrEqual(2);

    // The same answer for one session, as the migration runner asks it.
    const report = await whoBlocks(holder, readerPid);
    expect(report?.blockers.map((b) => b.pid)).toEqual([migratorPid]);
    expect(report?.rootBlockers.map((b) => b.pid)).toEqual([holderPid]);
    expect(await whoBlocks(holder, holderPid)).toBeNull();

    // Sizes still answer while the ALTER queue blocks the table: estimated from the catalog.
    expect(snap.sizes.estimated).toBe(true);
    expect(snap.sizes.largestTables[0]).toMatchObject({ schema: 'public', name: 'jobs', estimatedRows: 5000 });
    expect(snap.sizes.largestTables[0]!.totalBytes).toBeGreaterThan(0);

    await holder.query('ROLLBACK');
    expect(await alter).toBeDefined();
    await read;
    for (const c of appClients) await c.end();
  });

  it("another session's last statement setting a password is shown with the password masked", async () => {
    await adminQuery('DROP ROLE IF EXISTS cdb_mon_pw; CREATE ROLE cdb_mon_pw');
    try {
      const other = await session('postgres', cluster().password, 'password-setter');
      const otherPid = await pidOf(other);
      await other.query("ALTER ROLE cdb_mon_pw PASSWORD 'MonLeak42'");
      const snap = await waitForSnapshot('postgres', cluster().password, (s) => s.sessions.some((x) => x.pid === otherPid && /ALTER ROLE/.test(x.query ?? '')), 'the idle session');
      expect(snap.sessions.find((x) => x.pid === otherPid)?.query).toBe("ALTER ROLE cdb_mon_pw PASSWORD '****'");
      expect(JSON.stringify(snap)).not.toContain('MonLeak42');
    } finally {
      await adminQuery('DROP ROLE IF EXISTS cdb_mon_pw');
    }
  });

  it('reads exact sizes and the cache hit ratio when nothing is locked', async () => {
    const snap = await snapshotAs('postgres', cluster().password);
    expect(snap.sizes.estimated).toBe(false);
    const jobs = snap.sizes.largestTables.find((t) => t.name === 'jobs')!;
    expect(jobs.tableBytes).toBeGreaterThan(100_000);
    expect(jobs.indexBytes).toBeGreaterThan(0);
    expect(jobs.totalBytes).toBeGreaterThanOrEqual(jobs.tableBytes + jobs.indexBytes);
    expect(snap.sizes.databaseBytes).toBeGreaterThan(jobs.totalBytes);
    expect(snap.cache.hitRatio).toBeGreaterThan(0);
    expect(snap.cache.hitRatio).toBeLessThanOrEqual(1);
    // The shared test cluster does not preload pg_stat_statements: a how-to, not an error.
    expect(snap.statements).toMatchObject({ status: 'unavailable', reason: 'not_preloaded' });
    expect(snap.statements.status === 'unavailable' && snap.statements.howTo).toContain("shared_preload_libraries = 'pg_stat_statements'");
  });

  it('for a role with no grants: shows pids, roles, applications and who blocks whom; hides the rest and says so', async () => {
    const holder = await session('postgres', cluster().password, 'holder-app');
    const holderPid = await pidOf(holder);
    await holder.query(`BEGIN; LOCK TABLE jobs IN ROW EXCLUSIVE MODE`);
    const waiter = await session('postgres', cluster().password, 'migrator');
    const waiterPid = await pidOf(waiter);
    const waiting = waiter.query('ALTER TABLE jobs ADD COLUMN other text').catch((e: unknown) => e);

    const snap = await waitForSnapshot(VIEWER, 'viewer-pw', (s) => mine(s).some((r) => r.session.pid === waiterPid), 'the waiter');
    expect(snap.visibility).toMatchObject({ role: VIEWER, superuser: false, readAllStats: false, signalBackend: false });
    expect(snap.visibility.hiddenSessions).toBeGreaterThanOrEqual(2);
    expect(snap.visibility.notes.join('\n')).toContain(`GRANT pg_read_all_stats TO ${VIEWER};`);
    expect(snap.visibility.notes.join('\n')).toContain(`GRANT pg_signal_backend TO ${VIEWER};`);

    const rows = mine(snap).map((r) => ({ depth: r.depth, pid: r.session.pid }));
    expect(rows).toEqual([
      { depth: 0, pid: holderPid },
      { depth: 1, pid: waiterPid },
    ]);
    const hiddenWaiter = mine(snap)[1]!.session;
    expect(hiddenWaiter).toMatchObject({ visible: false, query: null, state: null, user: 'postgres', application: 'migrator', isClient: true });
    expect(hiddenWaiter.lockWait).toMatchObject({ mode: 'AccessExclusiveLock', relation: 'jobs' });
    expect(snap.connections.byState.find((s) => s.state === 'hidden')!.count).toBeGreaterThanOrEqual(2);
    // Its own session is visible to it.
    expect(snap.sessions.find((s) => s.self)).toMatchObject({ visible: true, user: VIEWER, state: 'active' });

    // It may not cancel a superuser's query: one explained refusal with the grant that would (not) help.
    const viewer = await openClient(dbSettings({ ...db.target, user: VIEWER, password: 'viewer-pw' }));
    try {
      const refused = await failure(signalBackend(viewer, waiterPid, 'cancel'));
      expect(refused.message).toBe(`permission denied to cancel backend ${waiterPid}`);
      expect(refused.fixes[0]).toContain(`GRANT pg_signal_backend TO ${VIEWER};`);
    } finally {
      await viewer.end();
    }

    // With pg_read_all_stats, the same role sees the queries.
    await adminQuery(`GRANT pg_read_all_stats TO ${VIEWER}`);
    try {
      const granted = await snapshotAs(VIEWER, 'viewer-pw');
      const w = granted.sessions.find((s) => s.pid === waiterPid)!;
      expect(w).toMatchObject({ visible: true, query: 'ALTER TABLE jobs ADD COLUMN other text', state: 'active' });
      expect(granted.visibility.hiddenSessions).toBe(0);
      expect(granted.visibility.notes.join('\n')).not.toContain('pg_read_all_stats');
    } finally {
      await adminQuery(`REVOKE pg_read_all_stats FROM ${VIEWER}`);
    }
    await holder.query('ROLLBACK');
    await waiting;
  });

  it('cancels a running query and terminates a backend', async () => {
    const monitor = await openClient(db.settings);
    try {
      const sleeper = await session('postgres', cluster().password, 'sleeper');
      const sleeperPid = await pidOf(sleeper);
      const sleeping = sleeper.query('SELECT pg_sleep(30)').catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 200));
      const cancelled = await signalBackend(monitor, sleeperPid, 'cancel');
      expect(cancelled).toMatchObject({ pid: sleeperPid, action: 'cancel', done: true });
      const error = (await sleeping) as { code?: string };
      expect(error.code).toBe('57014'); // query_canceled
      // The session survives a cancel.
      expect((await sleeper.query('select 1 as one')).rows[0].one).toBe(1);

      const terminated = await signalBackend(monitor, sleeperPid, 'terminate');
      expect(terminated).toMatchObject({ done: true, message: `terminated backend ${sleeperPid}` });
      const left = await monitor.query('select count(*)::int as n from pg_stat_activity where pid = $1', [sleeperPid]);
      expect(left.rows[0].n).toBe(0);

      const gone = await signalBackend(monitor, sleeperPid, 'terminate').catch((e: unknown) => e);
      expect(gone).toMatchObject({ code: 'not_found' });
      const self = await signalBackend(monitor, await pidOf(monitor), 'terminate').catch((e: unknown) => e);
      expect(self).toMatchObject({ code: 'usage', message: expect.stringContaining("the monitor's own connection") });
    } finally {
      await monitor.end();
    }
  });

  it("the screen's service: a terminate sent while a snapshot waits on a locked table is not caught in its transaction", async () => {
    const holder = await session('postgres', cluster().password, 'holder-app');
    const holderPid = await pidOf(holder);
    await holder.query('BEGIN; LOCK TABLE jobs IN ROW EXCLUSIVE MODE');
    const migrator = await session('postgres', cluster().password, 'migrator');
    const altered = migrator.query('ALTER TABLE jobs ADD COLUMN third text').then(() => 'done', (e: Error) => e.message);
    await waitForSnapshot('postgres', cluster().password, (s) => mine(s).length > 0, 'the ALTER waiting');
    const settings = { ...db.settings, poolSize: 4, maxOverflow: 6 } as unknown as Settings;
    const service = createMonitorService(settings);
    try {
      const [snap, signal] = await Promise.all([service.snapshot(), service.signal(holderPid, 'terminate')]);
      expect(snap.ok && snap.snapshot.sizes.estimated).toBe(true);
      expect(signal).toMatchObject({ ok: true, result: { done: true, pid: holderPid } });
      expect(await altered).toBe('done');
      const after = await service.snapshot();
      expect(after.ok && mine(after.snapshot)).toEqual([]);
      expect(after.ok && after.snapshot.sessions.find((s) => s.self)?.application).toBe('connector-db monitor');
    } finally {
      await service.close();
    }
  });
});
