/**
 * The Migrations screen with fake services: the list with its marks, one step
 * up after seeing its SQL, one step down only after y, stamp after asking,
 * progress while running, a failure shown in place with file:line; and Home's
 * revision line.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, renderApp } from './helpers.js';
import { FAKE_FILES, fakeStatus } from './migration-fakes.js';
import { revisionSql } from '../../src/core/migrations/script.js';
import type { MigrationMove, MigrationsService } from '../../src/app/services.js';
import type { MigrationEvent } from '../../src/core/migrations/events.js';
import type { MoveResult } from '../../src/core/migrations/runner.js';

function service(initial: string | null) {
  let current = initial;
  let release: () => void = () => {};
  const calls: MigrationMove[] = [];
  const svc: MigrationsService = {
    status: async () => ({ ok: true, status: fakeStatus(current) }),
    sql: async (id, direction) => {
      const file = FAKE_FILES.find((f) => f.id === id);
      const section = file && revisionSql(file, direction);
      return file && section ? { ok: true, id, direction, file: file.file, ...section } : { ok: false, code: 'not_found', message: `no ${id}`, evidence: [], fixes: [] };
    },
    run: vi.fn(async (move: MigrationMove, onEvent: (e: MigrationEvent) => void) => {
      calls.push(move);
      const to = move.target === 'base' ? null : move.target === 'head' ? '003' : move.target;
      const step = { id: move.kind === 'downgrade' ? (current as string) : (to as string), name: 'x', direction: move.kind === 'downgrade' ? ('down' as const) : ('up' as const) };
      onEvent({ type: 'migration_start', step, index: 0, total: 1 });
      await new Promise<void>((r) => (release = r));
      onEvent({ type: 'migration_done', step, index: 0, total: 1, durationMs: 5 });
      const from = current;
      current = to;
      const result: MoveResult = { kind: move.kind, from, to, direction: step.direction, steps: [{ ...step, durationMs: 5 }], reconciled: { adopted: [], disowned: [] }, nothingToDo: false, status: fakeStatus(current) };
      return { ok: true as const, result };
    }),
  };
  return { svc, calls, finish: () => release() };
}

describe('Migrations screen', () => {
  it('Home shows current / head / pending count', async () => {
    const app = renderApp(fakeServices());
    const frame = await app.waitFor((f) => f.includes('current 002 / head 003'), 'the revision line');
    expect(frame).toMatch(/Revision\s+! current 002 \/ head 003 · 1 pending/);
    app.unmount();
  });

  it('lists every revision with its marks, newest first, the current one pointed at', async () => {
    const { svc } = service('002');
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    const frame = await app.waitFor((f) => f.includes('REV'), 'the list');
    expect(frame).toMatch(/at 002 · 1 pending \(head 003\)/);
    const lines = frame.split('\n');
    const row = (id: string) => lines.find((l) => new RegExp(`^..${id}  `).test(l)) ?? '';
    expect(row('003')).toMatch(/^ {2}003\s+pending\s+003_add_normalized_input_column_to_jobs_$/);
    expect(row('002')).toMatch(/^›●002\s+applied\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+12 ms\s+002_add_scrape_job_ids_column_to_$/);
    expect(row('001')).toMatch(/001\s+applied/);
    expect(lines.findIndex((l) => l.includes(' 003 '))).toBeLessThan(lines.findIndex((l) => l.includes(' 001 ')));
    app.unmount();
  });

  it('u shows the next step’s SQL; Enter runs it with progress; the list then shows 003 as current', async () => {
    const { svc, calls, finish } = service('002');
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('u');
    const preview = await app.waitFor((f) => f.includes('Enter runs it'), 'the SQL preview');
    expect(preview).toContain('Upgrade 002 → 003 runs this up SQL:');
    expect(preview).toMatch(/3 │ -- Up Migration\n\s*4 │ ALTER TABLE jobs ADD COLUMN normalized_input jsonb NOT NULL DEFAULT '\{\}'::jsonb;/);
    expect(calls).toEqual([]);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Upgrade 002 → 003…') && f.includes('… up x'), 'progress');
    expect(calls).toEqual([{ kind: 'upgrade', target: '003' }]);
    finish();
    const after = await app.waitFor((f) => f.includes('done. Now at 003'), 'the result');
    expect(after).toMatch(/at 003 \(head\)/);
    expect(after).toMatch(/›●003\s+applied/);
    app.unmount();
  });

  it('d shows the down SQL and runs only after y; n or Esc cancels', async () => {
    const { svc, calls, finish } = service('003');
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('d');
    const preview = await app.waitFor((f) => f.includes('y runs it'), 'the down preview');
    expect(preview).toContain('Downgrade 003 → 002 runs this down SQL:');
    expect(preview).toContain('ALTER TABLE jobs DROP COLUMN normalized_input;');
    await app.press(KEYS.enter);
    await app.press('n');
    await app.waitFor((f) => f.includes('REV') && !f.includes('y runs it'), 'the list again');
    expect(calls).toEqual([]);
    await app.press('d');
    await app.waitFor((f) => f.includes('y runs it'), 'the down preview again');
    await app.press('y');
    await app.waitFor((f) => f.includes('Downgrade 003 → 002…'), 'progress');
    expect(calls).toEqual([{ kind: 'downgrade', target: '002' }]);
    finish();
    await app.waitFor((f) => f.includes('done. Now at 002'), 'the result');
    app.unmount();
  });

  it('a failure is shown in place with file:line, and the list stays', async () => {
    const { svc } = service('002');
    svc.run = async () => ({ ok: false, code: 'migration_failed', message: 'Upgrade 003 failed at sql-migrations/003_add_normalized_input_column_to_jobs_.sql:12: column "jobs" does not exist', evidence: ['hint: check the table name', 'SQLSTATE 42703'], fixes: [] });
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('U');
    const frame = await app.waitFor((f) => f.includes('migration_failed'), 'the failure');
    expect(frame).toMatch(/003_add_normalized_input_column_to_jobs_\.sql:12: column "jobs" does not exist/);
    expect(frame).toContain('hint: check the table name');
    expect(frame).toContain('REV');
    app.unmount();
  });

  it('s asks before stamping the selected revision; Enter views its SQL and Tab switches up/down', async () => {
    const { svc, calls, finish } = service('002');
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press(KEYS.down);
    await app.press(KEYS.enter);
    const down = await app.waitFor((f) => f.includes('001 · down'), 'the down SQL of 001');
    expect(down).toContain('DROP TABLE sessions;');
    await app.press('\t');
    await app.waitFor((f) => f.includes('001 · up') && f.includes('CREATE TABLE sessions'), 'the up SQL');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('s');
    await app.waitFor((f) => f.includes('Stamp 001? The database is recorded as at 001; nothing runs. (y/N)'), 'the question');
    await app.press('y');
    await app.waitFor((f) => f.includes('Stamp 001…'), 'the stamp running');
    expect(calls).toEqual([{ kind: 'stamp', target: '001' }]);
    finish();
    await app.waitFor((f) => f.includes('Now at 001'), 'stamped');
    app.unmount();
  });
});
