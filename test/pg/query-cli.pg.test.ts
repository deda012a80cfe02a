/**
 * `connector-db query` as scripts use it (the built binary, no terminal):
 * formats, stdin, the server's error with exit 1, the refusal of a
 * destructive statement without --yes, read-only by flag and by setting,
 * and the --json document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { applyConnectorSchema } from '../harness/connector-schema.js';

describe('connector-db query (built binary, real server)', () => {
  let db: TestDatabase;
  const env = (extra: Record<string, string> = {}) => cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', ...extra });
  const query = (args: string[], options: { input?: string; extra?: Record<string, string> } = {}) => runCli(['query', ...args], { env: env(options.extra), ...(options.input !== undefined ? { input: options.input } : {}) });

  beforeAll(async () => {
    db = await createTestDatabase('query_cli');
    await applyConnectorSchema(db);
    await db.query(`INSERT INTO sessions (session_id) VALUES ('11111111-1111-1111-1111-111111111111')`);
    await db.query(`INSERT INTO jobs (session_id, job_type, status, input) VALUES ('11111111-1111-1111-1111-111111111111', 'scrape', 'queued', '{"u": 1}'), ('11111111-1111-1111-1111-111111111111', 'digest', 'running', '{}')`);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('prints an aligned table like psql, and SELECT COUNT(*) works as in the seed runbook', () => {
    const r = query(['SELECT COUNT(*) FROM jobs;']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(' count\n-------\n 2\n(1 row)\n\n');
  });

  it('--format csv streams through COPY, header first; --format json is an array of typed rows', () => {
    const csv = query(['SELECT job_type, status, input FROM jobs ORDER BY job_type', '--format', 'csv']);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('job_type,status,input\ndigest,running,{}\nscrape,queued,"{""u"": 1}"\n');
    const json = query(['SELECT job_type, input, 1::int AS one, NULL AS none FROM jobs ORDER BY job_type', '--format', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { job_type: 'digest', input: {}, one: 1, none: null },
      { job_type: 'scrape', input: { u: 1 }, one: 1, none: null },
    ]);
  });

  it('reads a script from stdin and runs its statements in order', () => {
    const r = query(['--format', 'csv'], { input: "CREATE TEMP TABLE t (a int);\nINSERT INTO t VALUES (1), (2);\nSELECT a FROM t ORDER BY a;\n" });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('a\n1\n2\n');
  });

  it('a server error is exit 1 with its message and the position marked', () => {
    const r = query(['SELECT job_id, nope FROM jobs']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('connector-db: server_error: column "nope" does not exist');
    expect(r.stderr).toContain('LINE 1: SELECT job_id, nope FROM jobs\n                         ^');
    const csv = query(['SELECT nope FROM jobs', '--format', 'csv']);
    expect(csv.code).toBe(1);
    expect(csv.stderr).toContain('LINE 1: SELECT nope FROM jobs\n                 ^');
  });

  it('refuses DELETE FROM jobs without a terminal unless --yes; DELETE ... WHERE false needs no question', async () => {
    const refused = query(['DELETE FROM jobs']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('DELETE without WHERE on jobs');
    expect(refused.stderr).toContain('--yes');
    expect((await db.query('SELECT count(*)::int AS n FROM jobs')).rows[0]?.n).toBe(2);
    const harmless = query(['DELETE FROM jobs WHERE false']);
    expect(harmless.code).toBe(0);
    expect(harmless.stdout).toBe('DELETE 0\n');
    const merge = query(['MERGE INTO jobs USING (SELECT 1 x) s ON true WHEN MATCHED THEN DELETE']);
    expect(merge.code).toBe(2);
    expect(merge.stderr).toContain('MERGE into jobs deletes every row its ON condition matches');
    expect((await db.query('SELECT count(*)::int AS n FROM jobs')).rows[0]?.n).toBe(2);
    const script = query(['SELECT 1; TRUNCATE job_progress']);
    expect(script.code).toBe(2);
    expect(script.stdout).toBe(''); // nothing ran: the question comes before the first statement
  });

  it('DO, CALL and EXECUTE cannot be read ahead: refused without a terminal unless --yes, and nothing runs', async () => {
    await db.query('CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 5000) g');
    await db.query('CREATE PROCEDURE purge_big() LANGUAGE sql AS $$ DELETE FROM big $$');
    const rows = async () => (await db.query('SELECT count(*)::int AS n FROM big')).rows[0]?.n;
    try {
      const doBlock = query(['DO $$ begin delete from big; end $$']);
      expect(doBlock.code).toBe(2);
      expect(doBlock.stderr).toContain('refusing to run without confirmation: DO block: plpgsql code; what it changes cannot be seen before it runs');
      expect(doBlock.stderr).toContain('pass --yes');
      expect(await rows()).toBe(5000);

      const call = query(['CALL purge_big()']);
      expect(call.code).toBe(2);
      expect(call.stderr).toContain('CALL purge_big: a procedure; what it changes cannot be seen before it runs');
      expect(await rows()).toBe(5000);

      // PREPARE with a WHERE asks nothing; the EXECUTE does, before anything in the script runs.
      const prepared = query([], { input: 'SELECT 1 AS first;\nPREPARE p(int) AS DELETE FROM big WHERE id > $1;\nEXECUTE p(0);\n' });
      expect(prepared.code).toBe(2);
      expect(prepared.stderr).toContain('EXECUTE p: a prepared statement; its text is not shown here');
      expect(prepared.stdout).toBe('');
      expect(await rows()).toBe(5000);

      // Read-only still holds when the question is answered: the server refuses the DELETE inside the block.
      const readOnly = query(['--read-only', '--yes', 'DO $$ begin delete from big; end $$']);
      expect(readOnly.code).toBe(1);
      expect(readOnly.stderr).toContain('cannot execute DELETE in a read-only transaction');
      expect(await rows()).toBe(5000);

      // Read-only, nothing asks (as in the console): the server refuses the change, with its own words.
      for (const statement of ['DELETE FROM big', 'DO $$ begin delete from big; end $$', 'DROP TABLE big']) {
        const r = query(['--read-only', statement]);
        expect(r.code).toBe(1);
        expect(r.stderr).not.toContain('refusing to run without confirmation');
        expect(r.stderr).toMatch(/cannot execute (DELETE|DROP TABLE) in a read-only transaction/);
      }
      expect(await rows()).toBe(5000);

      const yes = query(['--yes', 'DO $$ begin delete from big; end $$']);
      expect(yes.code).toBe(0);
      expect(yes.stdout).toBe('DO\n');
      expect(await rows()).toBe(0);
    } finally {
      await db.query('DROP PROCEDURE purge_big(); DROP TABLE big');
    }
  });

  it('read-only by --read-only and by QUERY__READ_ONLY refuses an INSERT', async () => {
    const flag = query(['--read-only', 'INSERT INTO sessions DEFAULT VALUES']);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('cannot execute INSERT in a read-only transaction');
    const setting = query(['INSERT INTO sessions DEFAULT VALUES'], { extra: { QUERY__READ_ONLY: 'true' } });
    expect(setting.code).toBe(1);
    expect((await db.query('SELECT count(*)::int AS n FROM sessions')).rows[0]?.n).toBe(1);
    const reads = query(['--read-only', 'SELECT count(*) AS n FROM sessions', '--format', 'csv']);
    expect(reads.stdout).toBe('n\n1\n');
  });

  it('QUERY__STATEMENT_TIMEOUT stops a long statement', () => {
    const r = query(['SELECT pg_sleep(10)'], { extra: { QUERY__STATEMENT_TIMEOUT: '0.2' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('canceling statement due to statement timeout');
  });

  it('--json is one document with columns, typed rows and command tags', () => {
    const r = query(['--json', "SELECT job_type FROM jobs ORDER BY 1; UPDATE jobs SET status = status WHERE job_type = 'x'"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      ok: true,
      results: [
        { columns: [{ name: 'job_type', type: 'varchar' }], rows: [{ job_type: 'digest' }, { job_type: 'scrape' }], rowCount: 2, command: 'SELECT 2' },
        { command: 'UPDATE 0' },
      ],
    });
    const failed = query(['--json', 'SELECT nope']);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ ok: false, results: [], error: { code: 'server_error', message: 'column "nope" does not exist', sqlstate: '42703', position: 7 } });
  });

  it('a failing statement with a password literal is repeated masked on stderr and in --json, the position on the masked text', () => {
    const sql = "alter role cdb_no_such_role password 'TopSecret42' bogus";
    const r = query([sql]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain('TopSecret42');
    expect(r.stderr).toContain("  LINE 1: alter role cdb_no_such_role password '****' bogus\n" + ' '.repeat("  LINE 1: alter role cdb_no_such_role password '****' ".length) + '^');
    const json = query(['--json', 'alter role cdb_no_such_role password $$TopSecret42$$ bogus']);
    expect(json.code).toBe(1);
    expect(json.stdout + json.stderr).not.toContain('TopSecret42');
    const doc = JSON.parse(json.stdout);
    expect(doc.error).toMatchObject({ code: 'server_error', message: 'unrecognized role option "bogus"', statement: "alter role cdb_no_such_role password '****' bogus" });
    expect(doc.error.statement.slice(doc.error.position)).toBe('bogus');
  });

  it('catalog commands work without psql: \\d jobs and \\dt', () => {
    const r = query(['\\d jobs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Table "public.jobs"');
    expect(r.stdout).toContain('"jobs_pkey" PRIMARY KEY, btree (job_id)');
    expect(r.stdout).toContain('Referenced by:');
    const dt = query(['\\dt', '--format', 'csv']);
    expect(dt.stdout.split('\n')[0]).toBe('Schema,Name,Type,Owner');
    expect(dt.stdout).toContain('public,jobs,table,postgres');
  });

  it('bad usage is exit 2 with one line', () => {
    const format = query(['SELECT 1', '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/--format.*xml.*table, csv, json/);
    const empty = query([], { input: '-- only a comment\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr.trim()).toBe('connector-db: usage: no statement in the input (only blanks or comments)');
  });
});
