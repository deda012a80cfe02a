/**
 * pg_stat_statements in every state a server can be in: loaded and created
 * (a cluster of our own with shared_preload_libraries), loaded but not
 * created, created but not loaded (the shared cluster). Each state gives the
 * slow statements or the one line that fixes it; never an error.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSlowStatements } from '../../src/core/monitor/statements.js';
import { startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import { adminQuery, cluster, createTestDatabase } from '../harness/pg.js';

async function withPg<T>(info: ClusterInfo, database: string, work: (c: pg.Client) => Promise<T>, user = info.user, password = info.password): Promise<T> {
  const client = new pg.Client({ host: info.host, port: info.port, user, password, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('pg_stat_statements', () => {
  it('the server under test ships the extension (else the next tests prove nothing)', async () => {
    const { rows } = await adminQuery<{ n: number }>(`select count(*)::int as n from pg_available_extensions where name = 'pg_stat_statements'`);
    expect(rows[0]!.n).toBe(1);
  });

  describe('on a server that preloads it', () => {
    let info: ClusterInfo;
    beforeAll(async () => {
      info = await startCluster({ conf: ["shared_preload_libraries = 'pg_stat_statements'"] });
      await withPg(info, 'postgres', async (c) => {
        await c.query('CREATE DATABASE app');
        await c.query('CREATE DATABASE bare');
        await c.query(`CREATE ROLE watcher LOGIN PASSWORD 'w-pw'`);
      });
      await withPg(info, 'app', async (c) => {
        await c.query('CREATE EXTENSION pg_stat_statements');
        await c.query('CREATE TABLE t (i int)');
        for (let i = 0; i < 3; i++) await c.query('SELECT pg_sleep(0.15)');
        await c.query('INSERT INTO t SELECT generate_series(1, 100)');
        // A utility statement is kept with its literals: its password must not reach the screen.
        await c.query("CREATE ROLE leaky LOGIN PASSWORD 'PgssLeak42'");
      });
    });
    afterAll(() => {
      if (info) stopCluster(info);
    });

    it('lists the slowest statements of this database, slowest first, with calls and times', async () => {
      const report = await withPg(info, 'app', (c) => readSlowStatements(c, { limit: 5 }));
      expect(report.status).toBe('available');
      if (report.status !== 'available') return;
      expect(report.version).toMatch(/^1\.\d+$/);
      const first = report.statements[0]!;
      expect(first.query).toBe('SELECT pg_sleep($1)');
      expect(first.calls).toBe(3);
      expect(first.meanMs).toBeGreaterThanOrEqual(140);
      expect(first.totalMs).toBeGreaterThanOrEqual(3 * 140);
      expect(first.user).toBe('postgres');
      const means = report.statements.map((s) => s.meanMs);
      expect([...means].sort((a, b) => b - a)).toEqual(means);
      expect(report.statements.length).toBeLessThanOrEqual(5);
    });

    it('shows a statement that set a password with the password masked', async () => {
      const report = await withPg(info, 'app', (c) => readSlowStatements(c, { limit: 100 }));
      expect(report.status).toBe('available');
      if (report.status !== 'available') return;
      expect(report.statements.map((s) => s.query)).toContain("CREATE ROLE leaky LOGIN PASSWORD '****'");
      expect(JSON.stringify(report)).not.toContain('PgssLeak42');
    });

    it("shows a role without pg_read_all_stats the timings but not other roles' statements", async () => {
      const report = await withPg(info, 'app', (c) => readSlowStatements(c), 'watcher', 'w-pw');
      expect(report.status).toBe('available');
      if (report.status !== 'available') return;
      const sleep = report.statements.find((s) => s.calls === 3 && s.meanMs >= 140);
      expect(sleep?.query).toBe('<insufficient privilege>');
    });

    it('in a database without the extension: the CREATE EXTENSION line', async () => {
      const report = await withPg(info, 'bare', (c) => readSlowStatements(c));
      expect(report).toEqual({ status: 'unavailable', reason: 'not_created', howTo: expect.stringContaining('loaded but not created here: CREATE EXTENSION pg_stat_statements;') });
    });
  });

  describe('on a server that does not preload it', () => {
    it('created but not loaded: says to preload it and restart', async () => {
      const db = await createTestDatabase('pgss_unloaded');
      try {
        await db.query('CREATE EXTENSION pg_stat_statements');
        const report = await withPg(cluster(), db.name, (c) => readSlowStatements(c));
        expect(report).toMatchObject({ status: 'unavailable', reason: 'not_preloaded' });
        expect(report.status === 'unavailable' && report.howTo).toMatch(/^pg_stat_statements is created but not loaded: set shared_preload_libraries = 'pg_stat_statements'.*restart the server\.$/);
      } finally {
        await db.drop();
      }
    });

    it('not created either: both steps, in order', async () => {
      const db = await createTestDatabase('pgss_absent');
      try {
        const report = await withPg(cluster(), db.name, (c) => readSlowStatements(c));
        expect(report).toMatchObject({ status: 'unavailable', reason: 'not_preloaded' });
        expect(report.status === 'unavailable' && report.howTo).toMatch(/shared_preload_libraries.*restart the server, then CREATE EXTENSION pg_stat_statements;/);
      } finally {
        await db.drop();
      }
    });
  });
});
