/**
 * The environment for psql / pg_dump / pg_restore children: the target as
 * libpq variables, and the password through a temporary 0600 passfile
 * (PGPASSFILE) — never on the command line, where `ps` and /proc/PID/cmdline
 * would show it to every user on the machine.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Target } from '../config/resolve.js';
import { effectiveSslMode } from '../db/client-config.js';

import { withoutSecrets } from './child-env.js';

export { SECRET_VARIABLES, withoutSecrets } from './child-env.js';

export interface PgToolEnv {
  env: NodeJS.ProcessEnv;
  /** Removes the passfile; call in `finally`. */
  cleanup(): Promise<void>;
}

/** Escape a .pgpass field (":" and "\\" are special). */
function pgpassField(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}

export async function pgToolEnv(
  target: Target,
  options: { database?: string; connectTimeout?: number; applicationName?: string; base?: NodeJS.ProcessEnv } = {},
): Promise<PgToolEnv> {
  const base = withoutSecrets({ ...(options.base ?? process.env) });
  // The parent's libpq settings must not leak into the child and point it elsewhere.
  for (const key of ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'PGPASSFILE', 'PGSERVICE', 'PGSSLMODE', 'PGOPTIONS']) delete base[key];
  const database = options.database ?? target.database;
  const env: NodeJS.ProcessEnv = {
    ...base,
    PGHOST: target.host,
    PGPORT: String(target.port),
    PGUSER: target.user,
    PGDATABASE: database,
    PGSSLMODE: effectiveSslMode(target),
    // The URL's sslrootcert reaches pg_dump and psql as libpq's own variable.
    ...(target.sslrootcert ? { PGSSLROOTCERT: target.sslrootcert } : {}),
    PGCONNECT_TIMEOUT: String(Math.max(1, Math.ceil(options.connectTimeout ?? 5))),
    PGAPPNAME: options.applicationName ?? 'connector-db',
  };
  if (target.password === undefined) return { env, cleanup: async () => {} };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cdb-pass-'));
  const file = path.join(dir, 'pgpass');
  const host = target.host.startsWith('/') ? 'localhost' : target.host;
  await writeFile(file, `${pgpassField(host)}:${target.port}:*:${pgpassField(target.user)}:${pgpassField(target.password)}\n`, { mode: 0o600 });
  env.PGPASSFILE = file;
  return { env, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
