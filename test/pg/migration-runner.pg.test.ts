/**
 * Running migrations for real: a failure rolls its file back whole and names
 * file, line, message and hint while earlier files stay; no-transaction files
 * (CREATE INDEX CONCURRENTLY) run, and one that stops half-way says so;
 * per-migration lock_timeout; revision words; stopping between files.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { downgrade, stamp, upgrade } from '../../src/core/migrations/runner.js';
import { readMigrationStatus } from '../../src/core/migrations/status.js';
import type { MigrationEvent } from '../../src/core/migrations/events.js';
import { databasePerTest, migration, migrationsFolder, names, tableExists } from '../harness/migrations.js';
import { failure } from '../harness/failure.js';
import { currentLines } from '../../src/commands/migrate-format.js';

const setup = databasePerTest();

const FOUR = {
  '001_first.sql': migration('CREATE TABLE a (id int);', 'DROP TABLE a;'),
  '002_second.sql': migration('CREATE TABLE b (name text);', 'DROP TABLE b;'),
  // Line 5 creates c, line 6 fails at parse-analysis: PostgreSQL gives a position and a hint.
  '003_third.sql': '-- third\n\n-- Up Migration\n\nCREATE TABLE c (id int);\nSELECT nam FROM b;\n\n-- Down Migration\nDROP TABLE c;\n',
  '004_fourth.sql': migration('CREATE TABLE d (id int);', 'DROP TABLE d;'),
};

describe('running migrations', () => {
  it('a failing migration 3 of 4: 1-2 stay applied, 3 is absent entirely, the error names file, line, message and hint', async () => {
    const { db, client } = await setup('run_fail');
    await db.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)`);
    const dir = migrationsFolder(FOUR);
    const events: MigrationEvent[] = [];
    const c = await client();
    const e = await failure(upgrade(c, { dir, onEvent: (ev) => events.push(ev) }));
    expect(e.code).toBe('migration_failed');
    expect(e.exitCode).toBe(1);
    expect(e.message).toMatch(/^Upgrade 003 failed at .*003_third\.sql:6: column "nam" does not exist$/);
    expect(e.evidence).toContain('hint: Perhaps you meant to reference the column "b.name".');
    expect(e.evidence.join('\n')).toMatch(/003_third\.sql:6: SELECT nam FROM b;/);
    expect(e.evidence.join('\n')).toMatch(/003_third was rolled back completely; 001, 002 \(earlier in this run\) stay applied; the database is at 002/);
    expect(await names(db)).toEqual(['001_first', '002_second']);
    expect(await names(db, 'connector_db_migrations')).toEqual(['001_first', '002_second']);
    expect(await tableExists(db, 'c')).toBe(false);
    expect(await tableExists(db, 'd')).toBe(false);
    expect((await db.query('select version_num from alembic_version')).rows).toEqual([{ version_num: '002' }]);
    expect(events.filter((ev) => ev.type === 'migration_failed')).toHaveLength(1);
    // The client is usable again and the lock is free.
    expect((await c.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())`)).rows[0].n).toBe(0);
    expect((await readMigrationStatus(c, dir)).current).toBe('002');
  });

  it('an error without a position (already exists) still names the line of its statement', async () => {
    const { db, client } = await setup('run_exists');
    const dir = migrationsFolder({ '001_first.sql': FOUR['001_first.sql'], '002_second.sql': '-- Up Migration\nSELECT 1;\n\n\nCREATE TABLE b (name text);\n' });
    const c = await client();
    await upgrade(c, { dir, target: '001' });
    await db.query('CREATE TABLE b (x int)');
    const e = await failure(upgrade(c, { dir }));
    expect(e.message).toMatch(/002_second\.sql:5: relation "b" already exists$/);
    expect(e.evidence).toContain('SQLSTATE 42P07');
    expect(await names(db)).toEqual(['001_first']);
  });

  it('the line is right for the first statement too (sent in one string with BEGIN and SET LOCAL)', async () => {
    const { db, client } = await setup('run_first');
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (name text);'), '002_b.sql': '-- Up Migration\n\nCREATE TABLE b AS\n  SELECT 1 AS x,\n         nam FROM a;\n' });
    const e = await failure(upgrade(await client(), { dir, timeouts: { lockTimeoutMs: 5000, statementTimeoutMs: 60_000 } }));
    expect(e.message).toMatch(/002_b\.sql:5: column "nam" does not exist$/);
    expect(e.evidence.join('\n')).toMatch(/002_b\.sql:5: nam FROM a;/);
    expect(await names(db)).toEqual(['001_a']);
  });

  it('a failure in the bookkeeping (sent with the last statement) is not blamed on the file, and rolls it back', async () => {
    const { db, client } = await setup('run_books');
    await db.query(`CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY CHECK (version_num <> '002'))`);
    const dir = migrationsFolder({ '001_a.sql': migration('CREATE TABLE a (id int);'), '002_b.sql': migration('CREATE TABLE b (id int);') });
    const e = await failure(upgrade(await client(), { dir }));
    expect(e.message).toMatch(/^Upgrade 002 failed at .*002_b\.sql while recording it \(connector-db bookkeeping\): new row for relation "alembic_version" violates check constraint/);
    expect(await names(db)).toEqual(['001_a']);
    expect(await tableExists(db, 'b')).toBe(false);
    expect((await db.query('select version_num from alembic_version')).rows).toEqual([{ version_num: '001' }]);
  });

  it('a no-transaction file runs CREATE INDEX CONCURRENTLY, and one that stops half-way is reported as partial', async () => {
    const { db, client } = await setup('run_notx');
    const good = migrationsFolder({
      '001_t.sql': migration('CREATE TABLE t (id int, v text);', 'DROP TABLE t;'),
      '002_idx.sql': '-- connector-db: no-transaction\n-- Up Migration\nCREATE INDEX CONCURRENTLY t_v ON t (v);\n-- Down Migration\nDROP INDEX CONCURRENTLY t_v;\n',
    });
    const c = await client();
    await upgrade(c, { dir: good });
    expect((await db.query(`select indisvalid from pg_index where indexrelid = 't_v'::regclass`)).rows[0]?.indisvalid).toBe(true);
    await downgrade(c, { dir: good });
    expect(await tableExists(db, 't_v')).toBe(false);

    const bad = migrationsFolder({
      '001_t.sql': migration('CREATE TABLE t (id int, v text);', 'DROP TABLE t;'),
      '002_idx.sql': '-- connector-db: no-transaction\n-- Up Migration\nCREATE INDEX CONCURRENTLY t_v ON t (v);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCREATE INDEX CONCURRENTLY t_x ON t (nope);\n',
    });
    const e = await failure(upgrade(c, { dir: bad }));
    expect(e.message).toMatch(/002_idx\.sql:5: column "nope" does not exist/);
    expect(e.evidence.join('\n')).toMatch(/002_idx runs without a transaction: 2 of its 3 statements ran and stay/);
    const status = await readMigrationStatus(c, bad);
    expect(status.revisions[1]).toMatchObject({ state: 'partial', applied: false, partial: { statementsDone: 2, statementsTotal: 3 } });
    expect(status.problems.map((p) => p.code)).toContain('migration_partial');
    expect(await tableExists(db, 't_id')).toBe(true);
  });

  it('a half-finished no-transaction file run again: the message says what an earlier run left, and the fix names the revision', async () => {
    const { db, client } = await setup('run_notx_again');
    const dir = migrationsFolder({
      '001_t.sql': migration('CREATE TABLE t (id int, v text);', 'DROP TABLE t;'),
      '002_idx.sql': '-- connector-db: no-transaction\n-- Up Migration\nCREATE INDEX CONCURRENTLY t_v ON t (v);\nCREATE INDEX CONCURRENTLY t_x ON t (nope);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\n',
    });
    const c = await client();
    const first = await failure(upgrade(c, { dir }));
    expect(first.evidence.join('\n')).toMatch(/002_idx runs without a transaction: 1 of its 3 statements ran and stay/);
    expect(first.fixes).toContain(`finish it by hand (statements 2–3 of the up section of ${path.join(dir, '002_idx.sql')}), then record it, running nothing: connector-db migrate stamp 002`);

    // Run again as it is: statement 1 now meets the index the first run made.
    const again = await failure(upgrade(c, { dir }));
    expect(again.message).toMatch(/002_idx\.sql:3: relation "t_v" already exists$/);
    const evidence = again.evidence.join('\n');
    expect(evidence).not.toMatch(/none of its 3 statements took effect/);
    expect(evidence).toMatch(/002_idx runs without a transaction: this run stopped at its statement 1, but a previous run got 1 of its 3 statements in, and the objects those made remain \(status shows it as partial\)/);
    expect(again.fixes).toEqual([
      `finish it by hand (statements 2–3 of the up section of ${path.join(dir, '002_idx.sql')}), then record it, running nothing: connector-db migrate stamp 002`,
      'or undo what its statement 1 made, then run it again: connector-db migrate upgrade 002',
    ]);
    expect(await tableExists(db, 't_v')).toBe(true);
    const status = await readMigrationStatus(c, dir);
    expect(status.revisions[1]).toMatchObject({ state: 'partial', partial: { direction: 'up', statementsDone: 1, statementsTotal: 3 } });
    // `migrate current` words the same fix, with the revision rather than "REV".
    const same = (s: string) => s;
    const lines = currentLines(status, db.name, { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same }).join('\n');
    expect(lines).toContain(`    fix: finish it by hand (statements 2–3 of the up section of ${path.join(dir, '002_idx.sql')}), then record it, running nothing: connector-db migrate stamp 002`);
    expect(lines).toContain('         or undo what its statement 1 made, then run it again: connector-db migrate upgrade 002');
    expect(lines).not.toMatch(/stamp REV/);

    // Following the first fix: the rest by hand, then the stamp; the database is at 002 with nothing partial.
    await db.query('CREATE INDEX t_x ON t (v); CREATE INDEX t_id ON t (id);');
    const stamped = await stamp(c, { dir, target: '002' });
    expect(stamped.status.current).toBe('002');
    expect(stamped.status.problems).toEqual([]);
  });

  it('a per-migration lock_timeout stops a migration stuck behind another session, and names the fix', async () => {
    const { client } = await setup('run_locktimeout');
    const dir = migrationsFolder({ '001_t.sql': migration('CREATE TABLE t (id int);', 'DROP TABLE t;'), '002_alter.sql': migration('ALTER TABLE t ADD COLUMN v text;', 'ALTER TABLE t DROP COLUMN v;') });
    const c = await client();
    await upgrade(c, { dir, target: '001' });
    const blocker = await client('blocker');
    await blocker.query('BEGIN; LOCK TABLE t IN ACCESS SHARE MODE;');
    const asked: string[] = [];
    const started = Date.now();
    const e = await failure(upgrade(c, { dir, timeouts: (file) => (asked.push(file.id), { lockTimeoutMs: 300 }) }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(asked).toEqual(['002']);
    expect(e.message).toMatch(/002_alter\.sql:4: canceling statement due to lock timeout/);
    expect(e.fixes.join(' ')).toMatch(/connector-db monitor/);
    await blocker.query('ROLLBACK');
    expect((await upgrade(c, { dir })).status.current).toBe('002');
  });

  it('understands head, base, +N, -N, numbers and name prefixes, and refuses what does not fit', async () => {
    const { client } = await setup('run_words');
    const dir = migrationsFolder({ '001_first.sql': FOUR['001_first.sql'], '002_second.sql': FOUR['002_second.sql'], '003_second_c.sql': migration('CREATE TABLE c (id int);', 'DROP TABLE c;') });
    const c = await client();
    expect((await upgrade(c, { dir, target: '+1' })).status.current).toBe('001');
    expect((await failure(upgrade(c, { dir, target: 'seco' }))).message).toMatch(/"seco" is ambiguous: it starts 002_second, 003_second_c/);
    expect((await upgrade(c, { dir, target: 'second' })).status.current).toBe('002');
    expect((await upgrade(c, { dir, target: '3' })).status.current).toBe('003');
    expect((await upgrade(c, { dir })).nothingToDo).toBe(true);
    expect((await downgrade(c, { dir, target: '-2' })).status.current).toBe('001');
    expect((await failure(upgrade(c, { dir, target: '+3' }))).message).toMatch(/"\+3" goes past head: only 2 revisions are pending \(002, 003\)/);
    expect((await failure(downgrade(c, { dir, target: '-2' }))).message).toMatch(/"-2" goes below base: only 1 revision is applied/);
    expect((await failure(upgrade(c, { dir, target: '7' }))).message).toMatch(/No revision 7: the revisions are 001, 002, 003/);
    expect((await failure(upgrade(c, { dir, target: 'base' }))).message).toMatch(/base is behind the current revision 001: use `migrate downgrade base`/);
    expect((await failure(downgrade(c, { dir, target: '003' }))).code).toBe('usage');
    expect((await downgrade(c, { dir, target: 'base' })).steps.map((s) => s.id)).toEqual(['001']);
  });

  it('stops between files when asked (the running one commits whole)', async () => {
    const { db, client } = await setup('run_abort');
    const dir = migrationsFolder(Object.fromEntries(Object.entries(FOUR).filter(([n]) => n !== '003_third.sql')));
    const controller = new AbortController();
    const e = await failure(upgrade(await client(), { dir, signal: controller.signal, onEvent: (ev) => ev.type === 'migration_done' && controller.abort() }));
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('stopped before 002_second (cancelled): 001 applied before it; the database is at 001.');
    expect(await names(db)).toEqual(['001_first']);
  });
});
