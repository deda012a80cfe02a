/**
 * backup, backup list, restore and reset through the built binary, the way
 * scripts and people call them: one JSON document on stdout with --json,
 * progress on stderr, exit codes 0 / 1 / 2, no question without a terminal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminQuery as sharedAdminQuery, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';
import { fillConnectorDatabase, fingerprint } from '../harness/connector-fixture.js';
import { cleanEnv, runCli } from '../cli/run-cli.js';

describe('backup, restore and reset commands (built binary, real server)', () => {
  let db: TestDatabase;
  let dc: DumpCluster;
  const adminQuery: typeof sharedAdminQuery = (sql, params = [], database = 'postgres') => sharedAdminQuery(sql, params, database, dc.info);
  let cwd: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('backup_cli', dc.info);
    await fillConnectorDatabase(db, 300);
    cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-bcli-'));
    env = cleanEnv({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
  }, 60_000);
  afterAll(async () => {
    for (const suffix of ['_into', '_at002']) await adminQuery(`DROP DATABASE IF EXISTS "${db.name}${suffix}" WITH (FORCE)`);
    await db.drop();
    dc.stop();
  });

  it('backup --gzip --json: one document on stdout, progress on stderr, the file in ./backups', () => {
    const r = runCli(['backup', '--gzip', '--json'], { cwd, env });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, manifest: { database: db.name, format: { kind: 'gzip', schemaOnly: false }, migration: { current: '003' } } });
    expect(doc.path).toBe(path.join(cwd, 'backups', doc.file));
    expect(doc.file).toMatch(/\.sql\.gz$/);
    expect(r.stderr).toMatch(/backup: writing .*\(names are in UTC\)/);
    expect(r.stderr).toMatch(/backup +\d+%/);
    expect(r.stderr).not.toContain(db.target.password as string);
  });

  it('backup list: newest first with revision and check; a changed file is flagged and the exit code is 1', () => {
    const second = runCli(['backup', '--format', 'custom', '--json'], { cwd, env });
    expect(second.code).toBe(0);
    const list = runCli(['backup', 'list', '--json'], { cwd, env });
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.stdout);
    expect(doc.ok).toBe(true);
    expect(doc.backups.map((b: { status: string }) => b.status)).toEqual(['ok', 'ok']);
    expect(doc.backups[0].file).toBe(JSON.parse(second.stdout).file);
    expect(doc.backups[0].revision).toBe('003');

    const victim = doc.backups[1].path as string;
    const bytes = readFileSync(victim);
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0x55;
    writeFileSync(victim, bytes);
    const text = runCli(['backup', 'list'], { cwd, env });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✓ sha256 ok/);
    expect(text.stdout).toMatch(/✗ CHECKSUM/);
    expect(text.stdout).toContain(`✗ ${path.basename(victim)}: sha256`);
    const damaged = runCli(['backup', 'list', '--json'], { cwd, env });
    expect(damaged.code).toBe(1);
    expect(JSON.parse(damaged.stdout).ok).toBe(false);
    // Leave it whole again for the tests below.
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] as number) ^ 0x55;
    writeFileSync(victim, bytes);
  });

  it('--gzip with --format custom is bad usage (exit 2, one line)', () => {
    const r = runCli(['backup', '--gzip', '--format', 'custom'], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('connector-db: usage: --gzip applies to plain SQL; --format custom is already compressed (drop one of them)');
    const file = runCli(['backup', 'list', '--dir', '/etc/passwd'], { cwd, env });
    expect(file.code).toBe(2);
    expect(file.stderr.trim()).toBe('connector-db: usage: The backups folder /etc/passwd is a file, not a folder; allowed: a folder (--dir or BACKUP__DIR)');
  });

  it('restore asks for the name; without a terminal and without --yes it refuses (exit 2) and changes nothing', () => {
    const list = JSON.parse(runCli(['backup', 'list', '--json'], { cwd, env }).stdout);
    const r = runCli(['restore', list.backups[0].path, '--into', `${db.name}_into`], { cwd, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Restore plan/);
    expect(r.stderr).toMatch(/does not exist: it will be created/);
    expect(r.stderr).toMatch(/needs a person at a terminal; pass --yes/);
  });

  it('restore --into --yes --json restores an identical copy and reports the revision', async () => {
    const list = JSON.parse(runCli(['backup', 'list', '--json'], { cwd, env }).stdout);
    const r = runCli(['restore', list.backups[1].path, '--into', `${db.name}_into`, '--yes', '--json'], { cwd, env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, target: `${db.name}_into`, mode: 'create', behind: false, revision: { current: '003', head: '003' } });
    const copy = { query: (sql: string, params: unknown[] = []) => adminQuery(sql, params, `${db.name}_into`) };
    expect(await fingerprint(copy as Parameters<typeof fingerprint>[0])).toEqual(await fingerprint(db));
  });

  it('a backup taken at 002 restored: "at 002, files reach 003: run ... upgrade head"', async () => {
    await adminQuery(`CREATE DATABASE "${db.name}_at002"`);
    const at002 = cleanEnv({ DATABASE__URL: db.url.replace(/\/[^/]+$/, `/${db.name}_at002`), DATABASE__SSLMODE: 'disable' });
    expect(runCli(['migrate', 'upgrade', '002'], { cwd, env: at002 }).code).toBe(0);
    const b = JSON.parse(runCli(['backup', '--json'], { cwd, env: at002 }).stdout);
    expect(b.manifest.migration).toMatchObject({ current: '002', head: '003', pending: 1 });
    expect(runCli(['migrate', 'upgrade'], { cwd, env: at002 }).code).toBe(0);
    const r = runCli(['restore', b.path, '--yes', '--no-backup'], { cwd, env: at002, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('revision: at 002, files reach 003: run connector-db migrate upgrade head');
    expect(r.stderr).toMatch(/will be REPLACED/);
    // Into another database: the command names that database (plain `migrate upgrade` would upgrade the configured one), and it works as printed.
    const apart = { ...at002, DATABASE__URL: (at002.DATABASE__URL as string).replace(/:[^:@/]+@/, '@'), DATABASE__PASSWORD: db.target.password as string };
    const into = runCli(['restore', b.path, '--into', `${db.name}_at002_copy`, '--yes', '--json'], { cwd, env: apart, timeoutMs: 60_000 });
    expect(into.code).toBe(0);
    const note = JSON.parse(into.stdout).revisionNote as string;
    const command = /run (connector-db --url '[^']+' migrate upgrade head)$/.exec(note)?.[1] as string;
    expect(command).toContain(`/${db.name}_at002_copy`);
    expect(command).not.toContain(db.target.password as string);
    const url = /--url '([^']+)'/.exec(command)?.[1] as string;
    expect(runCli(['--url', url, 'migrate', 'upgrade', 'head'], { cwd, env: apart }).code).toBe(0);
    const current = JSON.parse(runCli(['--url', url, 'migrate', 'current', '--json'], { cwd, env: apart }).stdout);
    expect(current.current).toBe('003');
    await adminQuery(`DROP DATABASE IF EXISTS "${db.name}_at002_copy" WITH (FORCE)`);
  });

  it('reset without a terminal needs --yes; with --yes it backs up first, then empties and migrates to head', async () => {
    const refused = runCli(['reset'], { cwd, env });
    expect(refused.code).toBe(2);
    const before = JSON.parse(runCli(['backup', 'list', '--json'], { cwd, env }).stdout).backups.length;
    const r = runCli(['reset', '--yes', '--json'], { cwd, env, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ ok: true, recreate: false, from: '003', revision: '003', down: ['003', '002', '001'], up: ['001', '002', '003'] });
    expect(doc.backup).toMatch(/\.sql\.gz$/);
    expect(JSON.parse(runCli(['backup', 'list', '--json'], { cwd, env }).stdout).backups.length).toBe(before + 1);
    expect(Number((await db.query('select count(*) as n from jobs')).rows[0]?.n)).toBe(0);
  });
});
