/**
 * A password full of URL and shell metacharacters works for pg_dump, psql
 * and pg_restore, and is in none of their command lines (read from
 * /proc/<pid>/cmdline while they run) nor their environments: it travels
 * in a 0600 passfile that is gone afterwards.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../src/core/backups/backup.js';
import { planRestore } from '../../src/core/backups/restore-plan.js';
import { executeRestore } from '../../src/core/backups/restore.js';
import type { SpawnFn } from '../../src/core/backups/tool-process.js';
import { upgradeToHead } from '../../src/core/migrations/index.js';
import { shippedMigrationsDir } from '../../src/core/system/package-root.js';
import { adminQuery as sharedAdminQuery, dbSettings } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import type { ClusterInfo } from '../harness/cluster.js';
import { BIN, cleanEnv } from '../cli/run-cli.js';

const PASSWORD = `p@ss:/w'o"rd\\x y%40`;
const ROLE = 'cdb_pw_role';
const DB = `t_backup_pw_${process.pid}`;

interface Seen {
  program: string;
  argv: string[];
  environ: string;
  /** False when the program had already exited before /proc could be read: argv and environ are then what was handed to execve. */
  fromProc: boolean;
  passfileMode?: number;
  passfile?: string;
}

function readProc(pid: number): { argv: string[]; environ: string } | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
    // A program that has already exited (a zombie) shows an empty cmdline and environ.
    return argv.length > 0 && environ !== '' ? { argv, environ } : undefined;
  } catch {
    return undefined;
  }
}

/** Spawns for real, and reads the child's /proc entries while it runs. */
function watchingSpawn(seen: Seen[]): SpawnFn {
  return (cmd, args, options) => {
    const child: ChildProcess = nodeSpawn(cmd, args, options);
    const proc = readProc(child.pid as number);
    // A quick program (pg_restore listing a small archive) can finish before we look; then judge what execve was given.
    const given = { argv: [cmd, ...args], environ: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`).join('\0') };
    const passfile = options.env?.PGPASSFILE;
    seen.push({ program: path.basename(cmd), ...(proc ?? given), fromProc: proc !== undefined, ...(passfile ? { passfile, passfileMode: statSync(passfile).mode & 0o777 } : {}) });
    return child;
  };
}

describe('a hard password reaches the PostgreSQL programs, never their argv', () => {
  let dc: DumpCluster;
  let c: ClusterInfo;
  let target: { host: string; port: number; user: string; password: string; database: string; sslmode: 'disable' };
  let settings: ReturnType<typeof dbSettings>;
  const adminQuery: typeof sharedAdminQuery = (sql, params = [], database = 'postgres') => sharedAdminQuery(sql, params, database, c);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cdb-pw-'));
  beforeAll(async () => {
    dc = await dumpableCluster();
    c = dc.info;
    target = { host: c.host, port: c.port, user: ROLE, password: PASSWORD, database: DB, sslmode: 'disable' };
    settings = dbSettings(target);
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}`);
    await adminQuery(`CREATE ROLE ${ROLE} LOGIN CREATEDB PASSWORD '${PASSWORD.replace(/'/g, "''")}'`);
    await adminQuery(`CREATE DATABASE ${DB} OWNER ${ROLE}`);
    const client = new pg.Client({ ...target });
    await client.connect();
    await upgradeToHead(client, { dir: shippedMigrationsDir() });
    await client.query(`insert into sessions select gen_random_uuid() from generate_series(1, 300)`);
    await client.end();
  }, 60_000);
  afterAll(async () => {
    for (const name of [DB, `${DB}_plain`, `${DB}_custom`]) await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}`);
    dc.stop();
  });

  it('backup (pg_dump) and restore (psql, pg_restore) work and keep the password out of argv and environ', async () => {
    const seen: Seen[] = [];
    const spawn = watchingSpawn(seen);
    // The shell's secret variables (an admin URL for setup, the app's own) reach none of the programs.
    const env = { ...process.env, CONNECTOR_DB_ADMIN_URL: 'postgresql://postgres:AdminLeak@x/postgres', DATABASE__PASSWORD: 'EnvLeak', PGPASSWORD: 'EnvLeak' };
    const plain = await runBackup({ db: settings, dir, format: { kind: 'plain', schemaOnly: false }, toolVersion: 'test', spawn, env });
    const custom = await runBackup({ db: settings, dir, format: { kind: 'custom', schemaOnly: false }, toolVersion: 'test', spawn, env });
    for (const [file, into] of [
      [plain.path, `${DB}_plain`],
      [custom.path, `${DB}_custom`],
    ] as const) {
      const plan = await planRestore({ db: settings, file, into, noOwner: false, noAcl: false, spawn, env });
      await executeRestore(plan, { db: settings, force: false, spawn, env });
      const { rows } = await adminQuery<{ n: number; owner: string }>(`select count(*)::int as n, (select tableowner from pg_tables where tablename = 'sessions') as owner from sessions`, [], into);
      expect(rows[0]).toEqual({ n: 300, owner: ROLE });
    }
    const programs = seen.map((s) => s.program);
    expect(programs.filter((p) => p === 'pg_dump')).toHaveLength(2);
    expect(programs).toContain('psql');
    // pg_restore twice: reading the archive's owners, then restoring it.
    expect(programs.filter((p) => p === 'pg_restore')).toHaveLength(2);
    for (const s of seen) {
      const line = s.argv.join(' ');
      expect(line).not.toContain('p@ss');
      expect(line).not.toContain(encodeURIComponent(PASSWORD));
      expect(s.environ).not.toContain('p@ss');
      expect(s.environ).not.toMatch(/AdminLeak|EnvLeak/);
      expect(s.environ).toContain(`PGUSER=${ROLE}`);
      // Every child that connects got the password through a 0600 passfile, removed when it finished.
      if (s.passfile) {
        expect(s.passfileMode).toBe(0o600);
        expect(existsSync(s.passfile)).toBe(false);
      }
    }
    expect(seen.filter((s) => s.program === 'pg_dump').every((s) => s.passfile)).toBe(true);
    // pg_dump connects and dumps: it is always still running when we look, so /proc itself was read at least there.
    expect(seen.filter((s) => s.program === 'pg_dump').every((s) => s.fromProc)).toBe(true);
  });

  it('through the built CLI: the running pg_dump child, read from /proc while it waits on a lock, has no password in argv', async () => {
    const locker = new pg.Client({ ...target });
    await locker.connect();
    await locker.query('begin; lock table sessions in access exclusive mode');
    // An admin URL in the shell (for setup) must not reach pg_dump either.
    const env = cleanEnv({ DATABASE__HOST: c.host, DATABASE__PORT: String(c.port), DATABASE__USER: ROLE, DATABASE__PASSWORD: PASSWORD, DATABASE__NAME: DB, DATABASE__SSLMODE: 'disable', BACKUP__DIR: dir, CONNECTOR_DB_ADMIN_URL: 'postgresql://postgres:AdminLeak@x/postgres' });
    const cli = nodeSpawn(BIN, ['backup', '--gzip', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    cli.stdout?.on('data', (d) => (stdout += d));
    const exited = new Promise<number>((r) => cli.once('exit', (code) => r(code ?? -1)));
    // Every child seen (the `pg_dump --version` probes too); done when the dumping pg_dump shows up.
    const children = new Map<string, { argv: string[]; environ: string }>();
    const dumping = () => [...children.values()].find((c) => c.argv.includes('--verbose'));
    const deadline = Date.now() + 15_000;
    while (!dumping() && Date.now() < deadline) {
      for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        try {
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid !== cli.pid) continue;
          // Between fork and exec a child is still a copy of node, with node's own environment: judge only exec'd programs.
          if (realpathSync(`/proc/${pid}/exe`) === realpathSync(process.execPath)) continue;
          const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
          if (argv.length > 0) children.set(`${pid}:${argv.join(' ')}`, { argv, environ: readFileSync(`/proc/${pid}/environ`, 'utf8') });
        } catch {
          // the process ended while we looked
        }
      }
      if (!dumping()) await new Promise((r) => setTimeout(r, 10));
    }
    const child = dumping();
    await locker.query('rollback');
    await locker.end();
    expect(await exited).toBe(0);
    expect(child).toBeDefined();
    expect(child?.argv.join(' ')).toContain('--format=plain');
    expect(child?.argv.join(' ')).not.toContain('p@ss');
    for (const c of children.values()) {
      expect(c.argv.join(' ')).not.toContain('p@ss');
      expect(c.environ).not.toContain('p@ss');
      expect(c.environ).not.toContain('AdminLeak');
    }
    expect(JSON.parse(stdout)).toMatchObject({ ok: true });
    expect(stdout).not.toContain('p@ss');
  }, 30_000);
});
