import { describe, expect, it, vi } from 'vitest';
import type { BackupListResult, BackupRunResult, RestoreRunResult } from '../../src/app/services-backups-types.js';
import type { BackupProgress } from '../../src/core/backups/backup.js';
import type { RestorePlan } from '../../src/core/backups/restore-plan.js';
import { fakeBackups, fakeServices, KEYS, renderApp, renderAppSized, tick } from './helpers.js';
import { entry, manifestFor, plan } from './backups-fakes.js';

const listing = (backups: ReturnType<typeof entry>[]): BackupListResult => ({ ok: true, listing: { dir: '/srv/app/backups', exists: true, backups, leftovers: [] } });
const NEWEST = 'connector_db_20250131_140500.sql.gz';
const OLDER = 'connector_db_20250130_020000.dump';

function deferred<T>() {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

// Generous: these walk whole flows, and other suites share the two cores.
describe('Backups screen', { timeout: 20_000 }, () => {
  it('lists backups newest first, sizes at once, then flags the one whose checksum no longer matches', async () => {
    const verified = deferred<BackupListResult>();
    const list = vi.fn(async ({ verify }: { verify?: boolean } = {}) =>
      verify ? verified.promise : listing([entry(NEWEST, '2025-01-31T14:05:00Z', 'unverified'), entry(OLDER, '2025-01-30T02:00:00Z', 'unverified', '002')]),
    );
    const app = renderApp(fakeServices({ backups: fakeBackups({ list }) }), { initialScreen: 'backups' });
    const quick = await app.waitFor((f) => f.includes(NEWEST) && f.includes('checking sha256'), 'the quick listing');
    expect(quick.indexOf(NEWEST)).toBeLessThan(quick.indexOf(OLDER));
    expect(quick).toContain('2025-01-31 14:05');
    expect(quick).toContain('11.8 MB');
    verified.resolve(listing([entry(NEWEST, '2025-01-31T14:05:00Z'), entry(OLDER, '2025-01-30T02:00:00Z', 'checksum_mismatch', '002')]));
    const frame = await app.waitFor((f) => f.includes('CHECKSUM') && !f.includes('checking sha256'), 'the verified listing');
    expect(frame).toMatch(/✓ sha256/);
    await app.press(KEYS.down);
    await app.waitFor((f) => f.includes('does not match the manifest'), 'the detail of the damaged backup');
    // ink-testing-library draws 100 columns; the tmux test checks a real 80x24.
    for (const line of app.frame().split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    app.unmount();
  });

  it('b takes a compressed backup with a progress bar, then shows the new file', async () => {
    let report: (p: BackupProgress) => void = () => {};
    const finish = deferred<BackupRunResult>();
    const backup = vi.fn(async (_format, onProgress: (p: BackupProgress) => void) => {
      report = onProgress;
      return finish.promise;
    });
    const list = vi.fn(async () => listing(backup.mock.calls.length > 0 ? [entry(NEWEST, '2025-01-31T14:05:00Z')] : []));
    const app = renderApp(fakeServices({ backups: fakeBackups({ list, backup }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('Press b to take one'), 'the empty folder');
    await app.press('b');
    const kinds = await app.waitFor((f) => f.includes('compressed SQL') && f.includes('custom format'), 'the kinds');
    // The hint line offers the chooser's keys, not the list's (r, v, R do nothing here).
    const hints = kinds.trimEnd().split('\n').pop() ?? '';
    expect(hints).toContain('esc cancel');
    expect(hints).toContain('enter back up');
    expect(hints).not.toMatch(/r restore|v verify|R reset db|esc back|enter open/);
    await app.press(KEYS.enter);
    expect(backup.mock.calls[0]?.[0]).toEqual({ kind: 'gzip', schemaOnly: false });
    report({ fraction: 0.42, bytes: 3 * 1024 * 1024, elapsedMs: 4200, activity: 'public.jobs', tablesDone: 3, tableCount: 6 });
    const progress = await app.waitFor((f) => f.includes('42%'), 'the progress bar');
    expect(progress).toContain('3.0 MB');
    expect(progress).toContain('4.2 s');
    expect(progress).toContain('3/6 tables · public.jobs');
    // Keys other than cancel wait: q does not quit in the middle of a backup.
    await app.press('q');
    expect(app.frame()).toContain('42%');
    finish.resolve({ ok: true, result: { file: NEWEST, path: `/srv/app/backups/${NEWEST}`, manifestPath: '', manifest: manifestFor(NEWEST, '2025-01-31T14:05:00Z'), elapsedMs: 5000, cleaned: [] } });
    const done = await app.waitFor((f) => f.includes(`${NEWEST} written`) && f.includes('TAKEN'), 'the result and the new list');
    expect(done).toContain('sha256 abab');
    app.unmount();
  });

  it('c cancels a running backup: the engine is told to stop and nothing is listed', async () => {
    let seen: AbortSignal | undefined;
    const backup = vi.fn(
      (_f, _p, signal: AbortSignal) =>
        new Promise<BackupRunResult>((resolve) => {
          seen = signal;
          signal.addEventListener('abort', () => resolve({ ok: false, code: 'cancelled', message: 'cancelled', evidence: [], fixes: [] }));
        }),
    );
    const app = renderApp(fakeServices({ backups: fakeBackups({ backup }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('Press b'), 'the list');
    await app.press('b');
    await app.press(KEYS.down);
    await app.press(KEYS.enter);
    expect(backup.mock.calls[0]?.[0]).toEqual({ kind: 'plain', schemaOnly: false });
    await app.waitFor((f) => f.includes('Backing up connector_db'), 'the run');
    await app.press('c');
    await app.waitFor((f) => f.includes('Cancelled: no backup was written.'), 'the cancellation');
    expect(seen?.aborted).toBe(true);
    app.unmount();
  });

  it('r restores the selected backup: plan, options, the name typed (a wrong one refused), progress, revision report', async () => {
    const planRestore = vi.fn(async () => ({ ok: true as const, plan: plan(), lines: ['target:  connector_db holds 40 relations: they will be REPLACED'] }));
    const finish = deferred<RestoreRunResult>();
    const restore = vi.fn(async (_plan, _options, onStep: (s: { type: 'step'; text: string } | { type: 'progress'; fraction: number; bytes: number; elapsedMs: number }) => void) => {
      onStep({ type: 'step', text: 'restoring into connector_db_restore_20250131140500 (connector_db is untouched meanwhile)' });
      onStep({ type: 'progress', fraction: 0.5, bytes: 6_000_000, elapsedMs: 1000 });
      return finish.promise;
    });
    const app = renderApp(fakeServices({ backups: fakeBackups({ list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]), planRestore, restore }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes(NEWEST), 'the list');
    await app.press('r');
    const planFrame = await app.waitFor((f) => f.includes('Restore plan'), 'the plan');
    expect(planFrame).toContain('will be REPLACED');
    expect(planFrame).toMatch(/\[x\] b {2}back up connector_db first/);
    await app.press('b');
    await app.waitFor((f) => /\[ \] b {2}back up connector_db first/.test(f), 'the backup-first toggle');
    await app.press('b');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Type connector_db and press Enter'), 'the typed confirmation');
    await app.press('connector');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('That is not the database name'), 'a wrong name refused');
    expect(restore).not.toHaveBeenCalled();
    await app.press('_db');
    await app.waitFor((f) => f.includes('press Enter: connector_db'), 'the name typed');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('50%') && f.includes('untouched meanwhile'), 'the restore progress');
    expect(restore.mock.calls[0]?.[1]).toMatchObject({ force: false, backupFirst: true });
    finish.resolve({
      ok: true,
      result: { target: 'connector_db', mode: 'replace', elapsedMs: 2000, revision: { current: '002', head: '003', pending: 1 }, warnings: [] },
      revisionText: 'at 002, files reach 003: run connector-db migrate upgrade head',
      behind: true,
      safetyBackup: '/srv/app/backups/connector_db_20250201_000000.sql.gz',
    });
    const done = await app.waitFor((f) => f.includes('restored into connector_db'), 'the result');
    expect(done).toContain('revision: at 002, files reach 003: run connector-db migrate upgrade head');
    expect(done).toContain('the previous contents are in /srv/app/backups/connector_db_20250201_000000.sql.gz');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('TAKEN'), 'back to the list');
    app.unmount();
  });

  /** A restore the fake keeps running until it is cancelled; it then reports the drop, and ends when `stopped` is resolved. */
  function longRestore() {
    const stopped = deferred<void>();
    let seen: AbortSignal | undefined;
    const restore = vi.fn(
      (_plan, _options, onStep: (s: { type: 'step'; text: string } | { type: 'progress'; fraction: number; bytes: number; elapsedMs: number }) => void, signal: AbortSignal) =>
        new Promise<RestoreRunResult>((resolve) => {
          seen = signal;
          onStep({ type: 'step', text: 'restoring into connector_db_restore_20250131140500 (connector_db is untouched meanwhile)' });
          onStep({ type: 'progress', fraction: 0.3, bytes: 3_600_000, elapsedMs: 900 });
          signal.addEventListener('abort', () => {
            onStep({ type: 'step', text: 'dropping connector_db_restore_20250131140500' });
            void stopped.promise.then(() =>
              resolve({ ok: false, code: 'cancelled', message: 'the restore was cancelled; psql was stopped and its transaction rolled back, nothing was restored', evidence: [], fixes: [] }),
            );
          });
        }),
    );
    return { restore, stopped, signal: () => seen };
  }

  for (const [name, key] of [
    ['c', 'c'],
    ['Esc', KEYS.escape],
    ['Ctrl-C', KEYS.ctrlC],
  ] as const) {
    it(`${name} cancels a running restore: the engine is told, the screen says so at once, then what was left (nothing)`, async () => {
      const planRestore = vi.fn(async () => ({ ok: true as const, plan: plan(), lines: ['target:  connector_db holds 40 relations: they will be REPLACED'] }));
      const long = longRestore();
      const app = renderApp(fakeServices({ backups: fakeBackups({ list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]), planRestore, restore: long.restore }) }), { initialScreen: 'backups' });
      await app.waitFor((f) => f.includes(NEWEST), 'the list');
      await app.press('r');
      await app.waitFor((f) => f.includes('Restore plan'), 'the plan');
      await app.press('b');
      await app.press(KEYS.enter);
      await app.waitFor((f) => f.includes('Type connector_db'), 'the typed confirmation');
      await app.press('connector_db');
      // The name on screen before Enter (a loaded machine may draw it late).
      await app.waitFor((f) => f.includes('press Enter: connector_db'), 'the name typed');
      await app.press(KEYS.enter);
      const running = await app.waitFor((f) => f.includes('30%') && f.includes('untouched meanwhile'), 'the restore running');
      expect(running).toContain('c, Esc or Ctrl-C: cancel');
      // Other keys wait: q neither quits nor cancels.
      await app.press('q');
      expect(long.signal()?.aborted).toBe(false);
      await app.press(key);
      await app.waitFor((f) => f.includes('cancelling…') && f.includes('dropping connector_db_restore_20250131140500'), 'the cancel under way');
      expect(long.signal()?.aborted).toBe(true);
      long.stopped.resolve();
      const done = await app.waitFor((f) => f.includes('Cancelled: the restore was cancelled'), 'the cancellation');
      expect(done.replace(/\s+/g, ' ')).toContain('its transaction rolled back, nothing was restored');
      expect(done).not.toContain('✗');
      await app.press(KEYS.enter);
      await app.waitFor((f) => f.includes('TAKEN'), 'back to the list');
      app.unmount();
    });
  }

  it('a plan refused for a missing role offers --no-owner, and a database in use needs f before going on', async () => {
    const planRestore = vi.fn(async (_file: string, options: { noOwner: boolean }) =>
      options.noOwner
        ? { ok: true as const, plan: plan({ noOwner: true, sessions: [{ pid: 77, user: 'app', application: 'uvicorn', client: '10.0.0.5', state: 'idle', since: null, query: null }] }), lines: ['in use:  pid 77 app from 10.0.0.5 (uvicorn), idle'] }
        : { ok: false as const, code: 'role_missing', message: 'the backup makes "legacy_owner" owner of objects, and the server has no such role', evidence: [], fixes: ['connector-db restore FILE --no-owner'] },
    );
    const app = renderApp(fakeServices({ backups: fakeBackups({ list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]), planRestore }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes(NEWEST), 'the list');
    await app.press('r');
    const refusal = await app.waitFor((f) => f.includes('role_missing') && f.includes('legacy_owner'), 'the refusal');
    // A refusal has no plan to go on with, and nothing to back up: those keys are not offered.
    expect(refusal.trimEnd().split('\n').pop()).not.toMatch(/enter go on|b backup first/);
    await app.press('o');
    await app.waitFor((f) => f.includes('[x] o  --no-owner') && f.includes('(uvicorn)'), 'the plan with --no-owner');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('press f to disconnect'), 'the in-use warning');
    await app.press('f');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Type connector_db'), 'the confirmation');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('Restore plan'), 'back to the plan');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('TAKEN'), 'back to the list');
    await tick();
    app.unmount();
  });

  it('i restores into another database: the name typed, a new plan for it, and that name typed to confirm', async () => {
    const planRestore = vi.fn(async (_file: string, options: { noOwner: boolean; noAcl: boolean; into?: string }) =>
      options.into
        ? { ok: true as const, plan: plan({ target: options.into, mode: 'create', targetObjects: null }), lines: [`target:  ${options.into} does not exist: it will be created`] }
        : { ok: true as const, plan: plan(), lines: ['target:  connector_db holds 40 relations: they will be REPLACED'] },
    );
    const restore = vi.fn(async () => deferred<RestoreRunResult>().promise);
    const app = renderApp(fakeServices({ backups: fakeBackups({ list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]), planRestore, restore }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes(NEWEST), 'the list');
    await app.press('r');
    await app.waitFor((f) => f.includes('they will be REPLACED') && f.includes('i  into another database'), 'the plan for the configured database');
    await app.press('i');
    await app.waitFor((f) => f.includes('Restore into which database'), 'the name prompt');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('a database name is 1 to 63 bytes'), 'an empty name refused');
    await app.press('connector_db_copy\r');
    await app.waitFor((f) => f.includes('connector_db_copy does not exist: it will be created') && f.includes('(now: connector_db_copy)'), 'the plan for the copy');
    expect(planRestore.mock.calls.at(-1)?.[1]).toEqual({ noOwner: false, noAcl: false, into: 'connector_db_copy' });
    // A new database is not replaced: no backup-first key is offered for it.
    expect(app.frame().trimEnd().split('\n').pop()).not.toContain('b backup first');
    // The same name again is checked again (the database may have been created meanwhile).
    const calls = planRestore.mock.calls.length;
    await app.press('i');
    await app.waitFor((f) => f.includes('Restore into which database'), 'the name prompt again');
    await app.press('connector_db_copy\r');
    await app.waitFor(() => planRestore.mock.calls.length === calls + 1, 'a new plan for the same name');
    await app.waitFor((f) => f.includes('(now: connector_db_copy)'), 'the plan again');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Type connector_db_copy and press Enter'), 'the confirmation names the copy');
    await app.press('connector_db_copy\r');
    await app.waitFor(() => restore.mock.calls.length === 1, 'the restore to start');
    expect((restore.mock.calls[0] as unknown as [RestorePlan])[0].target).toBe('connector_db_copy');
    app.unmount();
  });

  it('the name and its Enter in one read (a paste, type-ahead over SSH) confirm a restore and a reset at once', async () => {
    const restore = vi.fn(async () => deferred<RestoreRunResult>().promise);
    const resetPlan = { target: 'connector_db', recreate: false, status: { current: '003', head: '003' }, props: null, rights: { role: 'app', superuser: false, createdb: true }, sessions: [] } as unknown as import('../../src/core/backups/reset.js').ResetPlan;
    const reset = vi.fn(async () => deferred<import('../../src/app/services-backups-types.js').ResetRunResult>().promise);
    const backups = fakeBackups({
      list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]),
      planRestore: async () => ({ ok: true as const, plan: plan(), lines: ['target:  connector_db'] }),
      restore,
      planReset: async () => ({ ok: true as const, plan: resetPlan, lines: ['downgrade 003 → base, then upgrade base → 003'] }),
      reset,
    });
    const app = renderApp(fakeServices({ backups }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes(NEWEST), 'the list');
    await app.press('r');
    await app.waitFor((f) => f.includes('Restore plan'), 'the plan');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Type connector_db and press Enter'), 'the typed confirmation');
    // A wrong name in one read is refused at once, and the right one then goes ahead.
    await app.press('connector\r');
    await app.waitFor((f) => f.includes('That is not the database name'), 'the wrong name refused');
    await app.press('\u007F'.repeat(9) + 'connector_db\r');
    await app.waitFor(() => restore.mock.calls.length === 1, 'the restore to start');
    app.unmount();

    const again = renderApp(fakeServices({ backups }), { initialScreen: 'backups' });
    await again.waitFor((f) => f.includes(NEWEST), 'the list');
    await again.press('R');
    await again.waitFor((f) => f.includes('downgrade 003'), 'the reset plan');
    await again.press(KEYS.enter);
    await again.waitFor((f) => f.includes('This empties the migrated tables of connector_db.'), 'the typed confirmation');
    await again.press('connector_db\r');
    await again.waitFor(() => reset.mock.calls.length === 1, 'the reset to start');
    again.unmount();
  });

  it('at 80 columns a refusal\'s fix wraps instead of being cut: it is a command to copy', async () => {
    const fix = 'move /srv/app/backups/connector_db_20250131_140500.sql.gz.json aside and run connector-db backup list to see what is left';
    const backups = fakeBackups({
      list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]),
      planRestore: async () => ({ ok: false as const, code: 'checksum_mismatch', message: 'the file no longer matches its manifest; restore refused', evidence: [], fixes: [fix] }),
    });
    const app = renderAppSized(fakeServices({ backups }), { columns: 80, rows: 24 }, { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('2025-01-31 14:05'), 'the list');
    await app.press('r');
    const refused = await app.waitFor((f) => f.includes('checksum_mismatch'), 'the refusal');
    for (const row of refused.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    expect(refused.replace(/\s+/g, ' ')).toContain(`fix: ${fix}`);
    app.unmount();
  });

  it('at 80 columns the plan lines wrap under their value instead of being cut', async () => {
    const restoreLines = [
      'target:  connector_db holds 40 relations: they will be REPLACED',
      'how:     restored with psql 15.19 into a scratch database first; only when that succeeded, swapped in by renaming, and the old database dropped',
    ];
    const resetPlan = { target: 'connector_db', recreate: false, status: { current: '003', head: '003' }, props: null, rights: { role: 'app', superuser: false, createdb: true }, sessions: [] } as unknown as import('../../src/core/backups/reset.js').ResetPlan;
    const resetLine = 'downgrade 003 → base (every down migration, newest first), then upgrade base → 003: the migrated tables are emptied';
    const backups = fakeBackups({
      list: async () => listing([entry(NEWEST, '2025-01-31T14:05:00Z')]),
      planRestore: async () => ({ ok: true as const, plan: plan(), lines: restoreLines }),
      planReset: async () => ({ ok: true as const, plan: resetPlan, lines: ['connector_db is at 003; the files reach 003', resetLine] }),
    });
    const app = renderAppSized(fakeServices({ backups }), { columns: 80, rows: 24 }, { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('2025-01-31 14:05'), 'the list');
    await app.press('r');
    const restore = await app.waitFor((f) => f.includes('Restore plan') && f.includes('Enter to go on'), 'the restore plan');
    for (const row of restore.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    expect(restore).toMatch(/^how: {5}restored with psql 15\.19 into a scratch database first; only when that\n {9}succeeded, swapped in by renaming, and the old database dropped$/m);
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('TAKEN'), 'back to the list');
    await app.press('R');
    const reset = await app.waitFor((f) => f.includes('Reset connector_db') && f.includes('Enter to go on'), 'the reset plan');
    for (const row of reset.split('\n')) expect(row.length).toBeLessThanOrEqual(80);
    expect(reset).toMatch(/^downgrade 003 → base \(every down migration, newest first\), then upgrade base →\n {2}003: the migrated tables are emptied$/m);
    app.unmount();
  });

  it('Home shows the newest backup and its age, or says there is none', async () => {
    const recent = entry(NEWEST, new Date(Date.now() - 3 * 3600_000).toISOString());
    const app = renderApp(fakeServices({ backups: fakeBackups({ latest: async () => recent }) }));
    const frame = await app.waitFor((f) => f.includes(NEWEST), 'the last backup line');
    expect(frame).toMatch(new RegExp(`Backup\\s+${NEWEST.replace(/\./g, '\\.')}\\s+3 h ago, 11\\.8 MB`));
    app.unmount();
    const none = renderApp(fakeServices());
    await none.waitFor((f) => f.includes('none yet in /srv/app/backups'), 'no backup yet');
    none.unmount();
  });

  it('R resets the database: the plan, recreate as an option, a backup first by default, the name typed, each migration as it runs', async () => {
    const resetPlan = (recreate: boolean) =>
      ({ target: 'connector_db', recreate, status: { current: '003', head: '003' }, props: null, rights: { role: 'app', superuser: false, createdb: true }, sessions: [] }) as unknown as import('../../src/core/backups/reset.js').ResetPlan;
    const planReset = vi.fn(async (recreate: boolean) => ({ ok: true as const, plan: resetPlan(recreate), lines: [recreate ? 'drop the database and create it again' : 'downgrade 003 → base, then upgrade base → 003'] }));
    const finish = deferred<import('../../src/app/services-backups-types.js').ResetRunResult>();
    const reset = vi.fn(async (_plan, _options, onStep: (s: { type: 'step' | 'migration'; text: string }) => void) => {
      onStep({ type: 'step', text: 'downgrading connector_db to base' });
      onStep({ type: 'migration', text: 'down 003_add_normalized_input_column_to_jobs_ (3 ms)' });
      return finish.promise;
    });
    const app = renderApp(fakeServices({ backups: fakeBackups({ planReset, reset }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('Press b'), 'the list');
    await app.press('R');
    const planFrame = await app.waitFor((f) => f.includes('Reset connector_db') && f.includes('downgrade 003'), 'the reset plan');
    expect(planFrame).toMatch(/\[ \] d {2}drop and recreate/);
    expect(planFrame).toMatch(/\[x\] b {2}back up connector_db first/);
    await app.press('d');
    await app.waitFor((f) => f.includes('drop the database and create it again') && /\[x\] d {2}drop and recreate/.test(f), 'the recreate plan');
    expect(planReset).toHaveBeenLastCalledWith(true);
    await app.press('d');
    await app.waitFor((f) => f.includes('downgrade 003'), 'back to down + up');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('This empties the migrated tables of connector_db.'), 'the typed confirmation');
    await app.press('connector_db');
    await app.waitFor((f) => f.includes('press Enter: connector_db'), 'the name typed');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('down 003_add_normalized_input_column_to_jobs_ (3 ms)'), 'the migrations as they run');
    expect(reset.mock.calls[0]?.[0]).toMatchObject({ recreate: false });
    expect(reset.mock.calls[0]?.[1]).toMatchObject({ backupFirst: true, force: false });
    finish.resolve({ ok: true, result: { target: 'connector_db', recreate: false, down: null, up: {} as never, status: { current: '003' } as never }, safetyBackup: '/srv/app/backups/connector_db_20250201_000000.sql.gz' });
    const done = await app.waitFor((f) => f.includes('connector_db reset to 003'), 'the result');
    expect(done).toContain('the previous contents are in /srv/app/backups/connector_db_20250201_000000.sql.gz');
    app.unmount();
  });

  it('Esc cancels a running reset: the engine is told and the screen says what happened', async () => {
    const resetPlan = { target: 'connector_db', recreate: false, status: { current: '003', head: '003' }, props: null, rights: { role: 'app', superuser: false, createdb: true }, sessions: [] } as unknown as import('../../src/core/backups/reset.js').ResetPlan;
    const planReset = vi.fn(async () => ({ ok: true as const, plan: resetPlan, lines: ['downgrade 003 → base, then upgrade base → 003'] }));
    let seen: AbortSignal | undefined;
    const reset = vi.fn(
      (_plan, _options, onStep: (s: { type: 'step' | 'migration'; text: string }) => void, signal: AbortSignal) =>
        new Promise<import('../../src/app/services-backups-types.js').ResetRunResult>((resolve) => {
          seen = signal;
          onStep({ type: 'step', text: 'downgrading connector_db to base' });
          signal.addEventListener('abort', () => resolve({ ok: false, code: 'cancelled', message: 'the reset was cancelled after 003 went down; connector_db is at 002', evidence: [], fixes: [] }));
        }),
    );
    const app = renderApp(fakeServices({ backups: fakeBackups({ planReset, reset }) }), { initialScreen: 'backups' });
    await app.waitFor((f) => f.includes('Press b'), 'the list');
    await app.press('R');
    await app.waitFor((f) => f.includes('downgrade 003'), 'the reset plan');
    await app.press('b');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('This empties the migrated tables'), 'the typed confirmation');
    await app.press('connector_db');
    await app.waitFor((f) => f.includes('press Enter: connector_db'), 'the name typed');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('downgrading connector_db to base') && f.includes('c, Esc or Ctrl-C: cancel'), 'the reset running');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('Cancelled: the reset was cancelled after 003 went down'), 'the cancellation');
    expect(seen?.aborted).toBe(true);
    app.unmount();
  });
});
