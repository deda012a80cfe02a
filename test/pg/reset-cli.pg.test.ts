/**
 * The reported case through the built binary: `reset --yes --no-backup` on a
 * database at 003 that also holds a table the migrations do not create, then
 * `migrate upgrade` on a fresh database holding only such a table, and
 * `migrate current` on the connector tables with no record — the fix line
 * names the revision they match.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { loadMigrationFiles } from '../../src/core/migrations/files.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';

const dbs: TestDatabase[] = [];
async function fresh(prefix: string) {
  const db = await createTestDatabase(prefix);
  dbs.push(db);
  const env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
  return { db, cli: (args: string[]) => runCli(args, { env, timeoutMs: 60_000 }) };
}
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe('reset and upgrade beside tables the migrations do not create (built binary)', () => {
  it('reset --yes --no-backup at 003 with `big`: down 003-001, up 001-003, at head, `big` kept', async () => {
    const { db, cli } = await fresh('cli_reset_big');
    expect(cli(['migrate', 'upgrade']).code).toBe(0);
    await db.query(`create table big as select g as id from generate_series(1, 1000) g`);
    const r = cli(['reset', '--yes', '--no-backup', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, from: '003', revision: '003', down: ['003', '002', '001'], up: ['001', '002', '003'] });
    expect(r.stderr).not.toMatch(/schema_without_history|Nothing was changed/);
    const current = cli(['migrate', 'current']);
    expect(current.stdout).toMatch(/^003 \(head\) {2}003_add_normalized_input_column_to_jobs_$/m);
    expect(current.stdout).not.toMatch(/✗/);
    expect(Number((await db.query('select count(*) as n from big')).rows[0]?.n)).toBe(1000);
    const tables = await db.query<{ t: string }>(`select relname::text as t from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' order by 1`);
    expect(tables.rows.map((x) => x.t)).toEqual(['big', 'connector_db_migrations', 'documentation_items', 'job_progress', 'jobs', 'pgmigrations', 'relevant_chunks', 'session_data', 'sessions']);
  });

  it('migrate upgrade on a fresh database holding only an unrelated table applies everything', async () => {
    const { db, cli } = await fresh('cli_up_unrelated');
    await db.query('create table spatial_ref_sys (srid int primary key)');
    const r = cli(['migrate', 'upgrade']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Upgraded base → 003: 3 migrations in .*\. Now at 003 \(head\)\.$/m);
  });

  it('migrate current on the connector tables at 002 with no record: schema_without_history, the fix stamps 002', async () => {
    const { db, cli } = await fresh('cli_nohist');
    for (const f of (await loadMigrationFiles(shippedMigrationsDir())).slice(0, 2)) await db.query(f.sections.up.text);
    await db.query('create table big (id int)');
    const current = cli(['migrate', 'current']);
    expect(current.stdout).toMatch(/✗ schema_without_history: Tables that the migration files create exist \(documentation_items, .*\) but no revision is recorded/);
    expect(current.stdout).toContain('    fix: connector-db migrate stamp 002 --sql   (preview), then: connector-db migrate stamp 002');
    expect(current.stdout).not.toMatch(/stamp head|\bbig\b/);
    const up = cli(['migrate', 'upgrade']);
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/connector-db migrate stamp 002 --sql/);
    const reset = cli(['reset', '--yes', '--no-backup']);
    expect(reset.code).toBe(1);
    expect(reset.stderr).toMatch(/Nothing was changed/);
    expect(reset.stderr).not.toMatch(/reset: (downgrading|upgrading)/);
    expect(Number((await db.query(`select count(*) as n from pg_class where relname = 'sessions'`)).rows[0]?.n)).toBe(1);
  });
});
