/**
 * The `?` overlay in a real 80x24 terminal on the screens with the most
 * keys (Query with the grid focused, Migrations, Monitor): it stays inside
 * the screen's rows (the title line above and the status bar below are
 * intact in every frame), scrolls with ↓ / PgDn / PgUp, says when there is
 * more below, and every key of the screen can be read in it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { applyConnectorSchema } from '../harness/connector-schema.js';

/** A key as the overlay labels it, and the start of its description. */
type Expected = [keys: string, description: string];

const GLOBAL: Expected[] = [
  ['?', 'show all keys'],
  ['esc', 'go back to the previous screen'],
  ['q', 'quit connector-db'],
];

const QUERY_GRID: Expected[] = [
  ['↑ / k', 'previous row'],
  ['↓ / j', 'next row'],
  ['pgup', 'page up'],
  ['pgdn', 'page down'],
  ['home / g', 'first row'],
  ['end / G', 'last row (fetches the whole result;'],
  ['← / h', 'scroll columns left'],
  ['→ / l', 'scroll columns right'],
  ['enter', 'show the selected row in full'],
  ['e', 'export the whole result to a CSV or JSON'],
  ['x', 'expanded rows (one field per line)'],
  ['tab / esc', 'back to the input'],
  ['^C', 'cancel the running statement on the server;'],
  ['^O', 'switch read-only transactions on or off'],
  ['?', 'show all keys'],
  ['q', 'quit connector-db'],
];

const MIGRATIONS: Expected[] = [
  ['↑ / k', 'select the newer revision'],
  ['↓ / j', 'select the older revision'],
  ['u', 'upgrade one step: show the next'],
  ['U', 'upgrade to head'],
  ['d', 'downgrade one step: show the current'],
  ['s', 'stamp the selected revision'],
  ['enter / v', 'view the selected revision'],
  ['r', 'read the status again'],
  ['R', 'rehearse the pending migrations on a scratch'],
  ...GLOBAL,
];

const MONITOR: Expected[] = [
  ['space / p', 'pause or resume the 2 s refresh'],
  ['c', "cancel the selected backend's running"],
  ['t', 'terminate the selected backend (asks first)'],
  ['tab / →', 'next tab (1-6 jump to one)'],
  ['shift+tab / ←', 'previous tab'],
  ['enter', 'the selected session in full'],
  ['r', 'refresh now (also while paused)'],
  ['↑ / k', 'move up'],
  ['↓ / j', 'move down'],
  ['pgup', 'a page up'],
  ['pgdn', 'a page down'],
  ['1', 'tab 1:'],
  ['6', 'tab 6:'],
  ...GLOBAL,
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the ? overlay at 80x24', () => {
  let db: TestDatabase;
  /** Nothing migrated yet: the Migrations screen offers every key, rehearse included. */
  let empty: TestDatabase;
  let tmux: TmuxSession | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('e2e_help');
    await applyConnectorSchema(db);
    empty = await createTestDatabase('e2e_help_empty');
  });
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
    await empty.drop();
  });
  const env = (target = db) => ({ DATABASE__URL: target.url, DATABASE__SSLMODE: 'disable' });

  /**
   * Open the overlay, page through it to its end, and return every line it
   * showed. Each frame must keep the title line and the status bar whole.
   */
  async function readHelp(t: TmuxSession, title: string, statusBar: RegExp): Promise<string[]> {
    // A whole frame: the overlay's bottom border and the status bar under it (a capture can land mid-draw).
    const whole = (s: string) => {
      const lines = s.split('\n');
      return lines.some((l) => l.startsWith('╰')) && lines.some((l) => statusBar.test(l));
    };
    t.send('?');
    let screen = await t.waitFor((s) => s.includes(`Keys · ${title}`) && whole(s));
    const seen: string[] = [];
    for (let page = 0; page < 10; page++) {
      const lines = screen.split('\n');
      expect(lines[0]).toMatch(new RegExp(`^connector-db .* · ${escapeRe(title)}`));
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      const bar = lines.findIndex((l) => statusBar.test(l));
      expect(bar, `the status bar in:\n${screen}`).toBeGreaterThan(0);
      // While the overlay is open, the hint line says what its keys do (q and Esc close it, they do not quit or go back).
      expect(lines[bar + 1], `the key hints under the status bar in:\n${screen}`).toMatch(/^↑\/↓ scroll {2}pgup\/pgdn page {2}any key close\s*$/);
      // The overlay: from its top border to its bottom border, all above the status bar.
      const top = lines.findIndex((l) => l.startsWith('╭'));
      const bottom = lines.findIndex((l) => l.startsWith('╰'));
      expect(top).toBeGreaterThan(0);
      expect(bottom).toBeGreaterThan(top);
      expect(bottom).toBeLessThan(bar);
      expect(lines[top + 1]).toContain(`Keys · ${title}`);
      seen.push(...lines.slice(top + 2, bottom - 1));
      const footer = lines[bottom - 1] as string;
      if (!footer.includes('more below')) {
        expect(footer).toMatch(/end of the list|any key closes this help/);
        break;
      }
      const before = screen;
      t.send('PageDown');
      screen = await t.waitFor((s) => s !== before && whole(s));
    }
    return seen;
  }

  function expectEveryKey(seen: string[], expected: Expected[]): void {
    const text = seen.join('\n');
    for (const [keys, description] of expected) {
      // The key's label starts a row, its description beside it (or on the next row when the label is long).
      expect(text, `${keys}: ${description}`).toMatch(new RegExp(`^│ ${escapeRe(keys)} +(?:${escapeRe(description)}|│?\\n│ +${escapeRe(description)})`, 'm'));
    }
  }

  it('Query with the grid focused: every key, scrolling with PgDn, back up with PgUp, Esc closes', async () => {
    tmux = new TmuxSession();
    tmux.start(['query'], env());
    await tmux.waitFor('Connected as postgres');
    tmux.type('SELECT * FROM sessions;');
    tmux.send('Enter');
    await tmux.waitFor('SELECT 0');
    tmux.send('Tab');
    await tmux.waitFor('tab/esc input');
    const seen = await readHelp(tmux, 'Query', /^ Query · postgres@/);
    expectEveryKey(seen, QUERY_GRID);
    const end = tmux.capture();
    tmux.send('PageUp');
    await tmux.waitFor((s) => s !== end && s.includes('more below'));
    tmux.send('Escape');
    await tmux.waitFor((s) => !s.includes('Keys · Query') && s.includes('tab/esc input'));
    // The key that closed the help did nothing else: the grid still has the focus.
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });

  it('Migrations: every key', async () => {
    tmux?.kill();
    tmux = new TmuxSession();
    tmux.start([], env(empty));
    await tmux.waitFor(/PostgreSQL 1\d/);
    tmux.send('Down');
    await tmux.waitFor(/› Setup/);
    tmux.send('Down');
    await tmux.waitFor(/› Migrations/);
    tmux.send('Enter');
    await tmux.waitFor('at base · 3 pending (head 003)');
    expectEveryKey(await readHelp(tmux, 'Migrations', /^ Migrations · postgres@/), MIGRATIONS);
    tmux.send('x');
    await tmux.waitFor((s) => !s.includes('Keys · Migrations') && s.includes('at base · 3 pending (head 003)'));
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });

  it('Monitor: every key', async () => {
    tmux?.kill();
    tmux = new TmuxSession();
    tmux.start([], env());
    await tmux.waitFor(/PostgreSQL 1\d/);
    for (let i = 0; i < 5; i++) tmux.send('Down');
    await tmux.waitFor(/› Monitor/);
    tmux.send('Enter');
    await tmux.waitFor('Conn ');
    expectEveryKey(await readHelp(tmux, 'Monitor', /^ Monitor · postgres@/), MONITOR);
    tmux.send('?');
    await tmux.waitFor((s) => !s.includes('Keys · Monitor'));
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });
});
