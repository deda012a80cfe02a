/** The Migrations screen's rehearsal key with a fake service: progress, then the report; Esc stops a running one and closes a finished one. */
import { describe, expect, it } from 'vitest';
import { fakeServices, KEYS, renderApp } from './helpers.js';
import { fakeStatus } from './migration-fakes.js';
import type { MigrationsService } from '../../src/app/services.js';
import type { RehearsalEvent, RehearsalResult } from '../../src/core/rehearsal/rehearse.js';

const RESULT: RehearsalResult = {
  source: 'connector_db',
  scratch: 'connector_db_rehearse_20260101_010101',
  method: 'template',
  connected: [],
  pending: ['003'],
  steps: [
    { pass: 'up', id: '003', name: '003_add_normalized_input_column_to_jobs_', durationMs: 41, locks: [{ relation: 'public.jobs', kind: 'table', mode: 'AccessExclusiveLock' }], blocksExisting: ['public.jobs'] },
    { pass: 'down', id: '003', name: '003_add_normalized_input_column_to_jobs_', durationMs: 9, locks: [{ relation: 'public.jobs', kind: 'table', mode: 'AccessExclusiveLock' }], blocksExisting: ['public.jobs'] },
    { pass: 'up again', id: '003', name: '003_add_normalized_input_column_to_jobs_', durationMs: 30, locks: [{ relation: 'public.jobs', kind: 'table', mode: 'AccessExclusiveLock' }], blocksExisting: ['public.jobs'] },
  ],
  mismatches: [{ id: '003', name: '003_add_normalized_input_column_to_jobs_', differences: ['left behind: index public.idx_jobs_norm (CREATE INDEX idx_jobs_norm ON public.jobs USING gin (normalized_input))'] }],
  roundTrip: ['left behind: index public.idx_jobs_norm (CREATE INDEX idx_jobs_norm ON public.jobs USING gin (normalized_input))'],
  reapply: [],
  failure: null,
  leftovers: [],
  dropped: true,
  ok: false,
};

function service() {
  let finish: () => void = () => {};
  let aborted = false;
  const svc: MigrationsService = {
    status: async () => ({ ok: true, status: fakeStatus('002') }),
    sql: async () => ({ ok: false, code: 'not_found', message: 'n/a', evidence: [], fixes: [] }),
    run: async () => ({ ok: false, code: 'failed', message: 'not in this test', evidence: [], fixes: [] }),
    rehearse: async (onEvent: (e: RehearsalEvent) => void, signal?: AbortSignal) => {
      signal?.addEventListener('abort', () => (aborted = true));
      onEvent({ type: 'copying', scratch: RESULT.scratch as string, method: 'template', connected: [] });
      onEvent({ type: 'copied', scratch: RESULT.scratch as string, durationMs: 25 });
      onEvent({ type: 'step_start', pass: 'up', id: '003', index: 0, total: 1 });
      await new Promise<void>((r) => (finish = r));
      onEvent({ type: 'dropped', scratch: RESULT.scratch as string });
      return { ok: true as const, result: RESULT };
    },
  };
  return { svc, finish: () => finish(), aborted: () => aborted };
}

describe('Migrations screen: rehearse', () => {
  it('R rehearses: progress while it runs, then the report; Esc closes', async () => {
    const { svc, finish } = service();
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('R');
    const running = await app.waitFor((f) => f.includes('up 003…'), 'the progress');
    expect(running).toContain('rehearsing the pending migrations on a scratch copy…');
    expect(running).toContain('copying into connector_db_rehearse_20260101_010101 (TEMPLATE)…');
    finish();
    const report = await app.waitFor((f) => f.includes('its down does not reverse its up'), 'the report');
    expect(report).toContain('Rehearsal of 003 on a copy of connector_db (CREATE DATABASE … TEMPLATE)');
    expect(report).toMatch(/up {7}003_add_normalized_input_column_to_jobs_ +41 ms {3}public\.jobs AccessExclusive/);
    expect(report).toContain('✗ 003_add_normalized_input_column_to_jobs_: its down does not reverse its up:');
    expect(report).toContain('left behind: index public.idx_jobs_norm');
    expect(report).toContain('The copy connector_db_rehearse_20260101_010101 was dropped; connector_db was only read.');
    // The lock warning ends with the table it locks: wrapped, not cut at the edge.
    expect(report.replace(/\s+/g, ' ')).toContain('takes an AccessExclusiveLock on public.jobs: every read and write of it waits while it runs');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('REV') && !f.includes('Rehearsal of'), 'the list again');
    app.unmount();
  });

  it('Esc while it runs asks it to stop (after the running step)', async () => {
    const { svc, finish, aborted } = service();
    const app = renderApp(fakeServices({ migrations: svc }), { initialScreen: 'migrations' });
    await app.waitFor((f) => f.includes('REV'), 'the list');
    await app.press('R');
    await app.waitFor((f) => f.includes('up 003…'), 'the progress');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('stopping after the running step…'), 'the stop');
    expect(aborted()).toBe(true);
    // Still on the Migrations screen (Esc did not go back to Home).
    expect(app.frame()).not.toContain('Target');
    finish();
    await app.waitFor((f) => f.includes('Rehearsal of 003'), 'the report');
    app.unmount();
  });
});
