/**
 * Restore on the real server: missing roles are named before anything
 * starts (and --no-owner / --no-acl get past them), a changed or cut file
 * is refused or rolled back with nothing left behind, and replacing a
 * database in use waits for consent, then swaps a whole copy in.
 */
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { planRestore, type RestorePlan } from '../../src/core/backups/restore-plan.js';
import { executeRestore } from '../../src/core/backups/restore.js';
import { ToolError } from '../../src/core/errors.js';
import { adminQuery as sharedAdminQuery, createTestDatabase as sharedCreate, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { fillConnectorDatabase, fingerprint } from '../harness/connector-fixture.js';
import { failure } from '../harness/failure.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-restore-'));
const OWNER = 'cdb_restore_owner';
const READER = 'cdb_restore_reader';
let dc: DumpCluster;
const adminQuery: typeof sharedAdminQuery = (sql, params = [], database = 'postgres') => sharedAdminQuery(sql, params, database, dc.info);
const createTestDatabase = (prefix: string) => sharedCreate(prefix, dc.info);

async function databaseExists(name: string): Promise<boolean> {
  return (await adminQuery('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
}

async function databasesLike(prefix: string): Promise<string[]> {
  return (await adminQuery<{ datname: string }>('select datname from pg_database where datname like $1 order by 1', [`${prefix}%`])).rows.map((r) => r.datname);
}

describe('restore', () => {
  let src: TestDatabase;
  let sourcePrint: Awaited<ReturnType<typeof fingerprint>>;
  let gz: string;
  let custom: string;
  beforeAll(async () => {
    dc = await dumpableCluster();
    src = await createTestDatabase('restore_src');
    await fillConnectorDatabase(src, 800);
    sourcePrint = await fingerprint(src);
    gz = (await runBackup({ db: src.settings, dir, format: { kind: 'gzip', schemaOnly: false }, toolVersion: 'test' })).path;
    custom = (await runBackup({ db: src.settings, dir, format: { kind: 'custom', schemaOnly: false }, toolVersion: 'test' })).path;
  }, 90_000);
  afterAll(async () => {
    for (const name of await databasesLike(src.name)) await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    for (const role of [OWNER, READER, `${OWNER}_gone`, `${READER}_gone`]) await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    dc.stop();
  });

  describe('roles the dump names', () => {
    let owned: TestDatabase;
    const files: Record<'gzip' | 'custom', string> = { gzip: '', custom: '' };
    beforeAll(async () => {
      owned = await createTestDatabase('restore_roles');
      await adminQuery(`DROP ROLE IF EXISTS ${OWNER}; DROP ROLE IF EXISTS ${READER}; CREATE ROLE ${OWNER}; CREATE ROLE ${READER}`);
      await owned.query(`create table notes (id int primary key, body text); insert into notes select g, 'n' || g from generate_series(1, 50) g;
                         alter table notes owner to ${OWNER}; grant select on notes to ${READER}`);
      files.gzip = (await runBackup({ db: owned.settings, dir, format: { kind: 'gzip', schemaOnly: false }, toolVersion: 'test' })).path;
      files.custom = (await runBackup({ db: owned.settings, dir, format: { kind: 'custom', schemaOnly: false }, toolVersion: 'test' })).path;
      // The roles exist no more under those names: a restore on another server.
      await adminQuery(`ALTER ROLE ${OWNER} RENAME TO ${OWNER}_gone; ALTER ROLE ${READER} RENAME TO ${READER}_gone`);
    }, 60_000);
    afterAll(async () => {
      await owned.drop();
    });

    for (const kind of ['gzip', 'custom'] as const) {
      it(`${kind}: names the missing owner before anything starts, then --no-owner --no-acl restores`, async () => {
        const into = `${src.name}_roles_${kind}`;
        const e = await failure(planRestore({ db: src.settings, file: files[kind], into, noOwner: false, noAcl: false }));
        expect(e.code).toBe('role_missing');
        expect(e.message).toContain(`"${OWNER}"`);
        expect(e.fixes[0]).toContain('--no-owner');
        const e2 = await failure(planRestore({ db: src.settings, file: files[kind], into, noOwner: true, noAcl: false }));
        expect(e2.code).toBe('role_missing');
        expect(e2.message).toContain(`"${READER}"`);
        expect(e2.fixes[0]).toContain('--no-acl');
        expect(await databaseExists(into)).toBe(false);
        const plan = await planRestore({ db: src.settings, file: files[kind], into, noOwner: true, noAcl: true });
        expect(plan.missingOwners).toEqual([OWNER]);
        await executeRestore(plan, { db: src.settings, force: false });
        const { rows } = await adminQuery<{ n: number; owner: string }>(`select count(*)::int as n, (select tableowner from pg_tables where tablename = 'notes') as owner from notes`, [], into);
        expect(rows[0]).toEqual({ n: 50, owner: 'postgres' });
      });
    }
  });

  it('a file changed after it was written is refused (checksum_mismatch), nothing created', async () => {
    const copyDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-flip-'));
    const file = path.join(copyDir, path.basename(gz));
    copyFileSync(gz, file);
    copyFileSync(gz + '.json', file + '.json');
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = (bytes[middle] as number) ^ 0xff;
    writeFileSync(file, bytes);
    const into = `${src.name}_flipped`;
    const e = await failure(planRestore({ db: src.settings, file, into, noOwner: false, noAcl: false }));
    expect(e.code).toBe('checksum_mismatch');
    expect(e.message).toMatch(/does not match its manifest's sha256/);
    expect(await databaseExists(into)).toBe(false);
  });

  it('a gzip file cut short (no manifest to catch it) is stopped before psql commits; the created database is dropped again', async () => {
    const cutDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-cut-'));
    const file = path.join(cutDir, 'cut.sql.gz');
    copyFileSync(gz, file);
    truncateSync(file, Math.floor(statSync(file).size * 0.8));
    const into = `${src.name}_cut`;
    const plan = await planRestore({ db: src.settings, file, into, noOwner: false, noAcl: false }).catch((e: unknown) => e);
    // The role scan reads the whole file first and already meets the damage.
    const e = plan instanceof ToolError ? plan : await failure(executeRestore(plan as RestorePlan, { db: src.settings, force: false }));
    expect(e.code).toBe('restore_failed');
    expect(e.message).toMatch(/unexpected end of file|cut short/);
    expect(await databaseExists(into)).toBe(false);
  });

  it('a plain SQL file without its last line is not committed: psql is stopped, nothing restored', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cdb-cut-')), 'partial.sql');
    writeFileSync(file, `--\n-- PostgreSQL database dump\n--\n\nSET client_encoding = 'UTF8';\nCREATE TABLE half_done (id int);\nINSERT INTO half_done VALUES (1);\n`);
    const into = `${src.name}_half`;
    await adminQuery(`CREATE DATABASE "${into}"`);
    const plan = await planRestore({ db: src.settings, file, into, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('empty');
    const e = await failure(executeRestore(plan, { db: src.settings, force: false }));
    expect(e.code).toBe('restore_failed');
    expect(e.message).toMatch(/cut short/);
    expect((await adminQuery(`select to_regclass('half_done') as t`, [], into)).rows[0]?.t).toBeNull();
  });

  it('a file that is not pg_dump\'s (a hand-written script, a binary) is refused before anything is created', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-notdump-'));
    const into = `${src.name}_notdump`;
    for (const [name, content] of [
      ['seed.sql', 'CREATE TABLE seeded (id int);\n'],
      ['elf.sql', readFileSync('/bin/ls').subarray(0, 5000)],
      ['seed.sql.gz', gzipSync('INSERT INTO x VALUES (1);\n')],
    ] as const) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      const e = await failure(planRestore({ db: src.settings, file, into, noOwner: false, noAcl: false }));
      expect(e.message).toBe(`${name} is not a pg_dump file: it does not start with pg_dump's "-- PostgreSQL database dump" header. Nothing was changed.`);
      expect(e.exitCode).toBe(2);
      expect(e.fixes[0]).toContain(`connector-db query < ${name}`);
      expect(await databaseExists(into)).toBe(false);
    }
  });

  it('a failing statement rolls the whole restore back and leaves the database it was to replace untouched', async () => {
    const target = await createTestDatabase('restore_keep');
    await target.query(`create table precious (id int); insert into precious values (42)`);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cdb-bad-')), 'bad.sql.gz');
    writeFileSync(file, gzipSync(`--\n-- PostgreSQL database dump\n--\n\nCREATE TABLE fine (id int);\nSELECT no_such_function();\n-- PostgreSQL database dump complete\n`));
    const plan = await planRestore({ db: target.settings, file, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('replace');
    const e = await failure(executeRestore(plan, { db: target.settings, force: false }));
    expect(e.code).toBe('restore_failed');
    expect(e.evidence.join('\n')).toMatch(/function no_such_function\(\) does not exist/);
    expect((await target.query('select id from precious')).rows).toEqual([{ id: 42 }]);
    expect(await databasesLike(`${target.name}_`)).toEqual([]);
    await target.drop();
  });

  it('replacing a database in use waits for consent; with it, the sessions go and the restored copy is swapped in', async () => {
    const target = await createTestDatabase('restore_swap');
    await target.query(`create table old_stuff (id int)`);
    await adminQuery(`ALTER DATABASE "${target.name}" CONNECTION LIMIT 17`);
    const other = new pg.Client({ ...target.target, application_name: 'the-app' });
    other.on('error', () => {});
    await other.connect();
    const plan = await planRestore({ db: target.settings, file: custom, noOwner: false, noAcl: false });
    expect(plan.mode).toBe('replace');
    expect(plan.sessions.map((s) => s.application)).toContain('the-app');
    const e = await failure(executeRestore(plan, { db: target.settings, force: false }));
    expect(e.code).toBe('database_in_use');
    expect(e.evidence.join('\n')).toMatch(/\(the-app\)/);
    expect((await target.query(`select to_regclass('old_stuff') is not null as ok`)).rows[0]?.ok).toBe(true);
    // The restored copy was kept; clear it before the real attempt.
    for (const name of await databasesLike(`${target.name}_restore_`)) await adminQuery(`DROP DATABASE "${name}"`);
    const done = await executeRestore(plan, { db: target.settings, force: true });
    expect(done.mode).toBe('replace');
    expect(await fingerprint(target)).toEqual(sourcePrint);
    expect((await target.query(`select to_regclass('old_stuff') as t`)).rows[0]?.t).toBeNull();
    const limit = await adminQuery<{ datconnlimit: number }>('select datconnlimit from pg_database where datname = $1', [target.name]);
    expect(limit.rows[0]?.datconnlimit).toBe(17);
    expect(await databasesLike(`${target.name}_`)).toEqual([]);
    await other.end().catch(() => {});
    await target.drop();
  });
});
