/**
 * Turn resolved settings into node-postgres connection options, honouring
 * libpq's sslmode semantics (node-postgres alone has no `prefer`, and treats
 * `require` as `verify-full`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ClientConfig } from 'pg';
import type { Target } from '../config/resolve.js';
import type { ConnectionOptions } from 'node:tls';

export const APPLICATION_NAME = 'connector-db';

export interface ConnectOptions {
  connectTimeout: number;
  applicationName?: string;
  /** Overrides the target's database (e.g. to connect to `postgres` for admin work). */
  database?: string;
  /** Extra startup parameters (statement_timeout, lock_timeout...) in milliseconds. */
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

/** libpq's default is prefer; over a unix socket TLS is never used. */
export function effectiveSslMode(target: Target): NonNullable<Target['sslmode']> {
  if (target.host.startsWith('/')) return 'disable';
  return target.sslmode ?? 'prefer';
}

/** TLS options for one attempt; `prefer` first tries TLS without verification, like libpq. */
export function tlsOptions(mode: NonNullable<Target['sslmode']>, env: Record<string, string | undefined> = process.env, home = process.env.HOME ?? '', rootCertFile?: string): ConnectionOptions | false {
  switch (mode) {
    case 'disable':
      return false;
    case 'prefer':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full': {
      // libpq's order: sslrootcert in the URL, PGSSLROOTCERT, ~/.postgresql/root.crt.
      const rootCert = rootCertFile || env.PGSSLROOTCERT || path.join(home, '.postgresql', 'root.crt');
      let ca: string | undefined;
      try {
        ca = readFileSync(rootCert, 'utf8');
      } catch {
        ca = undefined; // fall back to the system store; verification errors name the cause
      }
      return {
        rejectUnauthorized: true,
        ...(ca ? { ca } : {}),
        // verify-ca checks the chain but not the host name.
        ...(mode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      };
    }
  }
}

export function clientConfig(target: Target, options: ConnectOptions, ssl: ConnectionOptions | false): ClientConfig {
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: options.database ?? target.database,
    // node-postgres would otherwise read PGPASSWORD or ~/.pgpass on its own; the resolver already did.
    password: target.password ?? '',
    ssl,
    connectionTimeoutMillis: Math.round(options.connectTimeout * 1000),
    application_name: options.applicationName ?? APPLICATION_NAME,
    ...(options.statementTimeoutMs !== undefined ? { statement_timeout: options.statementTimeoutMs } : {}),
    ...(options.lockTimeoutMs !== undefined ? { lock_timeout: options.lockTimeoutMs } : {}),
  };
}
