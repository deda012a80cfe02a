/**
 * The console in a real 80x24 terminal against the throwaway server:
 * `connector-db query` opens it, \dt and a SELECT fill the grid, Ctrl-C
 * cancels pg_sleep on the server, history is kept (0600) for the next run,
 * Ctrl-C when idle asks before quitting, and a DO block asks before it runs
 * (on the console and in the `query` command at a terminal).
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { applyConnectorSchema } from '../harness/connector-schema.js';

describe('Query console in tmux', () => {
  let db: TestDatabase;
  let tmux: TmuxSession | undefined;
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'cdb-e2e-config-'));
  beforeAll(async () => {
    db = await createTestDatabase('e2e_query');
    await applyConnectorSchema(db);
    await db.query(`INSERT INTO sessions (session_id) VALUES ('11111111-1111-1111-1111-111111111111')`);
    await db.query(`INSERT INTO jobs (session_id, job_type, status, input, result) VALUES
      ('11111111-1111-1111-1111-111111111111', 'scrape', 'finished', '{"url":"https://a"}', NULL),
      ('11111111-1111-1111-1111-111111111111', 'digest', 'queued', '{}', '{"ok":true}')`);
  });
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
  });

  const env = () => ({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable', CONNECTOR_DB_CONFIG_DIR: configDir });

  /** A fresh `connector-db query` in its own pane, once it says it is connected. */
  const openConsole = async (): Promise<TmuxSession> => {
    tmux?.kill();
    const session = new TmuxSession();
    tmux = session;
    session.start(['query'], env());
    await session.waitFor('Connected as postgres');
    return session;
  };
  /** Ctrl-C when idle asks before quitting; y quits with 0. */
  const quitConsole = async (session: TmuxSession): Promise<void> => {
    session.send('C-c');
    await session.waitFor('Quit connector-db? (y/N)');
    session.send('y');
    expect(await session.waitForExit()).toBe(0);
  };

  it('\\dt and a SELECT show in the grid; Ctrl-C cancels pg_sleep; idle Ctrl-C asks before quitting', async () => {
    tmux = new TmuxSession();
    tmux.start(['query'], env());
    await tmux.waitFor(`Connected as postgres to ${db.name}`);
    tmux.type('\\dt');
    tmux.send('Enter');
    const listing = await tmux.waitFor('List of relations (6 rows)');
    expect(listing).toMatch(/Schema\s+Name\s+Type\s+Owner/);
    for (const table of ['documentation_items', 'job_progress', 'jobs', 'relevant_chunks', 'session_data', 'sessions']) expect(listing).toMatch(new RegExp(`public\\s+${table}\\s+table\\s+postgres`));

    tmux.type('SELECT job_type, status, result FROM jobs ORDER BY 1;');
    tmux.send('Enter');
    const grid = await tmux.waitFor('SELECT 2');
    expect(grid).toMatch(/job_type\s+status\s+result/);
    expect(grid).toMatch(/digest\s+queued\s+\{"ok": true\}/);
    expect(grid).toMatch(/scrape\s+finished\s+∅/);
    expect(grid).toMatch(/Time: \d+\.\d{3} ms/);
    for (const line of grid.split('\n')) expect(line.length).toBeLessThanOrEqual(80);

    tmux.type('SELECT pg_sleep(30);');
    tmux.send('Enter');
    await tmux.waitFor('running… Ctrl-C cancels');
    const pressed = Date.now();
    tmux.send('C-c');
    await tmux.waitFor('Cancelled: the server stopped the statement.');
    expect(Date.now() - pressed).toBeLessThan(2000);

    tmux.type('SELECT count(*) AS n FROM jobs;');
    tmux.send('Enter');
    await tmux.waitFor((s) => /^n\s*$/m.test(s) && /^2\s*$/m.test(s));

    await quitConsole(tmux);

    const file = path.join(configDir, 'query-history.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { entries: string[] };
    expect(saved.entries).toEqual(['\\dt', 'SELECT job_type, status, result FROM jobs ORDER BY 1;', 'SELECT pg_sleep(30);', 'SELECT count(*) AS n FROM jobs;']);
  });

  it('the history from the last run comes back with Up', async () => {
    tmux = await openConsole();
    tmux.send('Up');
    await tmux.waitFor(`${db.name}=> SELECT count(*) AS n FROM jobs;`);
    await quitConsole(tmux);
  });

  it('terminal codes in a server error or notice are shown escaped, not obeyed (no colour, no window title)', async () => {
    tmux = await openConsole();
    tmux.type("select E'\\x1b]2;PWNED\\x07\\x1b[31mred'::int;");
    tmux.send('Enter');
    const screen = await tmux.waitFor('invalid input syntax for type integer');
    expect(screen).toContain('\\x1b]2;PWNED\\x07\\x1b[31mred');
    expect(tmux.capture({ escapes: true })).not.toContain('\u001b]2;PWNED');
    await quitConsole(tmux);
  });

  it('End on two million rows fetches in the background; Ctrl-C stops it there and the console stays usable', async () => {
    tmux = await openConsole();
    tmux.type('select g, md5(g::text) from generate_series(1, 2000000) g;');
    tmux.send('Enter');
    await tmux.waitFor(/row 1 of [\d,]+\+/);
    tmux.send('Tab');
    tmux.send('End');
    await tmux.waitFor('fetching rows…');
    tmux.send('C-c');
    const stopped = await tmux.waitFor(/Fetching stopped at [\d,]+ rows/, 20_000);
    const at = Number(/Fetching stopped at ([\d,]+) rows/.exec(stopped)?.[1]?.replace(/,/g, ''));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(2_000_000);
    expect(stopped).not.toContain('Quit connector-db?');
    expect(stopped).not.toContain('SELECT 2000000');
    // The selection went to the last row fetched, and ↓ goes on fetching from there.
    expect(stopped).toMatch(new RegExp(`row ${at.toLocaleString('en-US')} of ${at.toLocaleString('en-US')}\\+`));
    await quitConsole(tmux);
  }, 60_000);

  it('a DO block that deletes asks first: n leaves every row, y runs it', async () => {
    await db.query('CREATE TABLE big AS SELECT g AS id FROM generate_series(1, 2000) g');
    const rows = async () => (await db.query('SELECT count(*)::int AS n FROM big')).rows[0]?.n;
    tmux = await openConsole();
    tmux.type('DO $$ begin delete from big; end $$;');
    tmux.send('Enter');
    const question = await tmux.waitFor('Run it? (y/N)');
    expect(question).toContain('Cannot tell what this statement changes before it runs:');
    expect(question).toContain('DO block: plpgsql code; what it changes cannot be seen before it runs');
    tmux.send('n');
    await tmux.waitFor('Not run.');
    expect(await rows()).toBe(2000);
    tmux.send('Up');
    tmux.send('Enter');
    await tmux.waitFor('Run it? (y/N)');
    tmux.send('y');
    await tmux.waitFor(/^DO\s*$/m);
    expect(await rows()).toBe(0);
    await quitConsole(tmux);
    await db.query('DROP TABLE big');
  });

  it('`query` with SQL at a terminal asks before a DO block too: n runs nothing (exit 1), y runs it', async () => {
    await db.query('CREATE TABLE big2 AS SELECT g AS id FROM generate_series(1, 500) g');
    const rows = async () => (await db.query('SELECT count(*)::int AS n FROM big2')).rows[0]?.n;
    const sql = 'DO $$ begin delete from big2; end $$';
    tmux?.kill();
    tmux = new TmuxSession();
    tmux.start(['query', sql], env());
    const question = await tmux.waitFor('Run it? [y/N]');
    expect(question).toContain('Cannot tell what this statement changes before it runs:');
    expect(question).toContain('  - DO block: plpgsql code; what it changes cannot be seen before it runs');
    tmux.send('n', 'Enter');
    expect(await tmux.waitForExit()).toBe(1);
    expect(tmux.capture()).toContain('nothing was run');
    expect(await rows()).toBe(500);

    tmux.kill();
    tmux = new TmuxSession();
    tmux.start(['query', sql], env());
    await tmux.waitFor('Run it? [y/N]');
    tmux.send('y', 'Enter');
    expect(await tmux.waitForExit()).toBe(0);
    expect(await rows()).toBe(0);
    await db.query('DROP TABLE big2');
  });
});
