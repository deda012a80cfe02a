/**
 * Restore on the Backups screen, in a real 80x24 terminal against the
 * throwaway server: a backup with a failing statement early in ~20 MB of
 * SQL fails within seconds with psql's error (it used to sit at 0 % for
 * ever), and a healthy restore is cancelled with Esc; either way the scratch
 * copy is dropped and the database it was to replace is untouched.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { TmuxSession } from './tmux.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';

describe('Backups screen in tmux: restores that fail or are cancelled', () => {
  let db: TestDatabase;
  let dc: DumpCluster;
  let tmux: TmuxSession;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-e2e-rs-'));
  const dir = path.join(cwd, 'backups');
  let good = '';
  let bad = '';
  const others = async () =>
    (await adminQuery<{ datname: string }>('select datname from pg_database where datname like $1 order by 1', [`${db.name.replace(/_/g, '\\_')}\\_%`], 'postgres', dc.info)).rows.map((r) => r.datname);
  const precious = async () => (await db.query<{ id: number }>('select id from precious')).rows;

  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('e2e_restore', dc.info);
    await db.query(`create table big as select g as id, md5(g::text) || md5((g * 7)::text) as payload from generate_series(1, 300000) g`);
    mkdirSync(dir);
    good = path.basename((await runBackup({ db: db.settings, dir, format: { kind: 'plain', schemaOnly: false }, toolVersion: 'test' })).path);
    const text = readFileSync(path.join(dir, good), 'utf8');
    const at = text.indexOf('\nCREATE TABLE') + 1;
    // Listed as an older backup of the same database, without a manifest (it was edited).
    bad = `${db.name}_20200101_000000.sql`;
    writeFileSync(path.join(dir, bad), `${text.slice(0, at)}SELECT this_is_an_error;\n${text.slice(at)}`);
    // What the restores would replace.
    await db.query('create table precious (id int); insert into precious values (42)');
  }, 120_000);
  afterAll(async () => {
    tmux?.kill();
    for (const name of await others()) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], 'postgres', dc.info);
    await db.drop();
    dc.stop();
  });

  /** Both files in the list (names are cut at 80 columns: the bad one is known by its date, the good one by its check). */
  const listed = (s: string) => s.includes('2020-01-01 00:00') && s.includes('✓ sha256');

  /** From the list: r on the selected file, backup-first off, Enter, the name typed, Enter. */
  async function startRestore(): Promise<void> {
    tmux.send('r');
    await tmux.waitFor('Restore plan', 30_000);
    tmux.send('b');
    await tmux.waitFor('[ ] b  back up');
    tmux.send('Enter');
    await tmux.waitFor('Type');
    tmux.type(db.name);
    // Each key seen on the screen before the next.
    await tmux.waitFor(`press Enter: ${db.name}`);
    tmux.send('Enter');
  }

  it("a bad file fails at once with psql's error; Esc cancels a healthy one; nothing is left behind", async () => {
    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' }, { cwd });
    await tmux.waitFor(/PostgreSQL 1\d\.\d+/);
    await tmux.downThrough(['Setup', 'Migrations', 'Backups']);
    tmux.send('Enter');
    await tmux.waitFor(listed);
    tmux.send('j');
    await tmux.waitFor('› 2020-01-01 00:00');
    await startRestore();
    const failed = await tmux.waitFor('restore_failed', 30_000);
    expect(failed).toContain('psql exited with code 3');
    expect(failed).toMatch(/column "this_is_an_error" does not exist/);
    for (const line of failed.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(await others()).toEqual([]);
    expect(await precious()).toEqual([{ id: 42 }]);

    tmux.send('Enter');
    await tmux.waitFor(listed);
    tmux.send('k');
    await tmux.waitFor((s) => /› \d{4}-\d\d-\d\d \d\d:\d\d .*✓ sha256/.test(s));
    await startRestore();
    // Strike while psql streams rows into the scratch copy.
    const deadline = Date.now() + 30_000;
    let busy = false;
    while (!busy && Date.now() < deadline) {
      const { rows } = await adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname like $1 and application_name like 'connector-db restore%' and state = 'active'`, [`${db.name}_restore_%`], 'postgres', dc.info);
      busy = (rows[0]?.n ?? 0) > 0;
      if (!busy) await new Promise((r) => setTimeout(r, 20));
    }
    expect(busy).toBe(true);
    tmux.send('Escape');
    const cancelled = await tmux.waitFor('Cancelled: the restore was cancelled', 30_000);
    expect(cancelled).toMatch(/nothing was\s+restored/);
    expect(await others()).toEqual([]);
    expect(await precious()).toEqual([{ id: 42 }]);
    tmux.send('Enter');
    await tmux.waitFor(listed);
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  }, 120_000);
});
