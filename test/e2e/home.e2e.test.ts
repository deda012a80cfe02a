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
});
