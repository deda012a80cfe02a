/**
 * The console session on the real server: cursor paging with rows spilled
 * to disk and read back, cancel of a running statement, read-only mode,
 * statement_timeout, the server's error position, and the destructive
 * statement classification from the parser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/core/query/console-session.js';
import { classifyStatement } from '../../src/core/query/classify.js';
import { CursorResult } from '../../src/core/query/result-set.js';
import { positionLines } from '../../src/core/query/server-error-text.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { applyConnectorSchema } from '../harness/connector-schema.js';

describe('console session on a real server', () => {
  let db: TestDatabase;
  const sessions: ConsoleSession[] = [];
  const open = async (options: Partial<Parameters<typeof ConsoleSession.open>[1]> = {}) => {
    const s = await ConsoleSession.open(db.settings, { readOnly: false, statementTimeout: 0, ...options });
    sessions.push(s);
    return s;
  };

  beforeAll(async () => {
    db = await createTestDatabase('query_session');
    await applyConnectorSchema(db);
    await db.query(`INSERT INTO sessions (session_id) SELECT gen_random_uuid() FROM generate_series(1, 3)`);
    await db.query(`INSERT INTO jobs (session_id, job_type, status, input) SELECT session_id, 'scrape', 'queued', '{}' FROM sessions`);
  });
  afterAll(async () => {
    for (const s of sessions) await s.close();
    await db?.drop();
  });

  it('pages a large result through the cursor, spills old pages to disk and reads them back exactly', async () => {
    const s = await open({ pageSize: 100 });
    const out = await s.execute('SELECT g AS n, repeat(\'x\', g % 7) AS pad, CASE WHEN g % 5 = 0 THEN NULL ELSE g::text END AS maybe FROM generate_series(1, 20000) g');
    if (out.kind !== 'rows') throw new Error(JSON.stringify(out));
    const result = out.result as CursorResult;
    expect(result.columns.map((c) => `${c.name}:${c.typeName}`)).toEqual(['n:int4', 'pad:text', 'maybe:text']);
    expect(result.loaded).toBe(100);
    expect(result.done).toBe(false);
    await result.ensure(20001); // one past the end: the cursor must say it is exhausted
    expect(result.done).toBe(true);
    expect(result.loaded).toBe(20000);
    expect(result.tag).toBe('SELECT 20000');
    expect(result.spilledPages).toBeGreaterThan(100); // 200 pages, at most 40 kept in memory
    for (const i of [0, 4, 9999, 19999, 150]) {
      const g = i + 1;
      expect(result.get(i)).toEqual([String(g), 'x'.repeat(g % 7), g % 5 === 0 ? null : String(g)]);
    }
  });

  it('commands report their tag; the next statement closes an open cursor', async () => {
    const s = await open({ pageSize: 10 });
    const big = await s.execute('SELECT * FROM generate_series(1, 1000)');
    expect(big.kind).toBe('rows');
    const insert = await s.execute("INSERT INTO sessions DEFAULT VALUES");
    expect(insert).toMatchObject({ kind: 'command', tag: 'INSERT 0 1' });
    const update = await s.execute("UPDATE jobs SET status = 'running' WHERE false");
    expect(update).toMatchObject({ kind: 'command', tag: 'UPDATE 0' });
    const returning = await s.execute("DELETE FROM sessions WHERE session_id NOT IN (SELECT session_id FROM jobs) RETURNING session_id");
    expect(returning.kind).toBe('rows');
    if (returning.kind === 'rows') expect(returning.result.tag).toBe('DELETE 1');
  });

  it('cancels SELECT pg_sleep(30) within 1 s, and the next statement works', async () => {
    const s = await open();
    const started = Date.now();
    const running = s.execute('SELECT pg_sleep(30)');
    await new Promise((r) => setTimeout(r, 300));
    const cancelAt = Date.now();
    await s.cancel();
    const out = await running;
    expect(Date.now() - cancelAt).toBeLessThan(1000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out).toMatchObject({ kind: 'error', cancelled: true, error: { sqlstate: '57014', message: 'canceling statement due to user request' } });
    const next = await s.execute('SELECT count(*) AS n FROM jobs');
    if (next.kind !== 'rows') throw new Error(JSON.stringify(next));
    expect(next.result.get(0)).toEqual(['3']);
  });

  it('read-only mode refuses an INSERT, even after the session default is switched off', async () => {
    const s = await open({ readOnly: true });
    const insert = await s.execute('INSERT INTO sessions DEFAULT VALUES');
    expect(insert).toMatchObject({ kind: 'error', error: { sqlstate: '25006', message: 'cannot execute INSERT in a read-only transaction' } });
    await s.execute("SELECT set_config('default_transaction_read_only', 'off', false)");
    await s.execute('SET default_transaction_read_only = off');
    const again = await s.execute('INSERT INTO sessions DEFAULT VALUES');
    expect(again).toMatchObject({ kind: 'error', error: { sqlstate: '25006' } });
    const select = await s.execute('SELECT count(*) FROM sessions');
    expect(select.kind).toBe('rows');
    s.readOnly = false;
    const write = await s.execute('INSERT INTO sessions DEFAULT VALUES RETURNING 1');
    expect(write.kind).toBe('rows');
    const count = await db.query<{ n: string }>('SELECT count(*)::text AS n FROM sessions');
    expect(count.rows[0]?.n).toBe('4');
  });

  it('statement_timeout stops a long statement; it is not reported as a user cancel', async () => {
    const s = await open({ statementTimeout: 0.3 });
    const out = await s.execute('SELECT pg_sleep(5)');
    expect(out).toMatchObject({ kind: 'error', cancelled: false, error: { sqlstate: '57014', message: 'canceling statement due to statement timeout' } });
  });

  it('a server error carries its position, marked in the statement like psql', async () => {
    const s = await open();
    const sql = "SELECT 'é€😀', job_id,\n       nope FROM jobs";
    const out = await s.execute(sql);
    if (out.kind !== 'error') throw new Error('expected an error');
    expect(out.error.message).toBe('column "nope" does not exist');
    expect(sql.slice(out.error.offset)).toMatch(/^nope/);
    expect(positionLines(sql, out.error.offset as number)).toEqual(['LINE 2:        nope FROM jobs', '               ^']);
  });
});

describe('destructive statements are found by the parser', () => {
  const risky = async (sql: string) => (await classifyStatement(sql)).risks.map((r) => r.kind);
  it.each([
    ['DELETE FROM jobs', ['delete_all']],
    ['DELETE FROM jobs WHERE false', []],
    ["UPDATE jobs SET status = 'failed'", ['update_all']],
    ["UPDATE jobs SET status = 'failed' WHERE job_id = '00000000-0000-0000-0000-000000000000'", []],
    ['TRUNCATE jobs, sessions CASCADE', ['truncate']],
    ['DROP TABLE jobs', ['drop']],
    ['drop index if exists ix_jobs_status', ['drop']],
    ['ALTER TABLE jobs DROP COLUMN errors', ['drop']],
    ['WITH gone AS (DELETE FROM jobs RETURNING job_id) SELECT count(*) FROM gone', ['delete_all']],
    ["SELECT 'DELETE FROM jobs' AS text", []],
    ['-- DROP TABLE jobs\nSELECT 1', []],
    ['SELECT * FROM jobs', []],
    // The tree cannot show what these do: ask.
    ['DO $$ begin delete from jobs; end $$', ['opaque']],
    ["DO LANGUAGE plpgsql $$ begin raise notice 'hi'; end $$", ['opaque']],
    ['CALL purge_jobs(30)', ['opaque']],
    ['EXECUTE wipe', ['opaque']],
    ['EXPLAIN ANALYZE EXECUTE wipe(1)', ['opaque']],
    ['PREPARE wipe AS DELETE FROM jobs', ['delete_all']],
    ['PREPARE wipe(int) AS DELETE FROM jobs WHERE attempts > $1', []],
    // MERGE's ON is a join that may match every row (ON true): asked when it updates or deletes.
    ['MERGE INTO jobs USING (SELECT 1 x) s ON true WHEN MATCHED THEN DELETE', ['opaque']],
    ["WITH m AS (SELECT 1) MERGE INTO jobs USING m ON true WHEN MATCHED THEN UPDATE SET status = 'failed'", ['opaque']],
    ["MERGE INTO sessions t USING (SELECT gen_random_uuid() id) s ON t.session_id = s.id WHEN NOT MATCHED THEN INSERT (session_id) VALUES (s.id)", []],
    // Unreadable: asked only when it names a destructive command.
    ['DELETE FROM jobs WHER id = 1', ['opaque']],
    ["SELEC 'delete' FROM jobs", []],
  ])('%s → %j', async (sql, expected) => {
    expect(await risky(sql)).toEqual(expected);
  });

  it('says which statements return rows and which COPY can wrap', async () => {
    expect(await classifyStatement('SELECT 1')).toMatchObject({ returnsRows: true, copyable: true });
    expect(await classifyStatement('VALUES (1), (2)')).toMatchObject({ returnsRows: true, copyable: true });
    expect(await classifyStatement('SELECT 1 INTO t')).toMatchObject({ returnsRows: false, copyable: false });
    expect(await classifyStatement('INSERT INTO t VALUES (1) RETURNING *')).toMatchObject({ returnsRows: true, copyable: false });
    expect(await classifyStatement('CREATE TABLE t (a int)')).toMatchObject({ returnsRows: false });
    expect(await classifyStatement('COPY jobs TO STDOUT')).toMatchObject({ copyStdio: 'out' });
    expect(await classifyStatement('SELEC 1')).toMatchObject({ node: 'unparsed', returnsRows: 'maybe', risks: [] });
  });

  it('words what cannot be read ahead so the question says why it is asked', async () => {
    expect((await classifyStatement('DO $$ begin delete from jobs; end $$')).risks[0]?.description).toBe('DO block: plpgsql code; what it changes cannot be seen before it runs');
    expect((await classifyStatement('CALL public.purge_jobs(30)')).risks[0]?.description).toBe('CALL public.purge_jobs: a procedure; what it changes cannot be seen before it runs');
    expect((await classifyStatement('MERGE INTO jobs j USING sessions s ON true WHEN MATCHED AND false THEN DELETE WHEN MATCHED THEN UPDATE SET attempts = 0')).risks[0]?.description).toBe(
      'MERGE into jobs deletes and updates every row its ON condition matches; how many cannot be seen before it runs',
    );
    expect((await classifyStatement('EXECUTE wipe(1)')).risks[0]?.description).toBe('EXECUTE wipe: a prepared statement; its text is not shown here');
    expect((await classifyStatement('DELETE FROM jobs WHER id = 1')).risks[0]?.description).toBe('the parser cannot read it (syntax error at or near "id"), and it names DELETE');
  });
});
