/**
 * The built binary in a real 80x24 terminal: Home → Doctor against a port
 * where nothing listens shows the refused diagnosis, its evidence and the
 * fix; r checks again against the real server once the port is right.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { freePort } from '../harness/cluster.js';
import { cluster, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { openClient } from '../../src/core/db/connect.js';
import { upgrade } from '../../src/core/migrations/runner.js';
import { findBinaries } from '../../src/core/system/pg-binaries.js';
import path from 'node:path';

describe('Doctor screen in tmux', () => {
  let db: TestDatabase;
  let tmux: TmuxSession;
  beforeAll(async () => {
    db = await createTestDatabase('e2e_doctor');
  });
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
  });

  it('a closed port: the refused diagnosis with its evidence and fixes, in 80x24', async () => {
    const closed = await freePort();
    tmux = new TmuxSession();
    // 127.0.0.2: this machine, where nothing listens on any port (so no "answers on port N" hint).
    tmux.start([], { DATABASE__HOST: '127.0.0.2', DATABASE__PORT: String(closed), DATABASE__USER: 'app', DATABASE__PASSWORD: 'hunter2-secret', DATABASE__NAME: db.name });
    await tmux.waitFor('› Doctor'); // the first menu entry, selected
    tmux.send('Enter');
    const screen = await tmux.waitFor('fix (copy and run)');
    expect(screen).toContain('✗ 1 failed');
    expect(screen).toMatch(/✗ Server reachable\s+connection_refused/);
    expect(screen).toContain(`Nothing accepts connections at 127.0.0.2:${closed}`);
    expect(screen).toContain(`connect ECONNREFUSED 127.0.0.2:${closed}`);
    expect(screen).toContain(`DATABASE__PORT=${closed} (env)`);
    expect(screen).toContain('sudo systemctl start postgresql');
    expect(screen).toContain('11 skipped: needs "Server reachable" (connection_refused)');
    expect(screen).not.toContain('hunter2-secret');
    const lines = screen.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    tmux.send('PageDown');
    await tmux.waitFor('connector-db devdb start');
    tmux.send('Escape');
    await tmux.waitFor('› Doctor'); // Home's menu (a q right after Esc would read as Alt-q)
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });

  it('a healthy (migrated) target: nothing failed, each check on its line', async () => {
    const client = await openClient(db.settings);
    try {
      await upgrade(client, { dir: path.resolve(import.meta.dirname, '../../sql-migrations'), target: 'head' });
    } finally {
      await client.end();
    }
    // The machine's pg_dump (15) cannot dump the newer servers of the test matrix: that one check fails there.
    const dumpOk = Math.max(...(await findBinaries('pg_dump')).map((b) => b.major)) >= cluster().major;
    tmux?.kill();
    tmux = new TmuxSession();
    tmux.start([], { DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
    await tmux.waitFor('› Doctor'); // the first menu entry, selected
    tmux.send('Enter');
    const screen = await tmux.waitFor(/nothing failed|failed ·/, 15_000);
    if (dumpOk) {
      expect(screen).toContain('✓ nothing failed · 14 passed');
      expect(screen).toMatch(/✓ Authentication\s+Logged in as "postgres"/);
      expect(screen).toMatch(/✓ Privileges\s+"postgres" may connect and create tables/);
      expect(screen).toMatch(/✓ Writable\s+Not a standby; transactions are read-write/);
      expect(screen).toMatch(/✓ Migrations\s+At 003 \(head\): nothing pending/);
    } else {
      expect(screen).toMatch(/✗ pg_dump\s+pg_dump_too_old/);
    }
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  });
});
