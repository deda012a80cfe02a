/**
 * A backup that does not finish leaves nothing that looks whole: pg_dump
 * killed with SIGKILL, a cancelled run, connector-db itself killed; and a
 * missing pg_dump stops it before anything starts.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { listBackups } from '../../src/core/backups/backup-list.js';
import { findBinaries } from '../../src/core/system/pg-binaries.js';
import type { SpawnFn } from '../../src/core/backups/tool-process.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { failure } from '../harness/failure.js';
import { BIN, cleanEnv } from '../cli/run-cli.js';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('interrupted and impossible backups', () => {
  let db: TestDatabase;
  let dc: DumpCluster;
  let dir: string;
  let earlier: { path: string; sha: string; manifest: string };
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('backup_fail', dc.info);
    // Big enough that pg_dump is still writing when we strike (~100 MB of text).
    await db.query(`create table bulk as select g as id, md5(g::text) || repeat('y', 250) as payload from generate_series(1, 350000) g`);
    await db.query('analyze bulk');
    dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-bfail-'));
    const first = await runBackup({ db: db.settings, dir, format: { kind: 'plain', schemaOnly: true }, toolVersion: 'test' });
    earlier = { path: first.path, sha: sha(first.path), manifest: readFileSync(first.manifestPath, 'utf8') };
  }, 120_000);
  afterAll(async () => {
    await db.drop();
    dc.stop();
  });

  function assertOnlyEarlier(): void {
    expect(readdirSync(dir).sort()).toEqual([path.basename(earlier.path), path.basename(earlier.path) + '.json'].sort());
    expect(sha(earlier.path)).toBe(earlier.sha);
    expect(readFileSync(earlier.path + '.json', 'utf8')).toBe(earlier.manifest);
  }

  it('pg_dump killed with SIGKILL mid-run: no file under a final name, no partial file, the earlier backup untouched', async () => {
    let child: ChildProcess | undefined;
    const spawn: SpawnFn = (cmd, args, options) => (child = nodeSpawn(cmd, args, options));
    let killedAt = 0;
    const e = await failure(
      runBackup({
        db: db.settings,
        dir,
        format: { kind: 'plain', schemaOnly: false },
        toolVersion: 'test',
        spawn,
        onEvent: (ev) => {
          // Strike once real data is flowing into the temporary file.
          if (ev.type === 'progress' && ev.bytes > 2_000_000 && !killedAt && child?.pid) {
            killedAt = ev.bytes;
            expect(readdirSync(dir).some((f) => f.endsWith('.partial'))).toBe(true);
            process.kill(child.pid, 'SIGKILL');
          }
        },
        progressIntervalMs: 20,
      }),
    );
    expect(killedAt).toBeGreaterThan(0);
    expect(e.code).toBe('backup_failed');
    expect(e.message).toMatch(/pg_dump was killed by SIGKILL; the partial output was removed/);
    assertOnlyEarlier();
  });

  it('a cancelled run (Ctrl-C) stops pg_dump and leaves only the earlier backup', async () => {
    const controller = new AbortController();
    const e = await failure(
      runBackup({
        db: db.settings,
        dir,
        format: { kind: 'gzip', schemaOnly: false },
        toolVersion: 'test',
        signal: controller.signal,
        progressIntervalMs: 20,
        onEvent: (ev) => {
          if (ev.type === 'progress' && ev.bytes > 0) controller.abort();
        },
      }),
    );
    expect(e.code).toBe('cancelled');
    assertOnlyEarlier();
  });

  it('pg_dump not on PATH: pg_dump_missing with what to install, before anything is written', async () => {
    const emptyBin = mkdtempSync(path.join(os.tmpdir(), 'cdb-nobin-'));
    const env = { PATH: emptyBin };
    const e = await failure(
      runBackup({ db: db.settings, dir, format: { kind: 'plain', schemaOnly: false }, toolVersion: 'test', env, findPgDump: () => findBinaries('pg_dump', env, { installFolders: false }) }),
    );
    expect(e.code).toBe('pg_dump_missing');
    expect(e.message).toMatch(/pg_dump was not found/);
    expect(e.fixes.join('\n')).toMatch(/postgresql-client-1\d/);
    expect(e.fixes.join('\n')).toMatch(/docker compose exec -T db pg_dump/);
    assertOnlyEarlier();
  });

  it('connector-db sent SIGTERM mid-run: it cancels cleanly (exit 1, nothing left behind)', async () => {
    const env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', BACKUP__DIR: dir });
    const cli = nodeSpawn(BIN, ['backup', '--gzip'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    cli.stderr?.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => cli.once('exit', (code) => r(code)));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && !readdirSync(dir).some((f) => f.endsWith('.partial'))) await new Promise((r) => setTimeout(r, 20));
    cli.kill('SIGTERM');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/cancelled: the backup was cancelled; nothing was kept/);
    assertOnlyEarlier();
  }, 60_000);

  it('connector-db itself killed: the leftover is named by backup list and removed by the next backup once stale', async () => {
    const env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', BACKUP__DIR: dir });
    const cli = nodeSpawn(BIN, ['backup'], { env, stdio: 'ignore' });
    const deadline = Date.now() + 20_000;
    let partial: string | undefined;
    while (Date.now() < deadline && !partial) {
      partial = readdirSync(dir).find((f) => f.endsWith('.partial'));
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(partial).toBeDefined();
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGKILL');
    await exited;
    const listing = await listBackups(dir);
    expect(listing.leftovers.map((l) => l.file)).toEqual([partial]);
    expect(listing.backups.map((b) => b.file)).toEqual([path.basename(earlier.path)]);
    // Not yet stale: it is fresh (a run on another machine could still be writing it).
    expect(listing.leftovers[0]?.stale).toBe(false);
    const old = new Date(Date.now() - 10 * 60_000);
    utimesSync(path.join(dir, partial as string), old, old);
    expect((await listBackups(dir)).leftovers[0]?.stale).toBe(true);
    const next = await runBackup({ db: db.settings, dir, format: { kind: 'plain', schemaOnly: true }, toolVersion: 'test' });
    expect(next.cleaned).toEqual([partial]);
    expect(existsSync(path.join(dir, partial as string))).toBe(false);
  }, 60_000);
});
