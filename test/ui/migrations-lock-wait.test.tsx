/**
 * The Migrations screen while a step waits on a lock: the run's log names
 * who blocks it (pid, application, state, transaction age, query) and the
 * command that ends the blocker, redrawn in place as the wait goes on, then
 * says when the wait is over.
 */
import { describe, expect, it } from 'vitest';
import { fakeServices, renderApp } from './helpers.js';
import { fakeStatus } from './migration-fakes.js';
import { busySessions } from './monitor-fixture.js';
import { blockedReportOf } from '../../src/core/monitor/locks.js';
import type { MigrationMove, MigrationRunEvent, MigrationsService } from '../../src/app/services.js';
import type { MoveResult } from '../../src/core/migrations/runner.js';

describe('Migrations screen: a step waiting on a lock', () => {
  it('shows the blocker while it waits, and the end of the wait', async () => {
    let release: () => void = () => {};
    const report = blockedReportOf(busySessions(), 4102)!;
    const svc: MigrationsService = {
      status: async () => ({ ok: true, status: fakeStatus('002') }),
      sql: async () => ({ ok: false, code: 'not_found', message: 'n/a', evidence: [], fixes: [] }),
      run: async (move: MigrationMove, onEvent: (e: MigrationRunEvent) => void) => {
        const step = { id: '003', name: '003_add_normalized_input_column_to_jobs_', direction: 'up' as const };
        onEvent({ type: 'lock_acquired', backendPid: 4102, waitedMs: 0 });
        onEvent({ type: 'migration_start', step, index: 0, total: 1 });
        onEvent({ type: 'blocked', report, waitedMs: 1300, changed: true });
        onEvent({ type: 'blocked', report, waitedMs: 1600, changed: false });
        await new Promise<void>((r) => (release = r));
        onEvent({ type: 'wait_ended', waitedMs: 4200 });
        onEvent({ type: 'migration_done', step, index: 0, total: 1, durationMs: 4300 });
        const result: MoveResult = { kind: move.kind, from: '002', to: '003', direction: 'up', steps: [{ ...step, durationMs: 4300 }], reconciled: { adopted: [], disowned: [] }, nothingToDo: false, status: fakeStatus('003') };
        return { ok: true as const, result };
      },
    };
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('U');
    // The wait is redrawn in place with each look: its time goes up, and it is there once.
    const waiting = await app.waitFor((f) => f.includes('blocked by pid 4101') && f.includes('waiting 1.6s'), 'the blocker, looked at twice');
    expect(waiting).toContain('! waiting 1.6s for AccessExclusiveLock on jobs');
    expect(waiting).not.toContain('waiting 1.3s');
    expect(waiting).toContain('blocked by pid 4101 · connector_user · worker · idle in transaction for 5m00s');
    expect(waiting).toContain('fix: connector-db monitor terminate 4101');
    expect(waiting.match(/waiting \d/g)).toHaveLength(1);
    // While it runs the keys wait (it finishes or rolls back whole): the hint line does not offer ? or q.
    expect(waiting.trimEnd().split('\n').pop()).not.toMatch(/q quit|\? help/);
    expect(waiting.match(/blocked by pid 4101/g)).toHaveLength(1);
    release();
    const done = await app.waitFor((f) => f.includes('done. Now at 003'), 'the end of the run');
    expect(done).not.toContain('blocked by pid');
    app.unmount();
  });
});
