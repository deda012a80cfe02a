/**
 * The `?` overlay drawn in a terminal of a given size: at 80x24 a long list
 * (the Query console with the grid focused) stays inside the screen's rows
 * and scrolls, with the title line and the status bar whole; a wide
 * terminal shows it in two columns with nothing to scroll; a short list is
 * one column that any key closes, as before.
 */
import { describe, expect, it } from 'vitest';
import { fakeServices, KEYS, renderAppSized } from './helpers.js';
import { FakeSession, fakeQuery } from './query-fakes.js';

const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '');

async function queryGridHelp(size: { columns: number; rows: number }) {
  const app = renderAppSized(fakeServices({ query: fakeQuery(new FakeSession()) }), size, { initialScreen: 'query' });
  const text = async (test: (f: string) => boolean, what: string) => strip(await app.waitFor((f) => test(strip(f)), what));
  await text((f) => f.includes('Connected'), 'the console');
  await app.press('select 1;');
  await app.press(KEYS.enter);
  await text((f) => f.includes('Time:'), 'the result');
  await app.press('\t');
  await text((f) => f.includes('tab/esc input'), 'the grid focused');
  await app.press('?');
  const help = await text((f) => f.includes('Keys · Query'), 'the help');
  return { app, text, help };
}

/** The frame's rows, the way the terminal shows them (Ink keeps the last row free). */
const rowsOf = (frame: string) => frame.replace(/\n$/, '').split('\n');

describe('the ? overlay', () => {
  it('at 80x24 fits above the status bar, says there is more, and scrolls to every key', async () => {
    const { app, text, help } = await queryGridHelp({ columns: 80, rows: 24 });
    const rows = rowsOf(help);
    expect(rows.length).toBeLessThanOrEqual(23);
    for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
    expect(rows[0]).toMatch(/^connector-db .* · Query/);
    expect(rows.at(-2)).toMatch(/^ Query · app@db\.example:5432\/connector_db/);
    expect(rows.at(-1)).toMatch(/^↑\/↓ scroll {2}pgup\/pgdn page {2}any key close/);
    expect(rows.at(-3)).toMatch(/^╰─+╯$/);
    expect(help).toMatch(/│ ↑ \/ k +previous row/);
    expect(help).toMatch(/│ more below ↓ · ↑↓ PgUp PgDn scroll · any other key closes/);
    expect(help).not.toContain('quit connector-db');

    await app.press(KEYS.down);
    const scrolled = await text((f) => !f.includes('previous row') && f.includes('next row'), 'one line down');
    expect(scrolled).toContain('more above ↑ and below ↓');
    await app.press(KEYS.pageDown);
    const end = await text((f) => f.includes('end of the list'), 'the end');
    expect(end).toMatch(/│ q +quit connector-db/);
    expect(end).toMatch(/│ \^O +switch read-only transactions on or off \(turning them off asks +│\n│ +first\)/);
    expect(rowsOf(end).length).toBeLessThanOrEqual(23);
    await app.press(KEYS.pageUp);
    await text((f) => f.includes('│ ↑ / k') && f.includes('more below'), 'back at the top');

    // Esc closes the help and nothing else: the grid keeps the focus.
    await app.press(KEYS.escape);
    const closed = await text((f) => !f.includes('Keys · Query'), 'the help to close');
    expect(closed).toContain('tab/esc input');
    app.unmount();
  });

  it('in a wide terminal shows every key in two columns, with nothing to scroll', async () => {
    const { app, help } = await queryGridHelp({ columns: 140, rows: 24 });
    expect(help).toContain('quit connector-db');
    expect(help).toContain('show the selected row in full');
    expect(help).toContain('any key closes this help');
    expect(help).not.toContain('more below');
    // Side by side: a row holds the keys of both columns.
    expect(rowsOf(help).find((r) => r.includes('previous row'))).toMatch(/│ ↑ \/ k +previous row +[^\s│]/);
    for (const row of rowsOf(help)) expect(row.length).toBeLessThanOrEqual(140);
    app.unmount();
  });

  it('a short list is one column, and any key closes it (an arrow too, when there is nothing to scroll)', async () => {
    const app = renderAppSized(fakeServices(), { columns: 80, rows: 24 });
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'Home');
    await app.press('?');
    const help = strip(await app.waitFor((f) => f.includes('Keys · Home'), 'the help'));
    expect(help).toContain('any key closes this help');
    expect(help).toMatch(/│ q +quit connector-db/);
    expect(rowsOf(help).at(-1)).toMatch(/^any key close\s*$/);
    await app.press(KEYS.down);
    await app.waitFor((f) => !f.includes('Keys · Home') && f.includes('Doctor'), 'the help to close');
    app.unmount();
  });
});
