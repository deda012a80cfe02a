/**
 * `connector-db migrate ...` as scripts run it: the built binary against the
 * throwaway server, text and --json, exit codes, and eight processes racing
 * to upgrade the same empty database.
 */
import { spawn } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv, runCli, type CliResult } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { migration, migrationsFolder, names } from '../harness/migrations.js';

function runAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const dbs: TestDatabase[] = [];
async function fresh(prefix: string) {
  const db = await createTestDatabase(prefix);
  dbs.push(db);
  const env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
  return { db, env, cli: (args: string[], input?: string) => runCli(args, { env, ...(input !== undefined ? { input } : {}) }) };
}
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('migrate commands (built binary)', () => {
  beforeAll(() => {
    expect(readFileSync(BIN, 'utf8')).toContain('dist/cli.js');
  });

  it('eight concurrent `upgrade head` on an empty database: each revision applied exactly once, no process crashes', async () => {
    const { db, env } = await fresh('cli_race');
    const runs = await Promise.all(Array.from({ length: 8 }, () => runAsync(['migrate', 'upgrade', 'head', '--lock-timeout', '60', '--json'], env)));
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toMatch(/internal error|Error:|at .*\.js/);
    }
    const docs = runs.map((r) => JSON.parse(r.stdout));
    expect(docs.filter((d) => d.steps.length === 3)).toHaveLength(1);
    expect(docs.filter((d) => d.nothingToDo)).toHaveLength(7);
    expect(docs.every((d) => d.current === '003')).toBe(true);
    expect(await names(db)).toEqual(['001_initial_schema', '002_add_scrape_job_ids_column_to_', '003_add_normalized_input_column_to_jobs_']);
    expect((await db.query('select count(*)::int as n from connector_db_migrations')).rows[0]?.n).toBe(3);
  });

  it('eight concurrent runs without --lock-timeout: the losers stop at once with migration_lock_held, never crash', async () => {
    const { db, env } = await fresh('cli_race0');
    const runs = await Promise.all(Array.from({ length: 8 }, () => runAsync(['migrate', 'upgrade', '--json'], env)));
    for (const r of runs) {
      const doc = JSON.parse(r.stdout);
      if (r.code === 0) expect(doc.current).toBe('003');
      else {
        expect(r.code).toBe(1);
        expect(doc.error.code).toBe('migration_lock_held');
        // The holder is named, unless it let go (and took the lock again) in the instant between our try and our look.
        expect(doc.error.message).toMatch(/locked by (pid \d+ \(connector-db migrate upgrade\)|a session that has just let go of it)/);
      }
    }
    expect(runs.some((r) => r.code === 0)).toBe(true);
    expect(await names(db)).toHaveLength(3);
  });

  it('current, history and check, in text and JSON, before and after upgrading', async () => {
    const { cli } = await fresh('cli_show');
    const before = cli(['migrate', 'current']);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/^base\n/);
    expect(before.stdout).toMatch(/migrations_pending: 3 pending: 001, 002, 003\./);
    const check = cli(['migrate', 'check', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ ok: false, current: null, head: '003', pendingCount: 3, failing: ['migrations_pending'] });
    const up = cli(['migrate', 'upgrade', '+2']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^Upgraded base → 002: 2 migrations in \d+ ms\. Now at 002\.$/m);
    expect(up.stderr).toMatch(/✓ up {3}001_initial_schema \d+ ms\n✓ up {3}002_add_scrape_job_ids_column_to_/);
    const history = cli(['migrate', 'history']);
    expect(history.stdout).toMatch(/^ {3}003 {2}pending .*003_add_normalized_input_column_to_jobs_ {2}\(head\)$/m);
    expect(history.stdout).toMatch(/^› {2}002 {2}applied {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +\d+ ms +upgrade +002_add_scrape_job_ids_column_to_ {2}\(current\)$/m);
    const doc = JSON.parse(cli(['migrate', 'current', '--json']).stdout);
    expect(doc).toMatchObject({ ok: true, current: '002', head: '003', pendingCount: 1 });
    expect(doc.status.revisions[0]).toMatchObject({ id: '001', applied: true, checksum: { state: 'match' } });
    cli(['migrate', 'upgrade']);
    const ok = cli(['migrate', 'check']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/at 003 \(head\): nothing pending, no drift, no unknown revision/);
    expect(cli(['migrate', 'current']).stdout).toMatch(/^003 \(head\) {2}003_add_normalized_input_column_to_jobs_$/m);
  });

  it('a failing migration: exit 1, file and line, the server message and hint; JSON carries the code', async () => {
    const { db, cli } = await fresh('cli_fail');
    const dir = migrationsFolder({
      '001_a.sql': migration('CREATE TABLE a (name text);', 'DROP TABLE a;'),
      '002_b.sql': migration('CREATE TABLE b (id int);', 'DROP TABLE b;'),
      '003_c.sql': '-- Up Migration\nCREATE TABLE c (id int);\nSELECT nam FROM a;\n',
      '004_d.sql': migration('CREATE TABLE d (id int);'),
    });
    const r = cli(['--migrations-dir', dir, 'migrate', 'upgrade']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/connector-db: migration_failed: Upgrade 003 failed at .*003_c\.sql:3: column "nam" does not exist/);
    expect(r.stderr).toContain('hint: Perhaps you meant to reference the column "a.name".');
    expect(r.stderr).toMatch(/003_c was rolled back completely; 001, 002 \(earlier in this run\) stay applied; the database is at 002/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(await names(db)).toEqual(['001_a', '002_b']);
    const j = cli(['--migrations-dir', dir, 'migrate', 'upgrade', '--json']);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'migration_failed' });
  });

  it('downgrade asks (and refuses without a terminal), --yes goes; stamp and --sql', async () => {
    const { db, cli } = await fresh('cli_down');
    cli(['migrate', 'upgrade']);
    const asked = cli(['migrate', 'downgrade']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/needs a person at a terminal; pass --yes/);
    expect(await names(db)).toHaveLength(3);
    const sql = cli(['migrate', 'downgrade', 'base', '--sql']);
    expect(sql.code).toBe(0);
    expect(sql.stdout).toMatch(/-- Running downgrade 003 -> 002[\s\S]*DROP COLUMN normalized_input[\s\S]*-- Running downgrade 001 -> base[\s\S]*DROP TABLE sessions;/);
    expect(await names(db)).toHaveLength(3);
    const down = cli(['migrate', 'downgrade', '-1', '--yes']);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/Downgraded 003 → 002: 1 migration in \d+ ms\. Now at 002\./);
    const st = cli(['migrate', 'stamp', 'head', '--json']);
    expect(JSON.parse(st.stdout)).toMatchObject({ ok: true, kind: 'stamp', to: '003', steps: [{ id: '003' }] });
    expect(await names(db)).toHaveLength(3);
  });

  it("interop: a database at Alembic's 002 shows 002 and gets only 003; alembic_version follows", async () => {
    const { db, cli } = await fresh('cli_alembic');
    const { loadMigrationFiles } = await import('../../src/core/migrations/files.js');
    const { shippedMigrationsDir } = await import('../../src/core/system/package-root.js');
    for (const f of (await loadMigrationFiles(shippedMigrationsDir())).slice(0, 2)) await db.query(f.sections.up.text);
    await db.query(`CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY); INSERT INTO alembic_version VALUES ('002')`);
    expect(cli(['migrate', 'current']).stdout).toMatch(/^002 {2}002_add_scrape_job_ids_column_to_\n[\s\S]*alembic_version: 002/);
    const up = JSON.parse(cli(['migrate', 'upgrade', '--json']).stdout);
    expect(up.steps.map((s: { id: string }) => s.id)).toEqual(['003']);
    expect((await db.query('select version_num from alembic_version')).rows).toEqual([{ version_num: '003' }]);
  });

  it('new: the next number, an Alembic-style slug, both markers; it runs as an (empty) migration', async () => {
    const { cli } = await fresh('cli_new');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;') });
    const made = JSON.parse(cli(['--migrations-dir', dir, 'migrate', 'new', 'add normalized_input column to jobs table', '--json']).stdout);
    expect(made).toMatchObject({ ok: true, id: '002', name: '002_add_normalized_input_column_to_jobs_' });
    const text = readFileSync(made.file, 'utf8');
    expect(text).toMatch(/^-- Revision 002: add normalized_input column to jobs table\n/);
    expect(text).toMatch(/\n-- Up Migration\n[\s\S]*\n-- Down Migration\n/);
    const up = cli(['--migrations-dir', dir, 'migrate', 'upgrade', '--json']);
    expect(JSON.parse(up.stdout).current).toBe('002');
    expect(cli(['--migrations-dir', dir, 'migrate', 'new', '!!!']).code).toBe(2);
  });

  it('a file with neither marker is refused before anything runs: exit 1, the file named, nothing applied', async () => {
    const { db, cli } = await fresh('cli_unmarked');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'), '002_pasted.sql': 'CREATE TABLE pasted (id int);\n' });
    const r = cli(['--migrations-dir', dir, 'migrate', 'upgrade']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('002_pasted.sql has neither "-- Up Migration" nor "-- Down Migration": applied, it could never be undone. Nothing was changed.');
    const { rows } = await db.query<{ n: number }>("select count(*)::int as n from pg_tables where tablename in ('a', 'pasted')");
    expect(rows[0]?.n).toBe(0);
    expect(cli(['--migrations-dir', dir, 'migrate', 'upgrade', '001']).code).toBe(0);
    // A dangling link among the files: one line naming it, not an internal error.
    symlinkSync('/nonexistent/005.sql', `${dir}/005_link.sql`);
    const dangling = cli(['--migrations-dir', dir, 'migrate', 'current']);
    expect(dangling.code).toBe(1);
    expect(dangling.stderr).toContain(`connector-db: migration_files_invalid: The migration file ${dir}/005_link.sql is a link to nothing (ENOENT).`);
    expect(dangling.stderr).not.toContain('internal');
  });

  it('bad input is one line: --lock-timeout, an unknown revision word, a missing folder', async () => {
    const { cli } = await fresh('cli_bad');
    const a = cli(['migrate', 'upgrade', '--lock-timeout', 'soon']);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toBe('connector-db: usage: --lock-timeout "soon" is invalid; allowed: seconds, a number from 0 (fail at once) to 2147483');
    // Past what PostgreSQL's lock_timeout holds: refused before connecting, not a server error blamed on a migration file.
    const huge = cli(['migrate', 'upgrade', '--lock-wait-timeout', '9999999']);
    expect(huge.code).toBe(2);
    expect(huge.stderr.trim()).toBe('connector-db: usage: --lock-wait-timeout "9999999" is invalid; allowed: seconds, a number > 0 and <= 2147483 (how long one migration may wait for a table lock)');
    expect(cli(['migrate', 'upgrade', '--lock-timeout', '9999999']).code).toBe(2);
    expect(cli(['reset', '--lock-timeout', '9999999', '--yes']).stderr.trim()).toBe('connector-db: usage: --lock-timeout "9999999" is invalid; allowed: seconds, a number from 0 (fail at once) to 2147483');
    const b = cli(['migrate', 'upgrade', 'nonsense']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/No revision matches "nonsense"/);
    // A folder that is not there is bad input, named with where the setting came from.
    const c = cli(['--migrations-dir', '/no/such/dir', 'migrate', 'current']);
    expect(c.code).toBe(2);
    expect(c.stderr.trim()).toBe('connector-db: usage: --migrations-dir /no/such/dir does not exist; allowed: the folder holding the migration files (001_*.sql ...)');
    const fromEnv = runCli(['migrate', 'upgrade'], { env: { ...cleanEnv({ DATABASE__URL: 'postgresql://127.0.0.1:1/x' }), MIGRATIONS__DIR: '/etc/passwd' } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr.trim()).toBe('connector-db: usage: MIGRATIONS__DIR=/etc/passwd from env is a file, not a folder; allowed: the folder holding the migration files (001_*.sql ...)');
  });
});
