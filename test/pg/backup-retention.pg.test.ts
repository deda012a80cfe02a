/**
 * Backup retention with real pg_dump backups through the built binary:
 * prune is a dry run until --yes, keeps exactly N and the newest, removes
 * manifests with their files, never touches a file without a valid
 * manifest unless asked, never counts a damaged backup as the newest whole
 * one; `backup --keep` prunes after a backup; `--print-cron` prints a line
 * with no password and names what cron would miss.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';

describe('backup retention (built binary, real pg_dump)', () => {
  let db: TestDatabase;
  let dc: DumpCluster;
  let env: Record<string, string>;
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('retention', dc.info);
    await db.query('CREATE TABLE jobs (id int PRIMARY KEY); INSERT INTO jobs SELECT generate_series(1, 100)');
    env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
  }, 60_000);
  afterAll(async () => {
    await db.drop();
    dc.stop();
  });

  /** A project folder with `n` real backups, oldest first. */
  function projectWithBackups(n: number): { cwd: string; dir: string; files: string[] } {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-ret-'));
    const files: string[] = [];
    for (let i = 0; i < n; i++) {
      const r = runCli(['backup', '--gzip', '--json'], { cwd, env });
      expect(r.code).toBe(0);
      files.push(JSON.parse(r.stdout).file as string);
    }
    return { cwd, dir: path.join(cwd, 'backups'), files };
  }
  const backupsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.sql.gz')).sort();
  const manifestsIn = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

  it('prune is a dry run until --yes, then keeps exactly N, the newest, and removes the manifests too', () => {
    const { cwd, dir, files } = projectWithBackups(4);
    const dry = runCli(['backup', 'prune', '--keep', '2'], { cwd, env });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: 2 backups');
    expect(dry.stdout).toContain('Run again with --yes to remove them.');
    expect(backupsIn(dir)).toHaveLength(4);

    const yes = runCli(['backup', 'prune', '--keep', '2', '--yes', '--json'], { cwd, env });
    expect(yes.code).toBe(0);
    const doc = JSON.parse(yes.stdout);
    expect(doc).toMatchObject({ ok: true, dryRun: false, policy: { keep: 2 }, removed: [files[1], files[0]] });
    expect(doc.keep.map((k: { file: string }) => k.file)).toEqual([files[3], files[2]]);
    expect(backupsIn(dir)).toEqual([files[2], files[3]].sort());
    expect(manifestsIn(dir)).toEqual([files[2], files[3]].map((f) => `${f}.json`).sort());
  });

  it('a file without a manifest stays unless --include-unverified; a damaged newest file is not the newest whole backup', () => {
    const { cwd, dir, files } = projectWithBackups(2);
    // An old dump copied in by hand, without its manifest.
    const stray = `${db.name}_20200101_000000.sql.gz`;
    copyFileSync(path.join(dir, files[0] as string), path.join(dir, stray));
    // The newest backup is damaged after it was written (same size, other bytes).
    const newest = path.join(dir, files[1] as string);
    const bytes = readFileSync(newest);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(newest, bytes);

    const r = runCli(['backup', 'prune', '--keep', '1', '--yes', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    // The older, intact backup is the newest whole one: kept. Nothing is removed.
    expect(doc.keep.map((k: { file: string }) => k.file)).toEqual([files[0]]);
    expect(doc.removed).toEqual([]);
    expect(doc.untouched).toEqual([
      { file: files[1], size: bytes.length, reason: 'checksum mismatch: not removed without --include-unverified' },
      expect.objectContaining({ file: stray, reason: 'no manifest: not removed without --include-unverified' }),
    ]);
    expect(existsSync(path.join(dir, stray))).toBe(true);

    const asked = runCli(['backup', 'prune', '--keep', '1', '--yes', '--include-unverified', '--json'], { cwd, env });
    expect(asked.code).toBe(0);
    // Asked: the stray (older than the kept one) goes; the damaged file is newer than the kept one, so it stays.
    expect(JSON.parse(asked.stdout).removed).toEqual([stray]);
    expect(existsSync(path.join(dir, stray))).toBe(false);
    expect(backupsIn(dir)).toEqual([files[0], files[1]].sort());
  });

  it('backup --keep 1 prunes after the new backup succeeds: only the new one is left', () => {
    const { cwd, dir } = projectWithBackups(2);
    const r = runCli(['backup', '--gzip', '--keep', '1', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.retention).toMatchObject({ policy: { keep: 1 }, dryRun: false });
    expect(doc.retention.removed).toHaveLength(2);
    expect(backupsIn(dir)).toEqual([doc.file]);
  });

  it('--keep-days: backups taken now are all kept', () => {
    const { cwd, dir } = projectWithBackups(2);
    const r = runCli(['backup', 'prune', '--keep-days', '7', '--yes'], { cwd, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Nothing to remove.');
    expect(backupsIn(dir)).toHaveLength(2);
  });

  it('bad policies: one line, exit 2, nothing removed', () => {
    const { cwd, dir } = projectWithBackups(1);
    const both = runCli(['backup', 'prune', '--keep', '1', '--keep-days', '3'], { cwd, env });
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe('connector-db: usage: use --keep or --keep-days, not both');
    const none = runCli(['backup', 'prune', '--yes'], { cwd, env });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('backup prune needs a policy: --keep N or --keep-days D');
    const zero = runCli(['backup', '--keep', '0'], { cwd, env });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--keep "0" is invalid; allowed: an integer >= 1');
    expect(backupsIn(dir)).toHaveLength(1);
  });

  it('--print-cron: a line with absolute paths, gzip (or the custom format asked for) and the policy, no password; what cron would miss on stderr', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-cron-'));
    writeFileSync(path.join(cwd, '.env'), `DATABASE__URL=${db.url}\nDATABASE__SSLMODE=disable\n`, { mode: 0o600 });
    const fromFile = runCli(['backup', '--print-cron', '--keep', '7'], { cwd, env: cleanEnv() });
    expect(fromFile.code).toBe(0);
    const line = fromFile.stdout.trim();
    expect(line).toMatch(/^17 3 \* \* \* cd '.*cdb-cron-[^']+' && PATH='[^']*' '[^']*node[^']*' '[^']*\/bin\/connector-db' backup --gzip --keep 7 --dir '[^']+\/backups' >> '[^']+\/backups\/connector-db-cron\.log' 2>&1$/);
    expect(line).not.toContain(db.target.password as string);
    expect(fromFile.stderr).toBe('');
    expect(existsSync(path.join(cwd, 'backups'))).toBe(false);

    const fromEnv = runCli(['backup', '--print-cron', '--keep-days', '14', '--cron-schedule', '0 2 * * 0'], { cwd: mkdtempSync(path.join(os.tmpdir(), 'cdb-cron-')), env });
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).toMatch(/^0 2 \* \* 0 cd .* backup --gzip --keep-days 14 /);
    expect(fromEnv.stdout).not.toContain(db.target.password as string);
    expect(fromEnv.stderr).toContain('DATABASE__URL comes from env, which cron does not have');

    const custom = runCli(['backup', '--print-cron', '--format', 'custom', '--schema-only', '--keep', '3'], { cwd, env: cleanEnv() });
    expect(custom.code).toBe(0);
    expect(custom.stdout).toMatch(/ backup --format custom --schema-only --keep 3 --dir /);
    // Settings from the active profile: the line names it, and the folder the shell keeps profiles in.
    const profiled = cleanEnv();
    expect(runCli(['--url', db.url, 'profile', 'save', 'nightly', '--activate'], { env: profiled }).code).toBe(0);
    const fromProfile = runCli(['backup', '--print-cron', '--keep', '3'], { cwd: mkdtempSync(path.join(os.tmpdir(), 'cdb-cron-')), env: profiled });
    expect(fromProfile.code).toBe(0);
    expect(fromProfile.stdout).toContain(` CONNECTOR_DB_CONFIG_DIR='${profiled.CONNECTOR_DB_CONFIG_DIR}' `);
    expect(fromProfile.stdout).toContain(" --profile 'nightly' backup --gzip --keep 3 ");
    expect(fromProfile.stdout).not.toContain(db.target.password as string);
    const both = runCli(['backup', '--print-cron', '--format', 'custom', '--gzip'], { cwd, env: cleanEnv() });
    expect(both.code).toBe(2);
    expect(both.stderr.trim()).toBe('connector-db: usage: --gzip applies to plain SQL; --format custom is already compressed (drop one of them)');
  });
});
