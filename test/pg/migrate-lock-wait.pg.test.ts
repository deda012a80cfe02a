/**
 * "Migrations take a long time": a migration blocked by an open
 * transaction names its blocker while it waits, and with
 * --lock-wait-timeout it gives up cleanly (rolled back, the blocker named)
 * instead of queueing every other query behind it. The built binary
 * against the real server; the blocker is a real open transaction.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, type CliResult } from '../cli/run-cli.js';
import { clientOf, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { migration, migrationsFolder, names } from '../harness/migrations.js';
import { createMigrationsService } from '../../src/app/services-migrations.js';
import type { MigrationRunEvent } from '../../src/app/services.js';
import type { Settings } from '../../src/core/config/resolve.js';

function runCliAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { cwd: mkdtempSync(path.join(os.tmpdir(), 'cdb-cwd-')), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('a migration waiting on a lock', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  let dir: string;
  const clients: pg.Client[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('migrate_lock_wait');
    dir = migrationsFolder({
      '001_jobs.sql': migration('CREATE TABLE jobs (id int PRIMARY KEY);', 'DROP TABLE jobs;'),
      '002_note.sql': migration('ALTER TABLE jobs ADD COLUMN note text;', 'ALTER TABLE jobs DROP COLUMN note;'),
    });
    env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', MIGRATIONS__DIR: dir });
    expect(runCli(['migrate', 'upgrade', '001'], { env }).code).toBe(0);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.end().catch(() => {});
  });
  afterAll(async () => {
    await db.drop();
  });

  async function holder(): Promise<{ client: pg.Client; pid: number }> {
    const client = await clientOf(db, 'nightly-report');
    clients.push(client);
    const pid = (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    await client.query('BEGIN; INSERT INTO jobs VALUES (1)');
    return { client, pid };
  }

  it('--lock-wait-timeout 1: gives up after about a second, rolled back, naming the blocker and how to end it', async () => {
    const { pid } = await holder();
    const started = Date.now();
    const r = runCli(['migrate', 'upgrade', '--lock-wait-timeout', '1'], { env });
    const took = Date.now() - started;
    expect(r.code).toBe(1);
    expect(took).toBeLessThan(15_000);
    expect(r.stderr).toContain('canceling statement due to lock timeout');
    expect(r.stderr).toContain('SQLSTATE 55P03');
    expect(r.stderr).toMatch(/for AccessExclusiveLock on jobs/);
    expect(r.stderr).toContain(`blocked by pid ${pid} · postgres · nightly-report · idle in transaction`);
    expect(r.stderr).toContain('BEGIN; INSERT INTO jobs VALUES (1)');
    expect(r.stderr).toContain(`fix: connector-db monitor terminate ${pid}`);
    // 002 rolled back whole: still at 001, no column.
    expect(await names(db)).toEqual(['001_jobs']);
    const column = await db.query(`select 1 from information_schema.columns where table_name = 'jobs' and column_name = 'note'`);
    expect(column.rowCount).toBe(0);
  });

  it('--json: the failure document carries the blocker in its evidence', async () => {
    const { pid } = await holder();
    const r = runCli(['migrate', 'upgrade', '--lock-wait-timeout', '0.5', '--json'], { env });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.error.evidence.join('\n')).toContain(`blocked by pid ${pid}`);
    expect(doc.error.fixes[0]).toContain(`connector-db monitor terminate ${pid}`);
  });

  it('without a timeout: after a second it says who blocks it, then goes on once the blocker ends', async () => {
    const { client, pid } = await holder();
    const running = runCliAsync(['migrate', 'upgrade'], env);
    await new Promise((r) => setTimeout(r, 2500));
    await client.query('ROLLBACK');
    const r = await running;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/! waiting \d+(\.\d)?s for AccessExclusiveLock on jobs/);
    expect(r.stderr).toContain(`blocked by pid ${pid} · postgres · nightly-report · idle in transaction`);
    expect(r.stderr).toContain('the lock wait ended after');
    expect(r.stdout).toContain('Upgraded 001 → 002');
    expect(await names(db)).toEqual(['001_jobs', '002_note']);
    expect(runCli(['migrate', 'downgrade', '001', '--yes'], { env }).code).toBe(0);
  });

  it("the screens' service reports the blocker to the Migrations screen while the step waits", async () => {
    const { client, pid } = await holder();
    const events: MigrationRunEvent[] = [];
    const service = createMigrationsService({ ...db.settings, migrationsDir: dir } as unknown as Settings);
    const running = service.run({ kind: 'upgrade', target: 'head' }, (e) => events.push(e));
    const started = Date.now();
    while (!events.some((e) => e.type === 'blocked') && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 100));
    await client.query('ROLLBACK');
    const r = await running;
    expect(r.ok).toBe(true);
    const blocked = events.find((e) => e.type === 'blocked');
    expect(blocked?.type === 'blocked' && blocked.report.blockers.map((b) => [b.pid, b.application, b.state])).toEqual([[pid, 'nightly-report', 'idle in transaction']]);
    expect(events.some((e) => e.type === 'wait_ended')).toBe(true);
    expect(await names(db)).toEqual(['001_jobs', '002_note']);
    expect(runCli(['migrate', 'downgrade', '001', '--yes'], { env }).code).toBe(0);
  });

  it('a bad value is one line and exit 2', () => {
    const r = runCli(['migrate', 'upgrade', '--lock-wait-timeout', 'soon'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('connector-db: usage: --lock-wait-timeout "soon" is invalid; allowed: seconds, a number > 0 and <= 2147483 (how long one migration may wait for a table lock)');
  });
});
