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

/** The screen without its line breaks (an 80-column pane wraps long lines). */
const joined = (screen: string) => screen.replace(/\n/g, '');

describe('setup in a terminal', () => {
  let tmux: TmuxSession | undefined;
  let tmux2: TmuxSession | undefined;
  const [role, db] = ['cdb_tty_app', 'cdb_tty_db'];
  const [role2, db2] = ['cdb_tty_url_app', 'cdb_tty_url_db'];
  afterAll(async () => {
    tmux?.kill();
    tmux2?.kill();
    for (const d of [db, db2]) await adminQuery(`DROP DATABASE IF EXISTS ${d} WITH (FORCE)`);
    for (const r of [role, role2]) await adminQuery(`DROP ROLE IF EXISTS ${r}`);
  });

  it('a password corrected with backspace stays hidden; an admin URL typed at the prompt shows its password as ****', async () => {
    const c = cluster();
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-tty-'));
    const home = mkdtempSync(path.join(os.tmpdir(), 'cdb-home-'));
    tmux2 = new TmuxSession();
    tmux2.start(['setup', '--host', c.host, '--port', String(c.port), '--database', db2, '--user', role2, '--no-migrate'], { HOME: home, CONNECTOR_DB_CONFIG_DIR: path.join(home, 'cfg') }, { cwd, height: 40 });
    await tmux2.waitFor(`Password for role ${role2} (empty: generate one):`);
    // readline redraws the whole line on a backspace or an edit inside it: none of that may reach the screen.
    tmux2.type('Tty-Secret-2x');
    tmux2.send('BSpace');
    tmux2.send('Left');
    tmux2.type('y');
    tmux2.send('Right');
    await new Promise((r) => setTimeout(r, 200));
    expect(tmux2.capture()).not.toMatch(/Tty|Secret/);
    tmux2.send('Enter');
    await tmux2.waitFor('Again:');
    tmux2.type('Tty-Secret-y2');
    tmux2.send('Enter');
    await tmux2.waitFor('Admin login to create them (a URL, or a role name)? [postgres]');
    const url = `postgresql://${c.user}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/postgres`;
    for (const piece of [url.slice(0, url.indexOf('@') - 2), url.slice(url.indexOf('@') - 2, url.indexOf('@') + 4), url.slice(url.indexOf('@') + 4)]) {
      tmux2.type(piece);
      await new Promise((r) => setTimeout(r, 100));
      expect(joined(tmux2.capture())).not.toContain(encodeURIComponent(c.password).slice(0, 6));
    }
    // The prompt and the URL wrap at 80 columns: read the screen as one text. Drawn once, no leftovers of earlier draws.
    const prompt = await tmux2.waitFor((screen) => joined(screen).includes(`[postgres] postgresql://${c.user}:****@${c.host}:${c.port}/postgres`));
    expect(joined(prompt).split('Admin login to create them').length).toBe(2);
    tmux2.send('BSpace');
    tmux2.type('s');
    tmux2.send('Enter');
    await tmux2.waitFor('Run these statements? [y/N]');
    tmux2.type('y');
    tmux2.send('Enter');
    await tmux2.waitFor('Write .env? [y/N]');
    tmux2.type('y');
    tmux2.send('Enter');
    await tmux2.waitFor('✓ Set up', 30_000);
    expect(await tmux2.waitForExit()).toBe(0);
    const screen = joined(tmux2.capture());
    expect(screen).not.toMatch(/Tty|Secret/);
    expect(screen).not.toContain(c.password);
    expect(screen).not.toContain(encodeURIComponent(c.password));
    expect(parseDotenv(readFileSync(path.join(cwd, '.env'), 'utf8'), '.env').entries.get('DATABASE__PASSWORD')?.value).toBe('Tty-Secret-y2');
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
