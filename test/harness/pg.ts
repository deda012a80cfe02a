/**
 * Per-test-file databases on the shared throwaway cluster, and settings
 * pointing at them, shaped as the engine expects.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { ClusterInfo } from './cluster.js';
import type { DbSettings } from '../../src/core/db/connect.js';
import type { Target } from '../../src/core/config/resolve.js';

export function cluster(): ClusterInfo {
  return inject('cluster');
}

export function superuserTarget(database = 'postgres', info: ClusterInfo = cluster()): Target {
  return { host: info.host, port: info.port, user: info.user, password: info.password, database, sslmode: 'disable' };
}

export function dbSettings(target: Target, overrides: Partial<DbSettings> = {}): DbSettings {
  return { target, connectTimeout: 5, poolSize: 2, maxOverflow: 1, echo: false, ...overrides };
}

export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = [], database = 'postgres', info: ClusterInfo = cluster()): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ host: info.host, port: info.port, user: info.user, password: info.password, database });
  await client.connect();
  try {
    return await client.query<T>(sql, params);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  target: Target;
  settings: DbSettings;
  /** A URL with the superuser's password, for child processes in tests. */
  url: string;
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

/** A fresh, empty database for this test file (name starts with the given prefix). */
export async function createTestDatabase(prefix: string, info: ClusterInfo = cluster()): Promise<TestDatabase> {
  const name = `t_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`, [], 'postgres', info);
  const target = superuserTarget(name, info);
  return {
    name,
    target,
    settings: dbSettings(target),
    url: `postgresql://${info.user}:${encodeURIComponent(info.password)}@${info.host}:${info.port}/${name}`,
    query: (sql, params = []) => adminQuery(sql, params, name, info),
    drop: async () => {
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], 'postgres', info);
    },
  };
}

/** A connected superuser client of `db` with an application name (so a lock holder is recognisable). */
export async function clientOf(db: TestDatabase, applicationName = 'cdb-test'): Promise<pg.Client> {
  const t = db.target;
  const client = new pg.Client({ host: t.host, port: t.port, user: t.user, password: t.password, database: t.database, application_name: applicationName });
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** The backend pid serving `client`. */
export async function pidOf(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
}

/** clientOf, with the pid another session would see it by (to wait for it, cancel it, find it blocking). */
export async function namedSession(db: TestDatabase, applicationName: string): Promise<{ client: pg.Client; pid: number }> {
  const client = await clientOf(db, applicationName);
  return { client, pid: await pidOf(client) };
}
