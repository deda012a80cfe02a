/**
 * A transaction pooler in the path (a small one speaking the wire protocol,
 * test/harness/tx-pooler.ts): the doctor sees the server session change
 * between transactions and warns; straight to the server, it passes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../src/core/diagnostics/doctor.js';
import { cluster, createTestDatabase, type TestDatabase } from '../harness/pg.js';
import { startTxPooler } from '../harness/tx-pooler.js';
import { settingsOf } from '../harness/settings.js';
import { targetProject } from '../harness/doctor.js';

describe('doctor through a transaction pooler', () => {
  let db: TestDatabase;
  let pooler: Awaited<ReturnType<typeof startTxPooler>>;
  beforeAll(async () => {
    db = await createTestDatabase('doctor_pooler');
    pooler = await startTxPooler(cluster(), db.name, 3);
  });
  afterAll(async () => {
    await pooler.close();
    await db.drop();
  });

  const doctorAt = (port: number) => {
    const c = cluster();
    const p = targetProject({ host: '127.0.0.1', port, database: db.name, user: c.user, password: c.password });
    return runDoctor({ settings: settingsOf(p), deps: { env: p.env } });
  };

  it('warns transaction_pooler with the backend pids it saw; the rest passes; exit stays 0', async () => {
    const report = await doctorAt(pooler.port);
    const pooled = report.checks.find((c) => c.id === 'pooler');
    expect(pooled).toMatchObject({ status: 'warning', code: 'transaction_pooler' });
    expect(pooled?.message).toContain('a transaction pooler (PgBouncer in transaction mode, or alike) is in the path');
    expect(pooled?.evidence[0]).toMatch(/^pg_backend_pid\(\) over 6 transactions on one connection: \d+, \d+/);
    expect(pooled?.fixes[0]).toContain('run migrations against the server itself');
    for (const id of ['auth', 'database', 'privileges', 'read_only'] as const) expect(report.checks.find((c) => c.id === id)?.status).toBe('passed');
    // A warning does not fail the report (only pg_dump may, against a newer server of the test matrix).
    const failed = report.checks.filter((c) => c.status === 'failed').map((c) => c.id);
    expect(failed.filter((id) => id !== 'pg_dump')).toEqual([]);
    expect(report.ok).toBe(failed.length === 0);
  });

  it('straight to the server (the fix): one session throughout', async () => {
    const report = await doctorAt(cluster().port);
    expect(report.checks.find((c) => c.id === 'pooler')?.message).toMatch(/^One server session throughout \(pid \d+\)\.$/);
  });
});
