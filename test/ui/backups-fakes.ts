/** Backups as the Backups screen receives them, for UI tests with fake services. */
import type { BackupEntry } from '../../src/core/backups/backup-list.js';
import { buildManifest, type Manifest } from '../../src/core/backups/manifest.js';
import type { RestorePlan } from '../../src/core/backups/restore-plan.js';

export function manifestFor(file: string, startedAt: string, revision: string | null = '003'): Manifest {
  return buildManifest({
    toolVersion: 't',
    file,
    format: { kind: file.endsWith('.dump') ? 'custom' : file.endsWith('.gz') ? 'gzip' : 'plain', schemaOnly: file.includes('_schema') },
    target: { database: 'connector_db', host: 'db.example', port: 5432, user: 'app' },
    server: { version: '15.19', versionNum: 150019 },
    pgDump: { version: '15.19', path: '/usr/bin/pg_dump' },
    migration: { current: revision, head: '003', pending: 0 },
    tables: 6,
    databaseBytes: 1 << 20,
    size: 12_345_678,
    sha256: 'ab'.repeat(32),
    startedAt: new Date(startedAt),
    finishedAt: new Date(startedAt),
    command: 'pg_dump --verbose',
  });
}

export function entry(file: string, startedAt: string, status: BackupEntry['status'] = 'ok', revision: string | null = '003'): BackupEntry {
  const manifest = manifestFor(file, startedAt, revision);
  return {
    file,
    path: `/srv/app/backups/${file}`,
    kind: manifest.format.kind,
    schemaOnly: manifest.format.schemaOnly,
    takenAt: new Date(startedAt),
    database: 'connector_db',
    size: 12_345_678,
    manifest,
    status,
    detail: status === 'checksum_mismatch' ? 'sha256 0123456789ab… does not match the manifest’s abababababab…: the file changed after it was written' : 'size and sha256 match the manifest',
  };
}

export function plan(overrides: Partial<RestorePlan> = {}): RestorePlan {
  return {
    file: 'connector_db_20250131_140500.sql.gz',
    path: '/srv/app/backups/connector_db_20250131_140500.sql.gz',
    size: 12_345_678,
    kind: 'gzip',
    manifest: manifestFor('connector_db_20250131_140500.sql.gz', '2025-01-31T14:05:00Z', '002'),
    verification: 'ok',
    target: 'connector_db',
    mode: 'replace',
    targetObjects: { relations: 40, schemas: 0 },
    tool: { program: 'psql', path: '/usr/bin/psql', version: '15.19', major: 15 },
    serverVersion: '15.19',
    rights: { role: 'app', superuser: false, createdb: true },
    missingOwners: [],
    missingGrantees: [],
    noOwner: false,
    noAcl: false,
    sessions: [],
    ...overrides,
  };
}
