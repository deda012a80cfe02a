/**
 * A server of its own with a small max_connections: the app's default pool
 * (10 + 20) cannot fit → pool_exceeds_server with a pool that does; slots
 * taken by others → a warning; every slot taken → too_many_connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startCluster, stopCluster, type ClusterInfo } from '../harness/cluster.js';
import type { Project } from '../harness/settings.js';
import { check, createLoginRoles, doctor, targetProject } from '../harness/doctor.js';
import { shellWords } from '../harness/fixes.js';

describe('doctor against a server with max_connections = 8', () => {
  let c: ClusterInfo;
  const held: pg.Client[] = [];
  beforeAll(async () => {
    c = await startCluster({ conf: ['max_connections = 8', 'superuser_reserved_connections = 3'] });
    await createLoginRoles(c, ['cdb_app'], 'pw');
  });
  afterAll(async () => {
    for (const h of held) await h.end().catch(() => {});
    stopCluster(c);
  });
  const hold = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const client = new pg.Client({ host: c.host, port: c.port, user: 'cdb_app', password: 'pw', database: 'postgres' });
      await client.connect();
      held.push(client);
    }
  };
  const release = async () => {
    while (held.length) await held.pop()?.end();
  };
  const proj = (vars: Record<string, string | number> = {}): Project => targetProject({ host: c.host, port: c.port, database: 'postgres', user: 'cdb_app', password: 'pw' }, vars);

  it('the default pool (10 + 20) → pool_exceeds_server naming both settings; the suggested pool passes', async () => {
    const report = await doctor(proj());
    const pool = check(report, 'pool');
    expect(pool).toMatchObject({ status: 'failed', code: 'pool_exceeds_server' });
    expect(pool.message).toBe('The app\'s pool may open 30 connections, but the server allows this role only 5: under load the app gets "too many clients".');
    expect(pool.evidence[0]).toBe('DATABASE__POOL_SIZE=10 (default) + DATABASE__MAX_OVERFLOW=20 (default) = 30');
    expect(pool.evidence[1]).toContain('max_connections 8 − 3 reserved for superusers');
    expect(pool.fixes[0]).toMatch(/^env DATABASE__POOL_SIZE=2 DATABASE__MAX_OVERFLOW=1 connector-db doctor/);
    expect(pool.fixes.some((f) => f.includes('ALTER SYSTEM SET max_connections = 43'))).toBe(true);
    expect(report.ok).toBe(false);
    // follow the fix: the env assignments it suggests
    const words = (shellWords(pool.fixes[0] as string)[0] as string[]).filter((w) => w.includes('='));
    const vars = Object.fromEntries(words.map((w) => w.split('=') as [string, string]));
    expect(check(await doctor(proj(vars)), 'pool').status).toBe('passed');
  });

  it('slots taken by other clients → a warning (the ceiling fits the server, not what is free now)', async () => {
    await hold(2);
    try {
      const pool = check(await doctor(proj({ DATABASE__POOL_SIZE: 2, DATABASE__MAX_OVERFLOW: 2 })), 'pool');
      expect(pool).toMatchObject({ status: 'warning', code: 'pool_exceeds_server' });
      expect(pool.message).toContain('only 3 are free now (2 in use by others)');
    } finally {
      await release();
    }
  });

  it('every slot taken → too_many_connections with who-holds-them fixes; freeing them passes', async () => {
    await hold(5);
    try {
      const report = await doctor(proj({ DATABASE__POOL_SIZE: 1, DATABASE__MAX_OVERFLOW: 0 }));
      const a = check(report, 'auth');
      expect(a.code).toBe('too_many_connections');
      expect(a.evidence.join('\n')).toMatch(/remaining connection slots are reserved/);
      expect(a.message).toBe('The server has no free connection slot for role "cdb_app": max_connections is reached (or the rest are reserved).');
      expect(a.fixes[0]).toContain('SELECT usename, application_name, state, count(*) FROM pg_stat_activity');
      expect(a.fixes.some((f) => f.includes('pg_terminate_backend'))).toBe(true);
      expect(a.fixes.some((f) => f.includes('docker compose restart db'))).toBe(true);
    } finally {
      await release();
    }
    expect(check(await doctor(proj({ DATABASE__POOL_SIZE: 1, DATABASE__MAX_OVERFLOW: 0 })), 'auth').status).toBe('passed');
  });
});
