/**
 * The built binary in a real 80x24 terminal against the throwaway server:
 * open Backups from Home, take a compressed backup, watch its progress bar,
 * and find the new file listed (and on disk, whole).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';

describe('Backups screen in tmux', () => {
  let db: TestDatabase;
  let dc: DumpCluster;
  let tmux: TmuxSession;
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('e2e_backups', dc.info);
    // Enough data that the backup runs for a while and the bar is seen moving.
    await db.query(`create table sessions_log as select g as id, md5(g::text) || repeat('z', 200) as line from generate_series(1, 300000) g`);
    await db.query('analyze');
  }, 60_000);
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
    dc.stop();
  });

  it('takes a compressed backup on the screen: progress, then the new file in the list', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-e2e-bk-'));
    // Another database's backup in the same folder is not this database's last backup.
    mkdirSync(path.join(cwd, 'backups'));
    writeFileSync(path.join(cwd, 'backups', 'other_db_20260101_000000.sql'), '-- not ours\n');
    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' }, { cwd });
    await tmux.waitFor(/PostgreSQL 1\d\.\d+/);
    expect(await tmux.waitFor('none yet in')).toContain(path.join(cwd, 'backups'));
    // One key at a time, each seen on the screen before the next.
    await tmux.downThrough(['Setup', 'Migrations', 'Backups']);
    tmux.send('Enter');
    await tmux.waitFor('other_db_20260101_000000.sql');
    tmux.send('b');
    await tmux.waitFor('compressed SQL');
    tmux.send('Enter');
    const running = await tmux.waitFor((s) => /\d+%/.test(s) && s.includes('Backing up'), 20_000);
    expect(running).toMatch(/\d+\/\d+ tables/);
    expect(running).toMatch(/\d+(\.\d)? (kB|MB|B) · \d+\.\d s/);
    const done = await tmux.waitFor((s) => s.includes('written') && s.includes('✓ sha256'), 60_000);
    const files = readdirSync(path.join(cwd, 'backups'));
    const file = files.find((f) => f.endsWith('.sql.gz')) as string;
    expect(file).toMatch(new RegExp(`^${db.name}_\\d{8}_\\d{6}\\.sql\\.gz$`));
    expect(files.filter((f) => !f.startsWith('other_db_')).sort()).toEqual([file, `${file}.json`]);
    expect(done).toContain(`${file} written`);
    execFileSync('gzip', ['-t', path.join(cwd, 'backups', file)]);
    for (const line of done.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tmux.send('Escape');
    await tmux.waitFor((s) => s.includes('Backup ') && s.includes(file) && s.includes('just now'));
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  }, 90_000);
});
