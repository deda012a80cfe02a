/**
 * The Doctor screen with fake services: checks appear as they finish, a
 * failure shows its evidence and fix, an action that needs more rights asks
 * for an admin login (the password never on screen), runs, and re-checks.
 */
import { describe, expect, it, vi } from 'vitest';
import { fakeServices, KEYS, renderApp } from './helpers.js';
import { result, CHECK_IDS, type CheckResult, type DoctorReport } from '../../src/core/diagnostics/check-types.js';
import type { DoctorService } from '../../src/app/services.js';

function report(overrides: Partial<Record<(typeof CHECK_IDS)[number], CheckResult>>): DoctorReport {
  const checks = CHECK_IDS.map((id) => overrides[id] ?? result(id, 'passed', `${id} fine`));
  return { ok: !checks.some((c) => c.status === 'failed'), checks };
}

const missingDb = result('database', 'failed', 'Database "connector_db" does not exist on db.example:5432.', {
  code: 'database_missing',
  evidence: ['database "connector_db" does not exist', 'DATABASE__NAME=connector_db (.env line 3)'],
  fixes: ['sudo -u postgres createdb --owner connector_user connector_db   # as the server\'s superuser', 'docker compose exec db createdb -U connector_user --owner connector_user connector_db'],
  actions: [
    { id: 'create_database', label: 'create database "connector_db" owned by "connector_user"', needsAdmin: true },
    { id: 'retry', label: 'check again', needsAdmin: false },
  ],
});
const skipped = (why: string) => Object.fromEntries(CHECK_IDS.slice(6).map((id) => [id, result(id, 'skipped', why)]));

function fakeDoctor(reports: DoctorReport[]): DoctorService & { act: ReturnType<typeof vi.fn> } {
  let n = 0;
  return {
    run: async (onCheck) => {
      const r = reports[Math.min(n++, reports.length - 1)] as DoctorReport;
      for (const c of r.checks) onCheck(c);
      return r;
    },
    act: vi.fn(async () => ({ ran: ['CREATE DATABASE "connector_db" OWNER "connector_user"'], summary: 'create database "connector_db" owned by "connector_user"' })),
  };
}

describe('Doctor screen', () => {
  it('failed check → evidence and fix → action with an admin login (password never shown) → re-check passes', async () => {
    const failing = report({ database: missingDb, ...skipped('skipped: needs "Database exists" (database_missing)') });
    const healthy = report({});
    const doctor = fakeDoctor([failing, healthy]);
    const app = renderApp(fakeServices({ doctor }), { initialScreen: 'doctor' });
    const frame = await app.waitFor((f) => f.includes('database_missing') && f.includes('fix (copy and run)'), 'the failure in full');
    expect(frame).toContain('1 failed');
    expect(frame).toContain('Database "connector_db" does not exist on db.example:5432.');
    expect(frame).toContain('DATABASE__NAME=connector_db (.env line 3)');
    expect(frame).toContain('sudo -u postgres createdb --owner connector_user connector_db');
    expect(frame).toContain('8 skipped: needs "Database exists" (database_missing)');
    expect(frame).toContain('c create database');
    // The action key is in the hint line too, not only below the fold (the hint line drew before the checks arrived).
    const hintLine = await app.waitFor((f) => (f.trimEnd().split('\n').pop() ?? '').includes('c create database'), 'the action in the hint line');
    expect(hintLine.trimEnd().split('\n').pop()).toMatch(/^r check again {2}c create database {2}\? help/);
    await app.press('c');
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin login form');
    await app.press(KEYS.enter); // keep "postgres", go to the password
    for (const ch of 's3cr3t-pw') await app.press(ch);
    const typing = app.frame();
    expect(typing).not.toContain('s3cr3t');
    expect(typing).not.toMatch(/\*{3,}|•{3,}/);
    expect(typing).toContain('[hidden]');
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('nothing failed'), 'the re-check');
    expect(doctor.act).toHaveBeenCalledWith('create_database', { user: 'postgres', password: 's3cr3t-pw' });
    const after = app.frame();
    expect(after).toContain('create database "connector_db" owned by "connector_user" — ran: CREATE DATABASE');
    expect(after).not.toContain('s3cr3t');
    app.unmount();
  });

  it('the admin login is asked once: a second action reuses it after a y/n confirmation', async () => {
    const failing = report({ database: missingDb, ...skipped('skipped') });
    const doctor = fakeDoctor([failing, failing, failing]);
    const app = renderApp(fakeServices({ doctor }), { initialScreen: 'doctor' });
    await app.waitFor((f) => f.includes('c create database'), 'the action hint');
    await app.press('c');
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin form');
    for (const ch of 'x') await app.press(ch); // "postgresx"
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('c create database') && !f.includes('admin login'), 'back to the report');
    await app.press('c');
    await app.waitFor((f) => f.includes('(y/n)'), 'a confirmation, not the form again');
    await app.press('y');
    await app.waitFor(() => doctor.act.mock.calls.length === 2, 'the second action');
    expect(doctor.act.mock.calls[1]).toEqual(['create_database', { user: 'postgresx' }]);
    app.unmount();
  });

  it('an action that fails shows its one line and keeps the report; r checks again', async () => {
    const failing = report({ database: missingDb, ...skipped('skipped') });
    const doctor = fakeDoctor([failing, report({})]);
    doctor.act.mockRejectedValueOnce(Object.assign(new Error('The admin login failed: password authentication failed for user "postgres"'), { code: 'auth_failed' }));
    const app = renderApp(fakeServices({ doctor }), { initialScreen: 'doctor' });
    await app.waitFor((f) => f.includes('c create database'), 'the action hint');
    await app.press('c');
    await app.waitFor((f) => f.includes('needs an admin login'), 'the admin form');
    await app.press(KEYS.enter);
    await app.press(KEYS.enter);
    const failed = await app.waitFor((f) => f.includes('auth_failed: The admin login failed'), 'the error line');
    expect(failed).toContain('database_missing');
    await app.press('r');
    await app.waitFor((f) => f.includes('nothing failed'), 'the re-check');
    app.unmount();
  });

  it('fits the terminal with a late failure: passed checks folded (80x24 is checked in tmux)', async () => {
    const pool = result('pool', 'failed', 'The app\'s pool may open 30 connections, but the server allows this role only 5: under load the app gets "too many clients".', {
      code: 'pool_exceeds_server',
      evidence: ['DATABASE__POOL_SIZE=10 (default) + DATABASE__MAX_OVERFLOW=20 (default) = 30', 'the server allows 5 for this role (max_connections 8 − 3 reserved for superusers); 0 other client connections open now'],
      fixes: ['env DATABASE__POOL_SIZE=2 DATABASE__MAX_OVERFLOW=1 connector-db doctor   # a ceiling of 3 leaves room for psql and migrations; if this passes, set DATABASE__POOL_SIZE=2 DATABASE__MAX_OVERFLOW=1 in .env', "sudo -u postgres psql -c 'ALTER SYSTEM SET max_connections = 43' && sudo systemctl restart postgresql   # or give the server more slots (restart needed)"],
    });
    const app = renderApp(fakeServices({ doctor: fakeDoctor([report({ pool })]) }), { initialScreen: 'doctor' });
    const frame = await app.waitFor((f) => f.includes('pool_exceeds_server'), 'the pool failure');
    expect(frame).toMatch(/9 passed: Settings, Host name resolves/);
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100); // ink-testing-library's width
    app.unmount();
  });
});
