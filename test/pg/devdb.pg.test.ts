/**
 * The development server owned by connector-db, through the built binary:
 * start creates and starts it (as the postgres account when root), status
 * and stop say what they did, and `setup --devdb` against an address where
 * nothing answers ends with a working role, database and .env on it.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { parseDotenv } from '../../src/core/config/dotenv.js';
import { freePort } from '../harness/cluster.js';

describe('connector-db devdb and setup --devdb', () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-data-'));
    chmodSync(dataDir, 0o755); // the server runs as postgres when the tests run as root
    // A port of its own: another test file may start a devdb at the same time.
    env = cleanEnv({ CONNECTOR_DB_DATA_DIR: dataDir, CONNECTOR_DB_DEVDB_PORT: String(await freePort()) });
  });
  afterAll(() => {
    runCli(['devdb', 'stop'], { env });
  });

  it('status before anything: absent, exit 1 (ok false, as the exit code says)', () => {
    const r = runCli(['devdb', 'status', '--json'], { env });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, state: 'absent', dir: path.join(dataDir, 'devdb') });
  });

  it('setup --devdb where nothing answers: starts the devdb, creates role and database in it, writes .env; the doctor passes', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-proj-'));
    const r = runCli(['setup', '--host', '127.0.0.2', '--port', '5999', '--database', 'connector_db', '--user', 'connector_user', '--generate-password', '--devdb', '--yes', '--json'], { cwd, env });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.steps.map((s: { id: string }) => s.id)).toEqual(['answers', 'devdb', 'provision', 'check', 'env', 'migrate']);
    expect(doc.steps[1].message).toMatch(/^development server running on 127\.0\.0\.1:\d+ \(PostgreSQL \d+\.\d+\)$/);
    expect(doc.steps[2].details).toEqual([`CREATE ROLE "connector_user" LOGIN PASSWORD '****'`, 'CREATE DATABASE "connector_db" OWNER "connector_user"']);
    expect(doc.steps[5].message).toBe('migrated base → 003 (3 migrations): now at 003 (head)');
    const status = JSON.parse(runCli(['devdb', 'status', '--json'], { env }).stdout);
    expect(status.state).toBe('running');
    const envFile = path.join(cwd, '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const entries = parseDotenv(readFileSync(envFile, 'utf8'), envFile).entries;
    expect(entries.get('DATABASE__HOST')?.value).toBe('127.0.0.1');
    expect(entries.get('DATABASE__PORT')?.value).toBe(String(status.port));
    const report = JSON.parse(runCli(['doctor', '--json'], { cwd, env }).stdout);
    expect(report.checks.filter((c: { status: string; id: string }) => c.status === 'failed' && c.id !== 'pg_dump')).toEqual([]);
    // the superuser password stays in a 0600 file beside the data
    expect(statSync(path.join(dataDir, 'devdb', 'superuser.pw')).mode & 0o777).toBe(0o600);
  });

  it('start again is a no-op; stop stops it; status then says stopped (exit 1); start brings it back with its data', async () => {
    const again = runCli(['devdb', 'start', '--json'], { env });
    expect(again.code).toBe(0);
    const info = JSON.parse(again.stdout);
    expect(info).toMatchObject({ state: 'running', initialised: false });
    const stop = runCli(['devdb', 'stop'], { env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toMatch(/^devdb: stopped/);
    const refused = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: info.port });
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
    expect(runCli(['devdb', 'status'], { env }).code).toBe(1);
    const start = runCli(['devdb', 'start'], { env });
    expect(start.code, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/^devdb: running \(pid \d+\)\n/);
  });

  it('the long-running server keeps no secret variable of the shell that started it (/proc/PID/environ)', () => {
    expect(runCli(['devdb', 'stop'], { env }).code).toBe(0);
    const secretEnv = { ...env, DATABASE__PASSWORD: 'DevLeakPW123', CONNECTOR_DB_ADMIN_URL: 'postgresql://postgres:AdminLeak@x/postgres', PGPASSWORD: 'PgLeakPW' };
    const start = runCli(['devdb', 'start', '--json'], { env: secretEnv });
    expect(start.code, start.stderr).toBe(0);
    const pid = JSON.parse(start.stdout).pid as number;
    expect(pid).toBeGreaterThan(0);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toMatch(/postgres/);
    expect(environ).toContain('LC_ALL=');
    expect(environ).not.toMatch(/DevLeakPW123|AdminLeak|PgLeakPW/);
  });

  it('a port taken by another program: one clear line with the --port fix', async () => {
    const info = JSON.parse(runCli(['devdb', 'status', '--json'], { env }).stdout);
    runCli(['devdb', 'stop'], { env });
    const squatter = net.createServer(() => {});
    await new Promise<void>((r) => squatter.listen(info.port, '127.0.0.1', r));
    try {
      const r = runCli(['devdb', 'start'], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`connector-db: failed: Port ${info.port} (the devdb's port) is taken by another program.`);
      expect(r.stderr).toContain(`fix: connector-db devdb start --port ${info.port + 1}`);
    } finally {
      squatter.close();
    }
  });

  it('a bad action is a usage error', () => {
    const r = runCli(['devdb', 'restart'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'restart' is invalid for argument 'action'. Allowed choices are start, stop, status/);
  });
});
