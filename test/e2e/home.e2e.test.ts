/**
 * The built binary in a real 80x24 terminal against the throwaway server:
 * Home shows the target and server version, ? shows help, q quits with 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';

describe('TUI in tmux', () => {
  let db: TestDatabase;
  let tmux: TmuxSession;
  beforeAll(async () => {
    db = await createTestDatabase('e2e_home');
  });
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
  });

  it('opens Home, shows the target and version, ? shows help, q exits 0', async () => {
    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
    const home = await tmux.waitFor(/PostgreSQL 1\d\.\d+/);
    expect(home).toContain(`postgres@127.0.0.1:${db.target.port}/${db.name}`);
    expect(home).not.toContain(db.target.password as string);
    expect(home).toContain('Doctor');
    tmux.send('?');
    const help = await tmux.waitFor('Keys · Home');
    expect(help).toMatch(/q\s+quit connector-db/);
    tmux.send('Escape');
    await tmux.waitFor((s) => !s.includes('Keys · Home'));
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });

  it('keys sent in one write act one after another, each on what the previous one drew: ↓↓↓ Enter opens the fourth entry, jj moves twice', async () => {
    const fast = new TmuxSession();
    try {
      fast.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
      await fast.waitFor(/PostgreSQL 1\d\.\d+/);
      // Five times over: the bug was a race, lost one time in two.
      for (let round = 0; round < 5; round++) {
        fast.send('Down', 'Down', 'Down', 'Enter');
        await fast.waitFor((s) => /connector-db \S+ · (Backups|Migrations|Setup|Doctor)/.test(s.split('\n')[0] ?? ''));
        expect(fast.capture().split('\n')[0]).toMatch(/· Backups$/);
        fast.send('Escape');
        await fast.waitFor('› Doctor');
      }
      fast.send('j', 'j');
      await fast.waitFor('› Migrations');
      fast.send('jj');
      await fast.waitFor('› Query');
    } finally {
      fast.kill();
    }
  }, 60_000);

  it('a resize redraws the screen for the new size: smaller keeps the title and the status bar, larger uses the room', async () => {
    const sized = new TmuxSession();
    try {
      sized.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
      await sized.waitFor(/PostgreSQL 1\d\.\d+/);
      sized.resize(60, 18);
      // The pane's rows without the blank ones below the status bar: the status line, then the hints, come last.
      const rows = (screen: string) => screen.trimEnd().split('\n');
      // Waited for whole: between the resize and the redraw, a frame drawn for the old size can show for a moment.
      const small = await sized.waitFor((s) => /^connector-db \S+ · Home/.test(rows(s)[0] ?? '') && / Home · /.test(rows(s).at(-2) ?? '') && rows(s).every((l) => l.length <= 60));
      expect(rows(small)[0]).toMatch(/^connector-db \S+ · Home/);
      expect(rows(small).at(-1)).toMatch(/^r reconnect {2}enter open/);
      for (const line of rows(small)) expect(line.length).toBeLessThanOrEqual(60);
      sized.resize(100, 30);
      const large = await sized.waitFor((s) => /^connector-db \S+ · Home/.test(rows(s)[0] ?? '') && / Home · /.test(rows(s).at(-2) ?? '') && rows(s).length >= 28);
      expect(rows(large)[0]).toMatch(/^connector-db \S+ · Home/);
      expect(large).toContain('› Doctor');
      // Below 50x17 the rows would run into each other: one line says so, and the screen comes back as it was.
      sized.send('Down');
      await sized.waitFor('› Setup');
      sized.resize(80, 14);
      const tiny = await sized.waitFor('connector-db needs a terminal of at least 50×17; this one is 80×14.');
      expect(tiny).not.toContain('› Setup');
      sized.resize(80, 24);
      await sized.waitFor((s) => /^connector-db \S+ · Home/.test(rows(s)[0] ?? '') && s.includes('› Setup'));
    } finally {
      sized.kill();
    }
  }, 30_000);

  it('DATABASE__ECHO on the screens: statements go to a 0600 log file that Home names, never onto the screen', async () => {
    const { mkdtempSync, readFileSync, statSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const state = mkdtempSync(`${tmpdir()}/cdb-state-`);
    const echo = new TmuxSession();
    try {
      echo.start([], { DATABASE__URL: db.url, DATABASE__ECHO: 'true', XDG_STATE_HOME: state });
      const screen = await echo.waitFor(/PostgreSQL 1\d/);
      // The path may be cut with … at 80 columns; its start is enough to know which file.
      expect(screen).toContain(`statements logged to ${state}`.slice(0, 60));
      expect(screen).not.toContain('[echo]');
      const log = readFileSync(`${state}/connector-db/echo.log`, 'utf8');
      expect(log).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z \[echo\] select current_setting\('server_version'\)/m);
      expect(log).not.toContain(db.target.password as string);
      expect(statSync(`${state}/connector-db/echo.log`).mode & 0o777).toBe(0o600);
      echo.send('q');
      expect(await echo.waitForExit()).toBe(0);
    } finally {
      echo.kill();
    }
  });

  it('NO_COLOR: the screens draw without colour codes', async () => {
    const plain = new TmuxSession();
    try {
      plain.start([], { DATABASE__URL: db.url, NO_COLOR: '1' });
      await plain.waitFor(/PostgreSQL 1\d/);
      const withCodes = plain.capture({ escapes: true });
      expect(withCodes).not.toMatch(/\u001B\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[25])[;m]/);
      plain.send('q');
      expect(await plain.waitForExit()).toBe(0);
    } finally {
      plain.kill();
    }
  });

  it('TERM=dumb: prints help and says why instead of drawing', async () => {
    const dumb = new TmuxSession();
    try {
      dumb.start([], { DATABASE__URL: db.url, TERM: 'dumb' }, { height: 60 });
      expect(await dumb.waitForExit()).toBe(0);
      const screen = dumb.capture();
      expect(screen).toContain('Usage: connector-db');
      expect(screen).toContain('the screens did not open (TERM=dumb has no cursor movement)');
    } finally {
      dumb.kill();
    }
  });
});
