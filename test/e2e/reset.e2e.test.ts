/**
 * Reset on the Backups screen (R), the built binary in a real 80x24
 * terminal against the throwaway server: beside a table the migrations do
 * not create it ends at 003 with that table kept; on the connector tables
 * with no revision recorded it refuses on the plan, before anything, naming
 * the revision to stamp; stopped part-way, it says where the database is.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migration, migrationsFolder } from '../harness/migrations.js';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { upgrade } from '../../src/core/migrations/runner.js';
import { loadMigrationFiles } from '../../src/core/migrations/files.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { clientOf } from '../harness/pg.js';

let db: TestDatabase | null = null;
let tmux: TmuxSession | null = null;
afterEach(async () => {
  tmux?.kill();
  await db?.drop();
  tmux = null;
  db = null;
});

async function openReset(database: TestDatabase, env: Record<string, string> = {}): Promise<TmuxSession> {
  const t = new TmuxSession();
  t.start([], { DATABASE__URL: database.url, DATABASE__SSLMODE: 'disable', ...env });
  await t.waitFor(/PostgreSQL 1\d\.\d+/);
  await t.downThrough(['Setup', 'Migrations', 'Backups']);
  t.send('Enter');
  await t.waitFor('Press b to take one');
  t.send('R');
  return t;
}

/** On the reset plan: no safety backup (b), Enter, then the database's name typed and Enter. */
async function confirmWithoutBackup(t: TmuxSession, name: string): Promise<void> {
  t.send('b');
  await t.waitFor(/\[ \] b {2}back up/);
  t.send('Enter');
  await t.waitFor('This empties the migrated tables');
  t.type(name);
  await t.waitFor(`and press Enter: ${name}`);
  t.send('Enter');
}

describe('reset on the Backups screen in tmux', () => {
  it('at 003 beside a table `big`: R, no backup, the name typed → reset to 003, `big` kept', async () => {
    db = await createTestDatabase('e2e_reset_big');
    const c = await clientOf(db);
    try {
      await upgrade(c, { dir: shippedMigrationsDir() });
    } finally {
      await c.end();
    }
    await db.query('create table big as select g as id from generate_series(1, 1000) g');
    tmux = await openReset(db);
    await tmux.waitFor(`${db.name} is at 003; the files reach 003`);
    await tmux.waitFor('left as they are (the migrations do not create them): big');
    await confirmWithoutBackup(tmux, db.name);
    const done = await tmux.waitFor(`${db.name} reset to 003`, 30_000);
    expect(done).not.toMatch(/schema_without_history|Nothing was changed/);
    for (const line of done.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(Number((await db.query('select count(*) as n from big')).rows[0]?.n)).toBe(1000);
    expect(Number((await db.query(`select count(*) as n from pgmigrations`)).rows[0]?.n)).toBe(3);
    tmux.send('Escape');
    tmux.send('q');
  }, 60_000);

  it('the connector tables at 002 with no record: R refuses on the plan, naming stamp 002, and nothing runs', async () => {
    db = await createTestDatabase('e2e_reset_nohist');
    for (const f of (await loadMigrationFiles(shippedMigrationsDir())).slice(0, 2)) await db.query(f.sections.up.text);
    await db.query('create table big (id int)');
    tmux = await openReset(db);
    const refused = await tmux.waitFor('schema_without_history', 20_000);
    expect(refused.replace(/\s+/g, ' ')).toMatch(/They match 002 .*Nothing was changed\./);
    expect(refused).toContain('fix: connector-db migrate stamp 002 --sql');
    expect(refused).not.toMatch(/stamp head|This empties/);
    for (const line of refused.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    tmux.send('Enter');
    await new Promise((r) => setTimeout(r, 300));
    expect(tmux.capture()).not.toContain('This empties');
    expect(Number((await db.query(`select count(*) as n from pg_class where relname in ('sessions', 'jobs')`)).rows[0]?.n)).toBe(2);
    expect((await db.query(`select to_regclass('pgmigrations') as t`)).rows[0]?.t).toBeNull();
  }, 60_000);

  it('an upgrade that fails after the downs: the screen says the reset stopped part-way and where the database is', async () => {
    db = await createTestDatabase('e2e_reset_partway');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'), '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;') });
    const c = await clientOf(db);
    try {
      await upgrade(c, { dir });
    } finally {
      await c.end();
    }
    const file = path.join(dir, '002_b.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace('CREATE TABLE b (id int);', 'CREATE TABLE b (id int);\nSELECT nope FROM b;'));
    tmux = await openReset(db, { MIGRATIONS__DIR: dir });
    await tmux.waitFor(`${db.name} is at 002; the files reach 002`);
    await confirmWithoutBackup(tmux, db.name);
    const failed = await tmux.waitFor('stopped part-way', 30_000);
    const text = failed.replace(/\s+/g, ' ');
    expect(text).toMatch(/✗ migration_failed: Reset of \S+ stopped part-way: 002, 001 were undone and 001 applied again; the database is now at 001 \(head 002\)\. Upgrade 002 failed at/);
    expect(text).not.toMatch(/Nothing was changed/i);
    expect(failed).toContain('fix: once the cause is fixed, finish it: connector-db migrate upgrade head');
    for (const line of failed.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  }, 60_000);
});
