/**
 * The locks a migration took, read just before its transaction commits:
 * relation locks are held to the end of the transaction, so at COMMIT the
 * backend still holds every table and index lock its statements took. The
 * runner is handed a client that, when it is about to send COMMIT (alone,
 * or at the end of the batch the migrations engine sends as one string),
 * sends what comes before it, asks pg_locks on the same connection, then
 * commits: one extra round trip per migration, on the scratch copy only.
 * Bookkeeping tables are left out.
 * (A file that runs without a transaction never sends COMMIT: its locks
 * come and go with each statement and are not captured.)
 */
import type pg from 'pg';
import { BOOKKEEPING_TABLES } from '../migrations/bookkeeping.js';

type Queryable = Pick<pg.ClientBase, 'query'>;

export interface CapturedLock {
  /** schema.name */
  relation: string;
  /** 'table', 'index', 'sequence', 'view'... */
  kind: string;
  /** The strongest mode held on it. */
  mode: string;
}

/** Weakest to strongest (PostgreSQL's table-level lock modes). */
export const LOCK_STRENGTH = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

const KINDS: Record<string, string> = { r: 'table', p: 'table', i: 'index', I: 'index', S: 'sequence', v: 'view', m: 'materialized view', t: 'toast table', f: 'foreign table' };

const LOCKS_SQL = `
select n.nspname || '.' || c.relname as relation, c.relname as name, c.relkind::text as relkind, l.mode
from pg_locks l join pg_class c on c.oid = l.relation join pg_namespace n on n.oid = c.relnamespace
where l.pid = pg_backend_pid() and l.granted and l.locktype = 'relation'
  and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'`;

function isBookkeeping(name: string): boolean {
  return BOOKKEEPING_TABLES.some((t) => name === t || name.startsWith(`${t}_`));
}

/** Read this connection's relation locks now: the strongest mode per relation, sorted by name. */
export async function heldLocks(client: Queryable): Promise<CapturedLock[]> {
  const { rows } = await client.query<{ relation: string; name: string; relkind: string; mode: string }>(LOCKS_SQL);
  const strongest = new Map<string, CapturedLock>();
  for (const r of rows) {
    if (isBookkeeping(r.name)) continue;
    const had = strongest.get(r.relation);
    if (!had || LOCK_STRENGTH.indexOf(r.mode) > LOCK_STRENGTH.indexOf(had.mode)) strongest.set(r.relation, { relation: r.relation, kind: KINDS[r.relkind] ?? r.relkind, mode: r.mode });
  }
  return [...strongest.values()].sort((a, b) => a.relation.localeCompare(b.relation));
}

/** A client for the runner that reports the locks held just before each COMMIT. */
export function lockCapturingClient<C extends Queryable>(real: C, onCommit: (locks: CapturedLock[]) => void): C {
  const send = (textOrConfig: unknown, values?: unknown) => (real.query as (a: unknown, b?: unknown) => Promise<unknown>).call(real, textOrConfig, values);
  const query = async (textOrConfig: unknown, values?: unknown) => {
    const text = typeof textOrConfig === 'string' ? textOrConfig : undefined;
    const commit = text !== undefined && values === undefined ? /(^|\n)[ \t]*commit[ \t]*;?\s*$/i.exec(text) : null;
    if (!commit || text === undefined) return send(textOrConfig, values);
    // Same offsets as the original string for everything before COMMIT, so an error's position still points at its statement.
    const before = text.slice(0, commit.index);
    if (before.trim() !== '') await send(before);
    onCommit(await heldLocks(real));
    return send(text.slice(commit.index).trim());
  };
  return { query } as unknown as C;
}
