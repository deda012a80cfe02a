/** Pools, TLS fallback and DATABASE__ECHO against the real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, openClient } from '../../src/core/db/connect.js';
import { createTestDatabase, dbSettings, type TestDatabase } from '../harness/pg.js';

describe('connection layer', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('connect');
  });
  afterAll(async () => db.drop());

  it('a pool opens at most pool size + overflow connections, like the app', async () => {
    const pool = await createPool(dbSettings(db.target, { poolSize: 2, maxOverflow: 1 }));
    try {
      expect(pool.options.max).toBe(3);
      const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      const { rows } = await clients[0]!.query<{ n: string }>(
        `select count(*) as n from pg_stat_activity where datname = current_database() and application_name = 'connector-db'`,
      );
      expect(Number(rows[0]?.n)).toBe(3);
      const waiting = pool.connect();
      const fourth = await Promise.race([waiting.then(() => 'got one'), new Promise((r) => setTimeout(() => r('waited'), 300))]);
      expect(fourth).toBe('waited');
      for (const c of clients) c.release();
      (await waiting).release();
    } finally {
      await pool.end();
    }
  });

  it('DATABASE__ECHO logs each statement with parameters and password literals redacted', async () => {
    const lines: string[] = [];
    const client = await openClient(dbSettings(db.target, { echo: true }), { echoSink: (l) => lines.push(l) });
    try {
      await client.query('select $1::text as secret_value', ['top-secret-param']);
      await client.query(`do $$ begin if false then execute 'alter role nobody password ''hunter2'''; end if; end $$`);
      await client.query("select 'x' as password_like_text -- CREATE ROLE r PASSWORD 'hunter3'");
    } finally {
      await client.end();
    }
    expect(lines[0]).toBe('[echo] select $1::text as secret_value  -- 1 parameter redacted');
    expect(lines.join('\n')).not.toContain('top-secret-param');
    expect(lines.join('\n')).not.toContain('hunter3');
    expect(lines.join('\n')).toContain("PASSWORD '****'");
  });

  it('without echo nothing is logged', async () => {
    const lines: string[] = [];
    const client = await openClient(dbSettings(db.target), { echoSink: (l) => lines.push(l) });
    await client.query('select 1');
    await client.end();
    expect(lines).toEqual([]);
  });
});
