/** What the Home screen and the reports say about the server once connected. */
import type pg from 'pg';

export interface ServerInfo {
  /** e.g. "15.19" */
  version: string;
  /** server_version_num, e.g. 150019 */
  versionNum: number;
  /** The full version() banner. */
  banner: string;
  database: string;
  user: string;
  inRecovery: boolean;
  backendPid: number;
}

export async function readServerInfo(client: pg.Client | pg.PoolClient): Promise<ServerInfo> {
  const { rows } = await client.query<{
    version: string;
    num: string;
    banner: string;
    db: string;
    usr: string;
    recovery: boolean;
    pid: number;
  }>(
    `select current_setting('server_version') as version, current_setting('server_version_num') as num, version() as banner,
            current_database() as db, current_user as usr, pg_is_in_recovery() as recovery, pg_backend_pid() as pid`,
  );
  const row = rows[0];
  if (!row) throw new Error('the server returned no row for its version');
  return {
    version: row.version.split(' ')[0] ?? row.version,
    versionNum: Number(row.num),
    banner: row.banner,
    database: row.db,
    user: row.usr,
    inRecovery: row.recovery,
    backendPid: row.pid,
  };
}

export function majorVersion(versionNum: number): number {
  return Math.floor(versionNum / 10000);
}
