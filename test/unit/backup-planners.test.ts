import { describe, expect, it } from 'vitest';
import { backupFileName, fileSafe, kindOfFile, parseBackupFileName, parsePartialName, partialFileName, utcStamp } from '../../src/core/backups/backup-name.js';
import { pgDumpArgs } from '../../src/core/backups/pg-dump-args.js';
import { buildManifest, parseManifest, serializeManifest } from '../../src/core/backups/manifest.js';
import { describeRevisionGap, upgradeCommandFor } from '../../src/core/backups/revision.js';
import { restoreArgs } from '../../src/core/backups/restore-runner.js';

describe('backup file names', () => {
  const at = new Date('2025-01-31T23:59:07.123Z');
  it.each([
    [{ kind: 'plain', schemaOnly: false }, 1, 'connector_db_20250131_235907.sql'],
    [{ kind: 'gzip', schemaOnly: false }, 1, 'connector_db_20250131_235907.sql.gz'],
    [{ kind: 'custom', schemaOnly: false }, 1, 'connector_db_20250131_235907.dump'],
    [{ kind: 'plain', schemaOnly: true }, 1, 'connector_db_20250131_235907_schema.sql'],
    [{ kind: 'gzip', schemaOnly: true }, 3, 'connector_db_20250131_235907_schema_3.sql.gz'],
  ] as const)('%o attempt %i → %s (UTC), and back', (format, attempt, name) => {
    expect(backupFileName('connector_db', at, format, attempt)).toBe(name);
    expect(parseBackupFileName(name)).toEqual({ database: 'connector_db', takenAt: new Date('2025-01-31T23:59:07Z'), format, attempt });
  });

  it('uses UTC whatever the zone', () => {
    expect(utcStamp(new Date('2025-06-01T00:30:00+02:00'))).toBe('20250531_223000');
  });

  it('makes database names safe for a file name', () => {
    expect(fileSafe('my db/../x')).toBe('my_db_.._x');
    expect(fileSafe('..hidden')).toBe('_hidden');
    expect(fileSafe('ünï cödé')).toBe('ünï_cödé');
    expect(fileSafe('a"b; rm -rf')).toBe('a_b__rm_-rf');
    expect(fileSafe('')).toBe('db');
  });

  it('reads the seed recipe names and rejects others', () => {
    expect(parseBackupFileName('connector_db_20240102_030405.sql')?.format).toEqual({ kind: 'plain', schemaOnly: false });
    expect(parseBackupFileName('backup.sql')).toBeUndefined();
    expect(parseBackupFileName('x_20241302_030405.sql')?.takenAt.getUTCMonth()).toBe(0); // Date rolls over; still a date
    expect(kindOfFile('a.sql.gz')).toBe('gzip');
    expect(kindOfFile('a.dump')).toBe('custom');
    expect(kindOfFile('a.tar')).toBeUndefined();
  });

  it('names temporary files with the writer pid', () => {
    const name = partialFileName('db_20250101_000000.sql.gz', 4242);
    expect(name).toBe('db_20250101_000000.sql.gz.4242.partial');
    expect(parsePartialName(name)).toEqual({ finalName: 'db_20250101_000000.sql.gz', pid: 4242 });
    expect(parsePartialName('db.sql')).toBeUndefined();
  });
});

describe('pg_dump arguments', () => {
  it('plain, custom, schema only; verbose for progress, never a password prompt, nothing about the connection', () => {
    expect(pgDumpArgs({ kind: 'plain', schemaOnly: false })).toEqual(['--verbose', '--no-password', '--format=plain']);
    expect(pgDumpArgs({ kind: 'gzip', schemaOnly: false })).toEqual(['--verbose', '--no-password', '--format=plain']);
    expect(pgDumpArgs({ kind: 'custom', schemaOnly: true })).toEqual(['--verbose', '--no-password', '--format=custom', '--schema-only']);
    expect(pgDumpArgs({ kind: 'plain', schemaOnly: false }, { lockWaitTimeoutMs: 5000 })).toContain('--lock-wait-timeout=5000');
  });
});

describe('restore arguments', () => {
  it('psql stops at the first error in one transaction and reads stdin; pg_restore gets a quoted conninfo', () => {
    expect(restoreArgs('gzip', 'x', { noOwner: true, noAcl: false })).toEqual(['-X', '--quiet', '--no-password', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '--file=-']);
    expect(restoreArgs('custom', "it's", { noOwner: true, noAcl: true })).toEqual(['--exit-on-error', '--single-transaction', '--no-password', "--dbname=dbname='it\\'s'", '--no-owner', '--no-acl']);
  });
});

describe('manifest', () => {
  const input = {
    toolVersion: '0.1.0',
    file: 'db_20250101_000000.sql.gz',
    format: { kind: 'gzip', schemaOnly: false } as const,
    target: { database: 'db', host: 'h', port: 5432, user: 'u' },
    server: { version: '15.19', versionNum: 150019 },
    pgDump: { version: '15.19', path: '/usr/bin/pg_dump' },
    migration: { current: '002', head: '003', pending: 1 },
    tables: 6,
    databaseBytes: 1000,
    size: 123,
    sha256: 'a'.repeat(64),
    startedAt: new Date('2025-01-01T00:00:00Z'),
    finishedAt: new Date('2025-01-01T00:00:02Z'),
    command: 'pg_dump --verbose',
  };
  it('round-trips', () => {
    const m = buildManifest(input);
    expect(parseManifest(serializeManifest(m))).toEqual({ ok: true, manifest: m });
    expect(m).not.toHaveProperty('password');
  });
  it('a damaged manifest is one line', () => {
    expect(parseManifest('{')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not JSON/) });
    const m = { ...buildManifest(input), sha256: 'nope' };
    expect(parseManifest(JSON.stringify(m))).toEqual({ ok: false, problem: expect.stringMatching(/^sha256: /) });
  });
});

describe('revision after a restore', () => {
  it.each([
    [null, false, 'migration revision not checked'],
    [{ current: '002', head: '003', pending: 1 }, true, 'at 002, files reach 003: run connector-db migrate upgrade head'],
    [{ current: '003', head: '003', pending: 0 }, false, 'at 003, the newest revision among the files'],
    [{ current: null, head: '003', pending: 3 }, true, 'at base, files reach 003: run connector-db migrate upgrade head'],
    [{ current: '009', head: '003', pending: 0, note: '009 (unknown revision)' }, false, 'at 009; the files end at 003 (009 (unknown revision))'],
  ])('%o', (info, behind, text) => {
    expect(describeRevisionGap(info)).toEqual({ behind, text });
  });

  it('restored into another database, the upgrade command names it; a password from the URL is never repeated', () => {
    const target = { host: 'db', port: 5432, database: 'connector_db', user: 'app', password: "s3cret'x" };
    const sources = (passwordFrom: 'url' | 'env') => ({ host: undefined, port: undefined, database: undefined, user: undefined, sslmode: undefined, password: { kind: passwordFrom, label: passwordFrom } });
    expect(upgradeCommandFor({ target, targetSources: sources('url') }, 'connector_db')).toBe('connector-db migrate upgrade head');
    expect(upgradeCommandFor({ target, targetSources: sources('env') }, 'copy')).toBe("connector-db --url 'postgresql://app@db:5432/copy' migrate upgrade head");
    expect(upgradeCommandFor({ target, targetSources: sources('url') }, 'copy')).toBe("connector-db --url 'postgresql://app:****@db:5432/copy' migrate upgrade head (with the password in place of ****)");
    expect(describeRevisionGap({ current: '002', head: '003', pending: 1 }, upgradeCommandFor({ target, targetSources: sources('env') }, 'copy')).text).toBe("at 002, files reach 003: run connector-db --url 'postgresql://app@db:5432/copy' migrate upgrade head");
  });
});
