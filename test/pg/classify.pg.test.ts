/**
 * The classifier against a real server: each failure is induced for real
 * and must come out with its code and the server's own words as evidence.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient, withClient } from '../../src/core/db/connect.js';
import { readServerInfo } from '../../src/core/db/server-info.js';
import { adminQuery, cluster, createTestDatabase, dbSettings, type TestDatabase } from '../harness/pg.js';
import { freePort } from '../harness/cluster.js';
import { failure } from '../harness/failure.js';

describe('connection failures are classified on a real server', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('classify');
    await adminQuery(`DROP ROLE IF EXISTS cdb_app; CREATE ROLE cdb_app LOGIN PASSWORD 'right-pw'`);
  });
  afterAll(async () => {
    await db.drop();
    await adminQuery('DROP ROLE IF EXISTS cdb_app');
  });

  it('connects and reads the server version with the right password', async () => {
    const info = await withClient(dbSettings({ ...db.target, user: 'cdb_app', password: 'right-pw' }), readServerInfo);
    expect(info.user).toBe('cdb_app');
    expect(info.database).toBe(db.name);
    expect(info.versionNum).toBeGreaterThanOrEqual(150000);
  });

  it('wrong password → auth_failed with the server message', async () => {
    const e = await failure(openClient(dbSettings({ ...db.target, user: 'cdb_app', password: 'wrong' })));
    expect(e.code).toBe('auth_failed');
    expect(e.evidence.join(' ')).toMatch(/password authentication failed for user "cdb_app"/);
  });

  it('no password when the server asks for one → auth_failed saying none is set', async () => {
    const { password: _omit, ...target } = { ...db.target, user: 'cdb_app' };
    const e = await failure(openClient(dbSettings(target)));
    expect(e.code).toBe('auth_failed');
    expect(e.message).toMatch(/none is set/);
  });

  it('missing role over the (trust) socket → role_missing', async () => {
    const c = cluster();
    const e = await failure(openClient(dbSettings({ host: c.socketDir, port: c.port, user: 'nobody_here', database: db.name })));
    expect(e.code).toBe('role_missing');
    expect(e.evidence.join(' ')).toMatch(/role "nobody_here" does not exist/);
  });

  it('missing database → database_missing', async () => {
    const e = await failure(openClient(dbSettings({ ...db.target, database: 'no_such_db_x' })));
    expect(e.code).toBe('database_missing');
    expect(e.message).toContain('"no_such_db_x"');
    expect(e.evidence.join(' ')).toMatch(/database "no_such_db_x" does not exist/);
  });

  it('closed port → connection_refused, at once', async () => {
    const port = await freePort();
    const started = Date.now();
    const e = await failure(openClient(dbSettings({ ...db.target, port })));
    expect(e.code).toBe('connection_refused');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('missing socket → connection_refused naming the socket', async () => {
    const e = await failure(openClient(dbSettings({ ...db.target, host: '/tmp/no-such-socket-dir', port: 5999 })));
    expect(e.code).toBe('connection_refused');
    expect(e.message).toContain('/tmp/no-such-socket-dir/.s.PGSQL.5999');
  });

  it('unknown host → dns_failed', async () => {
    const e = await failure(openClient(dbSettings({ ...db.target, host: 'no-such-host.invalid' })));
    expect(e.code).toBe('dns_failed');
    expect(e.message).toContain('"no-such-host.invalid"');
  });

  it('a listener that never answers → connection_timeout within the timeout', async () => {
    const silent = net.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const started = Date.now();
      const e = await failure(openClient(dbSettings({ ...db.target, port }, { connectTimeout: 0.5 })));
      expect(e.code).toBe('connection_timeout');
      expect(e.message).toMatch(/within 0.5 s/);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      silent.close();
    }
  });

  it('sslmode=require against a server without TLS → tls_unsupported; prefer falls back to plain', async () => {
    const e = await failure(openClient(dbSettings({ ...db.target, sslmode: 'require' })));
    expect(e.code).toBe('tls_unsupported');
    const { sslmode: _drop, ...preferTarget } = db.target;
    const info = await withClient(dbSettings(preferTarget), readServerInfo);
    expect(info.database).toBe(db.name);
  });

  it('a role over its connection limit → too_many_connections', async () => {
    await adminQuery(`ALTER ROLE cdb_app CONNECTION LIMIT 1`);
    const settings = dbSettings({ ...db.target, user: 'cdb_app', password: 'right-pw' });
    const first = await openClient(settings);
    try {
      const e = await failure(openClient(settings));
      expect(e.code).toBe('too_many_connections');
      expect(e.evidence.join(' ')).toMatch(/too many connections for role "cdb_app"/);
      expect(e.message).toBe('Role "cdb_app" has reached its own connection limit (ALTER ROLE ... CONNECTION LIMIT).');
    } finally {
      await first.end();
      await adminQuery(`ALTER ROLE cdb_app CONNECTION LIMIT -1`);
    }
  });
});
