/**
 * A server of its own started as a standby (standby.signal, no primary):
 * with hot_standby on it is readable and never writable → read_only; with
 * hot_standby off it refuses every login while in recovery → server_starting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { own, pauseCluster, restartCluster, startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import { check, doctorAsSuperuser } from '../harness/doctor.js';

describe('doctor against a standby', () => {
  let c: ClusterInfo;
  beforeAll(async () => {
    c = await startCluster({
      conf: ['hot_standby = on'],
      beforeStart: (dataDir) => {
        const signal = path.join(dataDir, 'standby.signal');
        writeFileSync(signal, '');
        own(signal);
      },
    });
  });
  afterAll(() => stopCluster(c));
  const doctor = () => doctorAsSuperuser(c);

  it('a hot standby → read_only: readable, never writable; points at the primary', async () => {
    const report = await doctor();
    expect(check(report, 'auth').status).toBe('passed');
    const r = check(report, 'read_only');
    expect(r.code).toBe('read_only');
    expect(r.message).toContain('is a standby (in recovery)');
    expect(r.evidence).toContain('pg_is_in_recovery() = true');
    expect(r.fixes[0]).toContain('to the primary server');
    expect(check(report, 'privileges').status).toBe('passed');
  });

  it('a standby with hot_standby off → server_starting, with how to watch it', async () => {
    pauseCluster(c);
    appendFileSync(path.join(c.dataDir, 'postgresql.conf'), 'hot_standby = off\n');
    restartCluster(c);
    const report = await doctor();
    const r = check(report, 'reachable');
    expect(r.code).toBe('server_starting');
    expect(r.evidence.join('\n')).toMatch(/the database system is (not yet accepting connections|not accepting connections|starting up)/);
    expect(r.fixes[0]).toContain(`pg_isready -h 127.0.0.1 -p ${c.port}`);
    expect(r.fixes.join('\n')).toContain('docker compose logs --tail 50 db');
    expect(check(report, 'auth').status).toBe('skipped');
    expect(report.checks.filter((x) => x.id === 'reachable')).toHaveLength(1);
  });
});
