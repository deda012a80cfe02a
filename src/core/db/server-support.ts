/**
 * The oldest PostgreSQL connector-db works with, and the one refusal every
 * writer uses (migrate, setup) so that a too-old server is turned away before
 * anything is changed, with the same code the doctor reports.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';

export const MIN_SERVER_MAJOR = 15;

export function serverTooOld(version: string, versionNum: number): ToolError {
  const major = Math.floor(versionNum / 10000);
  return new ToolError('server_too_old', `The server runs PostgreSQL ${version}; connector-db and the connector schema need ${MIN_SERVER_MAJOR} or newer. Nothing was changed.`, {
    evidence: [`server_version = ${version} (server_version_num ${versionNum})`],
    fixes: [
      `upgrade the server to PostgreSQL ${MIN_SERVER_MAJOR} or newer (Debian/Ubuntu: sudo apt install postgresql-${MIN_SERVER_MAJOR} && sudo pg_upgradecluster ${major} main)`,
      "the app's Docker Compose runs postgres:15-alpine: move the data with connector-db backup / restore",
    ],
  });
}

/** Throw server_too_old when the server is older than MIN_SERVER_MAJOR. */
export async function refuseTooOld(client: Pick<pg.ClientBase, 'query'>): Promise<void> {
  const { rows } = await client.query<{ v: string; n: string }>(`select current_setting('server_version') as v, current_setting('server_version_num') as n`);
  const row = rows[0];
  if (row && Number(row.n) < MIN_SERVER_MAJOR * 10000) throw serverTooOld(row.v.split(' ')[0] ?? row.v, Number(row.n));
}
