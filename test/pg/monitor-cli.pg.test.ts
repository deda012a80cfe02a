/**
 * `connector-db monitor` as scripts run it: the built binary against the
 * throwaway server, text and --json, and the cancel/terminate actions with
 * and without a confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { createTestDatabase, namedSession, type TestDatabase } from '../harness/pg.js';

describe('connector-db monitor (built binary, real server)', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase('monitor_cli');
    env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', DATABASE__POOL_SIZE: '7', DATABASE__MAX_OVERFLOW: '5' });
  });
  afterAll(async () => {
    await db.drop();
  });

  const idleSession = (applicationName: string) => namedSession(db, applicationName);

  it('--json: one document with the pool ceiling from the settings and the sessions it saw', async () => {
    const { client, pid } = await idleSession('cli-idle-tx');
    await client.query('BEGIN; SELECT 1');
    try {
      const r = runCli(['monitor', '--json'], { env });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout);
      expect(doc.ok).toBe(true);
      expect(doc.connections.pool).toMatchObject({ poolSize: 7, maxOverflow: 5, ceiling: 12, user: 'postgres', database: db.name });
      expect(doc.server.database).toBe(db.name);
      const idle = doc.transactions.find((s: { pid: number }) => s.pid === pid);
      expect(idle).toMatchObject({ state: 'idle in transaction', application: 'cli-idle-tx', query: 'BEGIN; SELECT 1' });
      // The monitor names its own connection.
      expect(doc.sessions.find((s: { self: boolean }) => s.self).application).toBe('connector-db monitor');
      expect(r.stdout).not.toContain(db.target.password as string);
    } finally {
      await client.end();
    }
  });

  it('text: every section, the pool line with the variables, no password, no colour in a pipe', () => {
    const r = runCli(['monitor'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('pool ceiling 12 (DATABASE__POOL_SIZE 7 + DATABASE__MAX_OVERFLOW 5)');
    for (const heading of ['Connections', 'Who blocks whom', 'Open transactions', 'Sizes', 'Cache hit ratio', 'Slowest statements']) expect(r.stdout).toContain(heading);
    expect(r.stdout).toContain("pg_stat_statements is not enabled: set shared_preload_libraries = 'pg_stat_statements'");
    expect(r.stdout).not.toContain(db.target.password as string);
    expect(r.stdout).not.toMatch(/\u001B\[/);
  });

  it('bad flags and pids are one line and exit 2', () => {
    const long = runCli(['monitor', '--long', 'soon'], { env });
    expect(long.code).toBe(2);
    expect(long.stderr.trim()).toBe('connector-db: usage: --long "soon" is invalid; allowed: an integer from 1 to 2147483647');
    const pid = runCli(['monitor', 'cancel', 'abc'], { env });
    expect(pid.code).toBe(2);
    expect(pid.stderr).toContain('PID "abc" is invalid');
    // Past PostgreSQL's int4: a usage line, not the server's "out of range" as an internal error.
    const bigPid = runCli(['monitor', 'cancel', '99999999999', '--yes'], { env });
    expect(bigPid.code).toBe(2);
    expect(bigPid.stderr).toContain('PID "99999999999" is invalid');
    const top = runCli(['monitor', '--top', '99999999999999999999'], { env });
    expect(top.code).toBe(2);
    expect(top.stderr.trim()).toBe('connector-db: usage: --top "99999999999999999999" is invalid; allowed: an integer from 1 to 2147483647');
  });

  it('terminate asks first: without a terminal and without --yes it refuses and the session lives', async () => {
    const { client, pid } = await idleSession('cli-victim');
    try {
      const r = runCli(['monitor', 'terminate', String(pid)], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('needs a person at a terminal; pass --yes');
      expect(r.stderr).toContain(`pid ${pid} · postgres · cli-victim · idle`);
      expect((await client.query('select 1 as one')).rows[0].one).toBe(1);

      const yes = runCli(['monitor', 'terminate', String(pid), '--yes', '--json'], { env });
      expect(yes.code).toBe(0);
      expect(JSON.parse(yes.stdout)).toMatchObject({ ok: true, pid, action: 'terminate', done: true });
      await expect(client.query('select 1')).rejects.toThrow();
    } finally {
      await client.end().catch(() => {});
    }
  });

  it('a pid that is not a session: not_found, exit 1', () => {
    const r = runCli(['monitor', 'cancel', '99999999', '--yes', '--json'], { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no session with pid 99999999 (it may have ended already)' } });
  });
});
