/**
 * Restore and reset on the Backups screen, in a real 80x24 terminal against
 * the throwaway server: the plan lines wrap instead of being cut at 80
 * columns, and the database name typed with its Enter in one burst (a
 * paste, type-ahead over SSH) confirms at once; the database really changed.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxSession } from './tmux.js';
import { cleanEnv, runCli } from '../cli/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { dumpableCluster, type DumpCluster } from '../harness/dump-cluster.js';

/** The plan's lines as the engine wrote them: each wrapped row joined back to the line it continues. */
function planLines(screen: string, title: string): string[] {
  const rows = screen.split('\n');
  const start = rows.findIndex((r) => r.startsWith(title));
  const lines: string[] = [];
  for (const row of rows.slice(start + 1)) {
    if (row.trim() === '') break;
    if (/^ {2}/.test(row) && lines.length > 0) lines[lines.length - 1] += ' ' + row.trim();
    else lines.push(row.trimEnd());
  }
  return lines;
}

describe('restore and reset in tmux', () => {
  let dc: DumpCluster;
  let db: TestDatabase;
  let tmux: TmuxSession | undefined;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'cdb-e2e-rr-'));
  const env = () => ({ DATABASE__URL: db.url, DATABASE__SSLMODE: 'disable' });
  const count = async () => (await db.query('SELECT count(*)::int AS n FROM sessions')).rows[0]?.n as number;

  beforeAll(async () => {
    dc = await dumpableCluster();
    db = await createTestDatabase('e2e_rr', dc.info);
    const cli = (args: string[]) => runCli(args, { cwd, env: cleanEnv(env()) });
    expect(cli(['migrate', 'upgrade', 'head']).code).toBe(0);
    await db.query(`INSERT INTO sessions (session_id) VALUES ('11111111-1111-1111-1111-111111111111')`);
    const backup = cli(['backup']);
    expect(backup.code, backup.stderr).toBe(0);
    await db.query(`INSERT INTO sessions (session_id) VALUES ('22222222-2222-2222-2222-222222222222')`);
  }, 60_000);
  afterAll(async () => {
    tmux?.kill();
    await db.drop();
    dc.stop();
  });

  /** A fresh TUI on the Backups screen, its backup listed and verified (the previous session closed). */
  async function openBackups(): Promise<TmuxSession> {
    tmux?.kill();
    const t = new TmuxSession();
    t.start([], env(), { cwd });
    await t.waitFor(/PostgreSQL 1\d/);
    await t.downThrough(['Setup', 'Migrations', 'Backups']);
    t.send('Enter');
    await t.waitFor('✓ sha256');
    return t;
  }

  it('restore: the plan wraps at 80 columns, and "name" + Enter in one burst restores', async () => {
    tmux = await openBackups();
    tmux.send('r');
    const plan = await tmux.waitFor((s) => s.includes('Restore plan') && s.includes('Enter to go on'), 20_000);
    for (const row of plan.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    const lines = planLines(plan, 'Restore plan');
    expect(lines).toContainEqual(expect.stringMatching(/^how: +restored with psql \S+ into a scratch database first; only when that succeeded, swapped in by renaming, and the old database dropped$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^target: +${db.name} holds \\d+ relations: they will be REPLACED$`)));
    tmux.send('b'); // no safety backup: this test is about the plan and the confirmation
    await tmux.waitFor(`[ ] b  back up ${db.name} first`);
    tmux.send('Enter');
    await tmux.waitFor(`Type ${db.name} and press Enter`);
    tmux.type(`${db.name}\r`);
    await tmux.waitFor(`restored into ${db.name}`, 30_000);
    expect(await count()).toBe(1);
    tmux.send('Enter');
    await tmux.waitFor('✓ sha256');
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  }, 60_000);

  it('reset: "then upgrade base → 003" is whole at 80 columns, and "name" + Enter in one burst resets', async () => {
    tmux = await openBackups();
    tmux.send('R');
    const plan = await tmux.waitFor((s) => s.includes(`Reset ${db.name}`) && s.includes('Enter to go on'), 20_000);
    for (const row of plan.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    expect(planLines(plan, `Reset ${db.name}`)).toContain('downgrade 003 → base (every down migration, newest first), then upgrade base → 003: the migrated tables are emptied');
    tmux.send('b');
    await tmux.waitFor(`[ ] b  back up ${db.name} first`);
    tmux.send('Enter');
    await tmux.waitFor(`This empties the migrated tables of ${db.name}.`);
    tmux.type(`${db.name}\r`);
    await tmux.waitFor(`${db.name} reset to 003`, 30_000);
    expect(await count()).toBe(0);
    tmux.send('Enter');
    await tmux.waitFor('✓ sha256');
    tmux.send('q');
    expect(await tmux.waitForExit()).toBe(0);
  }, 60_000);
});
