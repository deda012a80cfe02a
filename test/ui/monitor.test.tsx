import { describe, expect, it, vi } from 'vitest';
import type { ServiceFailure, MonitorService, Services } from '../../src/app/services.js';
import type { SignalResult } from '../../src/core/monitor/signal.js';
import type { MonitorSnapshot } from '../../src/core/monitor/types.js';
import { fakeServices, KEYS, renderAppSized, tick } from './helpers.js';
import { busySessions, session, snapshotOf } from './monitor-fixture.js';

/** A terminal of a chosen size (ink-testing-library's is fixed at 100 columns and has no rows). */
/** The App at a chosen terminal size (ink-testing-library is fixed at 100 columns), on the Monitor by default. */
function renderMonitor(services: Services, size = { columns: 80, rows: 24 }, initialScreen = 'monitor') {
  return renderAppSized(services, size, { initialScreen });
}

type SnapshotAnswer = { ok: true; snapshot: MonitorSnapshot } | ServiceFailure;

function fakeMonitor(answers: SnapshotAnswer[] | (() => SnapshotAnswer), signal?: (pid: number, action: 'cancel' | 'terminate') => Promise<{ ok: true; result: SignalResult } | ServiceFailure>) {
  let i = 0;
  const next = () => (typeof answers === 'function' ? answers() : (answers[Math.min(i++, answers.length - 1)] as SnapshotAnswer));
  const service = {
    snapshot: vi.fn(async () => next()),
    signal: vi.fn(signal ?? (async (pid: number, action: 'cancel' | 'terminate') => ({ ok: true as const, result: { pid, action, done: true, message: action === 'cancel' ? `asked backend ${pid} to cancel its query` : `terminated backend ${pid}` } }))),
    close: vi.fn(async () => {}),
  } satisfies MonitorService;
  return service;
}

const ok = (snapshot: MonitorSnapshot): SnapshotAnswer => ({ ok: true, snapshot });

describe('Monitor screen', () => {
  it('fits 80x24 and shows connections against max_connections and the pool ceiling, then the sessions', async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    const frame = await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    expect(frame).toContain('● live');
    expect(frame).toContain('Conn 6/100 (97 for roles)');
    expect(frame).toContain('Pool 30=10+20, connector_user has 4, room 95 ✓ fits');
    expect(frame).toContain('active 3 · idle in tx 1 · idle 2 · 2 waiting on locks');
    expect(frame).toContain('DB connector_db 7.4 MB · cache hit 99.2%');
    expect(frame).toMatch(/1 Sessions 6 +2 Locks 2 +3 Transactions 1/);
    // Lock waiters first, then active, idle in transaction, idle; the monitor marks itself with *.
    const pids = [...frame.matchAll(/^(\d+)\*? /gm)].map((m) => Number(m[1]));
    expect(pids).toEqual([4102, 4103, 4200, 4101, 4104, 4105]);
    expect(frame).toMatch(/4102 +migrator +cdb migrate +lock wait +42s +ALTER TABLE jobs/);
    // The selected row in full under the table.
    expect(frame).toContain('pid 4102 · migrator · connector-db migrate · active for 1.0s (transaction open');
    const lines = frame.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeLessThanOrEqual(24);
    app.unmount();
  });

  it('Enter on a session with a long statement: the facts keep their lines, the statement is cut below them', async () => {
    const long = Array.from({ length: 60 }, (_, i) => `  and column_${i} = $${i + 1}`).join('\n');
    const sessions = [session(4300, { application: 'worker', state: 'active', query: `SELECT *\nFROM jobs\nWHERE true\n${long}`, queryAgeSeconds: 3 })];
    const monitor = fakeMonitor([ok(snapshotOf(sessions))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press(KEYS.enter);
    const frame = await app.waitFor((f) => f.includes('Backend 4300'), 'the session in full');
    const lines = frame.split('\n').map((l) => l.replace(/^[│ ]+|[│ ]+$/g, ''));
    const at = (text: string) => lines.findIndex((l) => l.startsWith(text));
    expect(at('Backend 4300')).toBeGreaterThan(-1);
    expect(at('pid 4300 · connector_user · worker')).toBe(at('Backend 4300') + 1);
    expect(at('database connector_db · client 10.0.0.5')).toBe(at('Backend 4300') + 2);
    expect(at('statement started 3.0s ago')).toBe(at('Backend 4300') + 3);
    expect(at('─ statement ─')).toBe(at('Backend 4300') + 4);
    expect(at('SELECT *')).toBe(at('Backend 4300') + 5);
    expect(frame.split('\n').length).toBeLessThanOrEqual(24);
    app.unmount();
  });

  it('draws who blocks whom as a tree with the lock each waits for', async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press('2');
    const frame = await app.waitFor((f) => f.includes('WAITS FOR'), 'the Locks tab');
    expect(frame).toMatch(/^4101 +connector… +worker +blocks · idle in tx 5m12s +UPDATE jobs/m);
    expect(frame).toMatch(/^└4102 +migrator +cdb migrate +41s AccessExclusive jobs +ALTER TABLE/m);
    expect(frame).toMatch(/^ └4103 +connector… +api +11s AccessShare jobs +SELECT \* FROM/m);
    expect(frame).toContain('pid 4101 · connector_user · worker · idle in transaction for 5m00s (transac');
    expect(frame).toContain("UPDATE jobs SET status = 'running' WHERE job_id = $1");
    app.unmount();
  });

  it('refreshes every 2 s; space pauses, r refreshes once while paused, space resumes', async () => {
    let n = 0;
    const monitor = fakeMonitor(() => ok(snapshotOf([...busySessions(), ...Array.from({ length: n++ }, (_, k) => session(5000 + k))])));
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn 6/100'), 'the first snapshot');
    await app.waitFor((f) => f.includes('Conn 7/100'), 'the refresh 2 s later', 4000);
    expect(monitor.snapshot).toHaveBeenCalledTimes(2);
    await app.press(' ');
    await app.waitFor((f) => f.includes('‖ paused at'), 'the paused mark');
    const calls = monitor.snapshot.mock.calls.length;
    await tick(2600);
    expect(monitor.snapshot.mock.calls.length).toBe(calls);
    await app.press('r');
    await app.waitFor((f) => f.includes(`Conn ${6 + calls}/100`), 'the one-off refresh');
    expect(app.frame()).toContain('‖ paused');
    await app.press('p');
    await app.waitFor((f) => f.includes('● live'), 'live again');
    app.unmount();
  });

  it('terminate asks first: n keeps the backend, y terminates it and refreshes', async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press('2');
    await app.waitFor((f) => f.includes('WAITS FOR'), 'the Locks tab');
    await app.press('t');
    const dialog = await app.waitFor((f) => f.includes('Terminate backend 4101?'), 'the confirmation');
    expect(dialog).toContain('pid 4101 · connector_user · worker · idle in transaction for 5m00s');
    expect(dialog).toContain('its open transaction is rolled back');
    // A modal: other keys do nothing, Esc closes it instead of leaving the screen.
    await app.press('c');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('WAITS FOR') && !f.includes('Terminate backend'), 'the dialog to close');
    expect(monitor.signal).not.toHaveBeenCalled();
    await app.press('t');
    await app.waitFor((f) => f.includes('Terminate backend 4101?'), 'the confirmation again');
    await app.press('n');
    await app.waitFor((f) => !f.includes('Terminate backend'), 'n to close it');
    expect(monitor.signal).not.toHaveBeenCalled();
    const before = monitor.snapshot.mock.calls.length;
    await app.press('t');
    await app.waitFor((f) => f.includes('Terminate backend 4101?'), 'the confirmation a third time');
    await app.press('y');
    await app.waitFor((f) => f.includes('✓ terminated backend 4101'), 'the result');
    expect(monitor.signal).toHaveBeenCalledWith(4101, 'terminate');
    await app.waitFor(() => monitor.snapshot.mock.calls.length > before, 'a refresh after the action');
    app.unmount();
  });

  it("cancel on a row the role may not signal shows the server's refusal and the grant", async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))], async (pid) => ({
      ok: false,
      code: 'failed',
      message: `permission denied to cancel backend ${pid}`,
      evidence: [],
      fixes: ['GRANT pg_signal_backend TO viewer;'],
    }));
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }), { columns: 120, rows: 30 });
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press('c');
    await app.waitFor((f) => f.includes('Cancel the query of backend 4102?'), 'the confirmation');
    await app.press('y');
    await app.waitFor((f) => f.includes('✗ failed: permission denied to cancel backend 4102 — GRANT pg_signal_backend TO viewer;'), 'the refusal');
    app.unmount();
  });

  it("will not signal the monitor's own connection, nor a row that is not a session", async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press(KEYS.down);
    await app.press(KEYS.down);
    await app.waitFor((f) => f.includes('pid 4200 · postgres'), 'the monitor row selected');
    await app.press('t');
    await app.waitFor((f) => f.includes("pid 4200 is the monitor's own connection"), 'the refusal');
    await app.press('5');
    await app.waitFor((f) => f.includes('public.jobs'), 'the Tables tab');
    await app.press('c');
    await app.waitFor((f) => f.includes('choose a session first'), 'the hint');
    expect(monitor.signal).not.toHaveBeenCalled();
    app.unmount();
  });

  it('for a role without pg_read_all_stats: hidden sessions say so, and the grant is named', async () => {
    const sessions = [
      session(4101, { visible: false, state: null, query: null, backendType: null, xactAgeSeconds: null, stateAgeSeconds: null, queryAgeSeconds: null, user: 'postgres', application: 'psql' }),
      session(4300, { user: 'viewer', application: 'connector-db monitor', state: 'active', self: true }),
    ];
    const monitor = fakeMonitor([ok(snapshotOf(sessions, { role: { role: 'viewer', superuser: false, readAllStats: false, signalBackend: false } }))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    const frame = await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    expect(frame).toMatch(/4101 +postgres +psql +hidden +- +\(hidden from this role\)/);
    expect(frame).toContain('active 1 · hidden 1');
    expect(frame).toContain('1 hidden from viewer: GRANT pg_read_all_stats TO viewer; shows them');
    app.unmount();
  });

  it('Statements: the slowest with their times when installed, else the one-line how-to', async () => {
    const installed = snapshotOf(busySessions(), {
      statements: {
        status: 'available',
        version: '1.10',
        statements: [{ queryId: '1', query: 'SELECT * FROM jobs WHERE status = $1', user: 'connector_user', calls: 1200, totalMs: 54_000, meanMs: 45, maxMs: 900, rows: 3 }],
      },
    });
    const monitor = fakeMonitor([ok(snapshotOf(busySessions())), ok(installed)]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press('6');
    const howTo = await app.waitFor((f) => f.includes('MEAN'), 'the Statements tab');
    expect(howTo.replace(/\s+/g, ' ')).toContain("pg_stat_statements is not enabled: set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf and restart the server, then CREATE EXTENSION pg_stat_statements;");
    expect(howTo).toContain('pg_stat_statements off');
    await app.press('r');
    const table = await app.waitFor((f) => f.includes('SELECT * FROM jobs WHERE status'), 'the statements');
    expect(table).toMatch(/45 ms +900 ms +1200 +54\.0 s +SELECT \* FROM jobs WHERE status = \$1/);
    expect(table).toContain('pg_stat_statements on');
    app.unmount();
  });

  it('a failed read: the code and message, keeps the last snapshot, recovers on the next tick', async () => {
    const refused: ServiceFailure = { ok: false, code: 'connection_refused', message: 'Nothing accepts connections at db.example:5432.', evidence: ['connect ECONNREFUSED 10.0.0.1:5432'], fixes: [] };
    const monitor = fakeMonitor([refused, ok(snapshotOf(busySessions())), refused]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }));
    const first = await app.waitFor((f) => f.includes('connection_refused'), 'the failure');
    expect(first).toContain('Nothing accepts connections at db.example:5432.');
    expect(first).toContain('ECONNREFUSED');
    await app.press('r');
    await app.waitFor((f) => f.includes('Conn 6/100'), 'the recovered snapshot');
    await app.press('r');
    const stale = await app.waitFor((f) => f.includes('connection_refused') && f.includes('(showing'), 'the failure over the kept snapshot');
    expect(stale).toContain('Conn 6/100');
    app.unmount();
  });

  it('Esc goes back to Home and closes the monitor connection; ? lists the keys', { timeout: 20_000 }, async () => {
    const monitor = fakeMonitor([ok(snapshotOf(busySessions()))]);
    const app = renderMonitor(fakeServices({ openMonitor: () => monitor }), { columns: 100, rows: 40 }, 'home');
    await app.waitFor((f) => f.includes('PostgreSQL 15.19'), 'Home');
    for (let i = 0; i < 5; i++) await app.press(KEYS.down);
    await app.press(KEYS.enter);
    await app.waitFor((f) => f.includes('Conn '), 'the first snapshot');
    await app.press('?');
    const help = await app.waitFor((f) => f.includes('Keys · Monitor'), 'the help');
    expect(help).toMatch(/space \/ p +pause or resume the 2 s refresh/);
    expect(help).toMatch(/c +cancel the selected backend's running query \(asks first\)/);
    expect(help).toMatch(/t +terminate the selected backend \(asks first\)/);
    await app.press('x');
    await app.waitFor((f) => !f.includes('Keys · Monitor'), 'the help to close');
    await app.press(KEYS.escape);
    await app.waitFor((f) => f.includes('Target'), 'Home');
    expect(monitor.close).toHaveBeenCalledTimes(1);
    app.unmount();
  });
});
