/**
 * The admin connection asked for once (a URL, or a user and password) when
 * something needs more rights than the app's role has: creating the role,
 * the database, granting. Missing parts default to the target's host and
 * port, role `postgres`, database `postgres`; a password may also come from
 * ~/.pgpass, as libpq would take it.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import type { Target } from '../config/resolve.js';
import { findPgpassEntry } from '../config/pgpass.js';
import { parseDatabaseUrl, UrlError } from '../config/url.js';
import { openClient, type DbSettings, type OpenOptions } from '../db/connect.js';
import { ToolError } from '../errors.js';
import type { AdminOpener } from './provision.js';

export interface AdminLogin {
  /** postgresql://postgres:pw@host:port/postgres (any part may be left out). */
  url?: string;
  user?: string;
  password?: string;
}

export function adminTargetOf(login: AdminLogin, target: Target, env: Record<string, string | undefined> = process.env, home = env.HOME ?? ''): Target {
  let parts: ReturnType<typeof parseDatabaseUrl> = {};
  if (login.url) {
    try {
      parts = parseDatabaseUrl(login.url.trim());
    } catch (error) {
      if (error instanceof UrlError) throw new ToolError('usage', `the admin URL is not a database URL (${error.message}); allowed: postgresql://user:password@host:port/database`, { exitCode: 2 });
      throw error;
    }
  }
  const port = parts.port !== undefined ? Number(parts.port) : target.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ToolError('usage', `the admin URL's port "${parts.port}" is not a port; allowed: 1 to 65535`, { exitCode: 2 });
  const admin: Target = {
    host: parts.host ?? target.host,
    port,
    user: parts.user ?? login.user ?? 'postgres',
    database: parts.database ?? 'postgres',
    ...(parts.sslmode ? { sslmode: parts.sslmode as Target['sslmode'] } : target.sslmode ? { sslmode: target.sslmode } : {}),
  };
  const password = parts.password ?? login.password ?? pgpassPassword(admin, env, home);
  return password !== undefined && password !== '' ? { ...admin, password } : admin;
}

function pgpassPassword(t: Target, env: Record<string, string | undefined>, home: string): string | undefined {
  const file = env.PGPASSFILE || path.join(home, '.pgpass');
  try {
    if (statSync(file).mode & 0o077) return undefined;
    return findPgpassEntry(readFileSync(file, 'utf8'), file, t)?.password;
  } catch {
    return undefined;
  }
}

/** Opens admin clients to the maintenance database or the target database. */
export function adminOpener(admin: Target, targetDatabase: string, connectTimeout: number, options: OpenOptions = {}, open: typeof openClient = openClient): AdminOpener {
  const settings: DbSettings = { target: admin, connectTimeout, poolSize: 1, maxOverflow: 0, echo: false };
  return async (which) => {
    try {
      return await open(settings, { ...options, database: which === 'maintenance' ? admin.database : targetDatabase, applicationName: 'connector-db (admin)' });
    } catch (error) {
      if (error instanceof ToolError) {
        throw new ToolError(error.code, `The admin login failed: ${error.message}`, { evidence: error.evidence, fixes: error.fixes, exitCode: error.exitCode, cause: error });
      }
      throw error;
    }
  };
}

export type { pg };
