import { createHash } from 'node:crypto';
import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDamaged, listBackups } from '../../src/core/backups/backup-list.js';
import { buildManifest, serializeManifest } from '../../src/core/backups/manifest.js';

function backup(dir: string, file: string, content: string, options: { manifest?: 'ok' | 'wrong-sha' | 'wrong-size' | 'broken' | 'none'; startedAt?: string } = {}) {
  writeFileSync(path.join(dir, file), content);
  const kind = options.manifest ?? 'ok';
  if (kind === 'none') return;
  if (kind === 'broken') return writeFileSync(path.join(dir, file + '.json'), '{"manifestVersion": 1, "file": ');
  const sha = createHash('sha256').update(kind === 'wrong-sha' ? content + 'x' : content).digest('hex');
  const m = buildManifest({
    toolVersion: 't',
    file,
    format: { kind: file.endsWith('.dump') ? 'custom' : file.endsWith('.gz') ? 'gzip' : 'plain', schemaOnly: file.includes('_schema') },
    target: { database: 'app', host: 'h', port: 5432, user: 'u' },
    server: { version: '15.1', versionNum: 150001 },
    pgDump: { version: '15.1', path: '/usr/bin/pg_dump' },
    migration: { current: '003', head: '003', pending: 0 },
    tables: 1,
    databaseBytes: 1,
    size: Buffer.byteLength(content) + (kind === 'wrong-size' ? 1 : 0),
    sha256: sha,
    startedAt: new Date(options.startedAt ?? '2025-01-01T00:00:00Z'),
    finishedAt: new Date(options.startedAt ?? '2025-01-01T00:00:00Z'),
    command: 'pg_dump',
  });
  writeFileSync(path.join(dir, file + '.json'), serializeManifest(m));
}

describe('backup list', () => {
  it('newest first, each with what the check found; leftovers and orphan manifests named', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-list-'));
    backup(dir, 'app_20250105_000000.sql.gz', 'five', { startedAt: '2025-01-05T00:00:00.500Z' });
    backup(dir, 'app_20250104_000000.dump', 'four', { manifest: 'wrong-sha', startedAt: '2025-01-04T00:00:00Z' });
    backup(dir, 'app_20250103_000000.sql', 'three', { manifest: 'wrong-size', startedAt: '2025-01-03T00:00:00Z' });
    backup(dir, 'app_20250102_000000_schema.sql', 'two', { manifest: 'broken' });
    backup(dir, 'legacy.sql', 'from the seed recipe', { manifest: 'none' });
    utimesSync(path.join(dir, 'legacy.sql'), new Date('2024-12-01T00:00:00Z'), new Date('2024-12-01T00:00:00Z'));
    backup(dir, 'app_20250106_000000.sql', 'gone', { startedAt: '2025-01-06T00:00:00Z' });
    await import('node:fs/promises').then((fs) => fs.unlink(path.join(dir, 'app_20250106_000000.sql')));
    writeFileSync(path.join(dir, 'app_20250107_000000.sql.999999999.partial'), 'half');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a backup');

    const listing = await listBackups(dir, { now: new Date('2025-02-01T00:00:00Z') });
    expect(listing.backups.map((b) => [b.file, b.status])).toEqual([
      ['app_20250106_000000.sql', 'file_missing'],
      ['app_20250105_000000.sql.gz', 'ok'],
      ['app_20250104_000000.dump', 'checksum_mismatch'],
      ['app_20250103_000000.sql', 'size_mismatch'],
      ['app_20250102_000000_schema.sql', 'manifest_invalid'],
      ['legacy.sql', 'no_manifest'],
    ]);
    expect(listing.backups.filter(isDamaged).map((b) => b.file)).toEqual(['app_20250106_000000.sql', 'app_20250104_000000.dump', 'app_20250103_000000.sql', 'app_20250102_000000_schema.sql']);
    expect(listing.backups[2]?.detail).toMatch(/does not match the manifest's/);
    expect(listing.backups[4]?.schemaOnly).toBe(true);
    expect(listing.leftovers).toHaveLength(1);
    expect(listing.leftovers[0]).toMatchObject({ finalName: 'app_20250107_000000.sql', pid: 999999999, size: 4 });
  });

  it('without verify only sizes are compared', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-list-'));
    backup(dir, 'app_20250104_000000.dump', 'four', { manifest: 'wrong-sha' });
    expect((await listBackups(dir, { verify: false })).backups[0]?.status).toBe('unverified');
  });

  it('a folder that does not exist yet is an empty listing', async () => {
    expect(await listBackups(path.join(os.tmpdir(), 'cdb-nope-' + process.pid))).toMatchObject({ exists: false, backups: [], leftovers: [] });
  });
});
