/**
 * The rehearsal's scratch database: a copy of the target made with
 * `CREATE DATABASE ... TEMPLATE` (PostgreSQL refuses that while anyone else
 * is connected to the source, so the caller checks first and otherwise copies
 * from a fresh backup). Each scratch database carries a comment naming its
 * source, so a later run can tell its leftovers (a killed run) from anyone
 * else's databases and drop only those.
 */
import type pg from 'pg';
import { ToolError } from '../errors.js';

type Queryable = Pick<pg.Client, 'query'>;

/** The comment every scratch database carries (followed by the source's name). */
export const SCRATCH_MARK = 'connector-db rehearsal scratch copy of ';

const MAX_IDENTIFIER = 63;

/** `<db>_rehearse_YYYYMMDD_HHMMSS`, the source part cut so the whole fits PostgreSQL's 63 bytes. */
export function scratchName(source: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
  const suffix = `_rehearse_${stamp}`;
  let head = source;
  while (Buffer.byteLength(head + suffix) > MAX_IDENTIFIER) head = head.slice(0, -1);
  return head + suffix;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface OtherConnection {
  pid: number;
  user: string | null;
  application: string;
}

/** Who else is connected to `database` (the copy by TEMPLATE needs nobody). */
export async function otherConnections(admin: Queryable, database: string): Promise<OtherConnection[]> {
  const { rows } = await admin.query<{ pid: number; usename: string | null; application_name: string }>(
    `select pid, usename, coalesce(application_name, '') as application_name from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() order by pid`,
    [database],
  );
  return rows.map((r) => ({ pid: r.pid, user: r.usename, application: r.application_name }));
}

/** SQLSTATE 55006: "source database ... is being accessed by other users". */
export const SOURCE_IN_USE = '55006';

/**
 * Copy `source` into a new database `scratch` by TEMPLATE. `admin` must be
 * connected to another database (the maintenance one). Returns false when
 * someone connected to the source in the meantime (the caller then uses a
 * backup); throws an explained ToolError when the role may not create it.
 */
export async function createScratchFromTemplate(admin: Queryable, source: string, scratch: string): Promise<boolean> {
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)} TEMPLATE ${quoteIdent(source)}`);
  } catch (error) {
    if ((error as { code?: string }).code === SOURCE_IN_USE) return false;
    throw createFailure(error, scratch);
  }
  await markScratch(admin, source, scratch);
  return true;
}

/** An empty scratch database (to restore a backup into). */
export async function createEmptyScratch(admin: Queryable, source: string, scratch: string): Promise<void> {
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(scratch)} TEMPLATE template0`);
  } catch (error) {
    throw createFailure(error, scratch);
  }
  await markScratch(admin, source, scratch);
}

async function markScratch(admin: Queryable, source: string, scratch: string): Promise<void> {
  await admin.query(`COMMENT ON DATABASE ${quoteIdent(scratch)} IS ${quoteLiteral(SCRATCH_MARK + source)}`);
}

function createFailure(error: unknown, scratch: string): ToolError {
  const e = error as { code?: string; message?: string };
  if (e.code === '42501') {
    return new ToolError('failed', `This role may not create the scratch database ${scratch} for the rehearsal; nothing was changed.`, {
      evidence: [e.message ?? ''],
      fixes: ['ALTER ROLE <the role> CREATEDB;   -- as a superuser (copying by TEMPLATE also needs the role to own the database)'],
      cause: error,
    });
  }
  return new ToolError('failed', `Could not create the scratch database ${scratch}: ${e.message ?? String(error)}`, { cause: error });
}

/** Drop a scratch database, disconnecting whoever is in it. Only ever called with a name this module made. */
export async function dropScratch(admin: Queryable, scratch: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
}

/** Scratch databases of `source` left by earlier runs (killed before they could clean up). */
export async function leftoverScratch(admin: Queryable, source: string): Promise<string[]> {
  const { rows } = await admin.query<{ datname: string }>(
    `select d.datname from pg_database d where shobj_description(d.oid, 'pg_database') = $1 order by 1`,
    [SCRATCH_MARK + source],
  );
  return rows.map((r) => r.datname);
}
