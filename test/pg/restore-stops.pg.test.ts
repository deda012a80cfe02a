/**
 * A restore whose psql or pg_restore stops before the end of the file, or
 * that a person cancels, settles at once: the program's own error (or
 * "cancelled"), the database the restore created dropped again, the
 * database it was to replace untouched. The files are large enough (tens of
 * MB) that the pipe to the child is full when it stops: the case that used
 * to hang for ever.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { planRestore, type RestorePlan } from '../../src/core/backups/restore-plan.js';
import { executeRestore, type RestoreEvent } from '../../src/core/backups/restore.js';
import { copyFromFreshBackup } from '../../src/core/rehearsal/copy-from-backup.js';
import { adminQuery as sharedAdminQuery, createTestDatabase as sharedCreate, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { failure } from '../harness/failure.js';
import { BIN, cleanEnv } from '../cli/run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-rstop-'));
const ROWS = 300_000;
// Generous: the machine is shared; a hang is for ever, a healthy failure takes about a second.
const PROMPT_MS = 20_000;
let dc: DumpCluster;
const adminQuery: typeof sharedAdminQuery = (sql, params = [], database = 'postgres') => sharedAdminQuery(sql, params, database, dc.info);

async function databasesLike(prefix: string): Promise<string[]> {
  return (await adminQuery<{ datname: string }>('select datname from pg_database where datname like $1 order by 1', [`${prefix.replace(/_/g, '\\_')}%`])).rows.map((r) => r.datname);
}

/** Waits until psql or pg_restore streams rows into `into` (the restore's session is active there). */
async function whenStreaming(into: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    // The restore tool's own session ("connector-db restore PID-xxxxxx"), not the plan's look at the target ("connector-db restore").
    const { rows } = await adminQuery<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = $1 and application_name like 'connector-db restore %' and state = 'active'`, [into]);
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  expect.fail(`the restore into ${into} never got busy`);
}

/** Runs the restore and measures how long it takes to settle. */
async function timed(plan: RestorePlan, run: Omit<Parameters<typeof executeRestore>[1], 'db'>, db: TestDatabase) {
  const started = Date.now();
  const e = await failure(executeRestore(plan, { db: db.settings, ...run }));
  return { e, ms: Date.now() - started };
}

describe('a restore that stops early or is cancelled', () => {
  let src: TestDatabase;
  const files = { plain: '', gzip: '', custom: '', badPlain: '', badGzip: '' };
  beforeAll(async () => {
    dc = await dumpableCluster();
    src = await sharedCreate('rstop_src', dc.info);
    // ~20 MB of SQL that compresses only about 2:1: every kind fills the pipe many times over.
    await src.query(`create table big as select g as id, md5(g::text) || md5((g * 7)::text) as payload from generate_series(1, ${ROWS}) g`);
    await src.query('alter table big add primary key (id)');
    for (const kind of ['plain', 'gzip', 'custom'] as const) {
      files[kind] = (await runBackup({ db: src.settings, dir, format: { kind, schemaOnly: false }, toolVersion: 'test' })).path;
    }
    // The reviewer's file: a statement that fails, early in a whole dump (no manifest: it was edited).
    const text = readFileSync(files.plain, 'utf8');
    const at = text.indexOf('\nCREATE TABLE');
    expect(at).toBeGreaterThan(0);
    const bad = `${text.slice(0, at + 1)}SELECT this_is_an_error;\n${text.slice(at + 1)}`;
    const badDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-rstop-bad-'));
    files.badPlain = path.join(badDir, 'bad.sql');
    writeFileSync(files.badPlain, bad);
    files.badGzip = path.join(badDir, 'bad.sql.gz');
    writeFileSync(files.badGzip, gzipSync(bad));
  }, 180_000);
  afterAll(async () => {
    for (const name of await databasesLike(src.name)) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    dc.stop();
  });

  it('plain, into a new database: psql stops at the error; the failure comes at once with its message and the database is dropped', async () => {
    const into = `${src.name}_bad_plain`;
    const plan = await planRestore({ db: src.settings, file: files.badPlain, into, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('create');
    const { e, ms } = await timed(plan, { force: false }, src);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toBe('psql exited with code 3; the transaction was rolled back, nothing was restored');
    expect(e.evidence.join('\n')).toMatch(/ERROR: {2}column "this_is_an_error" does not exist/);
    expect(await databasesLike(into)).toEqual([]);
  }, 60_000);

  it('gzip, replacing a database: the scratch copy is dropped and the original is untouched', async () => {
    const target = await sharedCreate('rstop_keep', dc.info);
    await target.query(`create table precious (id int); insert into precious values (42)`);
    const plan = await planRestore({ db: target.settings, file: files.badGzip, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('replace');
    const { e, ms } = await timed(plan, { force: false }, target);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toMatch(/^psql exited with code 3/);
    expect(e.evidence.join('\n')).toMatch(/column "this_is_an_error" does not exist/);
    expect((await target.query('select id from precious')).rows).toEqual([{ id: 42 }]);
    expect(await databasesLike(`${target.name}_`)).toEqual([]);
    await target.drop();
  }, 60_000);

  it("custom, into an empty database holding a domain named big: pg_restore fails early; its error is reported and the database keeps only what it had", async () => {
    const into = `${src.name}_domain`;
    await adminQuery(`CREATE DATABASE "${into}"`);
    await adminQuery('create domain big as int', [], into);
    const plan = await planRestore({ db: src.settings, file: files.custom, into, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('empty');
    const { e, ms } = await timed(plan, { force: false }, src);
    expect(ms).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('restore_failed');
    expect(e.message).toBe('pg_restore exited with code 1; the transaction was rolled back, nothing was restored');
    expect(e.evidence.join('\n')).toMatch(/type "big" already exists/);
    // It existed before the restore, so it stays, as it was.
    const left = await adminQuery<{ tables: number; domains: number }>(
      `select (select count(*)::int from pg_tables where schemaname = 'public') as tables, (select count(*)::int from pg_type where typtype = 'd' and typname = 'big') as domains`,
      [],
      into,
    );
    expect(left.rows[0]).toEqual({ tables: 0, domains: 1 });
    expect(await databasesLike(`${into}_`)).toEqual([]);
  }, 60_000);

  it('cancelled mid-stream (AbortSignal), replacing a database: settles at once as cancelled, scratch dropped, original untouched', async () => {
    const target = await sharedCreate('rstop_cancel', dc.info);
    await target.query(`create table precious (id int); insert into precious values (7)`);
    const plan = await planRestore({ db: target.settings, file: files.plain, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('replace');
    const controller = new AbortController();
    let abortedAt = 0;
    let scratchSeen = false;
    const onEvent = (ev: RestoreEvent) => {
      if (ev.type === 'step' && ev.text.startsWith('restoring into')) scratchSeen = true;
      // Well inside the ~20 MB file: psql is busy with the rows.
      if (ev.type === 'progress' && ev.bytes > 4_000_000 && !abortedAt) {
        abortedAt = Date.now();
        controller.abort();
      }
    };
    const e = await failure(executeRestore(plan, { db: target.settings, force: false, signal: controller.signal, onEvent }));
    expect(scratchSeen).toBe(true);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('cancelled');
    expect(e.message).toMatch(/the restore was cancelled/);
    expect((await target.query('select id from precious')).rows).toEqual([{ id: 7 }]);
    expect(await databasesLike(`${target.name}_`)).toEqual([]);
    await target.drop();
  }, 60_000);

  it('cancelled mid-stream (AbortSignal), custom into a new database: the database is dropped again', async () => {
    const into = `${src.name}_cancel_custom`;
    const plan = await planRestore({ db: src.settings, file: files.custom, into, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('create');
    const controller = new AbortController();
    let abortedAt = 0;
    const e = await failure(
      executeRestore(plan, {
        db: src.settings,
        force: false,
        signal: controller.signal,
        onEvent: (ev) => {
          if (ev.type === 'progress' && ev.bytes > 2_000_000 && !abortedAt) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      }),
    );
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('cancelled');
    expect(await databasesLike(into)).toEqual([]);
  }, 60_000);

  it('cancelled while the plan checks the file against its manifest: "cancelled", not the interrupted read\'s own error', async () => {
    const controller = new AbortController();
    const into = `${src.name}_never`;
    const e = await failure(
      planRestore({ db: src.settings, file: files.custom, into, noOwner: false, noAcl: false, signal: controller.signal, onEvent: (ev) => ev.type === 'verifying' && controller.abort() }),
    );
    expect(e.code).toBe('cancelled');
    expect(e.message).toBe('the restore was cancelled while it was being prepared; nothing was restored');
    expect(await databasesLike(into)).toEqual([]);
  });

  it("the rehearsal's copy from a fresh backup runs the same restore: cancelled mid-restore, it settles at once and leaves its scratch empty", async () => {
    const scratch = `${src.name}_rehearse`;
    await adminQuery(`CREATE DATABASE "${scratch}" TEMPLATE template0`);
    const tmpRoot = mkdtempSync(path.join(os.tmpdir(), 'cdb-rstop-rehearse-'));
    const controller = new AbortController();
    const copying = failure(copyFromFreshBackup({ db: src.settings, toolVersion: 'test', tmpRoot })(scratch, controller.signal));
    await whenStreaming(scratch);
    const abortedAt = Date.now();
    controller.abort();
    const e = await copying;
    expect(Date.now() - abortedAt).toBeLessThan(PROMPT_MS);
    expect(e.code).toBe('cancelled');
    const left = await adminQuery<{ tables: number; sessions: number }>(
      `select (select count(*)::int from pg_tables where schemaname = 'public') as tables, (select count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) as sessions`,
      [],
      scratch,
    );
    // Rolled back, and the restore's own session was ended rather than left to notice on its own.
    expect(left.rows[0]).toEqual({ tables: 0, sessions: 0 });
    expect(readdirSync(tmpRoot)).toEqual([]);
  }, 90_000);

  describe('the built CLI', () => {
    const env = () => cleanEnv({ DATABASE__URL: src.url, DATABASE__SSLMODE: 'disable', BACKUP__DIR: dir });
    const children: ChildProcess[] = [];
    // A run that hangs must not outlive its test.
    afterEach(() => {
      for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });

    /** `group`: its own process group, as a terminal's foreground job (a Ctrl-C reaches every process in it). */
    function start(args: string[], options: { group?: boolean } = {}) {
      const cli = nodeSpawn(BIN, args, { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: options.group === true });
      children.push(cli);
      const out = { stdout: '', stderr: '' };
      cli.stdout?.on('data', (d) => (out.stdout += d));
      cli.stderr?.on('data', (d) => (out.stderr += d));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => cli.once('exit', (code, signal) => r({ code, signal })));
      return { cli, out, exited };
    }

    it("restore of the bad file exits 1 within seconds with psql's error; the new database is gone", async () => {
      const into = `${src.name}_cli_bad`;
      const started = Date.now();
      const { out, exited } = start(['restore', files.badPlain, '--into', into, '--yes']);
      expect(await exited).toEqual({ code: 1, signal: null });
      expect(Date.now() - started).toBeLessThan(PROMPT_MS + 10_000);
      expect(out.stderr).toContain(`restore: restoring into ${into}`);
      expect(out.stderr).toContain('restore_failed: psql exited with code 3; the transaction was rolled back, nothing was restored');
      expect(out.stderr).toMatch(/column "this_is_an_error" does not exist/);
      expect(out.stderr).toContain(`restore: dropping ${into} again`);
      expect(await databasesLike(into)).toEqual([]);
    }, 60_000);

    it('SIGTERM mid-restore: the first signal cancels, the process exits 1 promptly, the new database is gone', async () => {
      const into = `${src.name}_cli_term`;
      const { cli, out, exited } = start(['restore', files.plain, '--into', into, '--yes']);
      await whenStreaming(into);
      const killedAt = Date.now();
      cli.kill('SIGTERM');
      expect(await exited).toEqual({ code: 1, signal: null });
      expect(Date.now() - killedAt).toBeLessThan(PROMPT_MS);
      expect(out.stderr).toMatch(/cancelled: the restore was cancelled/);
      expect(out.stderr).toContain(`restore: dropping ${into} again`);
      expect(await databasesLike(into)).toEqual([]);
    }, 60_000);

    it('Ctrl-C in a terminal (SIGINT to the whole process group, psql included) mid-restore of a .dump: exits 1 promptly, the new database is gone', async () => {
      const into = `${src.name}_cli_int`;
      const { cli, out, exited } = start(['restore', files.custom, '--into', into, '--yes'], { group: true });
      await whenStreaming(into);
      const killedAt = Date.now();
      process.kill(-(cli.pid as number), 'SIGINT');
      expect(await exited).toEqual({ code: 1, signal: null });
      expect(Date.now() - killedAt).toBeLessThan(PROMPT_MS);
      expect(out.stderr).toMatch(/cancelled: the restore was cancelled/);
      expect(await databasesLike(into)).toEqual([]);
    }, 60_000);
  });
});
