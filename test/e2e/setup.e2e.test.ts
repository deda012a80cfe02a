/**
 * `connector-db setup` as a person runs it, in a real terminal: typed
 * passwords (the role's and the admin's) are never echoed, the statements
 * and the .env diff are shown before anything happens, and the answers
 * leave a migrated database and a 0600 .env.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { adminQuery, cluster } from '../harness/pg.js';
import { parseDotenv } from '../../src/core/config/dotenv.js';

describe('setup in a terminal', () => {
  let tmux: TmuxSession | undefined;
  const [role, db] = ['cdb_tty_app', 'cdb_tty_db'];
  afterAll(async () => {
    tmux?.kill();
    await adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await adminQuery(`DROP ROLE IF EXISTS ${role}`);
  });

  it('asks, never echoes a password, shows what it will do, and sets everything up', async () => {
    const c = cluster();
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-tty-'));
    const home = mkdtempSync(path.join(os.tmpdir(), 'cdb-home-'));
    tmux = new TmuxSession();
    tmux.start(['setup', '--host', c.host, '--port', String(c.port), '--database', db, '--user', role], { HOME: home, CONNECTOR_DB_CONFIG_DIR: path.join(home, 'cfg') }, { cwd, height: 40 });
    await tmux.waitFor(`Password for role ${role} (empty: generate one):`);
    tmux.type('Tty-Secret-1');
    tmux.send('Enter');
    await tmux.waitFor('Again:');
    tmux.type('Tty-Secret-1');
    tmux.send('Enter');
    await tmux.waitFor('Admin login to create them (a URL, or a role name)? [postgres]');
    tmux.send('Enter');
    await tmux.waitFor('Password for postgres');
    tmux.type(c.password);
    tmux.send('Enter');
    const statements = await tmux.waitFor('Run these statements? [y/N]');
    expect(statements).toContain(`CREATE ROLE "${role}" LOGIN PASSWORD '****';`);
    expect(statements).toContain(`CREATE DATABASE "${db}" OWNER "${role}";`);
    tmux.type('y');
    tmux.send('Enter');
    const diff = await tmux.waitFor('Write .env? [y/N]');
    expect(diff).toContain(`+ DATABASE__USER=${role}`);
    expect(diff).toContain('+ DATABASE__PASSWORD=****');
    tmux.type('y');
    tmux.send('Enter');
    const done = await tmux.waitFor('✓ Set up', 30_000);
    expect(done).toContain('migrated base → 003 (3 migrations): now at 003 (head)');
    expect(await tmux.waitForExit()).toBe(0);
    const screen = tmux.capture();
    expect(screen).not.toContain('Tty-Secret-1');
    expect(screen).not.toContain(c.password);
    expect(screen).toMatch(/Run these statements\? \[y\/N\] y\n/); // echoed once: no earlier prompt still listening
    const envFile = path.join(cwd, '.env');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(parseDotenv(readFileSync(envFile, 'utf8'), envFile).entries.get('DATABASE__PASSWORD')?.value).toBe('Tty-Secret-1');
  });
});
