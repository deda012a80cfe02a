/**
 * The Query console with fake services: typing (q is text, not quit),
 * multi-line statements, history, scrolling a huge generated result with
 * fetching on demand, horizontal scroll, NULL drawn apart from '' and the
 * text "∅", the row view, expanded rows, the destructive-statement
 * question, and Ctrl-C (cancel when running, ask before quitting when idle).
 */
import { vi, describe, expect, it } from 'vitest';
vi.hoisted(() => {
  // Colour on, so the test can see that NULL cells are dim and text cells are not.
  process.env.FORCE_COLOR = '1';
});
import { fakeServices, KEYS, renderApp } from './helpers.js';
import { FakeSession, GeneratedResult, col, fakeQuery } from './query-fakes.js';
import { memoryHistory } from '../../src/core/query/history.js';
import { MemoryResult, type ResultSet } from '../../src/core/query/result-set.js';

const strip = (s: string) => s.replace(/\u001B\[[0-9;]*m/g, '');

function start(session = new FakeSession(), history = memoryHistory(), onQuit = vi.fn()) {
  const services = fakeServices({ query: fakeQuery(session, history) });
  const app = renderApp(services, { initialScreen: 'query', onQuit });
  const waitText = async (test: (f: string) => boolean, what: string) => strip(await app.waitFor((f) => test(strip(f)), what));
  /** Run `sql` (answered by `make`) in the console and wait for the first page of its 50-row pages. */
  const showFirstPage = async (sql: string, make: () => ResultSet) => {
    session.results[sql] = make;
    await waitText((f) => f.includes('Connected'), 'the console');
    await app.press(`${sql};`);
    await app.press(KEYS.enter);
    await waitText((f) => f.includes('row 1 of 50+'), 'the first page');
  };
  return { app, session, history, onQuit, waitText, showFirstPage, text: () => strip(app.frame()) };
}

describe('Query console', () => {
  it('runs a statement typed with q in it, shows the grid, the tag and the timing', async () => {
    const t = start();
    t.session.results['select quantity from q'] = () => new MemoryResult([col('quantity', 'int4')], [['7'], ['8']], 'SELECT 2');
    await t.waitText((f) => f.includes('Connected as app to connector_db'), 'the console');
    await t.app.press('select quantity from q;');
    await t.waitText((f) => f.includes('connector_db=> select quantity from q;'), 'the typed text');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('SELECT 2'), 'the result');
    expect(frame).toMatch(/quantity\s*\n[─┼]+\n7\s*\n8/);
    expect(frame).toContain('Time: 3.200 ms');
    expect(t.onQuit).not.toHaveBeenCalled();
    expect(t.session.executed).toEqual(['select quantity from q']);
    t.app.unmount();
  });

  it('Enter on an unfinished statement adds a line; the statement runs once it ends with ;', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select 1,');
    await t.app.press(KEYS.enter);
    await t.app.press("  'a;b' -- not the end;");
    await t.app.press(KEYS.enter);
    await t.app.press('2;');
    const frame = await t.waitText((f) => f.includes("connector_db->   'a;b' -- not the end;") && f.includes('connector_db-> 2;'), 'three lines');
    expect(frame).toContain('connector_db=> select 1,');
    expect(t.session.executed).toEqual([]);
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('Time:'), 'the run');
    expect(t.session.executed).toEqual(["select 1,\n  'a;b' -- not the end;\n2"]);
    t.app.unmount();
  });

  it('a paste (several keys in one read) treats each line break as Enter', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('\\dt\r');
    await t.waitText((f) => f.includes('List of relations (2 rows)'), 'the listing');
    await t.app.press('select 1,\r  2;\r');
    await t.waitText(() => t.session.executed.length === 1, 'the statement');
    expect(t.session.executed).toEqual(['select 1,\n  2']);
    t.app.unmount();
  });

  it('walks the history with Up and Down, keeps the draft, and records what ran', async () => {
    const history = memoryHistory(['select 1;', 'select 2;']);
    const t = start(new FakeSession(), history);
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('draft');
    await t.app.press(KEYS.up);
    await t.waitText((f) => f.includes('connector_db=> select 2;'), 'the newest entry');
    await t.app.press(KEYS.up);
    await t.waitText((f) => f.includes('connector_db=> select 1;'), 'the older entry');
    await t.app.press(KEYS.down);
    await t.app.press(KEYS.down);
    await t.waitText((f) => f.includes('connector_db=> draft'), 'the draft back');
    await t.app.press(KEYS.up);
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('Time:'), 'the run');
    expect(history.entries()).toEqual(['select 1;', 'select 2;']);
    await t.app.press('select 3;');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('Time:') && f.includes('connector_db=> \n') === false, 'the second run');
    expect(history.entries()).toEqual(['select 1;', 'select 2;', 'select 3;']);
    t.app.unmount();
  });

  it('an unfinished statement survives leaving the console with Esc: it is there again on the way back', { timeout: 15_000 }, async () => {
    const services = fakeServices({ query: fakeQuery(new FakeSession(), memoryHistory()) });
    const app = renderApp(services, { initialScreen: 'home' });
    await app.waitFor((f) => f.includes('Target'), 'Home');
    await app.press('jjjj');
    await app.waitFor((f) => f.includes('› Query'), 'Query selected');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Connected'), 'the console');
    await app.press('select id,\r  name');
    await app.waitFor((f) => /->\s+name/.test(strip(f)), 'the second line');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('Target'), 'Home again');
    await app.press('jjjj');
    await app.waitFor((f) => f.includes('› Query'), 'Query selected again');
    await app.press(KEYS.enter);
    const back = strip(await app.waitFor((f) => f.includes('Connected'), 'the console again'));
    expect(back).toContain('=> select id,');
    expect(back).toMatch(/->\s+name/);
    app.unmount();
  });

  it('Enter on an emptied prompt starts the history walk afresh: Up is the newest entry again', async () => {
    const history = memoryHistory(['select 1;', 'select 2;']);
    const t = start(new FakeSession(), history);
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press(KEYS.up);
    await t.waitText((f) => f.includes('connector_db=> select 2;'), 'the newest entry');
    await t.app.press('\u0015'); // Ctrl-U empties the line
    await t.waitText((f) => /connector_db=> *$/m.test(f), 'the empty prompt');
    await t.app.press(KEYS.enter);
    await t.app.press(KEYS.up);
    await t.waitText((f) => f.includes('connector_db=> select 2;'), 'the newest entry again, not select 1');
    t.app.unmount();
  });

  it("a password statement recalled from the history (masked '****') is not run: it says to type the password", async () => {
    const history = memoryHistory();
    const t = start(new FakeSession(), history);
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press("alter role app password 'S3cret!';");
    await t.app.press(KEYS.enter);
    await t.waitText(() => t.session.executed.length === 1, 'the statement');
    expect(history.entries()).toEqual(["alter role app password '****';"]);
    await t.app.press(KEYS.up);
    await t.waitText((f) => f.includes("connector_db=> alter role app password '****';"), 'the recalled entry');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('Not run:'), 'the refusal');
    expect(frame.replace(/\s+/g, ' ')).toContain("Not run: the password is '****' as the history masks it; type it again.");
    expect(frame).toContain("connector_db=> alter role app password '****';");
    expect(t.session.executed).toEqual(["alter role app password 'S3cret!'"]);
    t.app.unmount();
  });

  it('a 100 kB value with tabs and line breaks, and one with terminal codes: drawn at once, cut in the cell, codes shown as \\x1b', async () => {
    const t = start();
    const big = 'ab\tc\n'.repeat(20_000);
    t.session.results['select big'] = () => new GeneratedResult([col('big'), col('esc')], () => [big, '\u001b[31mred\u0007'], 1);
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select big;');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('row 1 of 1'), 'the result');
    expect(frame).toContain('ab→c↵ab→c↵');
    expect(frame).toContain('\\x1b[31mred\\x07');
    expect(t.app.frame()).not.toContain('\u001b[31mred');
    // The row in full: 20,000 lines of the value, wrapped at once, codes still escaped.
    await t.app.press('\t');
    await t.app.press(KEYS.enter);
    const full = await t.waitText((f) => f.includes('Row 1'), 'the row view');
    expect(full).toMatch(/lines 1–\d+ of 20004 /);
    t.app.unmount();
  });

  it('Tab and End in one read: End goes to the result Tab moved to, not to the editor', async () => {
    const t = start();
    await t.showFirstPage('select * from many', () => new GeneratedResult([col('n')], (i) => [String(i + 1)], 300));
    await t.app.press('\t\u001b[F');
    await t.waitText((f) => f.includes('row 300 of 300'), 'the last row, selected');
    expect(t.text()).toContain('connector_db=> \n');
    t.app.unmount();
  });

  it('scrolls a million-row result, fetching only as it goes, and scrolls columns sideways', async () => {
    const t = start();
    const names = ['id', 'alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    let result: GeneratedResult | undefined;
    await t.showFirstPage('select * from big', () => (result = new GeneratedResult(names.map((n) => col(n)), (i) => [String(i + 1), `a${i + 1}`.padEnd(28, '.'), `b${i + 1}`.padEnd(28, '.'), `g${i + 1}`.padEnd(28, '.'), `d${i + 1}`, `e${i + 1}`], 1_000_000)));
    expect(t.text()).toMatch(/^1\s+a1\.+/m);
    await t.app.press('\t');
    for (let i = 0; i < 5; i++) await t.app.press(KEYS.pageDown);
    const frame = await t.waitText((f) => /row \d+ of [\d,]+\+/.test(f) && !f.includes('row 1 of'), 'scrolled');
    const at = Number(/row (\d+) of/.exec(frame)?.[1]);
    expect(at).toBeGreaterThan(40);
    expect(frame).toMatch(new RegExp(`^${at}\\s+a${at}\\.`, 'm'));
    expect(result?.ensureCalls.length).toBeGreaterThan(0);
    expect(result!.loaded).toBeLessThan(1000); // fetched on demand, not the whole result
    expect(frame).not.toContain('epsilon');
    for (let i = 0; i < 4; i++) await t.app.press(KEYS.right);
    const sideways = await t.waitText((f) => f.includes('col 5 of 6'), 'horizontal scroll');
    expect(sideways).toMatch(/delta\s+epsilon/);
    expect(sideways).not.toMatch(/^\s*id\s/m);
    t.app.unmount();
  });

  it('keys that arrive in one chunk (a held key on a slow link) each move on from the previous one', async () => {
    const t = start();
    await t.showFirstPage('select * from big', () => new GeneratedResult([col('id')], (i) => [String(i + 1)], 1_000_000));
    await t.app.press('\t');
    await t.app.press(KEYS.pageDown);
    const one = Number(/row (\d+) of/.exec(await t.waitText((f) => !f.includes('row 1 of'), 'one page down'))?.[1]);
    const page = one - 1;
    expect(page).toBeGreaterThan(1);
    await t.app.press(`${KEYS.pageDown}${KEYS.pageDown}${KEYS.down}`);
    await t.waitText((f) => f.includes(`row ${1 + 3 * page + 1} of`), 'three pages and one row down');
    t.app.unmount();
  });

  it('draws NULL dim, unlike the empty string and the text "∅"; Enter opens the row in full', async () => {
    const t = start();
    t.session.results['select odd'] = () => new MemoryResult([col('n'), col('e'), col('t')], [[null, '', '∅']], 'SELECT 1');
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select odd;');
    await t.app.press(KEYS.enter);
    const frame = await t.app.waitFor((f) => strip(f).includes('SELECT 1'), 'the row');
    const row = frame.split('\n').find((l) => strip(l).startsWith('∅'));
    expect(row).toBeDefined();
    // The NULL cell is inside a dim span; the literal "∅" text (third column) is not.
    expect(row).toMatch(/\u001B\[2m[^\u001B]*∅/);
    expect(strip(row as string)).toMatch(/^∅\s+\s∅$/);
    expect((row as string).lastIndexOf('\u001B[2m')).toBeLessThan((row as string).lastIndexOf('∅') - 3);
    await t.app.press('\t');
    await t.app.press(KEYS.enter);
    const full = await t.waitText((f) => f.includes('Row 1'), 'the row view');
    expect(full).toMatch(/n \(text\)\s*│\s*\n│\s+NULL/);
    expect(full).toMatch(/e \(text\)\s*│\s*\n│\s+\(empty string\)/);
    expect(full).toMatch(/t \(text\)\s*│\s*\n│\s+∅/);
    await t.app.press(KEYS.escape);
    await t.waitText((f) => !f.includes('Row 1'), 'the row view to close');
    t.app.unmount();
  });

  it('\\x shows records one field per line, like psql', async () => {
    const t = start();
    t.session.results['select two'] = () => new MemoryResult([col('id', 'int4'), col('name')], [['1', 'alpha'], ['2', null]], 'SELECT 2');
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('\\x');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('Expanded display is on.'), 'the toggle');
    await t.app.press('select two;');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('-[ RECORD 2 ]'), 'expanded records');
    expect(frame).toMatch(/-\[ RECORD 1 \]-*\nid\s+│ 1\nname │ alpha\n-\[ RECORD 2 \]-*\nid\s+│ 2\nname │ ∅/);
    t.app.unmount();
  });

  it('\\dt shows the listing in the grid', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('\\dt');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('List of relations (2 rows)'), 'the listing');
    expect(frame).toMatch(/Schema\s+Name\s+Type\s+Owner/);
    expect(frame).toMatch(/public\s+sessions\s+table\s+app/);
    t.app.unmount();
  });

  it('asks before DELETE without WHERE (no answer, no run), not for DELETE ... WHERE false', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('delete from jobs;');
    await t.app.press(KEYS.enter);
    const q = await t.waitText((f) => f.includes('Run it? (y/N)'), 'the question');
    expect(q).toContain('DELETE without WHERE on jobs');
    await t.app.press('n');
    await t.waitText((f) => f.includes('Not run.'), 'the refusal');
    expect(t.session.executed).toEqual([]);
    await t.app.press('delete from jobs where false;');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('DELETE 0'), 'the run');
    expect(t.session.executed).toEqual(['delete from jobs where false']);
    await t.app.press('delete from jobs;');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('Run it? (y/N)'), 'the question again');
    await t.app.press('y');
    await t.waitText(() => t.session.executed.length === 2, 'the confirmed run');
    expect(t.session.executed[1]).toBe('delete from jobs');
    t.app.unmount();
  });

  it('asks before a DO block and a CALL (what they change cannot be read ahead); not in read-only mode', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('do $$ begin delete from jobs; end $$;');
    await t.app.press(KEYS.enter);
    const q = await t.waitText((f) => f.includes('Run it? (y/N)'), 'the question');
    expect(q).toContain('Cannot tell what this statement changes before it runs:');
    expect(q).toContain('DO block: plpgsql code; what it changes cannot be seen before it runs');
    await t.app.press('n');
    await t.waitText((f) => f.includes('Not run.'), 'the refusal');
    expect(t.session.executed).toEqual([]);
    await t.app.press('call maintenance.purge_finished_jobs_older_than_thirty_days(30);');
    await t.app.press(KEYS.enter);
    const call = await t.waitText((f) => f.includes('Run it? (y/N)'), 'the question for CALL');
    // A long name wraps inside the box instead of cutting off the reason.
    expect(call).toMatch(/CALL maintenance\.purge_finished_jobs_older_than_thirty_days: a procedure; what it changes *│\n│ {5}cannot be seen before it runs/);
    await t.app.press('y');
    await t.waitText(() => t.session.executed.length === 1, 'the confirmed run');
    await t.app.press('\u000F');
    await t.waitText((f) => f.includes('READ-ONLY'), 'read-only on');
    await t.app.press('do $$ begin delete from jobs; end $$;');
    await t.app.press(KEYS.enter);
    await t.waitText(() => t.session.executed.length === 2, 'no question in read-only mode (the server refuses writes)');
    expect(t.text()).not.toContain('Run it?');
    t.app.unmount();
  });

  it('Ctrl-C cancels a running statement on the server; idle, it asks before quitting', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select pg_sleep(30);');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('running… Ctrl-C cancels'), 'the running statement');
    await t.app.press(KEYS.ctrlC);
    await t.waitText((f) => f.includes('Cancelled: the server stopped the statement.'), 'the cancel');
    expect(t.session.cancels).toBe(1);
    expect(t.onQuit).not.toHaveBeenCalled();
    await t.app.press('select 1;');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('SELECT 1'), 'the next statement');
    await t.app.press(KEYS.ctrlC);
    await t.waitText((f) => f.includes('Quit connector-db? (y/N)'), 'the quit question');
    await t.app.press('n');
    await t.waitText((f) => !f.includes('Quit connector-db?'), 'the question to close');
    expect(t.onQuit).not.toHaveBeenCalled();
    await t.app.press(KEYS.ctrlC);
    await t.waitText((f) => f.includes('Quit connector-db? (y/N)'), 'the quit question again');
    await t.app.press('y');
    expect(t.onQuit).toHaveBeenCalledTimes(1);
    t.app.unmount();
  });

  it('e exports the whole result: asks for a file name, the extension picks the format', async () => {
    const session = new FakeSession();
    const calls: { file: string; format: string; loaded: number }[] = [];
    const services = fakeServices({
      query: fakeQuery(session, memoryHistory(), {
        exportDir: '/data/exports',
        exportResult: async (result, file, format) => {
          calls.push({ file, format, loaded: result.loaded });
          return { file, rows: 1_000_000, bytes: 52_000_000, format };
        },
      }),
    });
    session.results['select * from big'] = () => new GeneratedResult([col('id')], (i) => [String(i)], 1_000_000);
    const app = renderApp(services, { initialScreen: 'query' });
    const wait = async (test: (f: string) => boolean, what: string) => strip(await app.waitFor((f) => test(strip(f)), what));
    await wait((f) => f.includes('Connected'), 'the console');
    await app.press('select * from big;');
    await app.press(KEYS.enter);
    await wait((f) => f.includes('row 1 of 50+'), 'the first page');
    await app.press('\t');
    await app.press('e');
    const prompt = await wait((f) => f.includes('Export the whole result to'), 'the prompt');
    expect(prompt).toMatch(/file: query_\d{8}_\d{6}\.csv/);
    for (let i = 0; i < 30; i++) await app.press('\u007F');
    await app.press('jobs.txt');
    await app.press(KEYS.enter);
    await wait((f) => f.includes('the name must end with .csv or .json'), 'the refusal');
    for (let i = 0; i < 3; i++) await app.press('\u007F');
    await app.press('json');
    await app.press(KEYS.enter);
    await wait((f) => f.includes('Wrote 1,000,000 rows to /data/exports/jobs.json'), 'the summary');
    expect(calls).toEqual([{ file: '/data/exports/jobs.json', format: 'json', loaded: 50 }]);
    app.unmount();
  });

  it('a paste with a Tab and an Enter in it is text for the editor, not keys for the screen', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select 1;\r');
    await t.waitText((f) => f.includes('Time:'), 'a first result, so Tab would move to it');
    await t.app.press('select\t2;\r');
    await t.waitText(() => t.session.executed.length === 2, 'the pasted statement run');
    expect(t.session.executed[1]).toBe('select\t2');
    await new Promise((r) => setTimeout(r, 100));
    // The Tab did not move to the grid, and the Enter did not open a row there.
    const frame = t.text();
    expect(frame).not.toContain('Row 1');
    expect(frame).toContain('tab result');
    t.app.unmount();
  });

  it('the export file name and its Enter in one read export at once', async () => {
    const session = new FakeSession();
    const calls: string[] = [];
    const services = fakeServices({
      query: fakeQuery(session, memoryHistory(), {
        exportDir: '/data/exports',
        exportResult: async (_result, file, format) => {
          calls.push(file);
          return { file, rows: 2, bytes: 10, format };
        },
      }),
    });
    const app = renderApp(services, { initialScreen: 'query' });
    const wait = async (test: (f: string) => boolean, what: string) => strip(await app.waitFor((f) => test(strip(f)), what));
    await wait((f) => f.includes('Connected'), 'the console');
    await app.press('select 1;\r');
    await wait((f) => f.includes('Time:'), 'the statement typed and run from one read');
    await app.press('\t');
    await app.press('e');
    await wait((f) => f.includes('Export the whole result to'), 'the prompt');
    await app.press('\u007F'.repeat(30) + 'jobs.json\r');
    await wait((f) => f.includes('Wrote 2 rows to /data/exports/jobs.json'), 'the summary');
    expect(calls).toEqual(['/data/exports/jobs.json']);
    app.unmount();
  });

  it('Ctrl-O switches read-only on at once, and asks before switching it off', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('\u000F');
    const on = await t.waitText((f) => f.includes('READ-ONLY'), 'read-only on');
    expect(on).toContain('connector_db(ro)=>');
    expect(t.session.readOnly).toBe(true);
    await t.app.press('delete from jobs;');
    await t.app.press(KEYS.enter);
    await t.waitText((f) => f.includes('DELETE 0'), 'no question in read-only mode (the server refuses writes)');
    await t.app.press('\u000F');
    await t.waitText((f) => f.includes('Allow statements that write'), 'the question');
    await t.app.press('y');
    await t.waitText((f) => !f.includes('READ-ONLY') && f.includes('Read-write'), 'read-only off');
    expect(t.session.readOnly).toBe(false);
    t.app.unmount();
  });

  it('shows the server error with its position marked', async () => {
    const t = start();
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select 1,');
    await t.app.press(KEYS.enter);
    await t.app.press('  nope from jobs;');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('ERROR:  column "nope" does not exist'), 'the error');
    expect(frame).toMatch(/LINE 2: {3}nope from jobs\n {10}\^/);
    t.app.unmount();
  });

  it('an error repeating a statement with a password literal shows it masked, the caret still under the culprit', async () => {
    const history = memoryHistory();
    const t = start(new FakeSession(), history);
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press("alter role app password $pw$TopSecret42$pw$ nope;");
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('ERROR:  column "nope" does not exist'), 'the error');
    expect(frame).not.toContain('TopSecret42');
    expect(frame).toContain("LINE 1: alter role app password '****' nope\n" + ' '.repeat("LINE 1: alter role app password '****' ".length) + '^');
    expect(history.entries().join('\n')).not.toContain('TopSecret42');
    t.app.unmount();
  });

  it('fits the terminal width (ink-testing-library draws 100 columns; tmux checks 80x24)', async () => {
    const t = start();
    t.session.results['select wide'] = () => new MemoryResult([col('a'), col('b')], [['x'.repeat(200), '世界'.repeat(50)]], 'SELECT 1');
    await t.waitText((f) => f.includes('Connected'), 'the console');
    await t.app.press('select wide;');
    await t.app.press(KEYS.enter);
    const frame = await t.waitText((f) => f.includes('SELECT 1'), 'the result');
    expect(frame).toContain('…');
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    t.app.unmount();
  });
});
